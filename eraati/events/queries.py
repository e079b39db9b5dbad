"""Read side: a topic's events, an organisation's coming events, feedback per event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, selectinload

from eraati.consultations.models import Comment, CommentStatus, Topic, TopicStatus
from eraati.events.models import TopicEvent
from eraati.extensions import db

# The organisation's page lists at most this many coming events.
ORGANISATION_PAGE_MAX = 10


def _ends(now: datetime) -> sa.ColumnElement[bool]:
    """Not over yet: it ends (or, without an end, starts) now or later."""
    return sa.func.coalesce(TopicEvent.ends_at, TopicEvent.starts_at) >= now


def topic_events(topic_id: int) -> list[TopicEvent]:
    return list(
        db.session.scalars(
            sa.select(TopicEvent)
            .where(TopicEvent.topic_id == topic_id)
            .order_by(TopicEvent.starts_at, TopicEvent.id)
        )
    )


@dataclass(frozen=True)
class TopicEventLists:
    upcoming: list[TopicEvent]
    past: list[TopicEvent]

    def __bool__(self) -> bool:
        return bool(self.upcoming or self.past)


def split_events(events: list[TopicEvent], now: datetime) -> TopicEventLists:
    """Coming and ongoing events first (soonest first), then past ones (latest first)."""
    return TopicEventLists(
        upcoming=[e for e in events if not e.is_past(now)],
        past=[e for e in reversed(events) if e.is_past(now)],
    )


def event_of_topic_or_404(topic: Topic, event_id: int) -> TopicEvent:
    event = db.session.scalar(
        sa.select(TopicEvent).where(TopicEvent.id == event_id, TopicEvent.topic_id == topic.id)
    )
    if event is None:
        abort(404)
    return event


def _public_topics() -> sa.ColumnElement[bool]:
    return Topic.status != TopicStatus.DRAFT


def organisation_events(
    organisation_id: int, now: datetime, limit: int = ORGANISATION_PAGE_MAX
) -> list[TopicEvent]:
    """The organisation's coming events of its public topics, soonest first, each with its
    topic (and the topic's texts, in one more query)."""
    return list(
        db.session.scalars(
            sa.select(TopicEvent)
            .join(TopicEvent.topic)
            .where(Topic.organisation_id == organisation_id, _public_topics(), _ends(now))
            .options(contains_eager(TopicEvent.topic).selectinload(Topic.translations))
            .order_by(TopicEvent.starts_at, TopicEvent.id)
            .limit(limit)
        )
        .unique()
        .all()
    )


def calendar_topics(organisation_id: int, topic_id: int | None = None) -> list[Topic]:
    """Public topics of the organisation (or the one topic) for its calendar file."""
    stmt = sa.select(Topic).where(Topic.organisation_id == organisation_id, _public_topics())
    if topic_id is not None:
        stmt = stmt.where(Topic.id == topic_id)
    return list(
        db.session.scalars(
            stmt.options(selectinload(Topic.translations)).order_by(Topic.opens_at, Topic.id)
        )
    )


def events_of_topics(topic_ids: list[int]) -> list[TopicEvent]:
    if not topic_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(TopicEvent)
            .where(TopicEvent.topic_id.in_(topic_ids))
            .order_by(TopicEvent.starts_at, TopicEvent.id)
        )
    )


def feedback_per_event(topic_id: int) -> dict[int, int]:
    """Event id -> how many comments entered from it are counted (not hidden or deleted)."""
    rows = db.session.execute(
        sa.select(Comment.event_id, sa.func.count())
        .where(
            Comment.topic_id == topic_id,
            Comment.event_id.is_not(None),
            Comment.status == CommentStatus.VISIBLE,
        )
        .group_by(Comment.event_id)
    )
    return {event_id: count for event_id, count in rows}


def events_with_feedback(topic_id: int) -> list[tuple[TopicEvent, int]]:
    """The topic's events, each with how many counted comments were entered from it (one
    query, for the report)."""
    counted = (
        sa.select(sa.func.count())
        .where(Comment.event_id == TopicEvent.id, Comment.status == CommentStatus.VISIBLE)
        .correlate(TopicEvent)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(TopicEvent, counted)
        .where(TopicEvent.topic_id == topic_id)
        .order_by(TopicEvent.starts_at, TopicEvent.id)
    )
    return [(event, count) for event, count in rows]
