"""Read side of the resident pages: topic lists, the topic, its comment threads.

Every loader here costs a fixed number of SQL queries, however many rows it returns.
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased, contains_eager, joinedload, lazyload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import (
    AnonymisedParticipant,
    Comment,
    CommentSource,
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
    UPCOMING = "upcoming"  # published by the organisation, opens later
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
    """The same phases as ``Topic.phase(now)``, in SQL. Drafts never match."""
    is_upcoming = sa.and_(
        Topic.status == TopicStatus.OPEN, Topic.opens_at > now, Topic.closes_at > now
    )
    is_open = sa.and_(
        Topic.status == TopicStatus.OPEN, Topic.opens_at <= now, Topic.closes_at > now
    )
    is_closed = sa.or_(
        Topic.status == TopicStatus.CLOSED,
        sa.and_(Topic.status == TopicStatus.OPEN, Topic.closes_at <= now),
    )
    is_published = Topic.status == TopicStatus.PUBLISHED
    return {
        StatusFilter.UPCOMING: is_upcoming,
        StatusFilter.OPEN: is_open,
        StatusFilter.CLOSED: is_closed,
        StatusFilter.PUBLISHED: is_published,
        StatusFilter.ALL: Topic.status != TopicStatus.DRAFT,
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
    """Part of a word of the title or summary ("Iisal"), or every word of ``q`` in any of
    its inflected forms in the title, summary or body ("koulu" finds "koulujen")."""
    from eraati.analysis.search.queries import translation_matches  # analysis builds on this

    needle = _fold_query(q)
    matching = sa.select(TopicTranslation.topic_id).where(
        sa.or_(
            _folded(TopicTranslation.title).contains(needle, autoescape=True),
            _folded(TopicTranslation.summary).contains(needle, autoescape=True),
            translation_matches(q),
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


def concerns(organisation: Organisation) -> sa.ColumnElement[bool]:
    """Topics the organisation owns or that concern it: what its page lists."""
    return _concerns(organisation)


UPCOMING_SHOWN = 10


def upcoming(organisation: Organisation | None, now: datetime) -> list[Topic]:
    """Published topics that open later, the soonest first (of ``organisation``, or that
    concern it): two queries (topics with organisations, their texts) however many."""
    stmt = (
        sa.select(Topic)
        .where(_status_clause(StatusFilter.UPCOMING, now))
        .order_by(Topic.opens_at.asc(), Topic.id.asc())
        .limit(UPCOMING_SHOWN)
        .options(
            joinedload(Topic.organisation),
            selectinload(Topic.translations),
            lazyload(Topic.concerned_organisations),
            lazyload(Topic.questions),
        )
    )
    if organisation is not None:
        stmt = stmt.where(_concerns(organisation))
    return list(db.session.scalars(stmt))


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name_fi)))


def organisation_or_404(slug: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        abort(404)
    return org


@functools.cache
def _topic_statement(poll: bool, texts: bool) -> sa.Select:
    """The topic at ``org_slug``/``topic_slug`` with its organisation; with ``texts`` its
    texts and concerned organisations, with ``poll`` its files and whether it has a poll.
    Built once: only the bound values change from request to request."""
    has_poll = sa.exists().where(Question.topic_id == Topic.id).correlate(Topic)
    # Whether it is read part by part (eraati.parts, which builds on this module: its
    # table by name): the topic page asks no more of a topic without parts.
    parts = sa.table("topic_parts", sa.column("topic_id"))
    has_parts = sa.exists().where(parts.c.topic_id == Topic.id).correlate(Topic)
    return (
        sa.select(Topic, has_poll if poll else sa.false(), has_parts if poll else sa.null())
        .join(Topic.organisation)
        .where(
            Organisation.slug == sa.bindparam("org_slug"),
            Topic.slug == sa.bindparam("topic_slug"),
        )
        .options(
            joinedload(Topic.organisation),
            joinedload(Topic.translations) if texts else lazyload(Topic.translations),
            joinedload(Topic.concerned_organisations)
            if texts
            else lazyload(Topic.concerned_organisations),
            # Images and attachments (metadata: the bytes are a deferred column).
            joinedload(Topic.files) if poll else lazyload(Topic.files),
            lazyload(Topic.questions),  # loaded below, and only when there is a poll
            joinedload(Topic.map_area),  # eraati.places: one row at most
        )
    )


def topic_or_404(org_slug: str, topic_slug: str, *, poll: bool = True, texts: bool = True) -> Topic:
    """The topic at ``/<org_slug>/<topic_slug>``; permission checks are the caller's.

    ``poll=False`` leaves the poll's questions to be loaded if and when they are used
    (a vote or a stance needs none: a query fewer); ``texts=False`` likewise its texts and
    concerned organisations (a form that is posted and redirected shows neither)."""
    # One query for the topic with its texts and concerned organisations (a handful of
    # rows each) and whether it has a poll; the poll's questions and options follow in one
    # more query when it has one.
    row = (
        db.session.execute(
            _topic_statement(poll, texts), {"org_slug": org_slug, "topic_slug": topic_slug}
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        abort(404)
    topic, has_poll, has_parts = row
    topic.has_parts = has_parts
    # (A topic already in the session, with its questions, keeps them.)
    if poll and "questions" in sa.inspect(topic).unloaded:
        questions = (
            list(
                db.session.scalars(
                    sa.select(Question)
                    .where(Question.topic_id == topic.id)
                    .order_by(Question.position)
                    .options(joinedload(Question.options))
                ).unique()
            )
            if has_poll
            else []
        )
        set_committed_value(topic, "questions", questions)
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


@functools.cache
def _topic_comment_statement() -> sa.Select:
    # Only the columns a vote looks at (who may vote, is the topic open, is the comment
    # shown): the others load if and when something reads them.
    topic = contains_eager(Comment.topic)
    return (
        sa.select(Comment)
        .join(Comment.topic)
        .join(Topic.organisation)
        .where(
            Organisation.slug == sa.bindparam("org_slug"),
            Topic.slug == sa.bindparam("topic_slug"),
            Comment.id == sa.bindparam("comment_id"),
        )
        .options(
            load_only(Comment.topic_id, Comment.author_id, Comment.status),
            topic.load_only(
                Topic.organisation_id,
                Topic.slug,
                Topic.status,
                Topic.opens_at,
                Topic.closes_at,
                Topic.offers_rating,  # a vote from the "rate comments" page
            ),
            topic.contains_eager(Topic.organisation).load_only(Organisation.slug),
            topic.lazyload(Topic.translations),
            topic.lazyload(Topic.concerned_organisations),
            topic.lazyload(Topic.questions),
            topic.lazyload(Topic.files),
        )
    )


def topic_comment_or_404(org_slug: str, topic_slug: str, comment_id: int) -> tuple[Topic, Comment]:
    """The comment ``comment_id`` of the topic at ``/<org_slug>/<topic_slug>`` with that
    topic and its organisation, in one query (a vote needs no more); else 404. The topic's
    texts, files and poll load if and when they are used."""
    comment = db.session.scalar(
        _topic_comment_statement(),
        {"org_slug": org_slug, "topic_slug": topic_slug, "comment_id": comment_id},
    )
    if comment is None:
        abort(404)
    return comment.topic, comment


def _with_author():
    # The author's name only: no staff roles, no home organisation.
    return (
        joinedload(Comment.author)
        .load_only(User.id, User.display_name)
        .options(lazyload(User.memberships))
    )


def hiding_reasons(organisation_id: int) -> list:
    """The organisation's reasons for hiding, retired ones too (a topic page with a removed
    comment shows its reason in the reader's language: one query for the page)."""
    from eraati.moderation.models import ModerationReason  # moderation builds on this module

    return list(
        db.session.scalars(
            sa.select(ModerationReason).where(ModerationReason.organisation_id == organisation_id)
        )
    )


