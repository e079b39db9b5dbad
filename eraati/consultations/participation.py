"""Stances, comment votes, poll answers and follows: state changes and the viewer's state.

One row per person per target is enforced by unique constraints. Counters on topics and
comments change only in SQL (``n = n + 1``), in the same transaction as the row they count:

- a new row comes from ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (+1; for votes
  and stances on PostgreSQL in the same statement, ``WITH new_row AS (INSERT ...) UPDATE``,
  one round trip);
- when nothing comes back, the existing row is locked (``SELECT ... FOR UPDATE``; SQLite
  serialises writers anyway) and changed, moving both counters in one UPDATE;
- a withdrawal is ``DELETE ... RETURNING`` (-1 for what was deleted, if anything).

So two requests at the same moment can neither double a row nor lose a count.
Services flush, never commit; views commit.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eraati.consultations import tallies
from eraati.consultations.models import (
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    AnswerChoice,
    BackgroundAnswer,
    Comment,
    CommentStatus,
    CommentVote,
    Follow,
    PollTally,
    Question,
    QuestionKind,
    Stance,
    Topic,
    TopicStance,
    VoteValue,
)
from eraati.core.sanitize import clean_text
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


class PersonalDataRemovedError(ParticipationError):
    """The topic's personal data was removed (eraati.retention): it takes no new links to
    people, so nobody follows it any more."""


class StancesDisabledError(ParticipationError):
    """This topic does not ask for stances on its proposal."""


class CommentNotVotableError(ParticipationError):
    """The comment is hidden, deleted or waiting for review."""


class InvalidAnswerError(ParticipationError):
    """A poll answer that does not fit its question (checked before anything is written)."""

    def __init__(self, question_id: int) -> None:
        super().__init__(question_id)
        self.question_id = question_id


class ExclusiveOptionError(InvalidAnswerError):
    """An option that excludes the others ("none of these") was chosen with another one."""

    def __init__(self, question_id: int, option_id: int) -> None:
        super().__init__(question_id)
        self.option_id = option_id


class Saved(enum.StrEnum):
    """What ``answer_poll`` did: the first answers, a change, or the same answers again."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


# --- rows and counters -----------------------------------------------------------------------
#
# Every statement below is built once per shape (model, columns, dialect) and reused with
# new values: building them again on each vote cost more than running them.


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _execute(stmt: Any, params: Mapping[str, Any]) -> sa.CursorResult:
    """Run a Core statement in the session's transaction (after flushing what is pending,
    as ``Session.execute`` would)."""
    db.session.flush()
    return db.session.connection().execute(stmt, params)


def _where(model: type, key: Mapping[str, int]) -> list[sa.ColumnElement[bool]]:
    return [getattr(model, name) == value for name, value in key.items()]


def _bound(model: type, names: Iterable[str]) -> dict[str, sa.BindParameter]:
    """``{column: :v_column}`` with each column's own type (UTC datetimes, enums)."""
    table = model.__table__
    return {name: sa.bindparam(f"v_{name}", type_=table.c[name].type) for name in names}


def _value_params(values: Mapping[str, Any]) -> dict[str, Any]:
    return {f"v_{name}": value for name, value in values.items()}


def _key_clause(model: type, key_names: Iterable[str]) -> list[sa.ColumnElement[bool]]:
    table = model.__table__
    return [
        table.c[name] == sa.bindparam(f"k_{name}", type_=table.c[name].type) for name in key_names
    ]


def _key_params(key: Mapping[str, Any]) -> dict[str, Any]:
    return {f"k_{name}": value for name, value in key.items()}


# The two ON CONFLICT statements are text: SQLAlchemy's dialect INSERT ... ON CONFLICT
# constructs cannot be cached, and compiling them again on every vote cost a quarter of a
# millisecond. The names are the models' own (never input); the values are bound, typed.


