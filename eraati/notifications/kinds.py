"""What each kind of notification says: ``build(row, user, cache)`` gives the context of
its templates (``templates/notifications/email/<kind>.txt`` and ``.html``), or None when
there is nothing left to tell (the comment was removed since). ``cache`` lives for one
batch: what many rows share (a topic's title in a language) is looked up once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from eraati.accounts.models import User
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.core.links import public_url
from eraati.core.mail import mail_language
from eraati.extensions import db
from eraati.notifications.models import Kind, Notification

EXCERPT = 300

Builder = Callable[[Notification, User, dict], dict[str, Any] | None]
BUILDERS: dict[Kind, Builder] = {}


def builds(kind: Kind):
    def register(fn: Builder) -> Builder:
        BUILDERS[kind] = fn
        return fn

    return register


def build(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    builder = BUILDERS.get(row.kind)
    return builder(row, user, cache) if builder else None


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def topic_context(topic_id: int, locale: str | None, cache: dict) -> dict[str, Any] | None:
    """The topic's title, organisation and address in ``locale`` (once per batch)."""
    lang = mail_language(locale)
    key = ("topic", topic_id, lang)
    if key not in cache:
        topic = db.session.get(Topic, topic_id)
        if topic is None:
            cache[key] = None
        else:
            text = topic.text(lang)
            org = topic.organisation
            cache[key] = {
                "topic_title": text.title if text else topic.slug,
                "org_name": org.name(lang),
                "topic_link": public_url(
                    "consultations.topic", org_slug=org.slug, topic_slug=topic.slug, lang=lang
                ),
                "closes_at": topic.closes_at,
                "opens_at": topic.opens_at,
            }
    return cache[key]


def comment_link(comment: Comment, lang: str) -> str:
    topic = comment.topic
    return public_url(
        "consultations.topic",
        org_slug=topic.organisation.slug,
        topic_slug=topic.slug,
        anchor=f"c{comment.id}",
        lang=lang,
    )


def visible_comment(comment_id: int | None) -> Comment | None:
    comment = db.session.get(Comment, comment_id) if comment_id else None
    return comment if comment is not None and comment.status == CommentStatus.VISIBLE else None


def writer(comment: Comment, lang: str) -> str:
    """The name the site shows for the comment's writer."""
    if comment.is_official:
        return comment.topic.organisation.name(lang)
    if comment.author is not None:
        return comment.author.display_name
    return comment.nickname or ""


@builds(Kind.REPLY)
def _reply(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.comment_id``: the reply; the person wrote the comment it answers."""
    reply = visible_comment(row.comment_id)
    topic = reply and topic_context(reply.topic_id, user.locale, cache)
    if not topic:
        return None
    parent = db.session.get(Comment, reply.parent_id) if reply.parent_id else None
    lang = mail_language(user.locale)
    replier = writer(reply, lang)
    return {
        **topic,
        "summary": _("%(replier)s replied to your comment.", replier=replier),
        "replier": replier,
        "reply": excerpt(reply.body),
        "comment": excerpt(parent.body, 160) if parent else "",
        "link": comment_link(reply, lang),
    }


# Builders of their own modules (registered on import).
from eraati.notifications import reminders as _reminders  # noqa: E402, F401