def hidden_unseen() -> sa.ColumnElement[bool]:
    """Hidden by the moderator while it waited for its first check (pre-moderation, an
    anonymous comment): nobody but its writer has seen it in the discussion, so the
    discussion does not show "removed by the moderator" for it either.

    Told apart by the moderation history, without a column of its own: the audit row of
    this hiding (written at ``hidden_at``) says the comment was waiting, and it was not
    waiting because reports had hidden it (``auto_hidden_at``; then it had been shown). A
    comment with replies has been shown (only a visible comment takes replies, e.g. one
    waiting again after an edit) and keeps its place for them."""
    hiding = sa.exists().where(
        # (target_type, target_id) names one comment of one organisation: its own index.
        AuditEvent.target_type == "Comment",
        AuditEvent.target_id == Comment.id,
        AuditEvent.action == "comment.hide",
        AuditEvent.created_at == Comment.hidden_at,
        AuditEvent.details["was"].as_string() == CommentStatus.PENDING.value,
    )
    reply = aliased(Comment)
    return sa.and_(
        Comment.status == CommentStatus.HIDDEN,
        Comment.auto_hidden_at.is_(None),
        hiding,
        ~sa.exists().where(reply.parent_id == Comment.id),
    )


def _shown_to(signed_in: bool) -> sa.ColumnElement[bool]:
    """Everything but pending comments and those hidden before anyone saw them, and the
    viewer's own such comments (their id is the bound parameter ``viewer_id``). A comment
    hidden by reports (``auto_hidden_at``) keeps its place, without its text, so that its
    replies stay in the thread."""
    shown = [
        sa.and_(Comment.status != CommentStatus.PENDING, ~hidden_unseen()),
        Comment.auto_hidden_at.is_not(None),
    ]
    if signed_in:
        shown.append(Comment.author_id == sa.bindparam("viewer_id"))
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


