"""Stances, comment votes, poll answers and follows: state changes and the viewer's state.

One row per person per target is enforced by unique constraints. Counters on topics and
comments change only in SQL (``n = n + 1``), in the same transaction as the row they count:

- a new row comes from ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (+1);
- when nothing comes back, the existing row is locked (``SELECT ... FOR UPDATE``; SQLite
  serialises writers anyway) and changed, moving both counters in one UPDATE;
- a withdrawal is ``DELETE ... RETURNING`` (-1 for what was deleted, if anything).

So two requests at the same moment can neither double a row nor lose a count.
Services flush, never commit; views commit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentStatus,
    CommentVote,
    Follow,
    QuestionKind,
    Stance,
    Topic,
    TopicStance,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.extensions import db

STANCE_COUNTERS = {
    Stance.SUPPORT: "support_count",
    Stance.OPPOSE: "oppose_count",
    Stance.NEUTRAL: "neutral_count",
}
VOTE_COUNTERS = {
    VoteValue.AGREE: "agree_count",
    VoteValue.DISAGREE: "disagree_count",
    VoteValue.PASS: "pass_count",
}


class ParticipationError(Exception):
    """A state rule refused the change; the view shows a translated message."""


class ParticipationClosedError(ParticipationError):
    """The topic is not open: no stances, votes or poll answers now."""


class StancesDisabledError(ParticipationError):
    """This topic does not ask for stances on its proposal."""


class CommentNotVotableError(ParticipationError):
    """The comment is hidden, deleted or waiting for review."""


class InvalidAnswerError(ParticipationError):
    """A poll answer that does not fit its question (checked before anything is written)."""

    def __init__(self, question_id: int) -> None:
        super().__init__(question_id)
        self.question_id = question_id


class Saved(enum.StrEnum):
    """What ``answer_poll`` did: the first answers, a change, or the same answers again."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


# --- rows and counters -----------------------------------------------------------------------


def _insert(model: type) -> Any:
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no upsert for {dialect}")


def _where(model: type, key: Mapping[str, int]) -> list[sa.ColumnElement[bool]]:
    return [getattr(model, name) == value for name, value in key.items()]


def _insert_new(model: type, key: Mapping[str, int], values: Mapping[str, Any]) -> int | None:
    """The id of a new row, or None when the person already has one (nothing written)."""
    stmt = (
        _insert(model)
        .values(**key, **values)
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(model.id)
    )
    return db.session.execute(stmt).scalar_one_or_none()


