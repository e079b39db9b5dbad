"""Poll tallies (``PollTally``): each question's figures kept as the answers change.

Every change of answers moves the tallies in the same transaction, by ``n = n + k``
(``INSERT ... ON CONFLICT DO UPDATE``, on PostgreSQL and SQLite alike), never by reading
and writing a number back: two people answering at the same moment cannot lose a count.
The rows of one change are written in one statement, in key order, so two transactions
take the tally rows' locks in the same order (no deadlocks).

- ``answer_poll`` (participation.py): ``moved(question, before, after)`` per question;
- account deletion (accounts.services.delete_account): ``forget_person`` before the
  answers go by ON DELETE CASCADE;
- bulk loads (demo, benchmarks, tests that write rows): ``counters.recount`` recomputes
  the tallies of their topics from the rows (``recompute``);
- retention keeps the answers (as the anonymised participant's), so the tallies stay;
- a poll is edited only while it has no answers (manage: ``PollLockedError``); the edit
  drops its questions' tallies, all zero by then.

Only the overall dimension (``""``) is kept now; the ``dimension``/``grp`` columns leave
room for background breakdowns.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    PollTally,
    Question,
    QuestionKind,
)
from eraati.extensions import db

RESPONDENTS = 0  # the item that counts the question's respondents
OVERALL = ""  # the dimension (and group) of everyone

Key = tuple[int, str, str, int]  # question, dimension, group, item
Delta = dict[Key, tuple[int, int]]  # -> (n, rank_sum)


def contributions(question_id: int, kind: QuestionKind, reply: Any) -> Delta:
    """What one person's reply (``participation.normalised``'s form; None: no answer)
    adds to the question's tallies."""
    if reply is None:
        return {}
    q, d, g = question_id, OVERALL, OVERALL
    found: Delta = {(q, d, g, RESPONDENTS): (1, 0)}
    if kind == QuestionKind.SCALE:
        found[(q, d, g, int(reply))] = (1, 0)
    elif kind == QuestionKind.RANKING:
        for place, option_id in enumerate(reply, start=1):
            found[(q, d, g, int(option_id))] = (1 if place == 1 else 0, place)
    elif kind.has_options:
        for option_id in reply:
            found[(q, d, g, int(option_id))] = (1, 0)
    return found


def moved(question: Question, before: Any, after: Any) -> Delta:
    """The tallies' change when a person's reply goes from ``before`` to ``after``."""
    delta: dict[Key, list[int]] = {}
    for sign, reply in ((-1, before), (1, after)):
        for key, (n, rank_sum) in contributions(question.id, question.kind, reply).items():
            entry = delta.setdefault(key, [0, 0])
            entry[0] += sign * n
            entry[1] += sign * rank_sum
    return {k: (n, r) for k, (n, r) in delta.items() if n or r}


def merge(*deltas: Mapping[Key, tuple[int, int]]) -> Delta:
    n: Counter[Key] = Counter()
    r: Counter[Key] = Counter()
    for delta in deltas:
        for key, (dn, dr) in delta.items():
            n[key] += dn
            r[key] += dr
    return {k: (n[k], r[k]) for k in set(n) | set(r) if n[k] or r[k]}


@functools.cache
def _apply_statement(rows: int) -> sa.TextClause:
    """``rows`` tally changes as one ``INSERT ... ON CONFLICT DO UPDATE SET n = n + k``
    (text, cached per size: the names are the model's, the values bound)."""
    values = ", ".join(f"(:q{i}, :d{i}, :g{i}, :i{i}, :n{i}, :r{i})" for i in range(rows))
    return sa.text(
        "INSERT INTO poll_tallies (question_id, dimension, grp, item, n, rank_sum) "  # noqa: S608 - placeholders only
        f"VALUES {values} "
        "ON CONFLICT (question_id, dimension, grp, item) DO UPDATE SET "
        "n = poll_tallies.n + excluded.n, rank_sum = poll_tallies.rank_sum + excluded.rank_sum"
    )


def apply(delta: Mapping[Key, tuple[int, int]]) -> None:
    """Move the tallies by ``delta`` in one statement (nothing when it is empty)."""
    keys = sorted(k for k, (n, r) in delta.items() if n or r)
    if not keys:
        return
    params: dict[str, Any] = {}
    for i, key in enumerate(keys):
        q, d, g, item = key
        params.update({f"q{i}": q, f"d{i}": d, f"g{i}": g, f"i{i}": item, f"n{i}": delta[key][0]})
        params[f"r{i}"] = delta[key][1]
    db.session.flush()
    db.session.connection().execute(_apply_statement(len(keys)), params)


