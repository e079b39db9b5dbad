"""Read side of moderation: the queue, one comment's reports, reasons, blocks, public figures.

Every loader costs a fixed number of SQL queries, however many rows it returns.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, joinedload, lazyload, noload, selectinload

from eraati.accounts.models import User
from eraati.consultations.models import (
    Answer,
    Comment,
    CommentFlag,
    CommentSource,
    CommentStatus,
    FlagReason,
    Question,
    QuestionKind,
    Topic,
)
from eraati.consultations.queries import hidden_unseen
from eraati.extensions import db
from eraati.moderation.models import ModerationReason, UserBlock
from eraati.organisations.models import Organisation

PER_PAGE = 50


class Tab(enum.StrEnum):
    PENDING = "pending"  # waiting: pre-moderated, anonymous, or hidden by reports
    FLAGGED = "flagged"  # reported since a moderator last looked
    RECENT = "recent"  # everything, newest first


@dataclass(frozen=True)
class QueueFilters:
    tab: Tab = Tab.PENDING
    topic: Topic | None = None
    status: CommentStatus | None = None
    source: CommentSource | None = None
    q: str = ""  # words of the comments (eraati.analysis.search), any inflected form

    def args(self) -> dict[str, str]:
        """The filters as address arguments (defaults left out)."""
        out: dict[str, str] = {}
        if self.tab != Tab.PENDING:
            out["tab"] = self.tab.value
        if self.topic is not None:
            out["topic"] = str(self.topic.id)
        if self.status is not None:
            out["status"] = self.status.value
        if self.source is not None:
            out["source"] = self.source.value
        if self.q:
            out["q"] = self.q
        return out


# --- the queue -------------------------------------------------------------------------------


def _of_org(org: Organisation) -> sa.ColumnElement[bool]:
    return Comment.topic_id.in_(sa.select(Topic.id).where(Topic.organisation_id == org.id))


def unreviewed_flags() -> sa.ColumnElement[bool]:
    """Reported, and some report is newer than the moderator's last look."""
    newer = sa.exists().where(
        CommentFlag.comment_id == Comment.id,
        sa.or_(Comment.reviewed_at.is_(None), CommentFlag.created_at > Comment.reviewed_at),
    )
    return sa.and_(Comment.flag_count > 0, Comment.status != CommentStatus.DELETED, newer)


def _tab_clause(tab: Tab) -> sa.ColumnElement[bool] | None:
    if tab == Tab.PENDING:
        return Comment.status == CommentStatus.PENDING
    if tab == Tab.FLAGGED:
        return unreviewed_flags()
    return None


