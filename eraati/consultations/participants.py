"""The register of a topic's participants, kept as people act, so that the results' figures
of people (``results.queries.participants``) read one row whatever their number.

``topic_participants`` holds per (topic, person) how many acts of each kind count
(``taking_part``: shown comments and replies of registered writers, votes on shown
comments, stances, poll answers); ``topic_participant_counts`` holds per topic the people
with any act and with each kind. A person is ``queries.person_key``: the account's id, or
minus the topic's ``AnonymisedParticipant`` id once its personal data was removed.

Every change moves the person's row in SQL, ``n = n + k`` (``INSERT ... ON CONFLICT DO
UPDATE`` when adding, ``UPDATE`` when taking away: a CHECK keeps the counts from going
below zero, and the row proposed for an insert is checked too), with ``RETURNING`` the new
counts; the row's lock orders one person's changes, so the 0 -> more and more -> 0
transitions are exact, and the topic's counts move by them in the same transaction (last,
so that every path takes the locks in the same order: the act's rows, the person's row,
the topic's counts). A row whose counts all fall to zero is deleted.

Who calls what:

- a comment shown or no longer shown (posted, edited back to review, deleted by its
  writer, held by reports, hidden, restored, approved): ``comment_moved``, which moves its
  writer and, in one statement, every voter on it (a vote counts only on a shown comment);
- a vote cast or withdrawn (``participation.vote_comment``): ``vote_moved``, counted only
  while the comment is shown (read after the comment's row is locked);
- a stance taken or withdrawn, an answer written or withdrawn (``participation``): ``move``;
- account deletion: ``forget_person`` (the account's acts go, or lose their writer);
- retention: ``rekey`` moves the rows from the accounts to the participants;
- bulk loads (demo, benchmarks, tests that write rows): ``counters.recount`` calls
  ``recompute``; ``counters.mismatches`` calls ``mismatches``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eraati.consultations.models import (
    Answer,
    Comment,
    CommentStatus,
    CommentVote,
    Question,
    TopicParticipant,
    TopicParticipantCounts,
    TopicStance,
)
from eraati.consultations.queries import person_key
from eraati.extensions import db

# The kinds of act (the register's columns), each with the count of its people, and the
# kind ``taking_part`` names it by.
KINDS: dict[str, str] = {
    "comments": "commenters",
    "votes": "voters",
    "stances": "stance_takers",
    "answers": "respondents",
}
ACT_NAMES: dict[str, str] = {
    "comment": "comments",
    "vote": "votes",
    "stance": "stances",
    "poll": "answers",
}
PEOPLE = ("people", *KINDS.values())  # the counts' columns, in participants() order

_REGISTER = TopicParticipant.__tablename__
_COUNTS = TopicParticipantCounts.__tablename__
_COLUMNS = ", ".join(KINDS)


# --- what counts, from the rows ------------------------------------------------------------


def acts(topic_ids: Any | None = None) -> sa.Subquery:
    """One row (``topic_id``, ``kind``, ``person``) per registered act of the topics (a
    list or a select of ids; all when None): a shown comment or reply, a vote on a shown
    comment, a stance, a poll answer. A person is an account, or the participant kept when
    the personal data was removed (``person_key``), so the counts stay the same after
    retention. A comment that was hidden, is waiting for review or was deleted makes
    nobody a participant, as it is not in the discussion a reader sees; neither does an
    official reply. Writers without an account cannot be told apart: their comments are
    counted as comments (``Participants.anonymous_comments``), never as people."""

    def of(column: Any) -> list[sa.ColumnElement[bool]]:
        return [] if topic_ids is None else [column.in_(topic_ids)]

    writer = person_key(Comment.author_id, Comment.participant_id)
    voter = person_key(CommentVote.user_id, CommentVote.participant_id)
    voted_on = aliased(Comment)
    return sa.union_all(
        sa.select(
            Comment.topic_id.label("topic_id"),
            sa.literal("comment").label("kind"),
            writer.label("person"),
        ).where(
            *of(Comment.topic_id),
            Comment.status == CommentStatus.VISIBLE,
            Comment.is_official.is_(False),
            writer.is_not(None),
        ),
        sa.select(voted_on.topic_id, sa.literal("vote"), voter)
        .select_from(CommentVote)
        .join(voted_on, voted_on.id == CommentVote.comment_id)
        .where(
            *of(voted_on.topic_id), voted_on.status == CommentStatus.VISIBLE, voter.is_not(None)
        ),
        sa.select(
            TopicStance.topic_id,
            sa.literal("stance"),
            person_key(TopicStance.user_id, TopicStance.participant_id),
        ).where(
            *of(TopicStance.topic_id),
            person_key(TopicStance.user_id, TopicStance.participant_id).is_not(None),
        ),
        sa.select(
            Question.topic_id, sa.literal("poll"), person_key(Answer.user_id, Answer.participant_id)
        )
        .select_from(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(
            *of(Question.topic_id),
            person_key(Answer.user_id, Answer.participant_id).is_not(None),
        ),
    ).subquery("acts")


def taking_part(topic_id: Any) -> sa.Subquery:
    """One row (``kind``, ``person``) per registered act in the topic (``acts``): what the
    register counts, computed live (``mismatches`` checks the register against it)."""
    rows = acts([topic_id])
    return sa.select(rows.c.kind, rows.c.person).subquery("taking_part")


def counted(topic_ids: Any | None = None) -> sa.Select:
    """What the register should hold, from the rows: (topic_id, person, comments, votes,
    stances, answers)."""
    rows = acts(topic_ids)

    def of_kind(name: str) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((rows.c.kind == name, 1), else_=0))

    return sa.select(
        rows.c.topic_id,
        rows.c.person,
        *(of_kind(kind).label(column) for kind, column in ACT_NAMES.items()),
    ).group_by(rows.c.topic_id, rows.c.person)


def _people_of(register: Any) -> sa.Select:
    """The counts of people of each topic in ``register`` (a table or a subquery with the
    register's columns)."""

    def having(column: Any) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((column > 0, 1), else_=0))

    c = register.c
    anything = sa.or_(*(c[kind] > 0 for kind in KINDS))
    return sa.select(
        c.topic_id,
        sa.func.sum(sa.case((anything, 1), else_=0)).label("people"),
        *(having(c[kind]).label(name) for kind, name in KINDS.items()),
    ).group_by(c.topic_id)


