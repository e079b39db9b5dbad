"""SQL checks after concurrent writes: one row per person and target, counters = COUNT(*)."""

from __future__ import annotations

import sqlalchemy as sa


def duplicate_rows(app, model, *key_columns: str, where=None) -> int:
    """How many (person, target) keys have more than one row."""
    from eraati.extensions import db

    cols = [getattr(model, c) for c in key_columns]
    stmt = sa.select(*cols).group_by(*cols).having(sa.func.count() > 1)
    if where is not None:
        stmt = stmt.where(where)
    with app.app_context():
        return len(db.session.execute(stmt).all())


def stored(app, stmt) -> dict:
    """``{key: value}`` of a two-column SELECT."""
    from eraati.extensions import db

    with app.app_context():
        return dict(db.session.execute(stmt).all())


def counter_mismatches(app) -> list:
    from eraati.consultations.counters import mismatches

    with app.app_context():
        return mismatches()
