"""The opinion-group analysis's data: the votes it reads and the result it gives, with
the result's JSON form (plain types, floats rounded as stored, so a result equals its
round trip)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: Principal components the groups are found in (the map shows the first two): k groups
#: differ in at most k - 1 directions, so four hold every difference between five groups.
DIMENSIONS = 4

REASON_TOO_FEW = "too_few_participants"
REASON_NO_STRUCTURE = "no_structure"


@dataclass(frozen=True)
class Votes:
    """One topic's votes, one entry per vote (a person's last vote on a comment counts)."""

    participant: np.ndarray  # int64 person keys
    comment: np.ndarray  # int64 comment ids
    value: np.ndarray  # int8: 1 agree, -1 disagree, 0 pass

    def __post_init__(self) -> None:
        n = len(self.participant)
        if len(self.comment) != n or len(self.value) != n:
            raise ValueError("participant, comment and value must have the same length")

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, int, int]]) -> Votes:
        """Votes from (participant, comment, value) rows, e.g. straight from a query."""
        data = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
        return cls(
            participant=data[:, 0].copy(),
            comment=data[:, 1].copy(),
            value=np.sign(data[:, 2]).astype(np.int8),
        )

    @classmethod
    def from_arrays(cls, participant, comment, value) -> Votes:
        return cls(
            participant=np.asarray(participant, dtype=np.int64),
            comment=np.asarray(comment, dtype=np.int64),
            value=np.sign(np.asarray(value)).astype(np.int8),
        )

    def __len__(self) -> int:
        return len(self.participant)


@dataclass(frozen=True)
class Statement:
    """A comment that sets a group apart, or one of consensus or division.

    Representative: ``share_in`` is the share of the group voting ``direction`` of those in
    it who voted on the comment, ``share_out`` the same for everyone else, ``score`` Polis's
    representativeness (ratio x z x probability x z).
    Consensus: ``share_in`` is the share of all analysed voters, ``share_out`` the lowest
    group's share, ``score`` the product of the groups' (pseudo-count) shares.
    Divisive: ``direction`` is "agree", ``share_in`` the share agreeing in the group that
    agrees most, ``share_out`` in the group that agrees least, ``score`` the variance of the
    groups' mean vote (agree 1, disagree -1) weighted by the groups' numbers of voters.
    """

    comment_id: int
    direction: str  # "agree" | "disagree"
    share_in: float
    share_out: float
    votes_in: int
    score: float


@dataclass(frozen=True)
class Group:
    id: int  # 0.. by size descending, ties by smallest member key
    size: int
    members: tuple[int, ...]  # participant keys, ascending
    representative: tuple[Statement, ...]  # at most 5, best first, each significant
    # Words of the comments the group agrees with clearly more than the others, best first
    # (``analysis.group_keywords``); empty in a result stored before they were computed.
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # arrays inside: equality is that of the JSON form
class Result:
    participants: int  # in the analysis (at least min_votes votes)
    voters: int  # everyone who voted at all
    comments: int  # comments with at least one vote
    votes: int
    min_votes: int
    k: int | None  # None: no groups (see reason)
    silhouette: float | None
    groups: tuple[Group, ...]
    participant_ids: np.ndarray  # int64, the analysed participants, ascending
    points: np.ndarray  # float (n, 2): the PCA map of participant_ids
    labels: np.ndarray  # int (n,): group id of each (-1 when there are no groups)
    consensus: tuple[Statement, ...]
    divisive: tuple[Statement, ...]
    explained: tuple[float, float]  # share of variance of the two components
    reason: str | None = None  # why k is None: "too_few_participants" | "no_structure"
    silhouette_reference: float | None = None  # a structureless cloud's silhouette
    seed: int = 0
    dimensions: int = DIMENSIONS  # principal components the groups were found in
    explained_grouping: float = 0.0  # share of variance of those components

    def to_json(self) -> dict:
        """Plain JSON types only (lists, rounded floats), for storing."""
        return {
            "participants": self.participants,
            "voters": self.voters,
            "comments": self.comments,
            "votes": self.votes,
            "min_votes": self.min_votes,
            "k": self.k,
            "silhouette": self.silhouette,
            "silhouette_reference": self.silhouette_reference,
            "reason": self.reason,
            "seed": self.seed,
            "dimensions": self.dimensions,
            "explained": list(self.explained),
            "explained_grouping": self.explained_grouping,
            "groups": [
                {
                    "id": g.id,
                    "size": g.size,
                    "members": list(g.members),
                    "representative": [_statement_json(s) for s in g.representative],
                    "keywords": list(g.keywords),
                }
                for g in self.groups
            ],
            "participant_ids": [int(p) for p in self.participant_ids],
            "points": [[float(x), float(y)] for x, y in self.points],
            "labels": [int(label) for label in self.labels],
            "consensus": [_statement_json(s) for s in self.consensus],
            "divisive": [_statement_json(s) for s in self.divisive],
        }

    @classmethod
    def from_json(cls, data: dict) -> Result:
        points = np.array(data["points"], dtype=np.float64).reshape(-1, 2)
        return cls(
            participants=int(data["participants"]),
            voters=int(data["voters"]),
            comments=int(data["comments"]),
            votes=int(data["votes"]),
            min_votes=int(data["min_votes"]),
            k=data["k"],
            silhouette=data["silhouette"],
            silhouette_reference=data.get("silhouette_reference"),
            reason=data.get("reason"),
            seed=int(data.get("seed", 0)),
            dimensions=int(data.get("dimensions", DIMENSIONS)),
            explained=tuple(data["explained"]),
            explained_grouping=float(data.get("explained_grouping", 0.0)),
            groups=tuple(
                Group(
                    id=int(g["id"]),
                    size=int(g["size"]),
                    members=tuple(int(m) for m in g["members"]),
                    representative=tuple(Statement(**s) for s in g["representative"]),
                    keywords=tuple(g.get("keywords", ())),
                )
                for g in data["groups"]
            ),
            participant_ids=np.array(data["participant_ids"], dtype=np.int64),
            points=points,
            labels=np.array(data["labels"], dtype=np.int64),
            consensus=tuple(Statement(**s) for s in data["consensus"]),
            divisive=tuple(Statement(**s) for s in data["divisive"]),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside

    def group_of(self, participant: int) -> int | None:
        """The group id of a participant key, None when not analysed or no groups."""
        i = np.searchsorted(self.participant_ids, participant)
        if i < len(self.participant_ids) and self.participant_ids[i] == participant:
            label = int(self.labels[i])
            return label if label >= 0 else None
        return None


def _statement_json(s: Statement) -> dict:
    return {
        "comment_id": s.comment_id,
        "direction": s.direction,
        "share_in": s.share_in,
        "share_out": s.share_out,
        "votes_in": s.votes_in,
        "score": s.score,
    }


def rounded(x: float, digits: int = 4) -> float:
    """Rounded as stored, so that a Result equals its JSON round trip."""
    value = round(float(x), digits)
    return 0.0 if value == 0 else value  # no -0.0
