"""Opinion groups of a topic from the votes on its comments (the Polis method).

What it does, in plain words
----------------------------
Every participant who voted on at least ``min_votes`` comments is a row of a table whose
columns are the comments: agree 1, disagree -1, pass 0. A comment a person has not seen
counts as the average of those who voted on it (so not voting is neither agreement nor
disagreement). Principal component analysis (PCA) turns each row into a point on a map of
two dimensions, the two directions in which the votes differ most; people who vote alike
land near each other. As in Polis, a person's point is stretched by
sqrt(comments / their votes): someone who voted on a tenth of the comments is not pulled to
the middle of the map merely for having voted little. k-means then cuts the map into k
groups (k from 2 to 5, the k whose groups are best separated by the silhouette measure;
k-means++ with several starts and a fixed seed, so the same votes always give the same
groups).

For each group the module lists the comments that set it apart (its *representative*
comments: the group agrees, or disagrees, clearly more often than everyone else, judged
with Polis's representativeness and its 90 % significance tests), the *consensus*
comments (every group agrees, or every group disagrees) and the *divisive* ones (the groups
differ most, weighted by how many people stand on each side).

What the groups are not
-----------------------
A group is people who voted alike on these comments, not an organisation, a party, a
district or a demographic, and not a majority: participation is voluntary and
self-selected, so a group's size says nothing about the municipality's population. The
map shows only the two strongest directions of difference (``explained`` tells how much of
the variation they hold); two people far apart in a third direction can sit side by side.
When there are too few participants (fewer than ``min_participants``) or the map has no
more group structure than a structureless cloud of the same shape would have
(``silhouette`` barely above ``silhouette_reference``), the result says so (``k`` is None,
``reason`` tells why) instead of inventing groups.

Speed
-----
The votes stay a sparse matrix (float32). The two principal components come from the
comments x comments covariance, accumulated over blocks of participants (only a block is
ever dense), and ``scipy.linalg.eigh`` of its two largest eigenvalues; each eigenvector's
largest component is made positive, so the map does not flip between runs. k-means and the
silhouette run on the two-dimensional points (the silhouette on a fixed-seed sample when
there are many).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

Progress = Callable[[str, float], None]

#: z of a one-sided 90 % test (Polis's ``z-sig-90``).
Z_90 = 1.2816
#: Fewer analysed participants than this: no groups.
MIN_PARTICIPANTS = 10
#: Numbers of groups tried.
K_RANGE = (2, 3, 4, 5)
#: Representative comments per group, consensus and divisive comments at most.
MAX_REPRESENTATIVE = 5
MAX_STATEMENTS = 10
#: Silhouette computed on at most this many points (a fixed-seed sample).
SILHOUETTE_SAMPLE = 3000
#: Groups are shown only when the silhouette beats a structureless cloud's by this much.
SILHOUETTE_MARGIN = 0.1
#: Participants per dense block when the covariance is accumulated.
_BLOCK = 4096

REASON_TOO_FEW = "too_few_participants"
REASON_NO_STRUCTURE = "no_structure"


# --------------------------------------------------------------------------- data types


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


@dataclass(frozen=True)
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
            "explained": list(self.explained),
            "groups": [
                {
                    "id": g.id,
                    "size": g.size,
                    "members": list(g.members),
                    "representative": [_statement_json(s) for s in g.representative],
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
            explained=tuple(data["explained"]),
            groups=tuple(
                Group(
                    id=int(g["id"]),
                    size=int(g["size"]),
                    members=tuple(int(m) for m in g["members"]),
                    representative=tuple(Statement(**s) for s in g["representative"]),
                )
                for g in data["groups"]
            ),
            participant_ids=np.array(data["participant_ids"], dtype=np.int64),
            points=points,
            labels=np.array(data["labels"], dtype=np.int64),
            consensus=tuple(Statement(**s) for s in data["consensus"]),
            divisive=tuple(Statement(**s) for s in data["divisive"]),
        )

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


def _r(x: float, digits: int = 4) -> float:
    """Rounded as stored, so that a Result equals its JSON round trip."""
    value = round(float(x), digits)
    return 0.0 if value == 0 else value  # no -0.0


# --------------------------------------------------------------------------- the analysis


def analyse(
    votes: Votes,
    *,
    min_votes: int = 7,
    seed: int = 0,
    progress: Progress | None = None,
    min_participants: int = MIN_PARTICIPANTS,
) -> Result:
    """Opinion groups, their representative comments, consensus and divisive comments."""
    report = progress or (lambda stage, fraction: None)
    report("matrix", 0.0)
    participant, comment, value = _last_votes(votes)
    voter_keys, row_all = np.unique(participant, return_inverse=True)
    comment_ids, col = np.unique(comment, return_inverse=True)
    per_voter = np.bincount(row_all, minlength=len(voter_keys))
    kept = per_voter >= min_votes
    keys = voter_keys[kept]
    n, m = len(keys), len(comment_ids)
    new_row = np.cumsum(kept) - 1
    in_analysis = kept[row_all]
    rows, cols = new_row[row_all[in_analysis]], col[in_analysis]
    vals = value[in_analysis].astype(np.float32)
    base = {
        "participants": n,
        "voters": len(voter_keys),
        "comments": m,
        "votes": len(participant),
        "min_votes": min_votes,
        "participant_ids": keys.astype(np.int64),
        "seed": seed,
    }
    if n == 0 or m == 0:
        return Result(
            **base,
            k=None,
            silhouette=None,
            groups=(),
            points=np.zeros((n, 2)),
            labels=np.full(n, -1, dtype=np.int64),
            consensus=(),
            divisive=(),
            explained=(0.0, 0.0),
            reason=REASON_TOO_FEW,
        )

    # Centred on each comment's mean among those who voted on it; unseen cells stay 0.
    seen = np.bincount(cols, minlength=m)
    mean = np.bincount(cols, weights=vals, minlength=m) / np.maximum(seen, 1)
    centred = sp.csr_matrix(
        (vals - mean[cols].astype(np.float32), (rows, cols)), shape=(n, m), dtype=np.float32
    )
    report("pca", 0.2)
    components, explained = _principal_components(centred, seed)
    per_row = np.bincount(rows, minlength=n)
    stretch = np.sqrt(m / np.maximum(per_row, 1))
    points = np.asarray(centred @ components, dtype=np.float64) * stretch[:, None]
    points = np.round(points, 4) + 0.0

    report("groups", 0.5)
    labels = np.full(n, -1, dtype=np.int64)
    k = silhouette = reference = reason = None
    if n < min_participants:
        reason = REASON_TOO_FEW
    else:
        k, raw_labels, silhouette = _choose_groups(points, seed)
        reference = _reference_silhouette(points, k, seed)
        if silhouette < reference + SILHOUETTE_MARGIN:
            reason, k = REASON_NO_STRUCTURE, None
        else:
            labels = _canonical_labels(raw_labels, keys)
        silhouette, reference = _r(silhouette), _r(reference)

    report("statements", 0.8)
    counts = _Counts.build(rows, cols, value[in_analysis], labels, k or 0, m)
    groups = tuple(
        Group(
            id=g,
            size=int(np.sum(labels == g)),
            members=tuple(int(x) for x in keys[labels == g]),
            representative=_representative(counts, g, comment_ids),
        )
        for g in range(k or 0)
    )
    result = Result(
        **base,
        k=k,
        silhouette=silhouette,
        silhouette_reference=reference,
        reason=reason,
        groups=groups,
        points=points,
        labels=labels,
        consensus=_consensus(counts, comment_ids),
        divisive=_divisive(counts, comment_ids),
        explained=(_r(explained[0]), _r(explained[1])),
    )
    report("done", 1.0)
    return result


def _last_votes(votes: Votes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One vote per person and comment (the last given), as in the database."""
    participant = np.asarray(votes.participant, dtype=np.int64)
    comment = np.asarray(votes.comment, dtype=np.int64)
    value = np.sign(np.asarray(votes.value)).astype(np.int8)
    if len(participant) < 2:
        return participant, comment, value
    order = np.lexsort((comment, participant))
    p, c = participant[order], comment[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (p[1:] != p[:-1]) | (c[1:] != c[:-1])
    if last.all():
        return participant, comment, value
    # lexsort is stable: of equal pairs the last in the input is the last in the order.
    keep = order[last]
    return participant[keep], comment[keep], value[keep]


def _principal_components(centred: sp.csr_matrix, seed: int) -> tuple[np.ndarray, tuple]:
    """The two leading principal axes (m x 2) and their shares of the variance."""
    n, m = centred.shape
    if m < 2 or n < 2:
        axes = np.zeros((m, 2))
        axes[: min(m, 2), : min(m, 2)] = np.eye(min(m, 2))
        return axes, (0.0, 0.0)
    cov = np.zeros((m, m), dtype=np.float64)
    for start in range(0, n, _BLOCK):
        block = centred[start : start + _BLOCK].toarray()
        cov += block.T @ block
    cov /= n
    total = float(np.trace(cov))
    values, vectors = scipy.linalg.eigh(cov, subset_by_index=(m - 2, m - 1))
    values, vectors = values[::-1], vectors[:, ::-1]
    # A fixed sign: each axis's largest component (first of equals) is positive.
    for j in range(2):
        biggest = int(np.argmax(np.abs(np.round(vectors[:, j], 10))))
        if vectors[biggest, j] < 0:
            vectors[:, j] = -vectors[:, j]
    shares = tuple(float(max(v, 0.0) / total) if total > 0 else 0.0 for v in values)
    return vectors.astype(np.float32), shares


def _kmeans(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    model = KMeans(n_clusters=k, init="k-means++", n_init=10, random_state=seed)
    return model.fit_predict(points)


def _silhouette(points: np.ndarray, labels: np.ndarray, seed: int) -> float:
    if len(np.unique(labels)) < 2:
        return -1.0
    sample = SILHOUETTE_SAMPLE if len(points) > SILHOUETTE_SAMPLE else None
    return float(silhouette_score(points, labels, sample_size=sample, random_state=seed))


def _choose_groups(points: np.ndarray, seed: int) -> tuple[int, np.ndarray, float]:
    """k from K_RANGE with the best silhouette (the smaller k of equals)."""
    best = None
    distinct = len(np.unique(points, axis=0))
    for k in K_RANGE:
        if k >= distinct:
            break
        labels = _kmeans(points, k, seed)
        score = _silhouette(points, labels, seed)
        if best is None or score > best[2] + 1e-9:
            best = (k, labels, score)
    if best is None:  # every point in the same place or two
        return 2, np.zeros(len(points), dtype=np.int64), -1.0
    return best


def _reference_silhouette(points: np.ndarray, k: int, seed: int) -> float:
    """The silhouette k-means reaches on a structureless cloud of the same shape.

    A Gaussian cloud with the points' covariance (as many points, at most the silhouette
    sample) cut into the same k: an elongated cloud cut in two already scores about 0.5, so a
    silhouette is evidence of groups only above this reference.
    """
    size = min(len(points), SILHOUETTE_SAMPLE)
    rng = np.random.default_rng(seed)
    cov = np.cov(points, rowvar=False) if len(points) > 1 else np.eye(2)
    cloud = rng.multivariate_normal(np.zeros(2), cov, size=size, method="eigh")
    return _silhouette(cloud, _kmeans(cloud, k, seed), seed)


def _canonical_labels(raw: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Group ids by size descending, ties by the smallest member key."""
    found = np.unique(raw)
    order = sorted(found, key=lambda g: (-int(np.sum(raw == g)), int(keys[raw == g].min())))
    mapping = np.full(int(found.max()) + 1, -1, dtype=np.int64)
    for new, old in enumerate(order):
        mapping[old] = new
    return mapping[raw]


# --------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class _Counts:
    """Agree, disagree and voted counts per group (rows) and comment (columns)."""

    agree: np.ndarray  # (k, m)
    disagree: np.ndarray
    voted: np.ndarray
    all_agree: np.ndarray  # (m,) over every analysed participant
    all_disagree: np.ndarray
    all_voted: np.ndarray

    @classmethod
    def build(cls, rows, cols, values, labels, k, m) -> _Counts:
        def count(mask, groups):
            g = labels[rows[mask]]
            keep = g >= 0
            flat = g[keep] * m + cols[mask][keep]
            return np.bincount(flat, minlength=groups * m).reshape(groups, m).astype(float)

        def total(mask):
            return np.bincount(cols[mask], minlength=m).astype(float)

        agree, disagree, everyone = values > 0, values < 0, np.ones(len(values), dtype=bool)
        return cls(
            agree=count(agree, k),
            disagree=count(disagree, k),
            voted=count(everyone, k),
            all_agree=total(agree),
            all_disagree=total(disagree),
            all_voted=total(everyone),
        )


def _prop_test(success, n):
    """Polis's one-proportion z (against one half), with pseudo-counts."""
    success, n = success + 1, n + 1
    return 2 * np.sqrt(n) * (success / n - 0.5)


def _two_prop_test(success_in, n_in, success_out, n_out):
    """Polis's two-proportion z (group against the rest), with pseudo-counts."""
    s1, n1, s2, n2 = success_in + 1, n_in + 1, success_out + 1, n_out + 1
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (p1 - p2) / np.where(spread > 0, spread, 1), 0.0)
    return z


def _share(part, whole):
    return np.divide(part, whole, out=np.zeros_like(part, dtype=float), where=whole > 0)


def _representative(counts: _Counts, g: int, comment_ids: np.ndarray) -> tuple[Statement, ...]:
    """Polis's representative comments of group g: best first, each significant at 90 %.

    For agreement (disagreement likewise): pa = (na + 1) / (ns + 2) in the group and out of
    it, ratio ra = pa_in / pa_out, z of the group's majority (pat) and of the difference from
    the rest (rat); a comment is representative when both z >= 1.2816, in the direction of
    the larger rat; its score is ra x rat x pa x pat. Agreements come before disagreements
    (as in Polis) among the best five.
    """
    ns_in = counts.voted[g]
    ns_out = counts.all_voted - ns_in
    candidates = []
    for direction, n_in_all, n_all in (
        ("agree", counts.agree[g], counts.all_agree),
        ("disagree", counts.disagree[g], counts.all_disagree),
    ):
        n_out = n_all - n_in_all
        p_in = (n_in_all + 1) / (ns_in + 2)
        p_out = (n_out + 1) / (ns_out + 2)
        ratio = p_in / p_out
        z_in = _prop_test(n_in_all, ns_in)
        z_diff = _two_prop_test(n_in_all, ns_in, n_out, ns_out)
        candidates.append((direction, n_in_all, n_out, ratio, z_in, z_diff, p_in))
    agree, disagree = candidates
    statements = []
    for j in range(len(comment_ids)):
        if ns_in[j] == 0:
            continue
        use = agree if agree[5][j] >= disagree[5][j] else disagree
        direction, n_in, n_out, ratio, z_in, z_diff, p_in = use
        if z_in[j] < Z_90 or z_diff[j] < Z_90:
            continue
        score = ratio[j] * z_diff[j] * p_in[j] * z_in[j]
        statements.append(
            Statement(
                comment_id=int(comment_ids[j]),
                direction=direction,
                share_in=_r(n_in[j] / ns_in[j]),
                share_out=_r(n_out[j] / ns_out[j]) if ns_out[j] else 0.0,
                votes_in=int(ns_in[j]),
                score=_r(score),
            )
        )
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    best = statements[:MAX_REPRESENTATIVE]
    best.sort(key=lambda s: (s.direction != "agree", -s.score, s.comment_id))
    return tuple(best)


def _consensus(counts: _Counts, comment_ids: np.ndarray) -> tuple[Statement, ...]:
    """Comments every group agrees on (or every group disagrees on).

    Each group's majority must be significant (Polis's one-proportion z >= 1.2816) and at
    least 60 %; the score is the product of the groups' pseudo-count shares (Polis's
    group-aware consensus), so a comment scores high only when no group is lukewarm. Without
    groups, everyone analysed counts as one group.
    """
    if counts.voted.shape[0]:
        voted, sides = counts.voted, (("agree", counts.agree), ("disagree", counts.disagree))
    else:
        voted = counts.all_voted[None, :]
        sides = (("agree", counts.all_agree[None, :]), ("disagree", counts.all_disagree[None, :]))
    statements = []
    for direction, n in sides:
        share = _share(n, voted)
        z = _prop_test(n, voted)
        ok = np.all((voted > 0) & (z >= Z_90) & (share >= 0.6), axis=0)
        score = np.prod((n + 1) / (voted + 2), axis=0)
        overall = counts.all_agree if direction == "agree" else counts.all_disagree
        for j in np.flatnonzero(ok):
            statements.append(
                Statement(
                    comment_id=int(comment_ids[j]),
                    direction=direction,
                    share_in=_r(overall[j] / counts.all_voted[j]),
                    share_out=_r(share[:, j].min()),
                    votes_in=int(counts.all_voted[j]),
                    score=_r(score[j]),
                )
            )
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_STATEMENTS])