def tab_counts(org: Organisation) -> dict[Tab, int]:
    """How many comments wait and how many reports are unanswered: one query."""
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(Comment.status == CommentStatus.PENDING),
            sa.func.count().filter(unreviewed_flags()),
        ).where(_of_org(org))
    ).one()
    return {Tab.PENDING: row[0] or 0, Tab.FLAGGED: row[1] or 0}


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _key_of(comment: Comment) -> str:
    micros = (comment.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{comment.id}"


def _parse_key(token: str | None) -> tuple[datetime, int] | None:
    """The (created_at, id) of a key from ``_key_of``; None for anything else."""
    if not token or len(token) > 60:
        return None
    parts = token.split("_")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    micros, comment_id = (int(p) for p in parts)
    if micros >= 2**62 or comment_id >= 2**62:
        return None
    try:
        return _EPOCH + timedelta(microseconds=micros), comment_id
    except OverflowError:
        return None


@dataclass
class QueuePage:
    items: list[Comment]
    has_prev: bool = False
    has_next: bool = False
    here: dict[str, str] = field(default_factory=dict)  # this page's after/before
    flags: dict[int, list[tuple[FlagReason, int]]] = field(default_factory=dict)

    @property
    def prev_args(self) -> dict[str, str]:
        return {"before": _key_of(self.items[0])} if self.items else {}

    @property
    def next_args(self) -> dict[str, str]:
        return {"after": _key_of(self.items[-1])} if self.items else {}


def _with_author():
    return (
        joinedload(Comment.author)
        .load_only(User.id, User.display_name)
        .options(lazyload(User.memberships))
    )


def queue_page(
    org: Organisation,
    filters: QueueFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
) -> QueuePage:
    """One page of the queue (keyset pagination on created_at and id: a deep page costs
    what the first does) and the page's reports by reason in one more query."""
    stmt = sa.select(Comment)
    if filters.topic is not None:
        stmt = stmt.where(Comment.topic_id == filters.topic.id)
    else:
        stmt = stmt.where(_of_org(org))
    clause = _tab_clause(filters.tab)
    if clause is not None:
        stmt = stmt.where(clause)
    if filters.status is not None:
        stmt = stmt.where(Comment.status == filters.status)
    if filters.source is not None:
        stmt = stmt.where(Comment.source == filters.source)
    if filters.q:
        from eraati.analysis.search.queries import comment_matches  # analysis builds on this

        stmt = stmt.where(comment_matches(filters.q))

    # The waiting list is worked through oldest first; the others show the newest first.
    descending = filters.tab != Tab.PENDING
    after_key, before_key = _parse_key(after), _parse_key(before)
    backwards = before_key is not None and after_key is None
    key = before_key if backwards else after_key
    forward_desc = descending != backwards
    if key is not None:
        row = sa.tuple_(Comment.created_at, Comment.id)
        bound = sa.tuple_(
            sa.bindparam(None, key[0], type_=Comment.created_at.type),
            sa.bindparam(None, key[1], type_=Comment.id.type),
        )
        stmt = stmt.where(row < bound if forward_desc else row > bound)
    order = (
        [Comment.created_at.desc(), Comment.id.desc()]
        if forward_desc
        else [Comment.created_at.asc(), Comment.id.asc()]
    )
    rows = list(
        db.session.scalars(stmt.order_by(*order).limit(per_page + 1).options(_with_author()))
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        page = QueuePage(rows, has_prev=more, has_next=True, here={"before": before or ""})
    else:
        here = {"after": after or ""} if key is not None else {}
        page = QueuePage(rows, has_prev=key is not None, has_next=more, here=here)
    page.flags = flag_summary([c.id for c in rows])
    return page


def flag_summary(comment_ids: list[int]) -> dict[int, list[tuple[FlagReason, int]]]:
    """{comment id: [(reason, count), ...]}, most common reason first: one query."""
    rows = db.session.execute(
        sa.select(CommentFlag.comment_id, CommentFlag.reason, sa.func.count())
        .where(CommentFlag.comment_id.in_(comment_ids))
        .group_by(CommentFlag.comment_id, CommentFlag.reason)
    )
    out: dict[int, list[tuple[FlagReason, int]]] = defaultdict(list)
    for comment_id, reason, n in rows:
        out[comment_id].append((FlagReason(reason), n))
    for reasons in out.values():
        reasons.sort(key=lambda pair: (-pair[1], pair[0].value))
    return dict(out)


def org_topics(org: Organisation) -> list[Topic]:
    """The organisation's topics with their titles (two queries), newest first."""
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.organisation_id == org.id)
            .order_by(Topic.created_at.desc(), Topic.id.desc())
            .options(
                selectinload(Topic.translations),
                lazyload(Topic.questions),
                lazyload(Topic.concerned_organisations),
            )
        )
    )


def org_comments(org: Organisation, ids: list[int]) -> list[Comment] | None:
    """The comments with these ids, with their topics; None if any is not this
    organisation's (or does not exist)."""
    wanted = set(ids)
    comments = list(
        db.session.scalars(
            sa.select(Comment)
            .join(Topic, Topic.id == Comment.topic_id)
            .where(Comment.id.in_(wanted), Topic.organisation_id == org.id)
            .order_by(Comment.id)
            .options(
                joinedload(Comment.topic).options(
                    selectinload(Topic.translations),
                    lazyload(Topic.questions),
                    lazyload(Topic.concerned_organisations),
                ),
                joinedload(Comment.author).options(lazyload(User.memberships)),
            )
        ).unique()
    )
    if {c.id for c in comments} != wanted:
        return None
    return comments