def _insert_sql(model: type, key_names: tuple[str, ...], names: tuple[str, ...]) -> str:
    """``INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id`` (SQLite and PostgreSQL)."""
    table = model.__table__
    columns = [table.c[name].name for name in key_names + names]  # KeyError for a non-column
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - the model's names
        f"VALUES ({', '.join(f':v_{c}' for c in columns)}) "
        f"ON CONFLICT ({', '.join(columns[: len(key_names)])}) DO NOTHING RETURNING id"
    )


def _typed(sql: str, model: type, names: Iterable[str]) -> sa.TextClause:
    """``sql`` with the values ``:v_<column>`` bound as ``model``'s columns (UTC, enums)."""
    table = model.__table__
    return sa.text(sql).bindparams(
        *(sa.bindparam(f"v_{name}", type_=table.c[name].type) for name in names)
    )


@functools.cache
def _insert_statement(model: type, key_names: tuple[str, ...], names: tuple[str, ...]):
    return _typed(_insert_sql(model, key_names, names), model, key_names + names)


def _insert_new(model: type, key: Mapping[str, int], values: Mapping[str, Any]) -> int | None:
    """The id of a new row, or None when the person already has one (nothing written)."""
    if _dialect() not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no upsert for {_dialect()}")
    stmt = _insert_statement(model, tuple(key), tuple(values))
    return _execute(stmt, _value_params({**key, **values})).scalar_one_or_none()


@functools.cache
def _insert_and_count_statement(
    model: type, key_names: tuple[str, ...], names: tuple[str, ...], counted: type, counter: str
):
    """PostgreSQL: the new row and ``counter + 1`` on the row it counts, in one statement
    (one round trip). When the person already has a row, nothing at all happens. (The
    topic's ``updated_at`` stays: a count is not an edit, and text SQL sets nothing else.)"""
    table = counted.__table__
    counter = table.c[counter].name  # KeyError for a non-column
    sql = (
        f"WITH new_row AS ({_insert_sql(model, key_names, names)}) "  # noqa: S608 - as above
        f"UPDATE {table.name} SET {counter} = {counter} + 1 "
        f"WHERE id = :counted_id AND EXISTS (SELECT 1 FROM new_row) RETURNING id"
    )
    return _typed(sql, model, key_names + names)


def _insert_counted(
    model: type, key: Mapping[str, int], values: Mapping[str, Any], obj: Any, counter: str
) -> bool | None:
    """A new row counted in ``obj.counter`` in one statement: True if the row is new, False
    if the person already has one (nothing written); None where the database cannot do it
    in one statement (SQLite: the caller inserts and counts in two)."""
    if _dialect() != "postgresql":
        return None
    stmt = _insert_and_count_statement(model, tuple(key), tuple(values), type(obj), counter)
    inserted = (
        _execute(stmt, {**_value_params({**key, **values}), "counted_id": obj.id}).first()
        is not None
    )
    if inserted:
        db.session.expire(obj, [counter])  # read the new number when next asked
    return inserted


@functools.cache
def _delete_statement(model: type, key_names: tuple[str, ...], column: str):
    return (
        sa.delete(model.__table__)
        .where(*_key_clause(model, key_names))
        .returning(model.__table__.c[column])
    )


def _delete(model: type, key: Mapping[str, int], column: str) -> Any | None:
    """Delete the person's row; ``column`` of the deleted row, or None if there was none."""
    stmt = _delete_statement(model, tuple(key), column)
    return _execute(stmt, _key_params(key)).scalar_one_or_none()


@functools.cache
def _lock_statement(model: type, key_names: tuple[str, ...], column: str):
    table = model.__table__
    return (
        sa.select(table.c.id, table.c[column])
        .where(*_key_clause(model, key_names))
        .with_for_update()
    )


@functools.cache
def _change_statement(model: type, column: str):
    table = model.__table__
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(_bound(model, (column, "updated_at")))
    )


