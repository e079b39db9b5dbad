"""Read side of "Rate comments" (fi "Arvioi kommentteja"): which comment to offer next,
and how far the person has come.

Opinion groups need dense votes: many people's votes on the same comments. A threaded
page gives sparse ones (people vote on what they happen to read, mostly the newest). A
topic that ``offers_rating`` shows its comments one at a time instead, and each vote is
an ordinary ``CommentVote`` written by ``participation.vote_comment`` (one per person and
comment, counters in the same transaction, the same writing limit).

Which comment comes next is a fair spread: among the comments the person may vote on
and has not (visible, not their own, not official replies), those with the fewest votes
so far (agree + disagree + pass, the counters on the comment) come first, and one of
the first ``WINDOW`` of them is picked at random, so that people rating at the same time
are not all shown the same comment and every comment gets votes over time.

Each of the two loaders is one SQL statement, however large the topic. The order walks
``ix_comments_rating`` (topic, vote total, id; visible comments only), so PostgreSQL
reads the index from the least-voted end and stops after ``WINDOW`` comments the person
has not voted on, instead of sorting every comment of the topic on every request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eraati.accounts.models import User
from eraati.consultations.models import Comment, CommentStatus, CommentVote, Topic
from eraati.consultations.queries import _SHOWN_COLUMNS, ShownComment, thread_place
from eraati.extensions import db

# How many of the least-voted comments the next one is picked from at random.
WINDOW = 20

# The number of votes a comment has had, as ``ix_comments_rating`` (models.py) indexes it:
# the expression must be written the same way for PostgreSQL to walk that index.
VOTE_TOTAL = Comment.agree_count + Comment.disagree_count + Comment.pass_count


def _indexed() -> list[sa.ColumnElement[bool]]:
    """The comments of ``:topic_id`` that ``ix_comments_rating`` holds: shown to everyone
    (not waiting, hidden or deleted) and not official replies. Written as constants, as
    the index's condition is, not as bound values: a prepared statement's generic plan
    can use a partial index only for a condition it can see."""
    return [
        Comment.topic_id == sa.bindparam("topic_id"),
        Comment.__table__.c.status == sa.literal_column(f"'{CommentStatus.VISIBLE.value}'"),
        Comment.is_official == sa.false(),
    ]


def _rateable() -> list[sa.ColumnElement[bool]]:
    """The comments of ``:topic_id`` that ``:viewer_id`` may vote on: those of the index
    but their own."""
    return [
        *_indexed(),
        sa.or_(Comment.author_id.is_(None), Comment.author_id != sa.bindparam("viewer_id")),
    ]


@dataclass(frozen=True, slots=True)
class Progress:
    rated: int  # comments of ``total`` the person has voted on (here or on the topic page)
    total: int  # comments the person may vote on

    @property
    def done(self) -> bool:
        return self.rated >= self.total


@dataclass(frozen=True, slots=True)
class NextComment:
    comment: ShownComment
    # The topic page's address arguments that show its thread (``queries.thread_place``).
    place: dict[str, str]


@functools.cache
def _progress_statement() -> sa.Select:
    # The topic's visible comments are counted already (``Topic.comment_count``, kept with
    # the rows): less the official replies (``ix_comments_official``) and the person's own
    # (``ix_comments_author_id``), a few rows each, instead of counting every comment.
    visible = [
        Comment.topic_id == sa.bindparam("topic_id"),
        Comment.__table__.c.status == sa.literal_column(f"'{CommentStatus.VISIBLE.value}'"),
    ]
    count = sa.select(sa.func.count()).select_from(Comment)
    official = count.where(*visible, Comment.is_official == sa.true())
    own = count.where(*_indexed(), Comment.author_id == sa.bindparam("viewer_id"))
    rated = (
        sa.select(sa.func.count(CommentVote.id))
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(CommentVote.user_id == sa.bindparam("viewer_id"), *_rateable())
    )
    return sa.select(
        sa.bindparam("comment_count", type_=sa.Integer)
        - official.scalar_subquery()
        - own.scalar_subquery(),
        rated.scalar_subquery(),
    )


def progress(topic: Topic, user: Any) -> Progress:
    """How many of the comments the person may vote on they have voted on (one query)."""
    total, rated = db.session.execute(
        _progress_statement(),
        {"topic_id": topic.id, "viewer_id": user.id, "comment_count": topic.comment_count},
    ).one()
    return Progress(rated=rated, total=max(total, rated))


@functools.cache
def _next_statement() -> sa.Select:
    not_voted = ~sa.exists().where(
        CommentVote.comment_id == Comment.id, CommentVote.user_id == sa.bindparam("viewer_id")
    )
    window = (
        sa.select(Comment.id)
        .where(*_rateable(), not_voted)
        .order_by(VOTE_TOTAL, Comment.id)
        .limit(sa.bindparam("window"))
        .scalar_subquery()
    )
    root = aliased(Comment)
    return (
        sa.select(
            *_SHOWN_COLUMNS,
            sa.func.coalesce(root.created_at, Comment.created_at),
            sa.func.coalesce(Comment.root_id, Comment.id),
        )
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(root, root.id == Comment.root_id)
        .where(Comment.id.in_(window))
        # The comment asked for first, if it is still one of them (0 for none: no id).
        .order_by(sa.case((Comment.id == sa.bindparam("prefer"), 0), else_=1), sa.func.random())
        .limit(1)
    )


def next_comment(topic: Topic, user: Any, *, prefer: int | None = None) -> NextComment | None:
    """A comment the person may vote on and has not, among the least voted (one query);
    None when there is none left. ``prefer``: this comment, if it is still among them (a
    vote the writing limit refused is offered again)."""
    row = db.session.execute(
        _next_statement(),
        {"topic_id": topic.id, "viewer_id": user.id, "window": WINDOW, "prefer": prefer or 0},
    ).first()
    if row is None:
        return None
    *columns, root_created_at, root_id = row
    comment = ShownComment(topic, *columns)
    return NextComment(comment, thread_place(root_created_at, root_id))
