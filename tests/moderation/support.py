"""Helpers for the moderation tests: comments in any state, counters, audit rows, pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations.counters import mismatches
from eraati.consultations.models import Comment, CommentSource, CommentStatus, Topic
from eraati.core.time import utcnow
from eraati.extensions import db


def add_comment(
    topic: Topic,
    author=None,
    body: str = "Hyvä ehdotus.",
    *,
    status: CommentStatus = CommentStatus.VISIBLE,
    source: CommentSource = CommentSource.WEB,
    nickname: str | None = None,
    parent: Comment | None = None,
    created_at: datetime | None = None,
    age: timedelta = timedelta(hours=1),
    **kw,
) -> Comment:
    """A comment as the services would have left it, with the topic's counters kept."""
    if author is None and nickname is None and source == CommentSource.WEB:
        nickname = "Nimetön"
    comment = Comment(
        topic_id=topic.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_id=author.id if author else None,
        nickname=nickname,
        body=body,
        status=status,
        source=source,
        created_at=created_at or utcnow() - age,
        **kw,
    )
    db.session.add(comment)
    if status == CommentStatus.VISIBLE:
        topic.comment_count += 1
    elif status == CommentStatus.HIDDEN:
        topic.hidden_count += 1
    db.session.flush()
    return comment


def fresh(obj):
    """The row as the database has it now."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def counters(topic: Topic) -> tuple[int, int]:
    """(visible, hidden) as stored on the topic."""
    topic = fresh(topic)
    return topic.comment_count, topic.hidden_count


def assert_counters_exact() -> None:
    db.session.expire_all()
    assert mismatches() == []


def audit_rows(action: str | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def text(response) -> str:
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def flashes(html: str) -> str:
    match = re.search(r'<div class="flashes".*?</div>', html, re.S)
    return match.group(0) if match else ""