def never_shown(comment_ids: list[int]) -> set[int]:
    """Which of these comments nobody but their writer has seen in the discussion: waiting
    for their first check (not held after reports, no replies), or hidden while they waited
    (``consultations.queries.hidden_unseen``). One query."""
    if not comment_ids:
        return set()
    reply = aliased(Comment)
    waiting = sa.and_(
        Comment.status == CommentStatus.PENDING,
        Comment.auto_hidden_at.is_(None),
        ~sa.exists().where(reply.parent_id == Comment.id),
    )
    stmt = sa.select(Comment.id).where(
        Comment.id.in_(comment_ids), sa.or_(waiting, hidden_unseen())
    )
    return set(db.session.scalars(stmt))


def comment_flags(comment: Comment) -> list[CommentFlag]:
    return list(
        db.session.scalars(
            sa.select(CommentFlag)
            .where(CommentFlag.comment_id == comment.id)
            .order_by(CommentFlag.created_at.desc(), CommentFlag.id.desc())
        )
    )


def user_names(ids: set[int | None]) -> dict[int, str]:
    """Display names by id (staff who hid, reviewed or blocked): one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.tuples().all())


# --- open survey answers ---------------------------------------------------------------------


class AnswerTab(enum.StrEnum):
    WAITING = "waiting"  # shown, and written or changed since a moderator last looked
    ALL = "all"  # every open answer with a text, hidden ones too, newest first


def answer_waiting() -> sa.ColumnElement[bool]:
    """An open answer waits for a moderator's look (``Answer.waits_for_check``)."""
    return sa.and_(
        Answer.text.is_not(None),
        Answer.hidden_at.is_(None),
        sa.or_(Answer.checked_at.is_(None), Answer.checked_at < Answer.updated_at),
    )


def _open_answers_of(org: Organisation) -> sa.Select:
    return (
        sa.select(Answer, Question)
        .join(Question, Question.id == Answer.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(
            Topic.organisation_id == org.id,
            Question.kind == QuestionKind.OPEN,
            Answer.text.is_not(None),
        )
    )


def answers_waiting(org: Organisation) -> dict[int, int]:
    """{topic id: open answers waiting for a look}, topics with none left out: one query."""
    stmt = (
        sa.select(Question.topic_id, sa.func.count())
        .select_from(Answer)
        .join(Question, Question.id == Answer.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(
            Topic.organisation_id == org.id,
            Question.kind == QuestionKind.OPEN,
            answer_waiting(),
        )
        .group_by(Question.topic_id)
    )
    return {topic_id: int(n) for topic_id, n in db.session.execute(stmt)}


def survey_topics(org: Organisation) -> list[Topic]:
    """The organisation's topics that ask an open question, newest first (two queries)."""
    has_open = sa.exists().where(Question.topic_id == Topic.id, Question.kind == QuestionKind.OPEN)
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.organisation_id == org.id, has_open)
            .order_by(Topic.created_at.desc(), Topic.id.desc())
            .options(
                selectinload(Topic.translations),
                lazyload(Topic.questions),
                lazyload(Topic.concerned_organisations),
            )
        )
    )


def _answer_key(answer: Answer) -> str:
    micros = (answer.updated_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}_{answer.id}"


@dataclass
class AnswerPage:
    items: list[tuple[Answer, Question]]
    has_prev: bool = False
    has_next: bool = False
    here: dict[str, str] = field(default_factory=dict)

    @property
    def prev_args(self) -> dict[str, str]:
        return {"before": _answer_key(self.items[0][0])} if self.items else {}

    @property
    def next_args(self) -> dict[str, str]:
        return {"after": _answer_key(self.items[-1][0])} if self.items else {}


