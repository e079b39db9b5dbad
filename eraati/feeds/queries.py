"""The topics each feed and the consultation card show: a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from eraati.audit.models import AuditEvent
from eraati.consultations.models import Topic, TopicStatus
from eraati.consultations.queries import concerns
from eraati.extensions import db
from eraati.organisations.models import Organisation

FEED_ENTRIES = 50  # a feed reader keeps what it has read; the newest are enough
CARD_TOPICS = 20


@dataclass(frozen=True)
class Announced:
    topic: Topic
    announced_at: datetime  # when the organisation published it (the audit log's record)


def _options() -> tuple:
    return (
        joinedload(Topic.organisation),
        selectinload(Topic.translations),
        lazyload(Topic.concerned_organisations),
        lazyload(Topic.questions),
    )


def _announced_at() -> sa.ColumnElement[datetime]:
    """When the topic was published (``topic.open`` in the audit log); topics put in
    without the log (demo data, imports) count from their creation."""
    logged = (
        sa.select(sa.func.max(AuditEvent.created_at))
        .where(
            AuditEvent.target_type == "Topic",
            AuditEvent.target_id == Topic.id,
            AuditEvent.action == "topic.open",
        )
        .correlate(Topic)
        .scalar_subquery()
    )
    return sa.func.coalesce(logged, Topic.created_at)


def announced(organisation: Organisation | None, now: datetime) -> list[Announced]:
    """Open and coming topics (never drafts, nothing closed), the latest published first."""
    announced_at = _announced_at().label("announced_at")
    stmt = (
        sa.select(Topic, announced_at)
        .where(Topic.status == TopicStatus.OPEN, Topic.closes_at > now)
        .order_by(announced_at.desc(), Topic.id.desc())
        .limit(FEED_ENTRIES)
        .options(*_options())
    )
    if organisation is not None:
        stmt = stmt.where(concerns(organisation))
    return [Announced(topic, at) for topic, at in db.session.execute(stmt)]


def results(organisation: Organisation | None) -> list[Topic]:
    """Topics whose results are published, the latest first."""
    stmt = (
        sa.select(Topic)
        .where(Topic.status == TopicStatus.PUBLISHED, Topic.results_published_at.is_not(None))
        .order_by(Topic.results_published_at.desc(), Topic.id.desc())
        .limit(FEED_ENTRIES)
        .options(*_options())
    )
    if organisation is not None:
        stmt = stmt.where(concerns(organisation))
    return list(db.session.scalars(stmt))


def card_topics(organisation: Organisation, now: datetime) -> tuple[list[Topic], list[Topic]]:
    """The organisation's open topics (closing soonest first) and coming ones (opening
    soonest first), at most ``CARD_TOPICS`` each, for its consultation card: four queries."""

    def topics(phase: sa.ColumnElement[bool], *order) -> list[Topic]:
        stmt = (
            sa.select(Topic)
            .where(concerns(organisation), Topic.status == TopicStatus.OPEN, phase)
            .order_by(*order, Topic.id.asc())
            .limit(CARD_TOPICS)
            .options(*_options())
        )
        return list(db.session.scalars(stmt))

    open_now = sa.and_(Topic.opens_at <= now, Topic.closes_at > now)
    return (
        topics(open_now, Topic.closes_at.asc()),
        topics(Topic.opens_at > now, Topic.opens_at.asc()),
    )