def _delete(model: type, key: Mapping[str, int], column: Any) -> Any | None:
    """Delete the person's row; ``column`` of the deleted row, or None if there was none."""
    stmt = (
        sa.delete(model)
        .where(*_where(model, key))
        .returning(column)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(stmt).scalar_one_or_none()


def _put(model: type, key: Mapping[str, int], name: str, value: Any, now: datetime) -> Any | None:
    """Give the person's row ``name = value``; the previous value, None if the row is new."""
    column = getattr(model, name)
    for _attempt in range(3):
        new_id = _insert_new(model, key, {name: value, "created_at": now, "updated_at": now})
        if new_id is not None:
            return None
        row = db.session.execute(
            sa.select(model.id, column).where(*_where(model, key)).with_for_update()
        ).one_or_none()
        if row is None:  # withdrawn in between: insert again
            continue
        if row[1] != value:
            db.session.execute(
                sa.update(model)
                .where(model.id == row[0])
                .values({name: value, "updated_at": now})
                .execution_options(synchronize_session=False)
            )
        return row[1]
    raise RuntimeError(f"{model.__name__} {dict(key)} kept changing")  # pragma: no cover


def _count(obj: Topic | Comment, deltas: Mapping[str, int]) -> None:
    """``UPDATE ... SET n = n + delta`` for the counters of ``obj``, in one statement."""
    model = type(obj)
    values: dict[str, Any] = {
        name: getattr(model, name) + delta for name, delta in deltas.items() if delta
    }
    if not values:
        return
    if model is Topic:
        values["updated_at"] = Topic.updated_at  # a count is not an edit of the topic
    db.session.execute(
        sa.update(model)
        .where(model.id == obj.id)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(obj, list(deltas))  # read the new numbers when next asked


def _moved(counters: Mapping[Any, str], old: Any | None, new: Any | None) -> dict[str, int]:
    """Counter changes for a row going from ``old`` to ``new`` (None: no row)."""
    if old == new:
        return {}
    deltas: dict[str, int] = {}
    if old is not None:
        deltas[counters[old]] = -1
    if new is not None:
        deltas[counters[new]] = 1
    return deltas


# --- stances and votes -----------------------------------------------------------------------


def set_stance(
    topic: Topic, user: Any, stance: Stance | None, *, now: datetime | None = None
) -> Stance | None:
    """The person's stance on the proposal; ``None`` withdraws it."""
    now = now or utcnow()
    if not topic.stances_enabled:
        raise StancesDisabledError(topic.id)
    if not topic.is_open(now):
        raise ParticipationClosedError(topic.id)
    key = {"topic_id": topic.id, "user_id": user.id}
    if stance is None:
        old = _delete(TopicStance, key, TopicStance.stance)
    else:
        old = _put(TopicStance, key, "stance", stance, now)
    _count(topic, _moved(STANCE_COUNTERS, old, stance))
    return stance


def vote_comment(
    comment: Comment, user: Any, value: VoteValue | None, *, now: datetime | None = None
) -> VoteValue | None:
    """Agree, disagree or pass on a visible comment of an open topic; ``None`` withdraws."""
    now = now or utcnow()
    if not comment.topic.is_open(now):
        raise ParticipationClosedError(comment.topic_id)
    if comment.status != CommentStatus.VISIBLE:
        raise CommentNotVotableError(comment.id)
    key = {"comment_id": comment.id, "user_id": user.id}
    if value is None:
        old = _delete(CommentVote, key, CommentVote.value)
    else:
        old = _put(CommentVote, key, "value", value, now)
    _count(comment, _moved(VOTE_COUNTERS, old, value))
    return value


# --- poll ------------------------------------------------------------------------------------


def _checked(topic: Topic, answers: Mapping[int, Iterable[int]]) -> dict[int, set[int]]:
    questions = {q.id: q for q in topic.questions}
    checked: dict[int, set[int]] = {}
    for question_id, option_ids in answers.items():
        question = questions.get(question_id)
        chosen = set(option_ids)
        if question is None or not chosen or not chosen <= {o.id for o in question.options}:
            raise InvalidAnswerError(question_id)
        if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
            raise InvalidAnswerError(question_id)
        checked[question_id] = chosen
    return checked


def _answer_row(question_id: int, user: Any, now: datetime) -> tuple[int, set[int] | None]:
    """The person's locked answer row and its options (None for a new row)."""
    key = {"question_id": question_id, "user_id": user.id}
    for _attempt in range(3):
        new_id = _insert_new(Answer, key, {"created_at": now, "updated_at": now})
        if new_id is not None:
            return new_id, None
        answer_id = db.session.scalar(
            sa.select(Answer.id).where(*_where(Answer, key)).with_for_update()
        )
        if answer_id is not None:
            chosen = db.session.scalars(
                sa.select(AnswerChoice.option_id).where(AnswerChoice.answer_id == answer_id)
            )
            return answer_id, set(chosen)
    raise RuntimeError(f"answer {key} kept changing")  # pragma: no cover


def answer_poll(
    topic: Topic,
    user: Any,
    answers: Mapping[int, Iterable[int]],
    *,
    now: datetime | None = None,
) -> Saved:
    """Save ``{question_id: {option_id, ...}}``, replacing the person's earlier choices.

    Everything is checked before the first write: a bad answer raises
    ``InvalidAnswerError`` and nothing is written.
    """
    now = now or utcnow()
    if not topic.is_open(now):
        raise ParticipationClosedError(topic.id)
    wanted = _checked(topic, answers)
    answered_before = changed = False
    for question_id, chosen in sorted(wanted.items()):  # one lock order: no deadlocks
        answer_id, before = _answer_row(question_id, user, now)
        answered_before = answered_before or before is not None
        before = before or set()
        if before == chosen:
            continue
        changed = True
        if before - chosen:
            db.session.execute(
                sa.delete(AnswerChoice)
                .where(
                    AnswerChoice.answer_id == answer_id,
                    AnswerChoice.option_id.in_(before - chosen),
                )
                .execution_options(synchronize_session=False)
            )
        if chosen - before:
            db.session.execute(
                sa.insert(AnswerChoice),
                [{"answer_id": answer_id, "option_id": o} for o in sorted(chosen - before)],
            )
        db.session.execute(
            sa.update(Answer)
            .where(Answer.id == answer_id)
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        )
    if not answered_before:
        return Saved.NEW
    return Saved.CHANGED if changed else Saved.UNCHANGED


# --- follows ---------------------------------------------------------------------------------


def follow_topic(topic: Topic, user: Any, *, now: datetime | None = None) -> bool:
    """Follow, also after closing (to hear about the results). True if newly followed."""
    now = now or utcnow()
    key = {"topic_id": topic.id, "user_id": user.id}
    if _insert_new(Follow, key, {"created_at": now}) is None:
        return False
    _count(topic, {"follower_count": 1})
    return True


def unfollow_topic(topic: Topic, user: Any) -> bool:
    """Stop following. True if the person was following."""
    key = {"topic_id": topic.id, "user_id": user.id}
    if _delete(Follow, key, Follow.id) is None:
        return False
    _count(topic, {"follower_count": -1})
    return True


# --- what the topic page shows ---------------------------------------------------------------


@dataclass
class ParticipationState:
    """What the topic page needs to know about one viewer and the topic's results."""

    stance: Stance | None = None
    votes: dict[int, VoteValue] = field(default_factory=dict)  # comment id -> vote
    answers: dict[int, set[int]] = field(default_factory=dict)  # question id -> option ids
    following: bool = False
    option_counts: dict[int, int] = field(default_factory=dict)  # option id -> answers
    respondents: dict[int, int] = field(default_factory=dict)  # question id -> people

    def percent(self, question_id: int, option_id: int) -> int:
        """Share of the question's respondents who chose the option, rounded."""
        people = self.respondents.get(question_id, 0)
        if not people:
            return 0
        return round(100 * self.option_counts.get(option_id, 0) / people)

    @property
    def answered(self) -> bool:
        return bool(self.answers)


def page_state(topic: Topic, user: Any, comment_ids: list[int]) -> ParticipationState:
    """The viewer's stance, votes, answers and follow, and the poll's results.

    At most four queries, however many comments, questions and options there are;
    one for a visitor (the results only), none for a topic without a poll.
    """
    state = ParticipationState()
    question_ids = [q.id for q in topic.questions]
    if question_ids:
        of_topic = Answer.question_id.in_(question_ids)
        # Answers per option and people per question, in one round trip.
        per_option = (
            sa.select(sa.literal("option"), AnswerChoice.option_id, sa.func.count())
            .join(Answer, AnswerChoice.answer_id == Answer.id)
            .where(of_topic)
            .group_by(AnswerChoice.option_id)
        )
        per_question = (
            sa.select(sa.literal("question"), Answer.question_id, sa.func.count())
            .where(of_topic)
            .group_by(Answer.question_id)
        )
        for kind, key, count in db.session.execute(sa.union_all(per_option, per_question)):
            (state.option_counts if kind == "option" else state.respondents)[key] = count
    if user is None or not user.is_authenticated:
        return state

    mine = {"topic_id": topic.id, "user_id": user.id}
    stance = sa.select(TopicStance.stance).where(*_where(TopicStance, mine)).scalar_subquery()
    following = sa.exists().where(*_where(Follow, mine))
    stance_value, is_following = db.session.execute(sa.select(stance, following)).one()
    state.stance = Stance(stance_value) if stance_value is not None else None
    state.following = bool(is_following)
    # Also with no comments on the page: a constant number of queries.
    state.votes = {
        comment_id: VoteValue(value)
        for comment_id, value in db.session.execute(
            sa.select(CommentVote.comment_id, CommentVote.value).where(
                CommentVote.user_id == user.id, CommentVote.comment_id.in_(comment_ids)
            )
        )
    }
    if question_ids:
        rows = db.session.execute(
            sa.select(Answer.question_id, AnswerChoice.option_id)
            .join(AnswerChoice, AnswerChoice.answer_id == Answer.id)
            .where(Answer.user_id == user.id, Answer.question_id.in_(question_ids))
        )
        for question_id, option_id in rows:
            state.answers.setdefault(question_id, set()).add(option_id)
    return state