def _divisive(counts: _Counts, comment_ids: np.ndarray) -> tuple[Statement, ...]:
    """Comments on which the groups differ most.

    A group's stance on a comment is its mean vote (agree 1, disagree -1, pass 0); the score
    is the variance of the stances weighted by the groups' numbers of voters on it, so a
    comment that splits the people into two large camps ranks above one on which a small
    group stands alone. The groups agreeing most and least must differ significantly
    (two-proportion z >= 1.2816) and the score be at least 0.1.
    """
    k = counts.voted.shape[0]
    if k < 2:
        return ()
    voted = counts.voted
    stance = _share(counts.agree - counts.disagree, voted)
    weight = _share(voted, voted.sum(axis=0, keepdims=True))
    mean = (weight * stance).sum(axis=0)
    score = (weight * (stance - mean) ** 2).sum(axis=0)
    agree_share = _share(counts.agree, voted)
    statements = []
    for j in range(len(comment_ids)):
        present = voted[:, j] > 0
        if present.sum() < 2 or score[j] < 0.1:
            continue
        shares = np.where(present, agree_share[:, j], np.nan)
        hi, lo = int(np.nanargmax(shares)), int(np.nanargmin(shares))
        z = _two_prop_test(counts.agree[hi, j], voted[hi, j], counts.agree[lo, j], voted[lo, j])
        if z < Z_90:
            continue
        statements.append(
            Statement(
                comment_id=int(comment_ids[j]),
                direction="agree",
                share_in=_r(agree_share[hi, j]),
                share_out=_r(agree_share[lo, j]),
                votes_in=int(counts.all_voted[j]),
                score=_r(score[j]),
            )
        )
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_STATEMENTS])
