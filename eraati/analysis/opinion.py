"""A topic's opinion groups from its votes in the database: the groups analyser of
``runs.ANALYSERS`` (``compute`` and ``inputs_at``) and the reading of its stored result
for the pages, the report and the Polis export.

Which votes count: those on the topic's *visible* comments. A comment a moderator hid
or that waits for moderation is not shown to anyone, so its votes would shape groups by
a statement the page could not quote; a comment hidden later drops out of the next
computation (its ``hidden_at`` is an input time). The Polis export still lists the hidden
comments it exports (``EXPORTED``) and counts their votes per group from the stored
groups' members.

The votes are read as plain columns in batches straight into NumPy arrays (no ORM
objects): three million votes take about 50 MB.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import sqlalchemy as sa

from eraati.analysis.group_keywords import agreed_comments, group_keywords
from eraati.analysis.groups import Result, Votes, analyse
from eraati.analysis.models import AnalysisKind, TopicAnalysis
from eraati.consultations.models import Comment, CommentStatus, CommentVote, VoteValue
from eraati.consultations.queries import person_key
from eraati.extensions import db

#: Participants with fewer votes than this are left out of the groups (as in Polis).
MIN_VOTES = 7
_BATCH = 50_000

_VALUE = sa.case(
    (CommentVote.value == VoteValue.AGREE.value, 1),
    (CommentVote.value == VoteValue.DISAGREE.value, -1),
    else_=0,
)


def _counted(topic_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(Comment.topic_id == topic_id, Comment.status == CommentStatus.VISIBLE)


def load_votes(topic_id: int) -> Votes:
    """The votes on the topic's visible comments as arrays, read in batches."""
    stmt = (
        sa.select(person_key(CommentVote.user_id, CommentVote.participant_id), Comment.id, _VALUE)
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(_counted(topic_id))
        .execution_options(yield_per=_BATCH)
    )
    parts: list[np.ndarray] = []
    result = db.session.connection().execute(stmt)
    try:
        while batch := result.fetchmany(_BATCH):
            # fromiter over the flattened rows: np.array of Row objects inspects each
            # row as a sequence and took seven times as long as the query itself.
            flat = itertools.chain.from_iterable(batch)
            parts.append(np.fromiter(flat, dtype=np.int64, count=3 * len(batch)).reshape(-1, 3))
    finally:
        result.close()
    data = np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.int64)
    data = data[data[:, 0] != 0]  # a vote whose person is gone entirely (NULL key)
    return Votes.from_arrays(data[:, 0], data[:, 1], data[:, 2])


def compute(topic_id: int, progress: Callable[[str, float], None]) -> dict:
    """The job's work: read the votes, analyse, find each group's keywords
    (``group_keywords``) and return the JSON to store."""
    progress("reading", 0.0)
    votes = load_votes(topic_id)
    result = analyse(
        votes, min_votes=MIN_VOTES, progress=lambda step, share: progress(step, 0.1 + 0.8 * share)
    )
    if result.groups:
        progress("keywords", 0.9)
        words = group_keywords(agreed_comments(votes, result), comment_texts(topic_id))
        groups = tuple(replace(g, keywords=tuple(words.get(g.id, ()))) for g in result.groups)
        result = replace(result, groups=groups)
    return result.to_json()


def comment_texts(topic_id: int) -> dict[int, tuple[str, str]]:
    """``{comment id: (text, language)}`` of the topic's visible comments; a comment
    without a language is read in the organisation's first language."""
    from eraati.consultations.models import Topic
    from eraati.organisations.models import Organisation

    languages = db.session.scalar(
        sa.select(Organisation.languages)
        .join(Topic, Topic.organisation_id == Organisation.id)
        .where(Topic.id == topic_id)
    )
    first = next((c for c in (languages or "").split(",") if c), "fi")
    rows = db.session.execute(
        sa.select(Comment.id, Comment.body, Comment.language).where(_counted(topic_id))
    )
    return {r.id: (r.body, r.language if r.language in ("fi", "sv", "en") else first) for r in rows}