def recompute(topic_ids: Iterable[int] | None = None) -> None:
    """Set the register and the counts of the topics (all when None) from the rows: for
    bulk loads, which insert rows without moving them."""
    ids = None if topic_ids is None else list(topic_ids)
    register, counts = TopicParticipant.__table__, TopicParticipantCounts.__table__
    db.session.flush()
    for table in (register, counts):
        where = [] if ids is None else [table.c.topic_id.in_(ids)]
        db.session.execute(sa.delete(table).where(*where))
    names = ["topic_id", "person", *ACT_NAMES.values()]
    db.session.execute(sa.insert(register).from_select(names, counted(ids)))
    stored = sa.select(register).where(*([] if ids is None else [register.c.topic_id.in_(ids)]))
    db.session.execute(
        sa.insert(counts).from_select(["topic_id", *PEOPLE], _people_of(stored.subquery()))
    )


def mismatches() -> list[tuple[str, Any, str, int, int]]:
    """Every register row and topic count that differs from the rows, as
    ``counters.mismatches`` gives them: (``"topic_participants"``, (topic, person), kind,
    stored, counted) and (``"topic_participant_counts"``, topic, column, stored, counted).
    Missing rows count as zeros; a stored row of zeros is a mismatch (it should be gone)."""
    register = TopicParticipant.__table__
    stored = {
        (r[0], r[1]): tuple(r[2:])
        for r in db.session.execute(
            sa.select(register.c.topic_id, register.c.person, *(register.c[k] for k in KINDS))
        ).all()
    }
    should = {
        (r.topic_id, r.person): tuple(int(n) for n in r[2:])
        for r in db.session.execute(counted()).all()
    }
    found: list[tuple[str, Any, str, int, int]] = []
    zeros = (0,) * len(KINDS)
    for key in sorted(set(stored) | set(should)):
        have, want = stored.get(key), should.get(key, zeros)
        if have == zeros:
            found.append((_REGISTER, key, "row of zeros", 0, 0))
        for kind, h, w in zip(KINDS, have or zeros, want, strict=True):
            if h != w:
                found.append((_REGISTER, key, kind, h, w))
    people: dict[int, Counter[str]] = {}
    for (topic_id, _person), row in should.items():
        entry = people.setdefault(topic_id, Counter())
        entry["people"] += any(row)
        for name, n in zip(KINDS.values(), row, strict=True):
            entry[name] += n > 0
    counts = TopicParticipantCounts.__table__
    have_counts = {r.topic_id: r for r in db.session.execute(sa.select(counts)).all()}
    for topic_id in sorted(set(have_counts) | set(people)):
        row = have_counts.get(topic_id)
        want = people.get(topic_id, Counter())
        for name in PEOPLE:
            h = getattr(row, name) if row is not None else 0
            if h != want[name]:
                found.append((_COUNTS, topic_id, name, h, want[name]))
    return found


