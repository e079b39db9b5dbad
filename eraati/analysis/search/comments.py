"""A topic's comments that have the searcher's words, newest first, a page at a time.

One statement per page whatever the topic's size: the page is the next ``per_page`` + 1
matches after a key (created_at, id) of the last one shown (keyset pagination, as the
topic page's own). No total is counted: counting every match of a common word costs
every match, the page only what it shows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eraati.accounts.models import User
from eraati.analysis.search.index import query_terms
from eraati.analysis.search.queries import comment_matches
from eraati.analysis.text import LANGUAGES, lemma
from eraati.consultations.models import Comment, CommentStatus
from eraati.extensions import db

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A word, as eraati.analysis.text reads one (there after Unicode NFC and case folding).
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")


@dataclass(slots=True)
class Found:
    """One matching comment as a results list shows it."""

    id: int
    root_id: int | None
    author_name: str | None
    nickname: str | None
    body: str
    language: str | None
    created_at: datetime
    root_created_at: datetime  # where its thread starts, for a link to the thread
    # The number of the part it is on (eraati.parts; its thread is on the part's page).
    part_position: int | None = None

    @property
    def thread_key(self) -> str:
        """The topic page's ``after`` key (newest first) that puts its thread first."""
        micros = (self.root_created_at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}_{(self.root_id or self.id) + 1}"


@dataclass
class FoundPage:
    items: list[Found]
    has_next: bool
    key: str | None  # this page's start ("after" key), None for the first page

    @property
    def next_key(self) -> str | None:
        if not (self.has_next and self.items):
            return None
        return key_of(self.items[-1])


def key_of(found: Any) -> str:
    micros = (found.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{found.id}"


def parse_key(token: str | None) -> tuple[datetime, int] | None:
    """The (created_at, id) of a key made by ``key_of``; None for anything else."""
    if not token or len(token) > 40:
        return None
    parts = token.split("_")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    micros, cid = (int(p) for p in parts)
    if micros >= 2**62 or cid >= 2**62:
        return None
    try:
        return _EPOCH + timedelta(microseconds=micros), cid
    except OverflowError:
        return None


# A topic's parts (eraati.parts), by name: only their numbers are read here.
_PARTS = sa.table("topic_parts", sa.column("id"), sa.column("position"))


@functools.cache
def _columns() -> tuple:
    root = aliased(Comment, name="thread_root")
    return (
        (
            Comment.id,
            Comment.root_id,
            User.display_name,
            Comment.nickname,
            Comment.body,
            Comment.language,
            Comment.created_at,
            sa.func.coalesce(root.created_at, Comment.created_at),
            sa.select(_PARTS.c.position).where(_PARTS.c.id == Comment.part_id).scalar_subquery(),
        ),
        root,
    )


def newest_matches(
    where: list[sa.ColumnElement[bool]],
    q: str,
    *,
    after: str | None = None,
    per_page: int = 20,
) -> FoundPage:
    """Comments meeting ``where`` that have every word of ``q``, newest first, after the
    key ``after``; one statement."""
    columns, root = _columns()
    key = parse_key(after)
    stmt = (
        sa.select(*columns)
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(root, root.id == Comment.root_id)
        .where(*where, comment_matches(q))
    )
    if key is not None:
        stmt = stmt.where(sa.tuple_(Comment.created_at, Comment.id) < sa.tuple_(*key))
    stmt = stmt.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(per_page + 1)
    rows = db.session.execute(stmt).all()
    items = [Found(*row) for row in rows[:per_page]]
    return FoundPage(items, has_next=len(rows) > per_page, key=after if key else None)


def visible_in_topic(topic_id: int) -> list[sa.ColumnElement[bool]]:
    """What residents may find: the topic's visible comments (never hidden, waiting or
    deleted ones, whose text the thread does not show either)."""
    return [Comment.topic_id == topic_id, Comment.status == CommentStatus.VISIBLE]


# --- marking the matched words -----------------------------------------------------------


def marked_parts(text: str, q: str, language: str | None) -> list[tuple[str, bool]]:
    """``text`` as (piece, matched) pairs, the matched pieces being words of ``q`` in any
    form; the template marks them (``<mark>``) and escapes every piece."""
    forms = set().union(*query_terms(q)) if q else set()
    if not forms:
        return [(text, False)]
    lang = language if language in LANGUAGES else "fi"
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _WORD.finditer(text):
        word = match.group().casefold()
        if word in forms or lemma(word, lang) in forms:
            if match.start() > last:
                parts.append((text[last : match.start()], False))
            parts.append((match.group(), True))
            last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts
