"""The plan of the last statement a piece of code runs: EXPLAIN (ANALYZE, BUFFERS) on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite (which has no execution time). A5 and P6 report
their list statement's plan at both sizes with it."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa


def last_statement_plan(app, run: Callable[[], object]) -> dict:
    """``run()`` in an application context; the plan of its last statement: the first 40
    lines, the execution time and the scans."""
    from eraati.extensions import db

    with app.app_context():
        seen: list[tuple[str, object]] = []

        def before(_conn, _cursor, statement, parameters, *_args) -> None:
            seen.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            run()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)
        statement, parameters = seen[-1]
        sqlite = db.engine.dialect.name == "sqlite"
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
        with db.engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute(prefix + statement, parameters)
            lines = [str(row[-1]) for row in cursor.fetchall()]
        db.session.remove()
    execution = next((x for x in lines if x.startswith("Execution Time")), "")
    walked = [x.strip() for x in lines if "Scan" in x or "SCAN" in x or "SEARCH" in x]
    return {"plan": lines[:40], "execution": execution, "scans": walked[:6]}