# --- moving the register as people act ------------------------------------------------------


def _execute(stmt: Any, params: Any) -> sa.CursorResult:
    db.session.flush()  # what is pending goes first, as with Session.execute
    return db.session.connection().execute(stmt, params)


@functools.cache
def _add_statement(kind: str) -> sa.TextClause:
    """The person's row with ``kind + :n`` (n > 0), made when missing: its new counts."""
    column = TopicParticipant.__table__.c[kind].name  # KeyError for a non-column
    values = ", ".join(":n" if k == column else "0" for k in KINDS)
    return sa.text(
        f"INSERT INTO {_REGISTER} (topic_id, person, {_COLUMNS}) "  # noqa: S608 - the model's names
        f"VALUES (:topic_id, :person, {values}) "
        f"ON CONFLICT (topic_id, person) DO UPDATE SET "
        f"{column} = {_REGISTER}.{column} + excluded.{column} "
        f"RETURNING person, {_COLUMNS}"
    )


@functools.cache
def _take_statement(kind: str) -> sa.TextClause:
    """The person's row with ``kind - :n`` (n > 0): its new counts (no row: nothing)."""
    column = TopicParticipant.__table__.c[kind].name
    return sa.text(
        f"UPDATE {_REGISTER} SET {column} = {column} - :n "  # noqa: S608 - the model's names
        "WHERE topic_id = :topic_id AND person = :person "
        f"RETURNING person, {_COLUMNS}"
    )


# A vote counts only while its comment is shown: the statement reads the comment's status
# (after the vote's own statements locked the comment's row, so a moderator who changed it
# meanwhile has committed, and this statement sees it). ``:person``, ``:comment_id``.
_SHOWN = f"(SELECT 1 FROM comments WHERE id = :comment_id AND status = '{CommentStatus.VISIBLE}')"  # noqa: S608 - a constant


@functools.cache
def _vote_statement(adding: bool) -> sa.TextClause:
    if adding:
        return sa.text(
            f"INSERT INTO {_REGISTER} (topic_id, person, {_COLUMNS}) "  # noqa: S608 - the model's names
            "SELECT c.topic_id, :person, 0, 1, 0, 0 FROM comments c "
            f"WHERE c.id = :comment_id AND c.status = '{CommentStatus.VISIBLE}' "
            f"ON CONFLICT (topic_id, person) DO UPDATE SET votes = {_REGISTER}.votes + 1 "
            f"RETURNING person, {_COLUMNS}"
        )
    return sa.text(
        f"UPDATE {_REGISTER} SET votes = votes - 1 "  # noqa: S608 - the model's names
        f"WHERE topic_id = :topic_id AND person = :person AND EXISTS {_SHOWN} "
        f"RETURNING person, {_COLUMNS}"
    )


# Every voter on a comment at once, one vote each (one vote per person and comment), in
# the order of the people when adding (PostgreSQL takes the rows' locks in that order).
_VOTER = "COALESCE(v.user_id, -v.participant_id)"


