"""Stored counters recomputed from the rows they count, in a few set-based UPDATEs.

The services keep counters exact as they go (``n = n + 1`` in the same transaction).
These helpers are for bulk loads (demo data, benchmarks) that insert rows directly, and
for checking: ``mismatches()`` lists every counter that differs from ``COUNT(*)``, and
every poll tally (``tallies``) that differs from the answers it counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from eraati.consultations import tallies
from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentStatus,
    CommentVote,
    Follow,
    Question,
    Stance,
    Topic,
    TopicStance,
    VoteValue,
)
from eraati.consultations.participation import STANCE_COUNTERS, VOTE_COUNTERS
from eraati.extensions import db


def _count(model, *where) -> sa.ScalarSelect:
    return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()


def topic_counts() -> dict[str, sa.ScalarSelect]:
    """What each topic counter should be, as correlated subqueries on ``topics``."""

    def stance(value: Stance) -> sa.ScalarSelect:
        return _count(TopicStance, TopicStance.topic_id == Topic.id, TopicStance.stance == value)

    return {
        **{name: stance(value) for value, name in STANCE_COUNTERS.items()},
        "comment_count": _count(
            Comment, Comment.topic_id == Topic.id, Comment.status == CommentStatus.VISIBLE
        ),
        "follower_count": _count(Follow, Follow.topic_id == Topic.id),
        "hidden_count": _count(
            Comment, Comment.topic_id == Topic.id, Comment.status == CommentStatus.HIDDEN
        ),
    }


def comment_counts() -> dict[str, sa.ScalarSelect]:
    """What each comment counter should be, as correlated subqueries on ``comments``."""

    def vote(value: VoteValue) -> sa.ScalarSelect:
        return _count(CommentVote, CommentVote.comment_id == Comment.id, CommentVote.value == value)

    return {
        **{name: vote(value) for value, name in VOTE_COUNTERS.items()},
        "flag_count": _count(CommentFlag, CommentFlag.comment_id == Comment.id),
    }


def recount(topic_ids: Iterable[int] | None = None) -> None:
    """Set every counter of the given topics (all when None) and their comments, and
    their questions' poll tallies."""
    ids = None if topic_ids is None else list(topic_ids)
    topic_where = [] if ids is None else [Topic.id.in_(ids)]
    comment_where = [] if ids is None else [Comment.topic_id.in_(ids)]
    db.session.execute(sa.update(Topic).where(*topic_where).values(**topic_counts()))
    db.session.execute(sa.update(Comment).where(*comment_where).values(**comment_counts()))
    questions = None
    if ids is not None:
        of_topics = sa.select(Question.id).where(Question.topic_id.in_(ids))
        questions = list(db.session.scalars(of_topics))
    tallies.recompute(questions)


def mismatches() -> list[tuple[str, Any, str, int, int]]:
    """Every stored counter that differs from its rows: (table, id, column, stored,
    counted); a poll tally is (``"poll_tallies"``, (question, dimension, group, item),
    ``"n"`` or ``"rank_sum"``, stored, counted)."""
    found = []
    for model, counts in ((Topic, topic_counts()), (Comment, comment_counts())):
        for column, counted in counts.items():
            stored = getattr(model, column)
            rows = db.session.execute(
                sa.select(model.id, stored, counted.label("counted")).where(stored != counted)
            )
            found += [(model.__tablename__, r.id, column, r[1], r.counted) for r in rows]
    for key, n, counted_n, rank_sum, counted_rank_sum in tallies.mismatches():
        if n != counted_n:
            found.append(("poll_tallies", key, "n", n, counted_n))
        if rank_sum != counted_rank_sum:
            found.append(("poll_tallies", key, "rank_sum", rank_sum, counted_rank_sum))
    return found
