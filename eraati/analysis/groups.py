"""Opinion groups of a topic from the votes on its comments (the Polis method).

What it does, in plain words
----------------------------
Every participant who voted on at least ``min_votes`` comments is a row of a table whose
columns are the comments: agree 1, disagree -1, pass 0. A comment a person has not seen
counts as the average of those who voted on it (so not voting is neither agreement nor
disagreement). Principal component analysis (PCA) finds the directions in which the votes
differ most; people who vote alike land near each other. As in Polis, a person's
position is stretched by sqrt(comments / their votes): someone who voted on a tenth of the
comments is not pulled to the middle merely for having voted little. The map shows the
first two directions. The groups are found in the first four (``dimensions``): k groups
differ in at most k - 1 directions, and with only two, as Polis does, planted sets of four
or five groups merged into three on the map (adjusted Rand index 0.69-0.91 against
0.98-1.0 in four; see tests/analysis/test_groups.py and benchmark A2). k-means cuts
them into k groups (k from 2 to 5, the k whose groups are best separated by the silhouette
measure; k-means++ with several starts and a fixed seed, so the same votes always give the
same groups, in any process).

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
the variation they hold); two people far apart in a third direction can sit side by side,
and so can two groups. When there are too few participants (fewer than
``min_participants``) or the positions hold no more group structure than a structureless
cloud of the same shape would (``silhouette`` less than 0.05 above
``silhouette_reference``), the result says so (``k`` is None, ``reason`` tells why) instead
of inventing groups. Random votes score about the reference (within 0.02).

Speed
-----
The votes stay a sparse matrix (float32). The principal components come from the
comments x comments covariance, accumulated over blocks of participants (only a block is
ever dense), and ARPACK's Lanczos method (``eigsh``, from a fixed start) for its largest
eigenvalues; each eigenvector's largest component is made positive, so the map does not
flip between runs. k-means (on one thread) and the
silhouette run on the four-dimensional points: k is chosen on a fixed-seed sample of 5,000
when there are more, the silhouette on a sample of 2,000.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

Progress = Callable[[str, float], None]

#: z of a one-sided 90 % test (Polis's ``z-sig-90``).
Z_90 = 1.2816
#: Principal components the groups are found in (the map shows the first two): k groups
#: differ in at most k - 1 directions, so four hold every difference between five groups.
DIMENSIONS = 4
#: Fewer analysed participants than this: no groups.
MIN_PARTICIPANTS = 10
#: Numbers of groups tried.
K_RANGE = (2, 3, 4, 5)
#: Representative comments per group, consensus and divisive comments at most.
MAX_REPRESENTATIVE = 5
MAX_STATEMENTS = 10
#: Silhouette computed on at most this many points (a fixed-seed sample).
SILHOUETTE_SAMPLE = 2000
#: k is chosen on at most this many points (a fixed-seed sample), k-means++ with this many starts.
KMEANS_SAMPLE = 5000
KMEANS_STARTS = 10
#: Groups are shown only when the silhouette beats a structureless cloud's by this much.
SILHOUETTE_MARGIN = 0.05
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
    dimensions: int = DIMENSIONS,
) -> Result:
    """Opinion groups, their representative comments, consensus and divisive comments.

    ``votes``: one topic's votes; ``min_votes``: fewer votes leave a participant out of
    the analysis (still counted in ``voters``); ``seed``: the same votes and seed give the
    same result; ``progress(stage, fraction)`` is called as the work advances.
    """
    from threadpoolctl import threadpool_limits

    # One BLAS thread: the products are small enough, and on a machine busy with other work
    # (web workers, jobs) waiting BLAS threads cost more than they save; one thread also
    # adds up in one order, so the result does not depend on the number of cores.
    with threadpool_limits(limits=1, user_api="blas"):
        return _analyse(
            votes,
            min_votes=min_votes,
            seed=seed,
            progress=progress,
            min_participants=min_participants,
            dimensions=dimensions,
        )


def _analyse(
    votes: Votes,
    *,
    min_votes: int,
    seed: int,
    progress: Progress | None,
    min_participants: int,
    dimensions: int,
) -> Result:
    report = progress or (lambda stage, fraction: None)
    report("matrix", 0.0)
    voter_keys, row_all = _factorize(np.asarray(votes.participant, dtype=np.int64))
    comment_ids, col_all = _factorize(np.asarray(votes.comment, dtype=np.int64))
    value = np.sign(np.asarray(votes.value)).astype(np.int8)
    shape = (len(voter_keys), len(comment_ids))
    codes = _codes(row_all, col_all, value, shape)
    if codes.nnz != len(value):  # a pair voted twice: its codes were added up
        row_all, col_all, value = _last_votes(row_all, col_all, value)
        codes = _codes(row_all, col_all, value, shape)
    per_voter = np.diff(codes.indptr)
    kept = per_voter >= min_votes
    keys = voter_keys[kept]
    n, m = len(keys), len(comment_ids)
    codes = codes[kept]
    indptr, cols = codes.indptr, codes.indices
    rows = np.repeat(np.arange(n), np.diff(indptr))
    vals = codes.data.astype(np.float32) - 2
    del codes
    base = {
        "participants": n,
        "voters": len(voter_keys),
        "comments": m,
        "votes": len(value),
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
    centred = sp.csr_matrix((vals - mean[cols].astype(np.float32), cols, indptr), shape=(n, m))
    report("pca", 0.2)
    components, explained = _principal_components(centred, seed, max(2, dimensions))
    per_row = np.bincount(rows, minlength=n)
    stretch = np.sqrt(m / np.maximum(per_row, 1))
    space = np.asarray(centred @ components, dtype=np.float64) * stretch[:, None]
    space = np.round(space, 4) + 0.0
    points = space[:, :2]

    report("groups", 0.5)
    labels = np.full(n, -1, dtype=np.int64)
    k = silhouette = reference = reason = None
    if n < min_participants:
        reason = REASON_TOO_FEW
    else:
        k, raw_labels, silhouette = _choose_groups(space[:, :dimensions], seed)
        reference = _reference_silhouette(space[:, :dimensions], k, seed)
        if silhouette < reference + SILHOUETTE_MARGIN:
            reason, k = REASON_NO_STRUCTURE, None
        else:
            labels = _canonical_labels(raw_labels, keys)
        silhouette, reference = _r(silhouette), _r(reference)

    report("statements", 0.8)
    counts = _Counts.build(indptr, cols, vals, labels, k or 0, m)
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
        explained_grouping=_r(sum(explained[:dimensions])),
        dimensions=dimensions,
    )
    report("done", 1.0)
    return result


def _codes(rows, cols, value, shape) -> sp.csr_matrix:
    """Votes as codes 1 (disagree), 2 (pass), 3 (agree): no stored zeros, so passes stay."""
    return sp.coo_matrix(((value + 2).astype(np.int8), (rows, cols)), shape=shape).tocsr()


def _last_votes(rows, cols, value) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One vote per person and comment (the last given), as the database keeps them."""
    order = np.lexsort((cols, rows))
    r, c = rows[order], cols[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    # lexsort is stable: of equal pairs the last in the input is the last in the order.
    keep = np.sort(order[last])
    return rows[keep], cols[keep], value[keep]


def _factorize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (ascending) and each key's index among them (np.unique's answer).

    Database ids are dense, so a table of the id range does it in linear time; np.unique
    (a sort) when the range is too wide.
    """
    if len(keys) == 0:
        return keys.copy(), np.zeros(0, dtype=np.int64)
    low, high = int(keys.min()), int(keys.max())
    if high - low > 4 * len(keys) + 1_000_000:
        distinct, index = np.unique(keys, return_inverse=True)
        return distinct, index.astype(np.int64)
    present = np.zeros(high - low + 1, dtype=bool)
    present[keys - low] = True
    position = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, position[keys - low]


def _principal_components(
    centred: sp.csr_matrix, seed: int, count: int
) -> tuple[np.ndarray, tuple[float, ...]]:
    """The leading principal axes (m x count) and their shares of the variance.

    Axes beyond the number of comments (or participants) are zero.
    """
    import scipy.linalg
    import scipy.sparse.linalg

    n, m = centred.shape
    axes = np.zeros((m, count), dtype=np.float32)
    shares = [0.0] * count
    usable = min(count, m, n)
    if usable == 0:
        return axes, tuple(shares)
    cov = np.zeros((m, m), dtype=np.float64)
    for start in range(0, n, _BLOCK):
        block = centred[start : start + _BLOCK].toarray()
        cov += block.T @ block
    cov /= n
    total = float(np.trace(cov))
    if m > 4 * usable:  # Lanczos (ARPACK) from a fixed start: a fraction of a full eigh's time
        start = np.random.default_rng(seed).standard_normal(m)
        values, vectors = scipy.sparse.linalg.eigsh(cov, k=usable, which="LA", v0=start)
    else:
        values, vectors = scipy.linalg.eigh(cov, subset_by_index=(m - usable, m - 1))
    order = np.argsort(-values, kind="stable")
    values, vectors = values[order], vectors[:, order]
    # A fixed sign: each axis's largest component (first of equals) is positive.
    for j in range(usable):
        biggest = int(np.argmax(np.abs(np.round(vectors[:, j], 10))))
        if vectors[biggest, j] < 0:
            vectors[:, j] = -vectors[:, j]
        axes[:, j] = vectors[:, j]
        shares[j] = float(max(values[j], 0.0) / total) if total > 0 else 0.0
    return axes, tuple(shares)


def _kmeans(points: np.ndarray, k: int, seed: int, init=None) -> tuple[np.ndarray, np.ndarray]:
    """Labels and centres: the best of KMEANS_STARTS k-means++ starts, or from given centres.

    Plain NumPy (Lloyd's iterations, greedy k-means++ seeding as in scikit-learn): the
    points have a handful of dimensions, so one thread is fast, sums in one fixed order (the
    same groups on any machine and thread count), and the process need not load
    scikit-learn (some 110 MiB).
    """
    x = np.asarray(points, dtype=np.float64)
    if init is not None:
        return _lloyd(x, np.array(init, dtype=np.float64))[:2]
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(KMEANS_STARTS):
        labels, centres, inertia = _lloyd(x, _kmeans_plus_plus(x, k, rng))
        if best is None or inertia < best[2]:
            best = (labels, centres, inertia)
    return best[0], best[1]


def _squared_distances(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(points, centres) squared distances, as |x|^2 - 2 x.c + |c|^2 (one small product)."""
    square = np.einsum("ij,ij->i", x, x)[:, None] - 2.0 * (x @ centres.T)
    square += np.einsum("ij,ij->i", centres, centres)[None, :]
    return np.maximum(square, 0.0)


def _kmeans_plus_plus(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++: each next centre the best of 2 + log(k) candidates drawn with
    probability proportional to the squared distance from the centres so far."""
    n = len(x)
    trials = 2 + int(np.log(k))
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    closest = _squared_distances(x, centres[:1])[:, 0]
    for c in range(1, k):
        total = closest.sum()
        if total <= 0:  # fewer distinct points than k: repeat one
            centres[c:] = centres[0]
            break
        draws = np.searchsorted(np.cumsum(closest), rng.random(trials) * total)
        draws = np.minimum(draws, n - 1)
        candidate = np.minimum(closest[None, :], _squared_distances(x, x[draws]).T)
        pick = int(np.argmin(candidate.sum(axis=1)))
        centres[c], closest = x[draws[pick]], candidate[pick]
    return centres


def _lloyd(x: np.ndarray, centres: np.ndarray, iterations: int = 300):
    """Lloyd's iterations until the centres move less than 1e-4 of the data's variance; a
    centre left without points stays where it was. Labels, centres and inertia."""
    tolerance = 1e-4 * float(np.mean(np.var(x, axis=0))) if len(x) else 0.0
    k = len(centres)
    for _ in range(iterations):
        distances = _squared_distances(x, centres)
        labels = np.argmin(distances, axis=1)
        counts = np.bincount(labels, minlength=k)
        moved = centres.copy()
        filled = counts > 0
        for d in range(x.shape[1]):
            sums = np.bincount(labels, weights=x[:, d], minlength=k)
            moved[filled, d] = sums[filled] / counts[filled]
        shift = float(((moved - centres) ** 2).sum())
        centres = moved
        if shift <= tolerance:
            break
    distances = _squared_distances(x, centres)
    labels = np.argmin(distances, axis=1)
    inertia = float(distances[np.arange(len(x)), labels].sum())
    return labels, centres, inertia


def _sample(count: int, size: int, seed: int) -> np.ndarray:
    """A fixed-seed sample of row numbers (all rows, in order, when there are few)."""
    if count <= size:
        return np.arange(count)
    return np.sort(np.random.default_rng(seed).choice(count, size=size, replace=False))


def _silhouette(points: np.ndarray, labels: np.ndarray, seed: int) -> float:
    """The mean silhouette (sklearn's definition) of a fixed-seed sample of the points.

    For each point: a = mean distance to the others of its group, b = the smallest mean
    distance to another group's points, silhouette (b - a) / max(a, b); 0 for a point alone
    in its group.
    """
    from scipy.spatial.distance import cdist

    rows = _sample(len(points), SILHOUETTE_SAMPLE, seed + 1)
    x, found = points[rows], labels[rows]
    groups, found = np.unique(found, return_inverse=True)
    if len(groups) < 2:
        return -1.0
    distance = cdist(x, x)
    member = np.zeros((len(x), len(groups)))
    member[np.arange(len(x)), found] = 1.0
    sums = distance @ member  # (points, groups): summed distance to each group
    sizes = member.sum(axis=0)
    own = sizes[found]
    a = np.divide(sums[np.arange(len(x)), found], own - 1, out=np.zeros(len(x)), where=own > 1)
    means = sums / sizes
    means[np.arange(len(x)), found] = np.inf
    b = means.min(axis=1)
    top = np.maximum(a, b)
    score = np.divide(b - a, top, out=np.zeros(len(x)), where=(top > 0) & (own > 1))
    return float(score.mean())


def _choose_groups(points: np.ndarray, seed: int) -> tuple[int, np.ndarray, float]:
    """k from K_RANGE with the best silhouette (the smaller k of equals).

    With many participants k is chosen on a fixed-seed sample of KMEANS_SAMPLE points,
    then the chosen k-means is run on everyone from the sample's centres.
    """
    rows = _sample(len(points), KMEANS_SAMPLE, seed)
    sample = points[rows]
    best = None
    distinct = len(np.unique(sample, axis=0))
    for k in K_RANGE:
        if k >= distinct:
            break
        labels, centres = _kmeans(sample, k, seed)
        score = _silhouette(sample, labels, seed)
        if best is None or score > best[2] + 1e-9:
            best = (k, centres, score)
    if best is None:  # every point in the same place or two
        return 2, np.zeros(len(points), dtype=np.int64), -1.0
    k, centres, score = best
    if len(rows) == len(points):
        labels, _ = _kmeans(points, k, seed)
    else:
        labels, _ = _kmeans(points, k, seed, init=centres)
        score = _silhouette(points, labels, seed)
    return k, labels, score


def _reference_silhouette(points: np.ndarray, k: int, seed: int) -> float:
    """The silhouette k-means reaches on a structureless cloud of the same shape.

    A Gaussian cloud with the points' covariance (as many points, at most the silhouette
    sample) cut into the same k: an elongated cloud cut in two already scores about 0.5, so a
    silhouette is evidence of groups only above this reference.
    """
    size = min(len(points), SILHOUETTE_SAMPLE)
    rng = np.random.default_rng(seed)
    dims = points.shape[1]
    cov = np.cov(points, rowvar=False) if len(points) > 1 else np.eye(dims)
    cloud = rng.multivariate_normal(np.zeros(dims), cov, size=size, method="eigh")
    return _silhouette(cloud, _kmeans(cloud, k, seed)[0], seed)


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
    def build(cls, indptr, cols, values, labels, k, m) -> _Counts:
        """From the analysed votes (CSR parts: agree 1, disagree -1, pass 0) and groups."""
        n = len(indptr) - 1

        def matrix(mask) -> sp.csr_matrix:
            return sp.csr_matrix((mask.astype(np.float32), cols, indptr), shape=(n, m))

        def column_sums(a: sp.csr_matrix) -> np.ndarray:
            return np.asarray(a.sum(axis=0), dtype=np.float64).ravel()

        agree, disagree = matrix(values > 0), matrix(values < 0)
        voted = matrix(np.ones(len(values), dtype=bool))
        if k:
            members = np.flatnonzero(labels >= 0)
            one_hot = sp.csr_matrix(
                (np.ones(len(members), dtype=np.float32), (labels[members], members)),
                shape=(k, n),
            )

            def per_group(a: sp.csr_matrix) -> np.ndarray:
                return (one_hot @ a).toarray().astype(np.float64)
        else:

            def per_group(a: sp.csr_matrix) -> np.ndarray:
                return np.zeros((0, m))

        return cls(
            agree=per_group(agree),
            disagree=per_group(disagree),
            voted=per_group(voted),
            all_agree=column_sums(agree),
            all_disagree=column_sums(disagree),
            all_voted=column_sums(voted),
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
    the rest (rat); a comment is representative when both z > 1.2816, in the direction of
    the larger rat; its score is ra x rat x pa x pat. Agreements come before disagreements
    (as in Polis) among the best five.
    """
    ns_in = counts.voted[g]
    ns_out = counts.all_voted - ns_in
    sides = {}
    for direction, n_in, n_all in (
        ("agree", counts.agree[g], counts.all_agree),
        ("disagree", counts.disagree[g], counts.all_disagree),
    ):
        n_out = n_all - n_in
        p_in = (n_in + 1) / (ns_in + 2)
        ratio = p_in / ((n_out + 1) / (ns_out + 2))
        z_in = _prop_test(n_in, ns_in)
        z_diff = _two_prop_test(n_in, ns_in, n_out, ns_out)
        sides[direction] = (n_in, n_out, z_in, z_diff, ratio * z_diff * p_in * z_in)
    agree = sides["agree"][3] > sides["disagree"][3]  # Polis: the larger rat or rdt
    chosen = [np.where(agree, a, d) for a, d in zip(sides["agree"], sides["disagree"], strict=True)]
    n_in, n_out, z_in, z_diff, score = chosen
    significant = (ns_in > 0) & (z_in > Z_90) & (z_diff > Z_90)
    statements = [
        Statement(
            comment_id=int(comment_ids[j]),
            direction="agree" if agree[j] else "disagree",
            share_in=_r(n_in[j] / ns_in[j]),
            share_out=_r(n_out[j] / ns_out[j]) if ns_out[j] else 0.0,
            votes_in=int(ns_in[j]),
            score=_r(score[j]),
        )
        for j in np.flatnonzero(significant)
    ]
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    best = statements[:MAX_REPRESENTATIVE]
    best.sort(key=lambda s: (s.direction != "agree", -s.score, s.comment_id))
    return tuple(best)


def _consensus(counts: _Counts, comment_ids: np.ndarray) -> tuple[Statement, ...]:
    """Comments every group agrees on (or every group disagrees on).

    Each group's majority must be significant (Polis's one-proportion z > 1.2816) and at
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
        ok = np.all((voted > 0) & (z > Z_90) & (share >= 0.6), axis=0)
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
    (two-proportion z > 1.2816) and the score be at least 0.1.
    """
    k = counts.voted.shape[0]
    if k < 2:
        return ()
    voted = counts.voted
    stance = _share(counts.agree - counts.disagree, voted)
    weight = _share(voted, voted.sum(axis=0, keepdims=True))
    mean = (weight * stance).sum(axis=0)
    score = (weight * (stance - mean) ** 2).sum(axis=0)
    present = voted > 0
    agree_share = _share(counts.agree, voted)
    hi = np.argmax(np.where(present, agree_share, -1.0), axis=0)
    lo = np.argmin(np.where(present, agree_share, 2.0), axis=0)
    columns = np.arange(voted.shape[1])
    z = _two_prop_test(
        counts.agree[hi, columns], voted[hi, columns], counts.agree[lo, columns], voted[lo, columns]
    )
    chosen = (present.sum(axis=0) >= 2) & (score >= 0.1) & (z > Z_90)
    statements = [
        Statement(
            comment_id=int(comment_ids[j]),
            direction="agree",
            share_in=_r(agree_share[hi[j], j]),
            share_out=_r(agree_share[lo[j], j]),
            votes_in=int(counts.all_voted[j]),
            score=_r(score[j]),
        )
        for j in np.flatnonzero(chosen)
    ]
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_STATEMENTS])
