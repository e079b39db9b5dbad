"""Announcements: a new consultation of an organisation the person hears of (``NEW_TOPIC``,
recorded when an admin publishes it) and the opening of an upcoming consultation the person
asked to be reminded of (``OPENING``, recorded by ``flask eraati tick`` once it opened).

The recording functions flush, never commit: the view or the command commits and then
asks a worker to send (``sending.kick``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from eraati.accounts.models import User
from eraati.consultations.models import Follow, Phase, Topic, TopicStatus
from eraati.core.mail import mail_language
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.notifications import services
from eraati.notifications.kinds import builds, excerpt, topic_context
from eraati.notifications.models import Kind, Notification

# A topic that opened this long ago is no longer news: tick records no OPENING for it (a
# tick that did not run for a while, or a topic published after its opening time).
OPENING_WINDOW = timedelta(days=2)


def topic_key(topic_id: int) -> str:
    return f"t{topic_id}"


# --- recording --------------------------------------------------------------------------------


def topic_published(topic: Topic, *, now: datetime | None = None) -> int:
    """An admin published ``topic``: the people who hear of the new consultations of its
    organisation, or of an organisation it concerns ("Koskee: Pielavesi", a joint
    authority's matter of one member), are told (as they chose: at once, in the digest, or
    not), each once. The number of people recorded."""
    concerned = [o.id for o in topic.concerned_organisations]
    return services.record(
        Kind.NEW_TOPIC,
        topic_key(topic.id),
        services.subscribers(topic.organisation_id, *concerned),
        topic_id=topic.id,
        organisation_id=topic.organisation_id,
        now=now,
    )


def record_openings(*, now: datetime | None = None) -> dict[int, int]:
    """``flask eraati tick``: for each topic that opened within ``OPENING_WINDOW`` and is
    still open, the people who followed it before it opened ("remind me when it opens") are
    told; each once (the same key every run). Topic id -> the number of people recorded now."""
    now = now or utcnow()
    opened = db.session.execute(
        sa.select(Topic.id, Topic.organisation_id, Topic.opens_at)
        .where(
            Topic.status == TopicStatus.OPEN,
            Topic.opens_at <= now,
            Topic.opens_at > now - OPENING_WINDOW,
            Topic.closes_at > now,
        )
        .order_by(Topic.id)
    ).all()
    recorded = {}
    for topic_id, org_id, opens_at in opened:
        followers = sa.select(Follow.user_id).where(
            Follow.topic_id == topic_id,
            Follow.user_id.is_not(None),
            Follow.created_at < opens_at,
        )
        recorded[topic_id] = services.record(
            Kind.OPENING,
            topic_key(topic_id),
            followers,
            topic_id=topic_id,
            organisation_id=org_id,
            now=now,
        )
    return recorded


# --- what the messages say -------------------------------------------------------------------


def _topic(row: Notification, user: User, cache: dict, *phases: Phase) -> dict[str, Any] | None:
    """The topic's context, with its summary in the person's language, while the topic is
    in one of ``phases`` (a message about a consultation that already closed says nothing
    worth an e-mail)."""
    context = row.topic_id and topic_context(row.topic_id, user.locale, cache)
    if not context:
        return None
    topic = db.session.get(Topic, row.topic_id)
    if topic.phase(utcnow()) not in phases:
        return None
    lang = mail_language(user.locale)
    text = topic.text(lang)
    return {
        **context,
        # The language of the topic's words when the organisation wrote none in the
        # person's (the HTML part marks it, WCAG 3.1.2).
        "topic_lang": text.locale if text and text.locale != lang else None,
        "topic_summary": excerpt(text.summary) if text and text.summary else "",
        "link": context["topic_link"],
    }


@builds(Kind.NEW_TOPIC)
def _new_topic(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    context = _topic(row, user, cache, Phase.UPCOMING, Phase.OPEN)
    if not context:
        return None
    upcoming = context["opens_at"] > utcnow()
    topic = db.session.get(Topic, row.topic_id)
    lang = mail_language(user.locale)
    concerns = ", ".join(o.name(lang) for o in topic.concerned_organisations)
    return {
        **context,
        "upcoming": upcoming,
        "concerns": concerns,  # why a person who hears of another organisation is told
        "summary": _("%(org)s published a new consultation.", org=context["org_name"]),
    }


@builds(Kind.OPENING)
def _opening(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    context = _topic(row, user, cache, Phase.OPEN)
    if not context:
        return None
    return {**context, "summary": _("The consultation is now open.")}