def _key_of(comment: ShownComment, sort: CommentSort) -> str:
    """The comment's place in this order, as a short address-safe string."""
    micros = (comment.created_at - _EPOCH) // timedelta(microseconds=1)
    parts = [micros, comment.id]
    if sort == CommentSort.AGREED:
        parts.insert(0, comment.agree_count)
    return "_".join(str(p) for p in parts)


def thread_place(root_created_at: datetime, root_id: int) -> dict[str, str]:
    """The topic page's address arguments (newest first) whose page begins with the thread
    of the top-level comment ``root_id``: the key just before it, so that no query is
    needed to find which page it is on (the "rate comments" page links there)."""
    micros = (root_created_at - _EPOCH) // timedelta(microseconds=1)
    return {"after": f"{micros}_{root_id + 1}"}


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


@dataclass(slots=True)
class ShownComment:
    """A comment as the topic page shows it: the columns it needs, read as plain rows.

    A page shows up to a few hundred comments; building ORM objects for them cost more than
    the rest of the page. The attributes are named as on ``Comment`` (and ``topic`` is
    there), so ``permissions.can()`` and ``services.still_editable()`` take these too.
    """

    topic: Topic
    id: int
    topic_id: int
    parent_id: int | None
    root_id: int | None
    author_id: int | None
    author_name: str | None  # the writer's display name; None without an account
    nickname: str | None
    body: str
    language: str | None
    status: CommentStatus
    source: CommentSource
    created_at: datetime
    edited_at: datetime | None
    hidden_reason: str | None
    hidden_note_lang: str | None
    auto_hidden_at: datetime | None
    is_key: bool
    is_official: bool
    received_on: date | None
    place: str | None
    agree_count: int
    disagree_count: int
    # Its place on the topic's map (eraati.places): a named place, or a point of its own.
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    # The part and paragraph it comments (eraati.parts), and the paragraph as it was.
    part_id: int | None = None
    paragraph: int | None = None
    paragraph_quote: str | None = None


