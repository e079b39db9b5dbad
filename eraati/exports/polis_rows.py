"""The rows of the Polis-compatible files (``writers/polis.py``), read as streams.

Participants are numbered in SQL (``row_number()``), as Polis numbers them: registered
people 0..n-1 by account, then one number per comment without a registered author. A
person is ``person_key``: the account, or the participant kept in its place once the
topic's personal data was removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentStatus, CommentVote, VoteValue
from eraati.consultations.queries import person_key
from eraati.exports.rows import (
    EXPORTED,
    Snapshot,
    comment_text,
    stream,
    stream_tuples,
    utc_text,
)
from eraati.extensions import db


@dataclass(frozen=True)
class PolisNumbers:
    """Participant numbers for the Polis files: registered people 0..n-1 by user id, then
    one number per comment without a registered author, by comment id."""

    exported: sa.CTE
    registered: sa.Subquery
    unregistered: sa.Subquery


def _polis_numbers(topic_id: int) -> PolisNumbers:
    exported = (
        sa.select(
            Comment.id,
            person_key(Comment.author_id, Comment.participant_id).label("author_id"),
        )
        .where(Comment.topic_id == topic_id, Comment.status.in_(EXPORTED))
        .cte("exported")
    )
    people = sa.union(
        sa.select(exported.c.author_id.label("user_id")).where(exported.c.author_id.is_not(None)),
        sa.select(
            person_key(CommentVote.user_id, CommentVote.participant_id).label("user_id")
        ).join(exported, exported.c.id == CommentVote.comment_id),
    ).subquery("people")
    authored = (
        sa.select(exported.c.author_id, sa.func.count().label("n"))
        .where(exported.c.author_id.is_not(None))
        .group_by(exported.c.author_id)
        .subquery("authored")
    )
    registered = (
        sa.select(
            people.c.user_id,
            (sa.func.row_number().over(order_by=people.c.user_id) - 1).label("pid"),
            sa.func.coalesce(authored.c.n, 0).label("n_comments"),
        )
        .outerjoin(authored, authored.c.author_id == people.c.user_id)
        .subquery("registered")
    )
    total = sa.select(sa.func.count()).select_from(people).scalar_subquery()
    unregistered = (
        sa.select(
            exported.c.id.label("comment_id"),
            (total + sa.func.row_number().over(order_by=exported.c.id) - 1).label("pid"),
        )
        .where(exported.c.author_id.is_(None))
        .subquery("unregistered")
    )
    return PolisNumbers(exported, registered, unregistered)


class PolisComment(NamedTuple):
    created_at: datetime
    id: int
    author: int
    agrees: int
    disagrees: int
    moderated: int  # 1 shown, -1 hidden by a moderator
    text: str


def comments(snap: Snapshot) -> Iterator[PolisComment]:
    numbers = _polis_numbers(snap.topic_id)
    author = sa.func.coalesce(numbers.registered.c.pid, numbers.unregistered.c.pid)
    stmt = (
        sa.select(
            Comment.created_at,
            Comment.id,
            author.label("author"),
            Comment.agree_count,
            Comment.disagree_count,
            Comment.status,
            comment_text(snap).label("body"),
        )
        .join(numbers.exported, numbers.exported.c.id == Comment.id)
        .outerjoin(numbers.registered, numbers.registered.c.user_id == numbers.exported.c.author_id)
        .outerjoin(numbers.unregistered, numbers.unregistered.c.comment_id == Comment.id)
        .order_by(Comment.id)
    )
    for row in stream(stmt):
        moderated = 1 if row.status == CommentStatus.VISIBLE else -1
        yield PolisComment(
            row.created_at,
            row.id,
            row.author,
            row.agree_count,
            row.disagree_count,
            moderated,
            row.body,
        )


def comment_ids(snap: Snapshot) -> Iterator[int]:
    """The ids of the exported comments: the vote columns of participants-votes.csv."""
    stmt = (
        sa.select(Comment.id)
        .where(Comment.topic_id == snap.topic_id, Comment.status.in_(EXPORTED))
        .order_by(Comment.id)
    )
    for row in stream(stmt):
        yield row.id


class PolisVote(NamedTuple):
    """One vote of a participant, or (``comment_id`` None) a participant without votes."""

    pid: int
    n_comments: int
    comment_id: int | None
    vote: int | None  # 1 agree, -1 disagree, 0 pass
    person: int | None = None  # the person key (``person_key``); None: an unregistered writer


_POLIS_VOTE = {VoteValue.AGREE: 1, VoteValue.DISAGREE: -1, VoteValue.PASS: 0}


def votes(snap: Snapshot) -> Iterator[PolisVote]:
    """Registered participants by number, each with their votes by comment id; then the
    writers of comments without a registered author (one comment each, no votes)."""
    numbers = _polis_numbers(snap.topic_id)
    reg = numbers.registered
    cast = (
        sa.select(
            person_key(CommentVote.user_id, CommentVote.participant_id).label("user_id"),
            CommentVote.comment_id,
            CommentVote.value,
        )
        .join(numbers.exported, numbers.exported.c.id == CommentVote.comment_id)
        .subquery("cast_votes")
    )
    stmt = (
        sa.select(reg.c.pid, reg.c.n_comments, cast.c.comment_id, cast.c.value, reg.c.user_id)
        .outerjoin(cast, cast.c.user_id == reg.c.user_id)
        .order_by(reg.c.pid, cast.c.comment_id)
    )
    for row in stream(stmt):
        vote = None if row.value is None else _POLIS_VOTE[VoteValue(row.value)]
        yield PolisVote(row.pid, row.n_comments, row.comment_id, vote, row.user_id)
    stmt = sa.select(numbers.unregistered.c.pid).order_by(numbers.unregistered.c.pid)
    for row in stream(stmt):
        yield PolisVote(row.pid, 1, None, None)


class PolisLoggedVote(NamedTuple):
    """A line of votes.csv: when the vote was last given (naive UTC text, "2026-03-01
    10:40:00.123456"), on what, by whom, which way."""

    given_at: str
    comment_id: int
    pid: int
    vote: int  # 1 agree, -1 disagree, 0 pass
    person: int


_VOTE_NUMBER = sa.case(
    (CommentVote.value == VoteValue.AGREE.value, 1),
    (CommentVote.value == VoteValue.DISAGREE.value, -1),
    else_=0,
)


def vote_log(snap: Snapshot) -> Iterator[PolisLoggedVote]:
    """Every vote on an exported comment, by comment and participant number (as Polis
    orders votes.csv). eRaati keeps one vote per person and comment: its last change.
    Read as the driver's tuples (``stream_tuples``): the log is as long as the votes."""
    numbers = _polis_numbers(snap.topic_id)
    reg = numbers.registered
    stmt = (
        sa.select(
            utc_text(CommentVote.updated_at),
            CommentVote.comment_id,
            reg.c.pid,
            _VOTE_NUMBER,
            reg.c.user_id,
        )
        .join(numbers.exported, numbers.exported.c.id == CommentVote.comment_id)
        .join(reg, reg.c.user_id == person_key(CommentVote.user_id, CommentVote.participant_id))
        .order_by(CommentVote.comment_id, reg.c.pid)
    )
    for row in stream_tuples(stmt):
        yield PolisLoggedVote._make(row)


class PolisSummary(NamedTuple):
    voters: int  # people who voted on an exported comment
    commenters: int  # writers of exported comments (each unregistered writer counted once)
    comments: int


def summary(snap: Snapshot) -> PolisSummary:
    """The counts of summary.csv, in one statement."""
    exported = sa.and_(Comment.topic_id == snap.topic_id, Comment.status.in_(EXPORTED))
    voters = (
        sa.select(
            sa.func.count(sa.distinct(person_key(CommentVote.user_id, CommentVote.participant_id)))
        )
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(exported)
        .scalar_subquery()
    )
    registered = (
        sa.select(sa.func.count(sa.distinct(person_key(Comment.author_id, Comment.participant_id))))
        .where(exported)
        .scalar_subquery()
    )
    unregistered = (
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(exported, person_key(Comment.author_id, Comment.participant_id).is_(None))
        .scalar_subquery()
    )
    total = sa.select(sa.func.count()).select_from(Comment).where(exported).scalar_subquery()
    row = db.session.execute(sa.select(voters, registered, unregistered, total)).one()
    return PolisSummary(int(row[0]), int(row[1]) + int(row[2]), int(row[3]))