def _put(
    model: type,
    key: Mapping[str, int],
    name: str,
    value: Any,
    now: datetime,
    count_in: tuple[Any, str] | None = None,
) -> tuple[Any | None, bool]:
    """Give the person's row ``name = value``: (the previous value, None if the row is new;
    whether the new row is counted already). With ``count_in=(obj, counter)`` a new row adds
    1 to ``obj.counter`` in the same statement where the database can do that."""
    values = {name: value, "created_at": now, "updated_at": now}
    for attempt in range(3):
        counted = (
            _insert_counted(model, key, values, *count_in) if count_in and not attempt else None
        )
        if counted:
            return None, True
        if counted is None and _insert_new(model, key, values) is not None:
            return None, False
        row = _execute(_lock_statement(model, tuple(key), name), _key_params(key)).one_or_none()
        if row is None:  # withdrawn in between: insert again
            continue
        old = row[1]
        if old != value:
            _execute(
                _change_statement(model, name),
                {"row_id": row[0], **_value_params({name: value, "updated_at": now})},
            )
        return old, False
    raise RuntimeError(f"{model.__name__} {dict(key)} kept changing")  # pragma: no cover


@functools.cache
def _count_statement(model: type, names: tuple[str, ...]):
    table = model.__table__
    values: dict[str, Any] = {
        name: table.c[name] + sa.bindparam(f"d_{name}", type_=sa.Integer) for name in names
    }
    if model is Topic:
        values["updated_at"] = table.c.updated_at  # a count is not an edit of the topic
    return sa.update(table).where(table.c.id == sa.bindparam("counted_id")).values(values)


def _count(obj: Topic | Comment, deltas: Mapping[str, int]) -> None:
    """``UPDATE ... SET n = n + delta`` for the counters of ``obj``, in one statement."""
    moved = {name: delta for name, delta in deltas.items() if delta}
    if not moved:
        return
    stmt = _count_statement(type(obj), tuple(sorted(moved)))
    _execute(stmt, {"counted_id": obj.id, **{f"d_{name}": d for name, d in moved.items()}})
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
    counted = False
    if stance is None:
        old = _delete(TopicStance, key, "stance")
    else:
        count_in = (topic, STANCE_COUNTERS[stance])
        old, counted = _put(TopicStance, key, "stance", stance, now, count_in)
    if not counted:
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
    counted = False
    if value is None:
        old = _delete(CommentVote, key, "value")
    else:
        count_in = (comment, VOTE_COUNTERS[value])
        old, counted = _put(CommentVote, key, "value", value, now, count_in)
    if not counted:
        _count(comment, _moved(VOTE_COUNTERS, old, value))
    return value


# --- poll ------------------------------------------------------------------------------------
#
# A reply to one question, by its kind: a set of option ids (single, multiple), the text
# (open), the number (scale), or the option ids from the first place to the last (ranking).
# ``None`` leaves an optional question unanswered (an earlier answer to it is withdrawn).

Reply = Any


class MissingAnswerError(InvalidAnswerError):
    """A required question was left unanswered."""


def normalised(question: Question, reply: Reply) -> Reply:
    """``reply`` in the one form it is compared and stored in (raises InvalidAnswerError)."""
    kind = question.kind
    try:
        if kind == QuestionKind.OPEN:
            return clean_text(reply) if isinstance(reply, str) else _invalid(question)
        if kind == QuestionKind.SCALE:
            return int(reply) if not isinstance(reply, bool) else _invalid(question)
        if kind == QuestionKind.RANKING:
            return tuple(int(o) for o in reply)
        return {int(o) for o in reply}
    except (TypeError, ValueError):
        return _invalid(question)


def _invalid(question: Question):
    raise InvalidAnswerError(question.id)


