"""Votes with a known opinion structure, for tests, benchmarks and the demo.

``plant`` makes participants (keys 1..n) in groups of unequal size and comments (ids 1..m)
of four kinds, each group voting on a comment with its planted stance most of the time
(``follow``) and otherwise passing or voting the other way at random:

- *consensus*: every group agrees (the first half of them) or every group disagrees;
- *divisive*: the groups form two camps of about equal numbers of people, one agreeing,
  the other disagreeing;
- *own*: one group agrees (or disagrees), the others vote at random: the comments that set
  that group apart (its representative comments);
- *background*: each group has its own random stance (never all the same), held less firmly
  (``background_follow``): the everyday differences that make the groups.

Each participant votes on a random share of the comments (``density``, varying from person
to person by ``density_spread``). The same arguments always give the same votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eraati.analysis.groups import Votes

CONSENSUS, DIVISIVE, OWN, BACKGROUND = "consensus", "divisive", "own", "background"


@dataclass(frozen=True)
class Planted:
    votes: Votes
    truth: np.ndarray  # (n,) planted group of participant key i + 1
    stance: np.ndarray  # (groups, m) int8: 1 agree, -1 disagree, 0 random, of comment id j + 1
    kind: np.ndarray  # (m,) str: consensus | divisive | own | background
    owner: np.ndarray  # (m,) int: the group of an "own" comment, else -1

    def comment_ids(self, kind: str) -> set[int]:
        return {int(j) + 1 for j in np.flatnonzero(self.kind == kind)}

    def own_ids(self, group: int) -> set[int]:
        return {int(j) + 1 for j in np.flatnonzero(self.owner == group)}


def _sizes(participants: int, groups: int, sizes) -> np.ndarray:
    if sizes is not None:
        weights = np.asarray(sizes, dtype=float)
    else:  # unequal: about 1 : 0.7 : 0.55 : 0.45 ...
        weights = 1.0 / (np.arange(groups) + 1.5) ** 0.9
    counts = np.floor(weights / weights.sum() * participants).astype(int)
    counts[0] += participants - counts.sum()
    return counts


def plant(
    participants: int,
    comments: int,
    groups: int = 3,
    density: float = 0.3,
    seed: int = 0,
    consensus: int | None = None,
    divisive: int | None = None,
    own: int | None = None,
    follow: float = 0.85,
    background_follow: float = 0.7,
    density_spread: float = 0.5,
    sizes=None,
) -> Planted:
    """Planted votes; see the module docstring. ``sizes``: relative group sizes."""
    rng = np.random.default_rng(seed)
    consensus = max(2, comments // 20) if consensus is None else consensus
    divisive = max(2, comments // 20) if divisive is None else divisive
    own = max(2, comments // 25) if own is None else own
    special = consensus + divisive + own * groups
    if special > comments:
        raise ValueError("too few comments for the planted kinds")
    counts = _sizes(participants, groups, sizes)
    truth = np.repeat(np.arange(groups), counts)

    kind = np.array(
        [CONSENSUS] * consensus
        + [DIVISIVE] * divisive
        + [OWN] * (own * groups)
        + [BACKGROUND] * (comments - special),
        dtype=object,
    )
    owner = np.full(comments, -1)
    owner[consensus + divisive : consensus + divisive + own * groups] = np.repeat(
        np.arange(groups), own
    )
    order = rng.permutation(comments)  # kinds scattered over the comment ids
    kind, owner = kind[order], owner[order]

    stance = np.zeros((groups, comments), dtype=np.int8)
    strength = np.full(comments, follow)
    # Two camps of about equal numbers: largest groups first into the smaller camp.
    camp = np.zeros(groups, dtype=np.int8)
    totals = [0, 0]
    for g in np.argsort(-counts, kind="stable"):
        side = 0 if totals[0] <= totals[1] else 1
        camp[g], totals[side] = side, totals[side] + counts[g]
    consensus_seen = 0
    for j in range(comments):
        if kind[j] == CONSENSUS:
            stance[:, j] = 1 if consensus_seen < (consensus + 1) // 2 else -1
            consensus_seen += 1
        elif kind[j] == DIVISIVE:
            flip = 1 if rng.random() < 0.5 else -1
            stance[:, j] = np.where(camp == 0, flip, -flip)
        elif kind[j] == OWN:
            stance[owner[j], j] = 1 if rng.random() < 0.6 else -1
        else:
            strength[j] = background_follow
            while True:
                row = rng.choice(np.array([-1, 1], dtype=np.int8), size=groups)
                if groups < 2 or len(set(row.tolist())) > 1:
                    break
            stance[:, j] = row

    # Who votes on what: each person's own density around the given one.
    person_density = np.clip(
        density * (1 + density_spread * (rng.random(participants) * 2 - 1)), 0.0, 1.0
    )
    seen = rng.random((participants, comments)) < person_density[:, None]
    p_idx, c_idx = np.nonzero(seen)
    planned = stance[truth[p_idx], c_idx].astype(np.int64)
    luck = rng.random(len(p_idx))
    follows = (planned != 0) & (luck < strength[c_idx])
    random_vote = rng.integers(-1, 2, size=len(p_idx))
    # Not following: pass or the other way, half each.
    other = np.where(rng.random(len(p_idx)) < 0.5, 0, -planned)
    value = np.where(follows, planned, np.where(planned == 0, random_vote, other))
    votes = Votes(
        participant=(p_idx + 1).astype(np.int64),
        comment=(c_idx + 1).astype(np.int64),
        value=value.astype(np.int8),
    )
    return Planted(votes=votes, truth=truth, stance=stance, kind=kind.astype(str), owner=owner)


def planted_votes(
    participants: int,
    comments: int,
    groups: int = 3,
    density: float = 0.3,
    seed: int = 0,
    consensus: int | None = None,
    **options,
) -> tuple[Votes, np.ndarray]:
    """Votes and the true group of each participant key (keys 1..n: truth[key - 1])."""
    planted = plant(participants, comments, groups, density, seed, consensus=consensus, **options)
    return planted.votes, planted.truth
