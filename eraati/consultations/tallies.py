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

Besides everyone (dimension ``""``), each answer is counted once per background
question (``DIMENSIONS``: ``"age"``, ``"relation"``, ``"municipality"``) in the group of
the person's stored background answer for the topic (``grp``: the stored code, ``""`` for
"I'd rather not say" or no background answers). This is kept for every survey, whether
it asks background questions or not (then everyone is in ``""``): one rule, one check.
``answer_background`` moves the person's answers between groups when the background
changes. The results map the stored codes to their groups (``background.group_of``).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eraati.consultations.background import QUESTIONS
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    BackgroundAnswer,
    PollTally,
    Question,
    QuestionKind,
)
from eraati.extensions import db

RESPONDENTS = 0  # the item that counts the question's respondents
OVERALL = ""  # the dimension (and group) of everyone

# The background breakdowns: dimension -> BackgroundAnswer's column.
DIMENSIONS: dict[str, str] = {key: q.column for key, q in QUESTIONS.items()}

Key = tuple[int, str, str, int]  # question, dimension, group, item
Delta = dict[Key, tuple[int, int]]  # -> (n, rank_sum)
Groups = dict[str, str]  # dimension -> the person's group ("" not told)

NOT_TOLD: Groups = dict.fromkeys(DIMENSIONS, "")