def answers_page(
    org: Organisation,
    tab: AnswerTab,
    topic: Topic | None = None,
    *,
    after: str | None = None,
    before: str | None = None,
    per_page: int = PER_PAGE,
) -> AnswerPage:
    """One page of the organisation's open answers (keyset pagination on updated_at and
    id, like the comment queue): the waiting ones oldest first, all of them newest first.
    One query, with the questions; their topics are those of ``survey_topics``."""
    stmt = _open_answers_of(org)
    if topic is not None:
        stmt = stmt.where(Question.topic_id == topic.id)
    if tab == AnswerTab.WAITING:
        stmt = stmt.where(answer_waiting())
    descending = tab != AnswerTab.WAITING
    after_key, before_key = _parse_key(after), _parse_key(before)
    backwards = before_key is not None and after_key is None
    key = before_key if backwards else after_key
    forward_desc = descending != backwards
    if key is not None:
        row = sa.tuple_(Answer.updated_at, Answer.id)
        bound = sa.tuple_(
            sa.bindparam(None, key[0], type_=Answer.updated_at.type),
            sa.bindparam(None, key[1], type_=Answer.id.type),
        )
        stmt = stmt.where(row < bound if forward_desc else row > bound)
    order = (
        [Answer.updated_at.desc(), Answer.id.desc()]
        if forward_desc
        else [Answer.updated_at.asc(), Answer.id.asc()]
    )
    stmt = stmt.order_by(*order).limit(per_page + 1)
    stmt = stmt.options(noload(Answer.choices), noload(Question.options))
    rows = [(a, q) for a, q in db.session.execute(stmt)]
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        return AnswerPage(rows, has_prev=more, has_next=True, here={"before": before or ""})
    here = {"after": after or ""} if key is not None else {}
    return AnswerPage(rows, has_prev=key is not None, has_next=more, here=here)


def org_answers(org: Organisation, ids: list[int]) -> list[tuple[Answer, Question]] | None:
    """The open answers with these ids; None if any is not this organisation's."""
    wanted = set(ids)
    rows = [
        (a, q)
        for a, q in db.session.execute(
            _open_answers_of(org)
            .where(Answer.id.in_(wanted))
            .order_by(Answer.id)
            .options(noload(Answer.choices), noload(Question.options))
        )
    ]
    if {a.id for a, _q in rows} != wanted:
        return None
    return rows


# --- reasons ---------------------------------------------------------------------------------


def reasons(org: Organisation, *, active_only: bool = False) -> list[ModerationReason]:
    stmt = sa.select(ModerationReason).where(ModerationReason.organisation_id == org.id)
    if active_only:
        stmt = stmt.where(ModerationReason.active.is_(True))
    return list(db.session.scalars(stmt.order_by(ModerationReason.position, ModerationReason.id)))


def org_reason(org: Organisation, reason_id: Any) -> ModerationReason | None:
    try:
        reason_id = int(reason_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        sa.select(ModerationReason).where(
            ModerationReason.id == reason_id, ModerationReason.organisation_id == org.id
        )
    )


# --- blocks ----------------------------------------------------------------------------------


def _block_options():
    return joinedload(UserBlock.user).options(lazyload(User.memberships))


def active_blocks(org: Organisation, now: datetime) -> list[UserBlock]:
    return list(
        db.session.scalars(
            sa.select(UserBlock)
            .where(
                UserBlock.organisation_id == org.id,
                UserBlock.lifted_at.is_(None),
                UserBlock.ends_at > now,
            )
            .order_by(UserBlock.ends_at.asc(), UserBlock.id.asc())
            .options(_block_options())
        )
    )


def past_blocks(org: Organisation, now: datetime, page: int) -> Pagination:
    """Ended and lifted blocks, latest first (offset pages: a short list in practice)."""
    ended = sa.func.coalesce(UserBlock.lifted_at, UserBlock.ends_at)
    stmt = (
        sa.select(UserBlock)
        .where(
            UserBlock.organisation_id == org.id,
            sa.or_(UserBlock.lifted_at.is_not(None), UserBlock.ends_at <= now),
        )
        .order_by(ended.desc(), UserBlock.id.desc())
        .options(_block_options())
    )
    return db.paginate(stmt, page=page, per_page=PER_PAGE, max_per_page=100, error_out=False)


def org_block_or_none(org: Organisation, block_id: int) -> UserBlock | None:
    return db.session.scalar(
        sa.select(UserBlock).where(UserBlock.id == block_id, UserBlock.organisation_id == org.id)
    )
