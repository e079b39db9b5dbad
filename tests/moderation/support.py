"""Helpers for the moderation tests: comments in any state, counters, audit rows, pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations.counters import mismatches
from eraati.consultations.models import Comment, Topic
from eraati.extensions import db
from tests.consultations.topic_support import make_comment


def add_comment(topic: Topic, *args, **kw) -> Comment:
    """``make_comment`` with both of the topic's counters kept (visible and hidden); an
    anonymous web comment is signed "Nimetön"."""
    return make_comment(topic, *args, anonymous_nickname="Nimetön", count_hidden=True, **kw)


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