@functools.cache
def _voters_statement(adding: bool) -> sa.TextClause:
    if adding:
        return sa.text(
            f"INSERT INTO {_REGISTER} (topic_id, person, {_COLUMNS}) "  # noqa: S608 - the model's names
            f"SELECT :topic_id, {_VOTER}, 0, 1, 0, 0 FROM comment_votes v "
            f"WHERE v.comment_id = :comment_id AND {_VOTER} IS NOT NULL ORDER BY {_VOTER} "
            f"ON CONFLICT (topic_id, person) DO UPDATE SET votes = {_REGISTER}.votes + 1 "
            f"RETURNING person, {_COLUMNS}"
        )
    return sa.text(
        f"UPDATE {_REGISTER} SET votes = votes - 1 "  # noqa: S608 - the model's names
        f"FROM (SELECT {_VOTER} AS voter FROM comment_votes v WHERE v.comment_id = :comment_id) "
        f"AS voters WHERE {_REGISTER}.topic_id = :topic_id AND {_REGISTER}.person = voters.voter "
        f"RETURNING {_REGISTER}.person, {', '.join(f'{_REGISTER}.{k}' for k in KINDS)}"
    )


@functools.cache
def _empty_statement() -> sa.TextClause:
    return sa.text(
        f"DELETE FROM {_REGISTER} WHERE topic_id = :topic_id AND person IN :people "  # noqa: S608 - the model's names
        + "".join(f"AND {k} = 0 " for k in KINDS)
    ).bindparams(sa.bindparam("people", expanding=True))


def _transitions(
    topic_id: int, rows: Sequence[Any], delta: Mapping[str, int], moved: Counter[str]
) -> None:
    """Add to ``moved`` the counts' change of the people whose new counts are ``rows``
    (person, comments, votes, stances, answers) after each moved by ``delta``; delete the
    rows that fell to zeros (their locks are held)."""
    emptied = []
    for person, *after in rows:
        before = [n - delta.get(kind, 0) for kind, n in zip(KINDS, after, strict=True)]
        for name, b, a in zip(KINDS.values(), before, after, strict=True):
            moved[name] += (a > 0) - (b > 0)
        moved["people"] += any(n > 0 for n in after) - any(n > 0 for n in before)
        if not any(after):
            emptied.append(person)
    if emptied:
        _execute(_empty_statement(), {"topic_id": topic_id, "people": emptied})


@functools.cache
def _counts_statement(adding: bool) -> sa.TextClause:
    if adding:
        return sa.text(
            f"INSERT INTO {_COUNTS} (topic_id, {', '.join(PEOPLE)}) "  # noqa: S608 - the model's names
            f"VALUES (:topic_id, {', '.join(f':{n}' for n in PEOPLE)}) "
            "ON CONFLICT (topic_id) DO UPDATE SET "
            + ", ".join(f"{n} = {_COUNTS}.{n} + excluded.{n}" for n in PEOPLE)
        )
    return sa.text(
        f"UPDATE {_COUNTS} SET "  # noqa: S608 - the model's names
        + ", ".join(f"{n} = {n} + :{n}" for n in PEOPLE)
        + " WHERE topic_id = :topic_id"
    )


def _count(topic_id: int, moved: Mapping[str, int]) -> None:
    """Move the topic's counts by ``moved``, in one statement (none when nothing moved).
    Adding makes the row when missing; taking away changes the row there is (a count
    goes down only from above zero)."""
    if not any(moved.get(n, 0) for n in PEOPLE):
        return
    params = {"topic_id": topic_id, **{n: moved.get(n, 0) for n in PEOPLE}}
    adding = all(moved.get(n, 0) >= 0 for n in PEOPLE)
    _execute(_counts_statement(adding), params)


def move(topic_id: int, person: int | None, kind: str, n: int) -> None:
    """The person's ``kind`` acts in the topic change by ``n`` (the counts with them)."""
    if not n or person is None:
        return
    statement = _add_statement(kind) if n > 0 else _take_statement(kind)
    rows = _execute(statement, {"topic_id": topic_id, "person": person, "n": abs(n)}).all()
    moved: Counter[str] = Counter()
    _transitions(topic_id, rows, {kind: n}, moved)
    _count(topic_id, moved)


