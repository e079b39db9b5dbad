"""Helpers for the editorial-work tests: addresses, form posts, audit rows."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations import counters
from eraati.consultations.models import Comment, Theme, Topic, comment_themes
from eraati.extensions import db


def staff_path(topic: Topic, suffix: str = "", *, org_slug: str | None = None) -> str:
    """``/staff/<org>/topics/<id><suffix>``; ``org_slug`` puts another organisation's
    address in front of the topic's id."""
    return f"/staff/{org_slug or topic.organisation.slug}/topics/{topic.id}{suffix}"


def comment_path(topic: Topic, comment: Comment, suffix: str, **kw) -> str:
    return staff_path(topic, f"/comments/{comment.id}/{suffix}", **kw)


def text(response) -> str:
    return response.get_data(as_text=True)


def audit(action: str | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def theme_ids_of(comment: Comment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(comment_themes.c.theme_id).where(comment_themes.c.comment_id == comment.id)
        )
    )


def make_theme(topic: Topic, fi: str, sv: str | None = None, position: int = 0) -> Theme:
    texts = {"fi": fi, **({"sv": sv} if sv else {})}
    theme = Theme(topic_id=topic.id, texts=texts, position=position)
    db.session.add(theme)
    db.session.flush()
    return theme


def tag(comment: Comment, *themes: Theme) -> None:
    db.session.execute(
        sa.insert(comment_themes), [{"comment_id": comment.id, "theme_id": t.id} for t in themes]
    )


def comments_of(topic: Topic) -> list[Comment]:
    return list(
        db.session.scalars(
            sa.select(Comment).where(Comment.topic_id == topic.id).order_by(Comment.id)
        )
    )


def comment_count(topic: Topic) -> int:
    return db.session.scalar(sa.select(Topic.comment_count).where(Topic.id == topic.id))


def no_counter_drift() -> bool:
    return counters.mismatches() == []


def flashes(page: str) -> str:
    match = re.search(r'<div class="flashes".*?</div>', page, re.S)
    return match.group(0) if match else ""


def field_error(page: str, field_id: str) -> str:
    """The error message shown next to a field (``<p class="error-message" id="x-error">``)."""
    match = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""
