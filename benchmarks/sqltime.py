"""Where a page's time goes: each SQL statement of one request timed in-process.

``per_statement(app, request, times)`` calls ``request()`` (a test-client request) once to
warm up, then ``times`` times with SQLAlchemy's ``before_cursor_execute`` and
``after_cursor_execute`` events, and gives each statement of the page (by its position in
the request) the median of its durations, with the whole request's median beside. The
statements are the same at every call (the pages make a constant number of them), so the
positions line up; a call that made another number is reported as such.

``explain(app, statement, parameters)`` runs ``EXPLAIN (ANALYZE, BUFFERS)`` of one captured
statement on PostgreSQL (``EXPLAIN QUERY PLAN`` on SQLite, which has no timing).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa


@dataclass
class StatementTime:
    position: int
    text: str  # the statement, whitespace folded
    ms: float  # median over the calls
    parameters: Any = None  # of the last call (for ``explain``)
    raw: str = ""


@dataclass
class RequestTimes:
    request_ms: float  # median of the whole request
    sql_ms: float  # median of the statements' sum
    statements: list[StatementTime] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)  # statements per call
    status: int = 0

    def table(self, width: int = 110) -> str:
        lines = [
            f"request {self.request_ms:.1f} ms, SQL {self.sql_ms:.1f} ms, "
            f"statements {sorted(set(self.counts))}"
        ]
        for s in sorted(self.statements, key=lambda s: -s.ms):
            lines.append(f"  #{s.position:<2} {s.ms:7.2f} ms  {s.text[:width]}")
        return "\n".join(lines)


def per_statement(app, request: Callable[[], Any], times: int = 20) -> RequestTimes:
    from eraati.extensions import db

    with app.app_context():
        engine = db.engine
    request()
    current: list[list[Any]] = []

    def before(_conn, _cursor, statement, parameters, _context, _many) -> None:
        current.append([statement, parameters, time.perf_counter(), None])

    def after(_conn, _cursor, _statement, _parameters, _context, _many) -> None:
        current[-1][3] = time.perf_counter()

    runs: list[list[list[Any]]] = []
    totals: list[float] = []
    status = 0
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(times):
            current = []
            t = time.perf_counter()
            r = request()
            totals.append((time.perf_counter() - t) * 1000)
            status = r.status_code
            runs.append(current)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    counts = [len(r) for r in runs]
    usual = statistics.mode(counts)
    same = [r for r in runs if len(r) == usual]
    statements = []
    for i in range(usual):
        ms = [(r[i][3] - r[i][2]) * 1000 for r in same if r[i][3] is not None]
        raw, params = same[-1][i][0], same[-1][i][1]
        statements.append(
            StatementTime(i + 1, " ".join(raw.split()), statistics.median(ms), params, raw)
        )
    sql = [sum((s[3] or s[2]) - s[2] for s in r) * 1000 for r in same]
    return RequestTimes(
        statistics.median(totals), statistics.median(sql), statements, counts, status
    )


def explain(app, statement: StatementTime) -> str:
    """The plan of one captured statement, executed (PostgreSQL: ``EXPLAIN (ANALYZE,
    BUFFERS)``; SQLite: ``EXPLAIN QUERY PLAN``)."""
    from eraati.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            if db.engine.dialect.name == "postgresql":
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.raw, statement.parameters)
            else:
                cur.execute("EXPLAIN QUERY PLAN " + statement.raw, statement.parameters or ())
            rows = cur.fetchall()
            cur.close()
        finally:
            raw.rollback()
            raw.close()
    return "\n".join(" | ".join(str(c) for c in row) for row in rows)
