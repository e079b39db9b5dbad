"""Publish, close (by hand or by ``flask eraati tick``), preview links and results."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa

from eraati.audit.services import SYSTEM
from eraati.consultations.models import Phase, Topic, TopicStatus
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage.services.common import ResultsData, TopicStateError, next_revision, record_topic


def missing_languages(topic: Topic) -> list[str]:
    """The organisation's languages that the topic has no text in."""
    have = {t.locale for t in topic.translations}
    return [code for code in topic.organisation.language_list if code not in have]


def publish_topic(topic: Topic, *, now: datetime | None = None) -> None:
    """Draft -> open: visible from ``opens_at``, taking part until ``closes_at``."""
    now = now or utcnow()
    if topic.status != TopicStatus.DRAFT:
        raise TopicStateError("not_draft")
    if topic.closes_at <= now:
        raise TopicStateError("closes_in_past")
    next_revision(topic)
    topic.status = TopicStatus.OPEN
    db.session.flush()
    record_topic("topic.open", topic, {"opens_at": topic.opens_at.isoformat()}, now=now)


def close_topic(topic: Topic, *, now: datetime | None = None) -> None:
    """Open (or not yet open) -> closed now, before the deadline. The moment is kept
    (``closed_at``) beside the planned deadline, which stays as it was."""
    now = now or utcnow()
    if topic.status != TopicStatus.OPEN:
        raise TopicStateError("not_open")
    early = now < topic.closes_at
    next_revision(topic)
    topic.status = TopicStatus.CLOSED
    if early:
        topic.closed_at = now
    db.session.flush()
    record_topic(
        "topic.close",
        topic,
        {"early": early, "closed_at": now.isoformat(), "deadline": topic.closes_at.isoformat()},
        now=now,
    )


def close_due_topics(now: datetime | None = None) -> list[Topic]:
    """``flask eraati tick``: open topics past their deadline become closed (system act).
    Running it again finds nothing more to do."""
    now = now or utcnow()
    due = list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.status == TopicStatus.OPEN, Topic.closes_at <= now)
            .order_by(Topic.closes_at, Topic.id)
            .with_for_update(of=Topic)
        )
    )
    for topic in due:
        next_revision(topic)
        topic.status = TopicStatus.CLOSED
        record_topic(
            "topic.close", topic, {"deadline": topic.closes_at.isoformat()}, actor=SYSTEM, now=now
        )
    db.session.flush()
    return due


# --- preview links ---------------------------------------------------------------------------


def renew_preview(topic: Topic, *, now: datetime | None = None) -> str:
    """A new secret preview address; the old one stops working."""
    renewed = topic.preview_token is not None
    topic.preview_token = secrets.token_urlsafe(32)
    db.session.flush()
    record_topic("topic.preview", topic, {"change": "renewed" if renewed else "created"}, now=now)
    return topic.preview_token


def revoke_preview(topic: Topic, *, now: datetime | None = None) -> None:
    if topic.preview_token is None:
        return
    topic.preview_token = None
    db.session.flush()
    record_topic("topic.preview", topic, {"change": "revoked"}, now=now)


# --- results ---------------------------------------------------------------------------------


def results_publishable(topic: Topic, now: datetime) -> bool:
    return topic.phase(now) in (Phase.CLOSED, Phase.PUBLISHED)


def save_results(
    topic: Topic,
    data: ResultsData,
    expected_revision: int,
    *,
    publish: bool,
    now: datetime | None = None,
) -> bool:
    """Store the decision and, with ``publish``, show it (status PUBLISHED). True when this
    is the first publication: the view then tells the followers, once."""
    now = now or utcnow()
    if publish and not results_publishable(topic, now):
        raise TopicStateError("not_closed")
    next_revision(topic, expected_revision)
    topic.decided_on = data.decided_on
    topic.minutes_url = data.minutes_url or None
    for row in topic.translations:
        outcome, use = data.texts.get(row.locale, ("", ""))
        row.decision_outcome, row.feedback_use = clean_text(outcome), clean_text(use)
    first = False
    if publish:
        topic.status = TopicStatus.PUBLISHED
        if topic.results_published_at is None:
            topic.results_published_at = now
            first = True
    db.session.flush()
    record_topic(
        "topic.publish_results" if publish else "topic.results_edit",
        topic,
        {"first": first} if publish else {},
        now=now,
    )
    return first
