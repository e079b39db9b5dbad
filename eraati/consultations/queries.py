"""Read side of the resident pages: topic lists, the topic, its comment threads.

Every loader here costs a fixed number of SQL queries, however many rows it returns.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload, selectinload

from eraati.accounts.models import User
from eraati.consultations.models import (
    Comment,
    CommentStatus,
    Question,
    Topic,
    TopicStatus,
    TopicTranslation,
    topic_concerned_organisations,
)
from eraati.extensions import db
from eraati.organisations.models import Organisation


class StatusFilter(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"
    ALL = "all"  # every public topic


class TopicSort(enum.StrEnum):
    LATEST_DEADLINE = "deadline"  # closes_at, latest first
    CLOSING_SOON = "closing"  # closes_at, soonest first


class CommentSort(enum.StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    AGREED = "agreed"  # most agreed first, then newest


@dataclass(frozen=True)
class TopicFilters:
    organisation: Organisation | None = None
    status: StatusFilter = StatusFilter.OPEN
    q: str = ""
    sort: TopicSort = TopicSort.LATEST_DEADLINE


# --- topics ----------------------------------------------------------------------------------


def _status_clause(status: StatusFilter, now: datetime) -> sa.ColumnElement[bool]:
    """The same phases as ``Topic.phase(now)``, in SQL. Drafts and upcoming topics never match."""
    is_open = sa.and_(
        Topic.status == TopicStatus.OPEN, Topic.opens_at <= now, Topic.closes_at > now
    )
    is_closed = sa.or_(
        Topic.status == TopicStatus.CLOSED,
        sa.and_(Topic.status == TopicStatus.OPEN, Topic.closes_at <= now),
    )
    is_published = Topic.status == TopicStatus.PUBLISHED
    return {
        StatusFilter.OPEN: is_open,
        StatusFilter.CLOSED: is_closed,
        StatusFilter.PUBLISHED: is_published,
        StatusFilter.ALL: sa.or_(is_open, is_closed, is_published),
    }[status]


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def _folded(column: Any) -> sa.ColumnElement[str]:
    """Case-folded text for ``LIKE``. SQLite's own ``lower()`` knows only ASCII (not Ä, Ö, Å),
    so SQLite gets Python's ``str.casefold`` as a function; PostgreSQL's ``lower()`` is
    Unicode-aware."""
    if db.session.get_bind().dialect.name == "sqlite":
        dbapi = db.session.connection().connection.dbapi_connection
        dbapi.create_function("eraati_casefold", 1, _casefold, deterministic=True)
        return sa.func.eraati_casefold(column)
    return sa.func.lower(column)


def _fold_query(q: str) -> str:
    if db.session.get_bind().dialect.name == "sqlite":
        return q.casefold()
    return q.lower()


def _text_match(q: str) -> sa.ColumnElement[bool]:
    needle = _fold_query(q)
    matching = sa.select(TopicTranslation.topic_id).where(
        sa.or_(
            _folded(TopicTranslation.title).contains(needle, autoescape=True),
            _folded(TopicTranslation.summary).contains(needle, autoescape=True),
        )
    )
    return Topic.id.in_(matching)


def _concerns(organisation: Organisation) -> sa.ColumnElement[bool]:
    """Topics the organisation owns, or that concern it (a joint authority's topic)."""
    concerned = sa.select(topic_concerned_organisations.c.topic_id).where(
        topic_concerned_organisations.c.organisation_id == organisation.id
    )
    return sa.or_(Topic.organisation_id == organisation.id, Topic.id.in_(concerned))


def front_page(filters: TopicFilters, page: int, now: datetime) -> Pagination:
    """Public topics of every organisation, filtered; three queries whatever the page size."""
    stmt = sa.select(Topic).where(_status_clause(filters.status, now))
    if filters.organisation is not None:
        stmt = stmt.where(_concerns(filters.organisation))
    if filters.q:
        stmt = stmt.where(_text_match(filters.q))
    if filters.sort == TopicSort.CLOSING_SOON:
        stmt = stmt.order_by(Topic.closes_at.asc(), Topic.id.asc())
    else:
        stmt = stmt.order_by(Topic.closes_at.desc(), Topic.id.desc())
    stmt = stmt.options(
        joinedload(Topic.organisation),
        selectinload(Topic.translations),
        selectinload(Topic.concerned_organisations),
        lazyload(Topic.questions),  # cards show no polls
    )
    return db.paginate(
        stmt,
        page=page,
        per_page=current_app.config["TOPICS_PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name_fi)))


def organisation_or_404(slug: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        abort(404)
    return org


def topic_or_404(org_slug: str, topic_slug: str, *, poll: bool = True) -> Topic:
    """The topic at ``/<org_slug>/<topic_slug>``; permission checks are the caller's.

    ``poll=False`` leaves the poll's questions to be loaded if and when they are used
    (a vote or a stance needs none: a query fewer)."""
    # One query for the topic with its texts and concerned organisations (a handful of
    # rows each); the poll's questions and options follow in two.
    topic = (
        db.session.execute(
            sa.select(Topic)
            .join(Topic.organisation)
            .where(Organisation.slug == org_slug, Topic.slug == topic_slug)
            .options(
                joinedload(Topic.organisation),
                joinedload(Topic.translations),
                joinedload(Topic.concerned_organisations),
                # Images and attachments (metadata: the bytes are a deferred column).
                joinedload(Topic.files) if poll else lazyload(Topic.files),
                # The poll's questions with their options in one more query, or later.
                selectinload(Topic.questions).joinedload(Question.options)
                if poll
                else lazyload(Topic.questions),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if topic is None:
        abort(404)
    return topic


# --- comments --------------------------------------------------------------------------------


def comment_in_topic(topic: Topic, comment_id: int) -> Comment | None:
    return db.session.scalar(
        sa.select(Comment)
        .where(Comment.id == comment_id, Comment.topic_id == topic.id)
        .options(_with_author())
    )


def comment_or_404(topic: Topic, comment_id: int) -> Comment:
    """A comment of this topic; one of another topic is "not found" here."""
    comment = comment_in_topic(topic, comment_id)
    if comment is None:
        abort(404)
    return comment


def _with_author():
    # The author's name only: no staff roles, no home organisation.
    return (
        joinedload(Comment.author)
        .load_only(User.id, User.display_name)
        .options(lazyload(User.memberships), lazyload(User.home_organisation))
    )


def _shown_to(viewer: Any) -> sa.ColumnElement[bool]:
    """Everything but pending comments, and the viewer's own pending ones. A comment hidden
    by reports (``auto_hidden_at``) keeps its place, without its text, so that its replies
    stay in the thread."""
    shown = [Comment.status != CommentStatus.PENDING, Comment.auto_hidden_at.is_not(None)]
    if viewer is not None and viewer.is_authenticated:
        shown.append(Comment.author_id == viewer.id)
    return sa.or_(*shown)


# Each order is a key of columns, all descending or all ascending, ending with the id so
# that it is unique: pages continue from the key of the last comment shown (keyset
# pagination), so a deep page costs what the first one does.
_SORT_KEYS: dict[CommentSort, tuple[tuple[Any, ...], bool]] = {
    CommentSort.NEWEST: ((Comment.created_at, Comment.id), True),
    CommentSort.OLDEST: ((Comment.created_at, Comment.id), False),
    CommentSort.AGREED: ((Comment.agree_count, Comment.created_at, Comment.id), True),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _key_of(comment: Comment, sort: CommentSort) -> str:
    """The comment's place in this order, as a short address-safe string."""
    micros = (comment.created_at - _EPOCH) // timedelta(microseconds=1)
    parts = [micros, comment.id]
    if sort == CommentSort.AGREED:
        parts.insert(0, comment.agree_count)
    return "_".join(str(p) for p in parts)


def _parse_key(token: str | None, sort: CommentSort) -> tuple[Any, ...] | None:
    """The column values of a key made by ``_key_of``; None for anything else."""
    columns, _descending = _SORT_KEYS[sort]
    if not token or len(token) > 80:
        return None
    try:
        numbers = [int(p) for p in token.split("_")]
    except ValueError:
        return None
    if len(numbers) != len(columns) or any(not 0 <= n < 2**62 for n in numbers):
        return None
    try:
        numbers[-2] = _EPOCH + timedelta(microseconds=numbers[-2])
    except OverflowError:
        return None
    return tuple(numbers)


def place_args(args: Any) -> dict[str, str]:
    """The order and page of a topic page's address (``sort``, ``after``/``before``) when
    they look right, for sending people back to where they were; the rest is dropped."""
    place = {}
    for position in ("after", "before"):
        value = args.get(position, "")
        if value and len(value) <= 80 and all(ch.isdigit() or ch == "_" for ch in value):
            place[position] = value
            break
    if args.get("sort") in {CommentSort.OLDEST.value, CommentSort.AGREED.value}:
        place["sort"] = args["sort"]
    return place


@dataclass
class CommentThreads:
    """One page of top-level comments and all their replies, ready to show as trees."""

    roots: list[Comment]
    sort: CommentSort
    has_prev: bool = False
    has_next: bool = False
    here: dict[str, str] = field(default_factory=dict)  # address of this page: after/before
    replies: dict[int, list[Comment]] = field(default_factory=dict)  # parent id -> oldest first

    @property
    def prev_args(self) -> dict[str, str]:
        return {"before": _key_of(self.roots[0], self.sort)} if self.roots else {}

    @property
    def next_args(self) -> dict[str, str]:
        return {"after": _key_of(self.roots[-1], self.sort)} if self.roots else {}

    def shown(self) -> list[Comment]:
        """Every comment on the page, depth first (a reply whose parent is not shown is not)."""
        out: list[Comment] = []
        stack = list(reversed(self.roots))
        while stack:
            comment = stack.pop()
            out.append(comment)
            stack.extend(reversed(self.replies.get(comment.id, [])))
        return out

    @property
    def comment_ids(self) -> list[int]:
        return [c.id for c in self.shown()]


def comment_page(
    topic: Topic,
    viewer: Any,
    sort: CommentSort,
    *,
    after: str | None = None,
    before: str | None = None,
) -> CommentThreads:
    """A page of top-level comments in ``sort`` order, continuing after (or ending before)
    a key from ``CommentThreads.next_args``/``prev_args``, and in one more query every
    reply under them. Two queries, whatever the page; a key that makes no sense gives the
    first page."""
    shown = _shown_to(viewer)
    columns, descending = _SORT_KEYS[sort]
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    after_key, before_key = _parse_key(after, sort), _parse_key(before, sort)
    backwards = before_key is not None and after_key is None
    key = before_key if backwards else after_key
    # Walking backwards is walking the other way and turning the page round afterwards.
    forward_desc = descending != backwards
    stmt = sa.select(Comment).where(
        Comment.topic_id == topic.id, Comment.parent_id.is_(None), shown
    )
    if key is not None:
        row = sa.tuple_(*columns)
        bound = sa.tuple_(
            *(sa.bindparam(None, v, type_=c.type) for c, v in zip(columns, key, strict=True))
        )
        stmt = stmt.where(row < bound if forward_desc else row > bound)
    order = [c.desc() if forward_desc else c.asc() for c in columns]
    rows = list(
        db.session.scalars(stmt.order_by(*order).limit(per_page + 1).options(_with_author()))
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        threads = CommentThreads(rows, sort, has_prev=more, has_next=True, here={"before": before})
    else:
        here = {"after": after} if key is not None else {}
        threads = CommentThreads(rows, sort, has_prev=key is not None, has_next=more, here=here)
    root_ids = [c.id for c in rows]
    # Also for an empty page: the same number of queries whatever the topic's size.
    replies = db.session.scalars(
        sa.select(Comment)
        .where(Comment.root_id.in_(root_ids), shown)
        .order_by(Comment.created_at.asc(), Comment.id.asc())
        .options(_with_author())
    )
    by_parent: dict[int, list[Comment]] = defaultdict(list)
    for reply in replies:
        by_parent[reply.parent_id].append(reply)
    threads.replies = dict(by_parent)
    return threads
