"""Reading the audit log: newest first, a page at a time from the key of the last row
(keyset pagination on ``(created_at, id)``, index ``ix_audit_events_org_created``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.extensions import db

PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def key_of(event: AuditEvent) -> str:
    micros = (event.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{event.id}"


def parse_key(token: str | None) -> tuple[datetime, int] | None:
    try:
        micros, event_id = (int(p) for p in (token or "").split("_"))
    except ValueError:
        return None
    if micros < 0 or event_id < 0:
        return None
    return _EPOCH + timedelta(microseconds=micros), event_id


@dataclass
class AuditPage:
    events: list[AuditEvent]
    next_key: str | None  # the ``after`` argument of the next (older) page
    actions: list[str]  # every action code in this organisation's log, for the filter


def _newest_first(query: sa.Select, after: str | None) -> tuple[list[AuditEvent], str | None]:
    """One page of ``query``'s events, newest first, after the key of the previous page's
    last row (keyset paging: the cost of a page does not grow with the log), and the key
    of the next page when there is one."""
    key = parse_key(after)
    if key is not None:
        query = query.where(sa.tuple_(AuditEvent.created_at, AuditEvent.id) < sa.tuple_(*key))
    rows = list(
        db.session.scalars(
            query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE + 1)
        )
    )
    events = rows[:PAGE_SIZE]
    return events, key_of(events[-1]) if len(rows) > PAGE_SIZE else None


def page(organisation_id: int, *, action: str | None, after: str | None) -> AuditPage:
    """Two statements, however long the log: the page and the list of action codes."""
    query = sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if action:
        query = query.where(AuditEvent.action == action)
    events, next_key = _newest_first(query, after)
    return AuditPage(events, next_key, actions(organisation_id))


def platform_page(*, after: str | None) -> AuditPage:
    """The platform's own acts (rows without an organisation: organisations created, staff
    appointed by the platform admin, accounts suspended and let back in, platform admins
    made), newest first. One statement, through ``ix_audit_events_org_created``."""
    query = sa.select(AuditEvent).where(AuditEvent.organisation_id.is_(None))
    events, next_key = _newest_first(query, after)
    return AuditPage(events, next_key, [])


def last_suspension(user_id: int) -> AuditEvent | None:
    """The act that suspended the account last (its reason, time and actor), through
    ``ix_audit_events_target``."""
    return db.session.scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.target_type == "User",
            AuditEvent.target_id == user_id,
            AuditEvent.action == "user.suspend",
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


def actions(organisation_id: int) -> list[str]:
    """The action codes in the organisation's log, in order: one statement that steps from
    each code to the next through ``ix_audit_events_org_action`` (a skip scan: its cost
    grows with the number of different actions, not with the length of the log)."""
    return list(db.session.scalars(_actions_statement(), {"org": organisation_id}))


@functools.cache
def _actions_statement() -> sa.Select:
    org = sa.bindparam("org")
    first = sa.select(sa.func.min(AuditEvent.action).label("action")).where(
        AuditEvent.organisation_id == org
    )
    steps = first.cte("steps", recursive=True)
    following = (
        sa.select(sa.func.min(AuditEvent.action))
        .where(AuditEvent.organisation_id == org, AuditEvent.action > steps.c.action)
        .scalar_subquery()
    )
    steps = steps.union_all(sa.select(following).where(steps.c.action.is_not(None)))
    return sa.select(steps.c.action).where(steps.c.action.is_not(None)).order_by(steps.c.action)