def groups_of(topic_id: int, user_id: int, *, lock: bool = False) -> Groups:
    """The person's groups in the topic (their background answers): one query."""
    stmt = sa.select(*(getattr(BackgroundAnswer, c) for c in DIMENSIONS.values())).where(
        BackgroundAnswer.topic_id == topic_id, BackgroundAnswer.user_id == user_id
    )
    row = db.session.execute(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        return dict(NOT_TOLD)
    return {dim: value or "" for dim, value in zip(DIMENSIONS, row, strict=True)}


def spread(delta: Mapping[Key, tuple[int, int]], groups: Mapping[str, str]) -> Delta:
    """``delta`` of everyone, also in each dimension's group of the person."""
    out: Delta = dict(delta)
    for (q, dim, _g, item), change in delta.items():
        if dim != OVERALL:
            continue
        for dimension, group in groups.items():
            out[(q, dimension, group, item)] = change
    return out


def regrouped(replies: Iterable[tuple[int, QuestionKind, Any]], old: Groups, new: Groups) -> Delta:
    """The tallies' change when a person with ``replies`` moves from groups ``old`` to
    ``new`` (only the dimensions whose group changed)."""
    out: dict[Key, list[int]] = {}
    for question_id, kind, reply in replies:
        for (q, _d, _g, item), (n, r) in contributions(question_id, kind, reply).items():
            for dim in DIMENSIONS:
                if old[dim] == new[dim]:
                    continue
                for sign, group in ((-1, old[dim]), (1, new[dim])):
                    entry = out.setdefault((q, dim, group, item), [0, 0])
                    entry[0] += sign * n
                    entry[1] += sign * r
    return {k: (n, r) for k, (n, r) in out.items() if n or r}


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


def replies_of(
    where: Iterable[sa.ColumnElement[bool]],
) -> list[tuple[int, QuestionKind, Any, Groups]]:
    """(question id, kind, reply, the person's groups) of the answers ``where`` selects
    (answers of accounts): one query."""
    told = [getattr(BackgroundAnswer, c) for c in DIMENSIONS.values()]
    rows = db.session.execute(
        sa.select(
            Answer.id,
            Answer.question_id,
            Question.kind,
            Answer.value,
            AnswerChoice.option_id,
            *told,
        )
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(AnswerChoice, AnswerChoice.answer_id == Answer.id)
        .outerjoin(
            BackgroundAnswer,
            sa.and_(
                BackgroundAnswer.topic_id == Question.topic_id,
                BackgroundAnswer.user_id == Answer.user_id,
            ),
        )
        .where(*where)
        .order_by(Answer.id, AnswerChoice.rank, AnswerChoice.option_id)
    )
    found: dict[int, list[Any]] = {}
    for answer_id, question_id, kind, value, option_id, *groups in rows:
        kind = QuestionKind(kind)
        groups_of_row = {dim: g or "" for dim, g in zip(DIMENSIONS, groups, strict=True)}
        entry = found.setdefault(answer_id, [question_id, kind, None, groups_of_row])
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
    for question_id, kind, reply, groups in replies_of([Answer.user_id == user_id]):
        for key, (n, r) in spread(contributions(question_id, kind, reply), groups).items():
            on = delta.get(key, (0, 0))
            delta[key] = (on[0] - n, on[1] - r)
    apply(delta)


def counted(question_ids: Any | None = None) -> sa.Select:
    """What each tally should be, counted from the rows: (question_id, dimension, grp,
    item, n, rank_sum); ``question_ids`` a list or a select of ids (all when None). The
    person's background answers are found by account, or by participant once the topic's
    personal data was removed."""
    # Two equality joins (by account; by participant for answers without one), not one
    # join on an OR, which PostgreSQL could only do pair by pair.
    by_account = aliased(BackgroundAnswer)
    by_participant = aliased(BackgroundAnswer)
    base = (
        sa.select(
            Answer.id.label("answer_id"),
            Answer.question_id.label("question_id"),
            Answer.value.label("value"),
            *(
                sa.func.coalesce(getattr(by_account, c), getattr(by_participant, c), "").label(dim)
                for dim, c in DIMENSIONS.items()
            ),
        )
        .join(Question, Question.id == Answer.question_id)
        .outerjoin(
            by_account,
            sa.and_(by_account.topic_id == Question.topic_id, by_account.user_id == Answer.user_id),
        )
        .outerjoin(
            by_participant,
            sa.and_(
                Answer.user_id.is_(None),
                by_participant.topic_id == Question.topic_id,
                by_participant.participant_id == Answer.participant_id,
            ),
        )
    )
    if question_ids is not None:
        base = base.where(Answer.question_id.in_(question_ids))
    people = base.subquery("people")
    first = sa.case((sa.or_(AnswerChoice.rank.is_(None), AnswerChoice.rank == 1), 1), else_=0)
    selects = []
    for dim in (OVERALL, *DIMENSIONS):
        grp = sa.literal(OVERALL, sa.String) if dim == OVERALL else people.c[dim]
        # Grouped by the group's column only (a bound literal in GROUP BY would be another
        # expression than the one in SELECT on PostgreSQL).
        by = [] if dim == OVERALL else [grp]
        label = sa.literal(dim, sa.String)
        selects += [
            sa.select(
                people.c.question_id,
                label,
                grp,
                AnswerChoice.option_id,
                sa.func.sum(first),
                sa.func.coalesce(sa.func.sum(AnswerChoice.rank), 0),
            )
            .join(AnswerChoice, AnswerChoice.answer_id == people.c.answer_id)
            .group_by(people.c.question_id, *by, AnswerChoice.option_id),
            sa.select(
                people.c.question_id,
                label,
                grp,
                sa.literal(RESPONDENTS, sa.Integer),
                sa.func.count(),
                sa.literal(0, sa.Integer),
            ).group_by(people.c.question_id, *by),
            sa.select(
                people.c.question_id,
                label,
                grp,
                sa.cast(people.c.value, sa.Integer),
                sa.func.count(),
                sa.literal(0, sa.Integer),
            )
            .where(people.c.value.is_not(None))
            .group_by(people.c.question_id, *by, people.c.value),
        ]
    rows = sa.union_all(*selects).subquery("counted")
    names = ("question_id", "dimension", "grp", "item", "n", "rank_sum")
    return sa.select(*(col.label(name) for col, name in zip(rows.c, names, strict=True)))


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
