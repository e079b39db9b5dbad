"""The daily note to an organisation's moderators of what waits in its moderation queue
(``STAFF_QUEUE``): comments waiting for a check and comments reported since a moderator last
looked, counted per topic.

``flask eraati tick`` records it (``record_queue_notes``) once a day per organisation and
person, from ``NOTIFY_QUEUE_NOTE_HOUR`` Helsinki time (a morning note, not a midnight one),
and only when something waits. Only the people who may moderate the organisation
(``permissions.moderators_of``) are recorded, so another organisation's staff never hear of
its queue. The counts are read when the message is built: a queue emptied in the meantime
sends nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from eraati.accounts.models import User
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.core.links import public_url
from eraati.core.mail import mail_language
from eraati.core.time import local, utcnow
from eraati.extensions import db
from eraati.moderation.queries import unreviewed_flags
from eraati.notifications import services
from eraati.notifications.kinds import builds
from eraati.notifications.models import Kind, Mode, Notification, NotificationPreference
from eraati.organisations.models import Membership, Organisation
from eraati.permissions import MODERATING, moderators_of


def note_key(organisation_id: int, now: datetime) -> str:
    return f"o{organisation_id}:{local(now).date().isoformat()}"


def _waiting() -> tuple[sa.ColumnElement, sa.ColumnElement]:
    return (
        sa.func.count().filter(Comment.status == CommentStatus.PENDING),
        sa.func.count().filter(unreviewed_flags()),
    )


def _asking_organisations(now: datetime) -> list[int]:
    """The organisations with a moderator who chose the note and whose note of today is not
    recorded yet (the default is off: with nobody asking, tick reads no comments)."""
    today = sa.select(Notification.organisation_id).where(
        Notification.kind == Kind.STAFF_QUEUE,
        Notification.organisation_id.is_not(None),
        Notification.key.like(f"o%:{local(now).date().isoformat()}"),
    )
    return list(
        db.session.scalars(
            sa.select(Membership.organisation_id)
            .join(NotificationPreference, NotificationPreference.user_id == Membership.user_id)
            .where(
                Membership.role.in_(MODERATING),
                NotificationPreference.kind == Kind.STAFF_QUEUE,
                NotificationPreference.mode != Mode.OFF,
                Membership.organisation_id.not_in(today),
            )
            .group_by(Membership.organisation_id)
            .order_by(Membership.organisation_id)
        )
    )


def record_queue_notes(*, now: datetime | None = None) -> dict[int, int]:
    """``flask eraati tick``: today's note for each organisation where something waits.
    Organisation id -> the number of people recorded now."""
    now = now or utcnow()
    if local(now).hour < current_app.config.get("NOTIFY_QUEUE_NOTE_HOUR", 7):
        return {}
    org_ids = _asking_organisations(now)
    if not org_ids:
        return {}
    pending, reported = _waiting()
    waiting = db.session.execute(
        sa.select(Topic.organisation_id)
        .join(Comment, Comment.topic_id == Topic.id)
        .where(Topic.organisation_id.in_(org_ids))
        .group_by(Topic.organisation_id)
        .having(sa.or_(pending > 0, reported > 0))
        .order_by(Topic.organisation_id)
    ).scalars()
    return {
        org_id: services.record(
            Kind.STAFF_QUEUE,
            note_key(org_id, now),
            moderators_of(org_id),
            organisation_id=org_id,
            now=now,
        )
        for org_id in list(waiting)
    }


def _counts(organisation_id: int, lang: str, cache: dict) -> list[dict[str, Any]]:
    """What waits, per topic (titles in ``lang``), once per batch."""
    key = ("queue", organisation_id, lang)
    if key not in cache:
        pending, reported = _waiting()
        counts = (
            sa.select(Comment.topic_id, pending.label("pending"), reported.label("reported"))
            .join(Topic, Topic.id == Comment.topic_id)
            .where(Topic.organisation_id == organisation_id)
            .group_by(Comment.topic_id)
            .having(sa.or_(pending > 0, reported > 0))
            .subquery()
        )
        rows = db.session.execute(
            sa.select(Topic, counts.c.pending, counts.c.reported)
            .join(counts, counts.c.topic_id == Topic.id)
            .order_by(Topic.id)
        ).all()
        cache[key] = [
            {
                "title": (text.title if (text := topic.text(lang)) else topic.slug),
                "pending": p,
                "reported": r,
                "link": public_url(
                    "moderation.queue", org_slug=topic.organisation.slug, topic=topic.id, lang=lang
                ),
            }
            for topic, p, r in rows
        ]
    return cache[key]


@builds(Kind.STAFF_QUEUE)
def _staff_queue(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    org = db.session.get(Organisation, row.organisation_id) if row.organisation_id else None
    if org is None or not db.session.scalar(
        moderators_of(org.id).where(Membership.user_id == user.id).limit(1)
    ):
        return None  # no longer one of its moderators
    lang = mail_language(user.locale)
    topics = _counts(org.id, lang, cache)
    if not topics:
        return None  # the queue was worked through meanwhile
    pending = sum(t["pending"] for t in topics)
    reported = sum(t["reported"] for t in topics)
    return {
        "org_name": org.name(lang),
        "topics": topics,
        "pending": pending,
        "reported": reported,
        "link": public_url("moderation.queue", org_slug=org.slug, lang=lang),
        "flagged_link": public_url("moderation.queue", org_slug=org.slug, tab="flagged", lang=lang),
    }