# In the order of ``ShownComment``'s fields after ``topic``.
_SHOWN_COLUMNS = (
    Comment.id,
    Comment.topic_id,
    Comment.parent_id,
    Comment.root_id,
    Comment.author_id,
    User.display_name,
    Comment.nickname,
    Comment.body,
    Comment.language,
    Comment.status,
    Comment.source,
    Comment.created_at,
    Comment.edited_at,
    Comment.hidden_reason,
    Comment.hidden_note_lang,
    Comment.auto_hidden_at,
    Comment.is_key,
    Comment.is_official,
    Comment.received_on,
    Comment.place,
    Comment.agree_count,
    Comment.disagree_count,
    Comment.place_id,
    Comment.lat,
    Comment.lon,
    Comment.part_id,
    Comment.paragraph,
    Comment.paragraph_quote,
)


@dataclass
class CommentThreads:
    """One page of top-level comments and all their replies, ready to show as trees."""

    roots: list[ShownComment]
    sort: CommentSort
    has_prev: bool = False
    has_next: bool = False
    here: dict[str, str] = field(default_factory=dict)  # address of this page: after/before
    # parent id -> its replies, oldest first
    replies: dict[int, list[ShownComment]] = field(default_factory=dict)

    @property
    def prev_args(self) -> dict[str, str]:
        return {"before": _key_of(self.roots[0], self.sort)} if self.roots else {}

    @property
    def next_args(self) -> dict[str, str]:
        return {"after": _key_of(self.roots[-1], self.sort)} if self.roots else {}

    def shown(self) -> list[ShownComment]:
        """Every comment on the page, depth first (a reply whose parent is not shown is not)."""
        out: list[ShownComment] = []
        stack = list(reversed(self.roots))
        while stack:
            comment = stack.pop()
            out.append(comment)
            stack.extend(reversed(self.replies.get(comment.id, [])))
        return out

    @property
    def comment_ids(self) -> list[int]:
        return [c.id for c in self.shown()]


@functools.cache
def _roots_statement(
    sort: CommentSort, forward_desc: bool, keyed: bool, signed_in: bool, of_part: bool = False
) -> sa.Select:
    """Top-level comments of ``topic_id`` after (or before) the key ``key_0``, ``key_1``, ...
    Built once per variant: only the bound values change from page to page. The topic's
    own discussion has the comments on no part; ``of_part``: those of the part ``part_id``
    (eraati.parts)."""
    columns, _descending = _SORT_KEYS[sort]
    # A part's comments by the part alone (its topic's are implied): with the topic beside
    # it, PostgreSQL's generic plan of the prepared statement (psycopg prepares it after
    # five runs) ANDs the topic's whole index of top-level comments with the part's and
    # sorts them, 10x the rows on a ten-part topic (benchmark F1), instead of walking
    # ``ix_comments_part_roots_created`` newest first and stopping after a page.
    of = (
        [Comment.part_id == sa.bindparam("part_id")]
        if of_part
        else [Comment.topic_id == sa.bindparam("topic_id"), Comment.part_id.is_(None)]
    )
    stmt = (
        sa.select(*_SHOWN_COLUMNS)
        .outerjoin(User, User.id == Comment.author_id)
        .where(*of, Comment.parent_id.is_(None), _shown_to(signed_in))
    )
    if keyed:
        row = sa.tuple_(*columns)
        bound = sa.tuple_(*(sa.bindparam(f"key_{i}", type_=c.type) for i, c in enumerate(columns)))
        stmt = stmt.where(row < bound if forward_desc else row > bound)
    order = [c.desc() if forward_desc else c.asc() for c in columns]
    return stmt.order_by(*order).limit(sa.bindparam("limit"))