def check_answer(question: Question, reply: Reply) -> None:
    """The rules of one answer, whoever gives it (the poll form, the demo). Choice
    questions: options of the question, at least one, one only for a single-choice
    question, and an exclusive option ("none of these") only alone. Open: some text, at
    most the question's limit. Scale: SCALE_MIN..SCALE_MAX. Ranking: every option once,
    in an order. Raises ``InvalidAnswerError`` (or its ``ExclusiveOptionError``)."""
    reply = normalised(question, reply)
    kind = question.kind
    if kind == QuestionKind.OPEN:
        if not reply or len(reply) > question.length_limit:
            raise InvalidAnswerError(question.id)
        return
    if kind == QuestionKind.SCALE:
        if not SCALE_MIN <= reply <= SCALE_MAX:
            raise InvalidAnswerError(question.id)
        return
    offered = {o.id for o in question.options}
    if kind == QuestionKind.RANKING:
        if len(reply) != len(offered) or set(reply) != offered:
            raise InvalidAnswerError(question.id)
        return
    chosen = reply
    if not chosen or not chosen <= offered:
        raise InvalidAnswerError(question.id)
    if kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise InvalidAnswerError(question.id)
    clash = question.exclusive_clash(chosen)
    if clash is not None:
        raise ExclusiveOptionError(question.id, clash.id)


def _checked(topic: Topic, answers: Mapping[int, Reply]) -> dict[int, Reply]:
    questions = {q.id: q for q in topic.questions}
    checked: dict[int, Reply] = {}
    for question_id, reply in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise InvalidAnswerError(question_id)
        if reply is None:
            if question.required:
                raise MissingAnswerError(question_id)
            checked[question_id] = None
            continue
        check_answer(question, reply)
        checked[question_id] = normalised(question, reply)
    return checked


def _row_values(question: Question, reply: Reply) -> dict[str, Any]:
    """The columns of the answer row itself (open: the text, scale: the value)."""
    if question.kind == QuestionKind.OPEN:
        return {"text": reply}
    if question.kind == QuestionKind.SCALE:
        return {"value": reply}
    return {}


def _stored(question: Question, answer_id: int) -> Reply:
    """The person's current reply, in the form ``normalised`` gives."""
    if question.kind in (QuestionKind.OPEN, QuestionKind.SCALE):
        column = Answer.text if question.kind == QuestionKind.OPEN else Answer.value
        return db.session.scalar(sa.select(column).where(Answer.id == answer_id))
    rows = db.session.execute(
        sa.select(AnswerChoice.option_id, AnswerChoice.rank).where(
            AnswerChoice.answer_id == answer_id
        )
    ).all()
    if question.kind == QuestionKind.RANKING:
        return tuple(o for o, _rank in sorted(rows, key=lambda r: r[1] or 0))
    return {o for o, _rank in rows}


def _answer_row(question: Question, user: Any, reply: Reply, now: datetime) -> tuple[int, Reply]:
    """The person's locked answer row and its reply before (None for a new row, which is
    written with ``reply``'s own columns already)."""
    key = {"question_id": question.id, "user_id": user.id}
    values = {**_row_values(question, reply), "created_at": now, "updated_at": now}
    for _attempt in range(3):
        new_id = _insert_new(Answer, key, values)
        if new_id is not None:
            return new_id, None
        answer_id = db.session.scalar(
            sa.select(Answer.id).where(*_where(Answer, key)).with_for_update()
        )
        if answer_id is not None:
            return answer_id, _stored(question, answer_id)
    raise RuntimeError(f"answer {key} kept changing")  # pragma: no cover


def _withdraw(question: Question, user: Any) -> Reply:
    """Delete the person's answer to an optional question; the reply it had (None if
    there was none). The row is locked first, as a change locks it, and its choices read
    before they go by cascade."""
    answer_id = db.session.scalar(
        sa.select(Answer.id)
        .where(Answer.question_id == question.id, Answer.user_id == user.id)
        .with_for_update()
    )
    if answer_id is None:
        return None
    before = _stored(question, answer_id)
    if _delete(Answer, {"id": answer_id}, "id") is None:  # pragma: no cover - locked above
        return None
    return before