def replies_of(where: Iterable[sa.ColumnElement[bool]]) -> list[tuple[int, QuestionKind, Any]]:
    """(question id, kind, reply) of the answers ``where`` selects: one query."""
    rows = db.session.execute(
        sa.select(
            Answer.id,
            Answer.question_id,
            Question.kind,
            Answer.value,
            AnswerChoice.option_id,
            AnswerChoice.rank,
        )
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerChoice, AnswerChoice.answer_id == Answer.id)
        .where(*where)
        .order_by(Answer.id, AnswerChoice.rank, AnswerChoice.option_id)
    )
    found: dict[int, list[Any]] = {}
    for answer_id, question_id, kind, value, option_id, _rank in rows:
        kind = QuestionKind(kind)
        entry = found.setdefault(answer_id, [question_id, kind, None])
        if kind == QuestionKind.SCALE:
            entry[2] = value
        elif kind == QuestionKind.RANKING:
            entry[2] = (*(entry[2] or ()), option_id)  # in order of place
        elif kind.has_options:
            entry[2] = (entry[2] or set()) | ({option_id} if option_id is not None else set())
        else:
            entry[2] = ""  # open: only the respondent counts
    return [tuple(e) for e in found.values()]  # type: ignore[misc]


def forget_person(user_id: int) -> None:
    """Take the person's answers out of the tallies (before they are deleted): two
    statements, however many answers."""
    delta: dict[Key, tuple[int, int]] = {}
    for question_id, kind, reply in replies_of([Answer.user_id == user_id]):
        for key, (n, r) in contributions(question_id, kind, reply).items():
            on = delta.get(key, (0, 0))
            delta[key] = (on[0] - n, on[1] - r)
    apply(delta)


def counted(question_ids: Any | None = None) -> sa.Select:
    """What each tally should be, counted from the rows: (question_id, dimension, grp,
    item, n, rank_sum); ``question_ids`` a list or a select of ids (all when None)."""

    def of(column: Any) -> list[sa.ColumnElement[bool]]:
        return [] if question_ids is None else [column.in_(question_ids)]

    first = sa.case((sa.or_(AnswerChoice.rank.is_(None), AnswerChoice.rank == 1), 1), else_=0)
    per_option = (
        sa.select(
            Answer.question_id.label("question_id"),
            AnswerChoice.option_id.label("item"),
            sa.func.sum(first).label("n"),
            sa.func.coalesce(sa.func.sum(AnswerChoice.rank), 0).label("rank_sum"),
        )
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(*of(Answer.question_id))
        .group_by(Answer.question_id, AnswerChoice.option_id)
    )
    per_question = (
        sa.select(
            Answer.question_id,
            sa.literal(RESPONDENTS, sa.Integer),
            sa.func.count(),
            sa.literal(0, sa.Integer),
        )
        .where(*of(Answer.question_id))
        .group_by(Answer.question_id)
    )
    per_value = (
        sa.select(
            Answer.question_id,
            sa.cast(Answer.value, sa.Integer),
            sa.func.count(),
            sa.literal(0, sa.Integer),
        )
        .where(*of(Answer.question_id), Answer.value.is_not(None))
        .group_by(Answer.question_id, Answer.value)
    )
    rows = sa.union_all(per_option, per_question, per_value).subquery("counted")
    return sa.select(
        rows.c.question_id,
        sa.literal(OVERALL, sa.String).label("dimension"),
        sa.literal(OVERALL, sa.String).label("grp"),
        rows.c.item,
        rows.c.n,
        rows.c.rank_sum,
    )


def recompute(question_ids: Any | None = None) -> None:
    """Set the tallies of the questions (all when None) from the rows: for bulk loads."""
    where = [] if question_ids is None else [PollTally.question_id.in_(question_ids)]
    db.session.execute(sa.delete(PollTally).where(*where))
    db.session.execute(
        sa.insert(PollTally).from_select(
            ["question_id", "dimension", "grp", "item", "n", "rank_sum"], counted(question_ids)
        )
    )


def mismatches() -> list[tuple[Key, int, int, int, int]]:
    """Every tally that differs from its rows: (key, stored n, counted n, stored rank sum,
    counted rank sum). A stored zero with no rows is no mismatch."""
    rows = counted().subquery("rows")
    stored = {
        (t.question_id, t.dimension, t.grp, t.item): (t.n, t.rank_sum)
        for t in db.session.execute(sa.select(*PollTally.__table__.c))
    }
    should = {
        (r.question_id, r.dimension, r.grp, r.item): (int(r.n), int(r.rank_sum))
        for r in db.session.execute(sa.select(rows))
    }
    found = []
    for key in sorted(set(stored) | set(should)):
        have, want = stored.get(key, (0, 0)), should.get(key, (0, 0))
        if have != want:
            found.append((key, have[0], want[0], have[1], want[1]))
    return found