@functools.cache
def _replies_statement(signed_in: bool, dialect: str) -> sa.Select:
    """Every shown reply under the top-level comments ``root_ids``, oldest first."""
    if dialect == "postgresql":
        # One array parameter rather than one per comment: psycopg parses a statement of
        # more than 50 parameters again on every execution, and cannot prepare it.
        of_roots = Comment.root_id == sa.any_(
            sa.bindparam("root_ids", type_=postgresql.ARRAY(sa.Integer))
        )
    else:
        of_roots = Comment.root_id.in_(sa.bindparam("root_ids", expanding=True))
    return (
        sa.select(*_SHOWN_COLUMNS)
        .outerjoin(User, User.id == Comment.author_id)
        .where(of_roots, _shown_to(signed_in))
        .order_by(Comment.created_at.asc(), Comment.id.asc())
    )


def comment_page(
    topic: Topic,
    viewer: Any,
    sort: CommentSort,
    *,
    after: str | None = None,
    before: str | None = None,
    part_id: int | None = None,
) -> CommentThreads:
    """A page of top-level comments in ``sort`` order, continuing after (or ending before)
    a key from ``CommentThreads.next_args``/``prev_args``, and in one more query every
    reply under them: of the topic's own discussion, or of the part ``part_id``. Two
    queries, whatever the page; a key that makes no sense gives the first page."""
    signed_in = viewer is not None and viewer.is_authenticated
    _columns, descending = _SORT_KEYS[sort]
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    after_key, before_key = _parse_key(after, sort), _parse_key(before, sort)
    backwards = before_key is not None and after_key is None
    key = before_key if backwards else after_key
    # Walking backwards is walking the other way and turning the page round afterwards.
    forward_desc = descending != backwards
    params: dict[str, Any] = {"limit": per_page + 1}
    if signed_in:
        params["viewer_id"] = viewer.id
    if key is not None:
        params.update((f"key_{i}", value) for i, value in enumerate(key))
    if part_id is not None:
        params["part_id"] = part_id  # a part of ``topic`` (parts.queries.part_at)
    else:
        params["topic_id"] = topic.id
    stmt = _roots_statement(sort, forward_desc, key is not None, signed_in, part_id is not None)
    connection = db.session.connection()
    rows = [ShownComment(topic, *row) for row in connection.execute(stmt, params).all()]
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        threads = CommentThreads(rows, sort, has_prev=more, has_next=True, here={"before": before})
    else:
        here = {"after": after} if key is not None else {}
        threads = CommentThreads(rows, sort, has_prev=key is not None, has_next=more, here=here)
    # Also for an empty page: the same number of queries whatever the topic's size.
    replies_params: dict[str, Any] = {"root_ids": [c.id for c in rows]}
    if signed_in:
        replies_params["viewer_id"] = viewer.id
    by_parent: dict[int, list[ShownComment]] = defaultdict(list)
    replies = _replies_statement(signed_in, connection.dialect.name)
    for row in connection.execute(replies, replies_params).all():
        reply = ShownComment(topic, *row)
        by_parent[reply.parent_id].append(reply)
    threads.replies = dict(by_parent)
    return threads


# --- people of a topic whose personal data was removed (eraati.retention) ----------------------


def person_key(user_id: Any, participant_id: Any) -> sa.ColumnElement[int]:
    """One person of a topic, in SQL: their account's id, or, once the topic's personal
    data was removed, minus their ``AnonymisedParticipant`` id (the two never meet), so
    that counts of distinct people are the same before and after."""
    return sa.func.coalesce(user_id, -participant_id)


def stored_pseudonyms(topic: Topic) -> dict[int, str]:
    """``{participant id: pseudonym}`` of a topic whose personal data was removed; no
    query for any other topic."""
    if topic.anonymised_at is None:
        return {}
    return dict(
        db.session.execute(
            sa.select(AnonymisedParticipant.id, AnonymisedParticipant.pseudonym).where(
                AnonymisedParticipant.topic_id == topic.id
            )
        )
        .tuples()
        .all()
    )


def stored_pseudonym(participant_id: Any) -> sa.ScalarSelect[str]:
    """The pseudonym kept for the writer of a row (NULL while the account is linked)."""
    return (
        sa.select(AnonymisedParticipant.pseudonym)
        .where(AnonymisedParticipant.id == participant_id)
        .scalar_subquery()
    )
