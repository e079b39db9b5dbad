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
    if comment.part_id is not None:  # on a part of the topic: on the part's page
        from eraati.parts.queries import position_of  # parts builds on notifications

        return public_url(
            "parts.part",
            org_slug=topic.organisation.slug,
            topic_slug=topic.slug,
            position=position_of(comment.part_id),
            anchor=f"c{comment.id}",
            lang=lang,
        )
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


def _answer(row: Notification, user: User, cache: dict) -> tuple | None:
    """(the reply, the comment it answers, the topic's context, the mail's language) of a
    reply notification; None when the reply is no longer shown."""
    reply = visible_comment(row.comment_id)
    topic = reply and topic_context(reply.topic_id, user.locale, cache)
    if not topic:
        return None
    parent = db.session.get(Comment, reply.parent_id) if reply.parent_id else None
    return reply, parent, topic, mail_language(user.locale)


@builds(Kind.REPLY)
def _reply(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.comment_id``: the reply; the person wrote the comment it answers."""
    found = _answer(row, user, cache)
    if found is None:
        return None
    reply, parent, topic, lang = found
    replier = writer(reply, lang)
    return {
        **topic,
        "summary": _("%(replier)s replied to your comment.", replier=replier),
        "replier": replier,
        "reply": excerpt(reply.body),
        "comment": excerpt(parent.body, 160) if parent else "",
        "link": comment_link(reply, lang),
    }


# --- the organisation's official reply, a comment published after review, results -----------

OFFICIAL_EXCERPT = 1000  # the organisation's answer is the point of the message
RESULTS_EXCERPT = 1500


@builds(Kind.OFFICIAL_REPLY)
def _official_reply(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.comment_id``: the organisation's reply; the person wrote the comment it answers."""
    found = _answer(row, user, cache)
    if found is None:
        return None
    reply, parent, topic, lang = found
    return {
        **topic,
        "summary": _("%(org)s replied officially to your comment.", org=topic["org_name"]),
        "reply": excerpt(reply.body, OFFICIAL_EXCERPT),
        "comment": excerpt(parent.body, 160) if parent else "",
        "link": comment_link(reply, lang),
    }


@builds(Kind.PUBLISHED)
def _published(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.comment_id``: the person's comment, published by a moderator after review."""
    comment = visible_comment(row.comment_id)
    topic = comment and topic_context(comment.topic_id, user.locale, cache)
    if not topic:
        return None
    return {
        **topic,
        "summary": _("Your comment was published after a moderator checked it."),
        "comment": excerpt(comment.body),
        "link": comment_link(comment, mail_language(user.locale)),
    }


@builds(Kind.RESULTS)
def _results(row: Notification, user: User, cache: dict) -> dict[str, Any] | None:
    """``row.topic_id``: a topic the person follows, whose results were published."""
    from eraati.manage.display import topic_results

    lang = mail_language(user.locale)
    key = ("results", row.topic_id, lang)
    if key not in cache:
        topic = db.session.get(Topic, row.topic_id) if row.topic_id else None
        context = topic_context(topic.id, user.locale, cache) if topic else None
        if topic is None or topic.results_published_at is None or not context:
            cache[key] = None
        else:
            org = topic.organisation
            cache[key] = {
                **context,
                "summary": _("The results were published."),
                "decided_on": topic.decided_on,
                "outcome": excerpt_lines(topic_results(topic, lang).outcome.text, RESULTS_EXCERPT),
                "link": public_url(
                    "consultations.topic",
                    org_slug=org.slug,
                    topic_slug=topic.slug,
                    anchor="results",
                    lang=lang,
                ),
            }
    return cache[key]


def excerpt_lines(text: str, limit: int) -> str:
    """``text`` cut at ``limit`` characters, its paragraphs kept."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# The builders of the other kinds, each in the module that records them.
from eraati.notifications import announcements, reminders, staff_queue  # noqa: E402, F401
