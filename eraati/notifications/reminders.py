"""Reminders (``Kind.REMINDER``): the followers of a topic who chose them hear, once, that
it closes soon, ``Topic.reminder_days`` before ``closes_at`` (0: no reminder).

``record_due`` (``flask eraati tick``) records them for every open topic inside its
reminder window; the key names the topic and its deadline's day ("t45:2027-01-12"), so
a tick that runs again tells nobody twice, and a deadline moved to another day reminds
again. The builder tells nothing (the row ends unsent) when the topic has closed, or its
deadline moved, since the row was recorded; unfollowing drops an unsent reminder (``forget``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from eraati.accounts.models import User
from eraati.consultations.models import Follow, Question, Topic, TopicStatus
from eraati.core.i18n import format_moment
from eraati.core.time import HELSINKI, utcnow
from eraati.extensions import db
from eraati.notifications import services
from eraati.notifications.kinds import builds, topic_context
from eraati.notifications.models import Kind, Notification

REMINDER_DAYS_MAX = 30  # the topic form's limit: the window looked at by ``due_topics``


def key(topic: Topic) -> str:
    """One reminder per topic and deadline day (Helsinki time)."""
    return f"t{topic.id}:{topic.closes_at.astimezone(HELSINKI).date().isoformat()}"


def _open(topic: Topic, now: datetime) -> bool:
    return (
        topic.status == TopicStatus.OPEN
        and topic.results_published_at is None
        and topic.opens_at <= now < topic.closes_at
    )


def due_topics(now: datetime) -> list[Topic]:
    """Open topics whose reminder time has come: closes_at - reminder_days <= now."""
    candidates = db.session.scalars(
        sa.select(Topic)
        .where(
            Topic.status == TopicStatus.OPEN,
            Topic.reminder_days > 0,
            Topic.opens_at <= now,
            Topic.closes_at > now,
            Topic.closes_at <= now + timedelta(days=REMINDER_DAYS_MAX),
            Topic.results_published_at.is_(None),
        )
        .order_by(Topic.closes_at, Topic.id)
    )
    return [t for t in candidates if t.closes_at - timedelta(days=t.reminder_days) <= now]


def record_due(*, now: datetime | None = None) -> int:
    """Record the reminders that are due (flush, not commit); the number of rows added."""
    now = now or utcnow()
    added = 0
    for topic in due_topics(now):
        followers = sa.select(Follow.user_id).where(
            Follow.topic_id == topic.id, Follow.user_id.is_not(None)
        )
        added += services.record(Kind.REMINDER, key(topic), followers, topic_id=topic.id, now=now)
    return added


def forget(topic_id: int, user_id: int) -> None:
    """The person stopped following the topic: its reminder, if not yet sent, goes."""
    db.session.execute(
        sa.delete(Notification).where(
            Notification.user_id == user_id,
            Notification.topic_id == topic_id,
            Notification.kind == Kind.REMINDER,
            Notification.sent_at.is_(None),
            Notification.failed_at.is_(None),
        )
    )


def _state(topic_id: int, cache: dict) -> tuple[str, bool, bool] | None:
    """(the reminder key of the present deadline, stances asked, has a poll) of a topic
    still open; None when it is not (looked up once per batch)."""
    cache_key = ("reminder", topic_id)
    if cache_key not in cache:
        topic = db.session.get(Topic, topic_id)
        if topic is None or not _open(topic, utcnow()):
            cache[cache_key] = None
        else:
            poll = db.session.scalar(
                sa.select(sa.literal(True)).where(Question.topic_id == topic_id).limit(1)
            )
            cache[cache_key] = (key(topic), topic.stances_enabled, bool(poll))
    return cache[cache_key]


@builds(Kind.REMINDER)
def _reminder(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.topic_id``: a topic the person follows, closing soon."""
    state = row.topic_id and _state(row.topic_id, cache)
    if not state or state[0] != row.key:
        return None  # closed, or its deadline moved: a later tick reminds of the new one
    topic = topic_context(row.topic_id, user.locale, cache)
    if not topic:
        return None
    _key, stances, poll = state
    closes = format_moment(topic["closes_at"])
    can = [_("comment and reply to the comments of others"), _("vote on the comments")]
    if stances:
        can.append(_("say whether you support or oppose the proposal"))
    if poll:
        can.append(_("answer the poll"))
    return {
        **topic,
        "summary": _("Closes %(date)s.", date=closes),
        "closes": closes,
        "can": can,
        "link": topic["topic_link"],
    }