def _write_choices(question: Question, answer_id: int, before: Reply, reply: Reply) -> None:
    if question.kind == QuestionKind.RANKING:
        # Places move as a whole: the old ones go first (each place is unique per answer).
        if before:
            db.session.execute(
                sa.delete(AnswerChoice)
                .where(AnswerChoice.answer_id == answer_id)
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            sa.insert(AnswerChoice),
            [
                {"answer_id": answer_id, "option_id": o, "rank": place}
                for place, o in enumerate(reply, start=1)
            ],
        )
        return
    before = before or set()
    if before - reply:
        db.session.execute(
            sa.delete(AnswerChoice)
            .where(AnswerChoice.answer_id == answer_id, AnswerChoice.option_id.in_(before - reply))
            .execution_options(synchronize_session=False)
        )
    if reply - before:
        db.session.execute(
            sa.insert(AnswerChoice),
            [{"answer_id": answer_id, "option_id": o} for o in sorted(reply - before)],
        )


def answer_poll(
    topic: Topic,
    user: Any,
    answers: Mapping[int, Reply],
    *,
    background: Mapping[str, str | None] | None = None,
    now: datetime | None = None,
) -> Saved:
    """Save ``{question_id: reply}`` (see ``Reply``), replacing the person's earlier
    answers; ``None`` for an optional question withdraws its answer, and questions not in
    ``answers`` stay as they were. ``background`` (``{key: code or None}``) saves the
    background answers too, as ``answer_background`` does; their change alone is a change.

    Everything is checked before the first write (``check_answer``; a required question
    given ``None`` raises ``MissingAnswerError``; ``check_background``): a bad answer
    raises ``InvalidAnswerError`` (``InvalidBackgroundError``) and nothing is written.
    The poll tallies move in one statement (``tallies``). The view commits once.
    """
    now = now or utcnow()
    if not topic.is_open(now):
        raise ParticipationClosedError(topic.id)
    wanted = _checked(topic, answers)
    told = check_background(topic, background) if background is not None else None
    _one_save_at_a_time(topic, user)
    questions = {q.id: q for q in topic.questions}
    answered_before = changed = False
    moved: list[tallies.Delta] = []
    # The person's groups in the tallies' background breakdowns; a change of them moves
    # the earlier answers between groups, in the same one tally statement as the rest.
    groups = tallies.groups_of(topic.id, user.id, lock=told is not None)
    if told is not None and _save_background(topic, user, told, now):
        changed = True
        new_groups = _new_groups(groups, told)
        moved.append(tallies.regrouped(_replies(topic, user), groups, new_groups))
        groups = new_groups
    for question_id, reply in sorted(wanted.items()):  # one lock order: no deadlocks
        question = questions[question_id]
        if reply is None:
            before = _withdraw(question, user)
            answered_before = answered_before or before is not None
            changed = changed or before is not None
            moved.append(tallies.spread(tallies.moved(question, before, None), groups))
            continue
        answer_id, before = _answer_row(question, user, reply, now)
        answered_before = answered_before or before is not None
        if before == reply:
            continue
        changed = True
        moved.append(tallies.spread(tallies.moved(question, before, reply), groups))
        if question.kind.has_options:
            _write_choices(question, answer_id, before, reply)
        values = {"updated_at": now}
        if before is not None:
            values.update(_row_values(question, reply))
        db.session.execute(
            sa.update(Answer)
            .where(Answer.id == answer_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    tallies.apply(tallies.merge(*moved))  # after the answers' locks, in key order
    if not answered_before:
        return Saved.NEW
    return Saved.CHANGED if changed else Saved.UNCHANGED


def _one_save_at_a_time(topic: Topic, user: Any) -> None:
    """Wait for any other save of this person's survey answers in this topic to end.

    A save reads the person's background groups before it writes, and the tallies move by
    those groups: two saves at once (a double click on a first save, which finds no
    background row to lock) would each move the answers from the groups they read, and
    the tallies would drift from the rows. On PostgreSQL a transaction-level advisory lock
    on (topic, person) serialises them; SQLite's writers already run one at a time
    (``BEGIN IMMEDIATE``)."""
    if _dialect() == "postgresql":
        db.session.execute(
            sa.select(
                sa.func.pg_advisory_xact_lock(
                    sa.cast(topic.id, sa.Integer), sa.cast(user.id, sa.Integer)
                )
            )
        )


class InvalidBackgroundError(ParticipationError):
    """A background answer that is not one of the choices (or a question not asked)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def check_background(topic: Topic, values: Mapping[str, str | None]) -> dict[str, str | None]:
    """``{column: code or None}`` of ``{question key: code or None}`` (None: "I'd rather
    not say"); raises ``InvalidBackgroundError`` for a question the topic does not ask
    or an answer that is not one of its choices."""
    from eraati.consultations import background

    asked = {q.key: q for q in background.chosen(topic)}
    codes: list[str] | None = None
    out: dict[str, str | None] = {q.column: None for q in asked.values()}
    for key, value in values.items():
        question = asked.get(key)
        if question is None:
            raise InvalidBackgroundError(key)
        if not value:
            continue
        if question.key == "municipality":
            if codes is None:
                codes = background.municipality_codes(topic.organisation)
            allowed = {*codes, background.OTHER}
        else:
            allowed = set(background.AGE_GROUPS if key == "age" else background.RELATIONS)
        if value not in allowed:
            raise InvalidBackgroundError(key)
        out[question.column] = value
    return out


def answer_background(
    topic: Topic, user: Any, values: Mapping[str, str | None], *, now: datetime | None = None
) -> bool:
    """Save the person's background answers (``{key: code or None}``, every question the
    topic asks; see ``check_background``), replacing earlier ones; all None removes the
    row. Checked before anything is written. True if something changed. The view saves
    them with the survey's answers and commits once."""
    now = now or utcnow()
    if not topic.is_open(now):
        raise ParticipationClosedError(topic.id)
    wanted = check_background(topic, values)
    _one_save_at_a_time(topic, user)
    old = tallies.groups_of(topic.id, user.id, lock=True)
    if not _save_background(topic, user, wanted, now):
        return False
    tallies.apply(tallies.regrouped(_replies(topic, user), old, _new_groups(old, wanted)))
    return True


def _replies(topic: Topic, user: Any) -> list[tuple[int, QuestionKind, Reply]]:
    """The person's replies to the topic's questions, as stored now: one query."""
    of_person = [Answer.user_id == user.id, Question.topic_id == topic.id]
    return [(q, kind, reply) for q, kind, reply, _groups in tallies.replies_of(of_person)]


def _new_groups(old: tallies.Groups, wanted: Mapping[str, str | None]) -> tallies.Groups:
    """The person's groups once ``wanted`` (``check_background``'s) is saved."""
    if not any(wanted.values()):
        return dict(tallies.NOT_TOLD)  # the row is removed
    new = dict(old)
    for dimension, column in tallies.DIMENSIONS.items():
        if column in wanted:
            new[dimension] = wanted[column] or ""
    return new


def _save_background(
    topic: Topic, user: Any, wanted: Mapping[str, str | None], now: datetime
) -> bool:
    """Write ``check_background``'s answers; True if something changed."""
    key = {"topic_id": topic.id, "user_id": user.id}
    if not any(wanted.values()):
        return _delete(BackgroundAnswer, key, "id") is not None
    if _insert_new(BackgroundAnswer, key, {**wanted, "created_at": now, "updated_at": now}):
        return True
    columns = [getattr(BackgroundAnswer, name) for name in wanted]
    row = db.session.execute(
        sa.select(BackgroundAnswer.id, *columns)
        .where(*_where(BackgroundAnswer, key))
        .with_for_update()
    ).one()
    if dict(zip(wanted, row[1:], strict=True)) == wanted:
        return False
    db.session.execute(
        sa.update(BackgroundAnswer)
        .where(BackgroundAnswer.id == row[0])
        .values(**wanted, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return True


# --- follows ---------------------------------------------------------------------------------


def follow_topic(topic: Topic, user: Any, *, now: datetime | None = None) -> bool:
    """Follow, also after closing (to hear about the results). True if newly followed.
    The results e-mail is recorded for the followers when the results are published, so
    following later, or again, brings no late or second one. A topic whose personal data
    was removed takes no new followers."""
    now = now or utcnow()
    if topic.anonymised_at is not None:
        raise PersonalDataRemovedError(topic.id)
    key = {"topic_id": topic.id, "user_id": user.id}
    values = {"created_at": now}
    if _insert_new(Follow, key, values) is None:
        return False
    _count(topic, {"follower_count": 1})
    return True


def unfollow_topic(topic: Topic, user: Any) -> bool:
    """Stop following. True if the person was following."""
    key = {"topic_id": topic.id, "user_id": user.id}
    if _delete(Follow, key, "id") is None:
        return False
    _count(topic, {"follower_count": -1})
    from eraati.notifications import reminders

    reminders.forget(topic.id, user.id)  # a reminder not yet sent is not sent
    return True


# --- what the topic page shows ---------------------------------------------------------------


@dataclass
class PollCounts:
    """Everyone's answers to some questions, counted in the database."""

    options: dict[int, int] = field(default_factory=dict)  # option -> choosing (ranking: first)
    rank_sums: dict[int, int] = field(default_factory=dict)  # ranking option -> sum of places
    respondents: dict[int, int] = field(default_factory=dict)  # question -> people
    scale: dict[int, dict[int, int]] = field(default_factory=dict)  # question -> value -> people


def poll_counts(question_ids: list[int]) -> PollCounts:
    """Answers per option (a ranking's first places and sums of places), people per
    question and per scale value: one query of the stored tallies (``tallies``), as long
    as the questions have options, however many answers there are."""
    counts = PollCounts()
    if not question_ids:
        return counts
    rows = db.session.execute(
        sa.select(
            PollTally.question_id,
            PollTally.item,
            PollTally.n,
            PollTally.rank_sum,
            Question.kind,
        )
        .join(Question, Question.id == PollTally.question_id)
        .where(
            PollTally.question_id.in_(question_ids),
            PollTally.dimension == tallies.OVERALL,
            PollTally.grp == tallies.OVERALL,
        )
    )
    for question_id, item, n, rank_sum, kind in rows:
        if item == tallies.RESPONDENTS:
            if n:
                counts.respondents[question_id] = int(n)
        elif QuestionKind(kind) == QuestionKind.SCALE:
            if n:
                counts.scale.setdefault(question_id, {})[int(item)] = int(n)
        elif QuestionKind(kind).has_options and (n or rank_sum):
            counts.options[item] = int(n)
            counts.rank_sums[item] = int(rank_sum)
    return counts


def median_of_counts(counts: Mapping[int, int]) -> float | None:
    """The median of values given as ``{value: how many}`` (the mean of the middle two
    when their number is even); None when there are none."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        n = counts[value]
        for index in middle:
            if seen <= index < seen + n:
                found.append(value)
        seen += n
    return sum(found) / len(found)


@dataclass
class ParticipationState:
    """What the topic page needs to know about one viewer and the topic's results."""

    stance: Stance | None = None
    votes: dict[int, VoteValue] = field(default_factory=dict)  # comment id -> vote
    answers: dict[int, set[int]] = field(default_factory=dict)  # question id -> option ids
    texts: dict[int, str] = field(default_factory=dict)  # open question id -> own text
    values: dict[int, int] = field(default_factory=dict)  # scale question id -> own value
    ranks: dict[int, dict[int, int]] = field(default_factory=dict)  # question -> option -> place
    following: bool = False
    # The viewer's background answers, ``{question key: code}`` (None: no answers saved).
    background: dict[str, str | None] | None = None
    # option id -> answers choosing it (ranking: people who put it first)
    option_counts: dict[int, int] = field(default_factory=dict)
    rank_sums: dict[int, int] = field(default_factory=dict)  # ranking option id -> sum of places
    respondents: dict[int, int] = field(default_factory=dict)  # question id -> people
    scale_counts: dict[int, dict[int, int]] = field(default_factory=dict)  # q -> value -> people

    def percent(self, question_id: int, option_id: int) -> int:
        """Share of the question's respondents who chose the option, rounded."""
        people = self.respondents.get(question_id, 0)
        if not people:
            return 0
        return round(100 * self.option_counts.get(option_id, 0) / people)

    def mean_rank(self, question_id: int, option_id: int) -> float | None:
        people = self.respondents.get(question_id, 0)
        return self.rank_sums.get(option_id, 0) / people if people else None

    def scale_percent(self, question_id: int, value: int) -> int:
        people = self.respondents.get(question_id, 0)
        counts = self.scale_counts.get(question_id, {})
        return round(100 * counts.get(value, 0) / people) if people else 0

    def scale_mean(self, question_id: int) -> float | None:
        counts = self.scale_counts.get(question_id, {})
        people = sum(counts.values())
        return sum(v * n for v, n in counts.items()) / people if people else None

    def scale_median(self, question_id: int) -> float | None:
        return median_of_counts(self.scale_counts.get(question_id, {}))

    def ranked(self, question: Question) -> list[Any]:
        """A ranking question's options from the best mean place (smallest) to the worst."""
        return sorted(
            question.options,
            key=lambda o: (self.mean_rank(question.id, o.id) or 0, o.position),
        )

    @property
    def answered(self) -> bool:
        return bool(self.answers or self.texts or self.values or self.ranks)


def page_state(topic: Topic, user: Any, comment_ids: list[int]) -> ParticipationState:
    """The viewer's stance, votes, answers and follow, and the poll's results.

    At most four queries, however many comments, questions and options there are;
    one for a visitor (the results only), none for a topic without a poll.
    """
    state = ParticipationState()
    question_ids = [q.id for q in topic.questions]
    if question_ids:
        counts = poll_counts(question_ids)
        state.option_counts, state.rank_sums = counts.options, counts.rank_sums
        state.respondents, state.scale_counts = counts.respondents, counts.scale
    if user is None or not user.is_authenticated:
        return state

    mine = {"topic_id": topic.id, "user_id": user.id}
    stance = sa.select(TopicStance.stance).where(*_where(TopicStance, mine)).scalar_subquery()
    following = sa.exists().where(*_where(Follow, mine))
    # The background answers come in the same statement (one column each, with whether
    # the row exists): no query more for a survey that asks them.
    from eraati.consultations import background

    asked = background.chosen(topic) if question_ids else []
    extra = [
        sa.select(getattr(BackgroundAnswer, q.column))
        .where(*_where(BackgroundAnswer, mine))
        .scalar_subquery()
        for q in asked
    ]
    if asked:
        extra.append(sa.exists().where(*_where(BackgroundAnswer, mine)))
    stance_value, is_following, *given = db.session.execute(
        sa.select(stance, following, *extra)
    ).one()
    if asked and given[-1]:
        state.background = {q.key: v for q, v in zip(asked, given, strict=False)}
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
            sa.select(
                Answer.question_id,
                AnswerChoice.option_id,
                AnswerChoice.rank,
                Answer.text,
                Answer.value,
            )
            .outerjoin(AnswerChoice, AnswerChoice.answer_id == Answer.id)
            .where(Answer.user_id == user.id, Answer.question_id.in_(question_ids))
        )
        for question_id, option_id, rank, text, value in rows:
            if text is not None:
                state.texts[question_id] = text
            if value is not None:
                state.values[question_id] = value
            if rank is not None:
                state.ranks.setdefault(question_id, {})[option_id] = rank
            elif option_id is not None:
                state.answers.setdefault(question_id, set()).add(option_id)
    return state
