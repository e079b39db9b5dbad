"""Notification kinds, each person's choices, organisation subscriptions and the rows
of messages to send (``Notification``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.db import enum_column
from eraati.core.time import utcnow
from eraati.extensions import db


class Kind(enum.StrEnum):
    REPLY = "reply"  # someone replied to my comment
    OFFICIAL_REPLY = "official_reply"  # the organisation replied to my comment
    PUBLISHED = "published"  # my comment that waited for review was published
    REMINDER = "reminder"  # a topic I follow closes soon
    OPENING = "opening"  # an upcoming topic I follow opened
    NEW_TOPIC = "new_topic"  # an organisation I subscribed to opened a consultation
    RESULTS = "results"  # the results of a topic I follow were published
    STAFF_QUEUE = "staff_queue"  # staff: a daily note of what waits in the queue


class Mode(enum.StrEnum):
    OFF = "off"
    INSTANT = "instant"  # at once
    DIGEST = "digest"  # in the weekly digest


@dataclass(frozen=True)
class KindRule:
    default: Mode
    digest: bool  # may be gathered into the weekly digest
    staff: bool = False  # only for staff of an organisation


# Defaults that respect people: what answers the person (replies) and what they asked for
# by following (results, and the opening of an upcoming topic they asked to be reminded
# of) is on; the rest is off until chosen.
RULES: dict[Kind, KindRule] = {
    Kind.REPLY: KindRule(Mode.INSTANT, digest=True),
    Kind.OFFICIAL_REPLY: KindRule(Mode.INSTANT, digest=True),
    Kind.PUBLISHED: KindRule(Mode.OFF, digest=True),
    Kind.REMINDER: KindRule(Mode.OFF, digest=False),
    Kind.OPENING: KindRule(Mode.INSTANT, digest=False),
    Kind.NEW_TOPIC: KindRule(Mode.OFF, digest=True),
    Kind.RESULTS: KindRule(Mode.INSTANT, digest=True),
    Kind.STAFF_QUEUE: KindRule(Mode.OFF, digest=False, staff=True),
}


class NotificationPreference(db.Model):
    """A person's choice for one kind; no row: the kind's default (``RULES``)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    mode: Mapped[Mode] = mapped_column(enum_column(Mode))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganisationSubscription(db.Model):
    """A person's own choice to hear (``subscribed``) or not to hear of the new consultations
    of an organisation (``NEW_TOPIC``), where it differs from their default: their home
    municipality and the joint authorities it is a member of. No row: the default (which
    follows the person when they move). ``services.subscriptions`` gives the result."""

    __tablename__ = "organisation_subscriptions"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # False: the person does not want to hear of an organisation of their default.
    subscribed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """One message to one person about one thing (``key``: "c123" a comment, "t45" a
    topic, "o6:2027-01-12" an organisation's day), unique, so an event that happens twice
    or two workers never tell a person twice.

    Sending (``sending``): a row is due at ``due_at`` (now, or the next weekly digest when
    ``digest``); a worker claims it (``claimed_at``, a lease) before the message and marks
    it ``sent_at`` after; a failure that may pass releases the claim, a lasting one
    (the address refused, or ``MAX_ATTEMPTS``) ends it with ``failed_at``. A claim whose
    worker stopped runs out after ``NOTIFY_LEASE_SECONDS`` and the row is taken again.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "key"),
        sa.Index("ix_notifications_due", "sent_at", "failed_at", "digest", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    key: Mapped[str] = mapped_column(sa.String(40))
    topic_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