def inputs_at(topic_id: int) -> datetime | None:
    """The newest change the groups depend on: a vote given or changed on a visible
    comment, or a comment hidden (its votes then drop out)."""
    newest_vote = (
        sa.select(sa.func.max(CommentVote.updated_at))
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(_counted(topic_id))
        .scalar_subquery()
    )
    newest_hidden = (
        sa.select(sa.func.max(Comment.hidden_at))
        .where(Comment.topic_id == topic_id, Comment.hidden_at.is_not(None))
        .scalar_subquery()
    )
    vote, hidden = db.session.execute(sa.select(newest_vote, newest_hidden)).one()
    if vote is None:
        return None  # no votes: nothing to group (a hidden comment alone changes nothing)
    return max(t for t in (vote, hidden) if t is not None)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class StoredGroups:
    """A topic's stored opinion groups as the pages show them."""

    row: TopicAnalysis | None
    result: Result | None

    @property
    def pending(self) -> bool:
        return self.row is not None and self.row.pending

    @property
    def computed_at(self) -> datetime | None:
        return self.row.computed_at if self.row else None

    @property
    def failed(self) -> bool:
        return self.row is not None and self.row.failed_at is not None

    @property
    def has_groups(self) -> bool:
        return self.result is not None and bool(self.result.groups)

    def comment_ids(self) -> set[int]:
        """Every comment the page quotes."""
        if self.result is None:
            return set()
        ids = {s.comment_id for s in self.result.consensus + self.result.divisive}
        for g in self.result.groups:
            ids.update(s.comment_id for s in g.representative)
        return ids


def stored_groups(topic_id: int) -> StoredGroups:
    from eraati.analysis.runs import analysis_of

    row = analysis_of(topic_id, AnalysisKind.GROUPS)
    result = Result.from_json(row.result) if row is not None and row.result else None
    return StoredGroups(row, result)


def member_groups(topic_id: int) -> dict[int, int]:
    """``{person key: group id}`` of the last stored analysis (empty when none)."""
    from eraati.analysis.runs import analysis_of

    row = analysis_of(topic_id, AnalysisKind.GROUPS)
    if row is None or not row.result:
        return {}
    return {int(m): int(g["id"]) for g in row.result["groups"] for m in g["members"]}


def group_letter(group_id: int) -> str:
    """Groups are called A, B, C... as in Polis (the export's ``group-a-votes``)."""
    return chr(ord("A") + group_id)


@dataclass(frozen=True)
class Quoted:
    id: int
    body: str
    language: str | None


def quoted_comments(ids: set[int], locale: str | None = None) -> dict[int, str]:
    """``{comment id: text}`` of the quoted comments that are still visible, in one query
    (a comment hidden since the computation is left out)."""
    return {q.id: q.body for q in quoted(ids).values()}


def quoted(ids: set[int]) -> dict[int, Quoted]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Comment.id, Comment.body, Comment.language).where(
            Comment.id.in_(sorted(ids)), Comment.status == CommentStatus.VISIBLE
        )
    )
    return {r.id: Quoted(r.id, r.body, r.language) for r in rows}


def rekey_people(topic_id: int, keys: dict[int, int]) -> None:
    """Put the stored groups' person keys in their new form (``keys``: old -> new), when
    the topic's personal data is removed and each account becomes an anonymised
    participant (``person_key`` is then minus the participant's id). The groups stay the
    same, no longer tied to accounts. Flushes nothing; the caller's transaction holds it."""
    from eraati.analysis.runs import analysis_of

    row = analysis_of(topic_id, AnalysisKind.GROUPS)
    if row is None or not row.result or not keys:
        return
    data = dict(row.result)
    ids = [keys.get(int(p), int(p)) for p in data["participant_ids"]]
    order = sorted(range(len(ids)), key=ids.__getitem__)  # ascending, as group_of needs
    data["participant_ids"] = [ids[i] for i in order]
    data["points"] = [data["points"][i] for i in order]
    data["labels"] = [data["labels"][i] for i in order]
    data["groups"] = [
        {**g, "members": sorted(keys.get(int(m), int(m)) for m in g["members"])}
        for g in data["groups"]
    ]
    row.result = data


def forget_person(user_id: int) -> None:
    """Take a deleted account out of the stored groups of the topics it voted on (call
    before its votes go): its key leaves the members and the map, the groups' sizes drop
    by one, and the analysis is marked out of date (``inputs_at`` NULL) so that ``tick``
    recomputes it while the topic is recent. The shares of the quoted comments stay as
    computed until then. Flushes nothing."""
    voted = (
        sa.select(Comment.topic_id)
        .join(CommentVote, CommentVote.comment_id == Comment.id)
        .where(CommentVote.user_id == user_id)
        .distinct()
    )
    rows = db.session.scalars(
        sa.select(TopicAnalysis).where(
            TopicAnalysis.kind == AnalysisKind.GROUPS,
            TopicAnalysis.topic_id.in_(voted),
            TopicAnalysis.result.is_not(None),
        )
    ).all()
    for row in rows:
        data = dict(row.result)
        if user_id not in data["participant_ids"]:
            continue
        i = data["participant_ids"].index(user_id)
        for name in ("participant_ids", "points", "labels"):
            data[name] = data[name][:i] + data[name][i + 1 :]
        data["participants"] = int(data["participants"]) - 1
        data["groups"] = [
            {**g, "members": [m for m in g["members"] if m != user_id], "size": g["size"] - 1}
            if user_id in g["members"]
            else g
            for g in data["groups"]
        ]
        row.result = data
        row.inputs_at = None
