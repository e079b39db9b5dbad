"""The audit log: one row per staff act, append-only.

No route edits or deletes a row, the ORM refuses to (``before_update`` and
``before_delete`` below), and the database refuses too: a trigger on each backend
aborts UPDATE and DELETE. The actor is kept by id and name, without a foreign key, so
that removing an account never rewrites the log.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.time import utcnow
from eraati.extensions import db


class AuditLogIsAppendOnly(Exception):
    """Something tried to change or remove an audit row."""


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_org_created", "organisation_id", "created_at", "id"),
        # The actions in the log filter: one index probe per action (audit.queries.actions).
        sa.Index("ix_audit_events_org_action", "organisation_id", "action"),
        # One thing's history: how a comment came to be hidden (was it ever shown?), which
        # the topic page asks for each hidden comment it lists.
        sa.Index("ix_audit_events_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for platform acts (a new organisation, a platform admin appointed).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(40))
    target_type: Mapped[str | None] = mapped_column(sa.String(40))
    target_id: Mapped[int | None]
    target_label: Mapped[str | None] = mapped_column(sa.String(200))
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditLogIsAppendOnly(target.id)


# The database's own guard (create_all in tests; the migration adds the same).
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _sql in _statements:
        sa.event.listen(
            AuditEvent.__table__, "after_create", sa.DDL(_sql).execute_if(dialect=_dialect)
        )