def vote_moved(comment: Comment, person: int, n: int) -> None:
    """The person's vote on ``comment`` was cast (``n`` 1) or withdrawn (-1): counted if
    the comment is shown now. Call after the vote's statements (they lock the comment)."""
    if not n:
        return
    params = {"topic_id": comment.topic_id, "person": person, "comment_id": comment.id}
    rows = _execute(_vote_statement(n > 0), params).all()
    moved: Counter[str] = Counter()
    _transitions(comment.topic_id, rows, {"votes": 1 if n > 0 else -1}, moved)
    _count(comment.topic_id, moved)


def _writer(comment: Comment) -> int | None:
    if comment.author_id is not None:
        return comment.author_id
    return -comment.participant_id if comment.participant_id is not None else None


def comment_moved(comment: Comment, old: CommentStatus | None, new: CommentStatus) -> None:
    """``comment`` went from status ``old`` (None: new) to ``new``: when it was shown and
    is no longer, or the other way round, its writer's comment and every vote on it come
    out of the register or go in (one statement for all the voters)."""
    was, now = old == CommentStatus.VISIBLE, new == CommentStatus.VISIBLE
    if was == now:
        return
    sign = 1 if now else -1
    topic_id = comment.topic_id
    moved: Counter[str] = Counter()
    writer = None if comment.is_official else _writer(comment)
    if writer is not None:
        statement = _add_statement("comments") if now else _take_statement("comments")
        rows = _execute(statement, {"topic_id": topic_id, "person": writer, "n": 1}).all()
        _transitions(topic_id, rows, {"comments": sign}, moved)
    if old is not None:  # a new comment has no votes
        params = {"topic_id": topic_id, "comment_id": comment.id}
        rows = _execute(_voters_statement(now), params).all()
        _transitions(topic_id, rows, {"votes": sign}, moved)
    _count(topic_id, moved)


def forget_person(user_id: int) -> None:
    """Take a deleted account out of every topic's register (call before its rows go):
    its stances, votes and answers go by ON DELETE CASCADE, its comments lose their
    writer. Two statements, however many topics."""
    register = TopicParticipant.__table__
    rows = db.session.execute(
        sa.delete(register)
        .where(register.c.person == user_id)
        .returning(register.c.topic_id, *(register.c[k] for k in KINDS))
    ).all()
    params = []
    for topic_id, *had in sorted(rows):  # in topic order: one lock order
        moved = {name: -int(n > 0) for name, n in zip(KINDS.values(), had, strict=True)}
        params.append({"topic_id": topic_id, "people": -int(any(had)), **moved})
    if params:
        _execute(_counts_statement(False), params)


def rekey(topic_id: int, keys: Mapping[int, int]) -> None:
    """Retention: the topic's rows move from the accounts to their participants (``keys``:
    account -> minus the participant's id); the counts stay. Any row still keyed by an
    account after that goes (there is none while the register is exact)."""
    register = TopicParticipant.__table__
    if keys:
        db.session.execute(
            sa.update(register)
            .where(register.c.topic_id == topic_id, register.c.person == sa.bindparam("old"))
            .values(person=sa.bindparam("new")),
            [{"old": old, "new": new} for old, new in sorted(keys.items())],
            execution_options={"synchronize_session": False},
        )
    db.session.execute(
        sa.delete(register).where(register.c.topic_id == topic_id, register.c.person > 0),
        execution_options={"synchronize_session": False},
    )


def people(topic_id: int) -> tuple[int, int, int, int, int]:
    """The topic's counts of people (``PEOPLE``): one query of one row."""
    counts = TopicParticipantCounts.__table__
    row = db.session.execute(
        sa.select(*(counts.c[n] for n in PEOPLE)).where(counts.c.topic_id == topic_id)
    ).first()
    return tuple(int(n) for n in row) if row is not None else (0,) * len(PEOPLE)  # type: ignore[return-value]
