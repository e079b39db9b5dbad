"""Groups in the principal-component space: k-means, the silhouette that chooses k, and
the silhouette of a structureless cloud that says whether the groups are real."""

from __future__ import annotations

import numpy as np

#: A group has at least this many members (a k whose k-means leaves one alone is not tried).
MIN_GROUP_SIZE = 2
#: Numbers of groups tried.
K_RANGE = (2, 3, 4, 5)
#: Silhouette computed on at most this many points (a fixed-seed sample).
SILHOUETTE_SAMPLE = 2000
#: k is chosen on at most this many points (a fixed-seed sample), k-means++ with this many starts.
KMEANS_SAMPLE = 5000
KMEANS_STARTS = 10


def kmeans(points: np.ndarray, k: int, seed: int, init=None) -> tuple[np.ndarray, np.ndarray]:
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


def silhouette(points: np.ndarray, labels: np.ndarray, seed: int) -> float:
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


def choose_groups(points: np.ndarray, seed: int) -> tuple[int, np.ndarray, float]:
    """k from K_RANGE with the best silhouette (the smaller k of equals).

    With many participants k is chosen on a fixed-seed sample of KMEANS_SAMPLE points,
    then the chosen k-means is run on everyone from the sample's centres.
    """
    rows = _sample(len(points), KMEANS_SAMPLE, seed)
    sample = points[rows]
    best = None
    distinct = len(np.unique(sample, axis=0))
    for k in K_RANGE:
        if k > distinct:
            break
        labels, centres = kmeans(sample, k, seed)
        if np.bincount(labels, minlength=k).min() < MIN_GROUP_SIZE:
            continue  # one person apart is not a group
        score = silhouette(sample, labels, seed)
        if best is None or score > best[3] + 1e-9:
            best = (k, labels, centres, score)
    if best is None:  # every point in the same place, or only lone ones apart
        return 2, np.zeros(len(points), dtype=np.int64), -1.0
    k, labels, centres, score = best
    if len(rows) < len(points):
        labels, _ = kmeans(points, k, seed, init=centres)
        score = silhouette(points, labels, seed)
    return k, labels, score


def reference_silhouette(points: np.ndarray, k: int, seed: int) -> float:
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
    return silhouette(cloud, kmeans(cloud, k, seed)[0], seed)


def canonical_labels(raw: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Group ids by size descending, ties by the smallest member key."""
    found = np.unique(raw)
    order = sorted(found, key=lambda g: (-int(np.sum(raw == g)), int(keys[raw == g].min())))
    mapping = np.full(int(found.max()) + 1, -1, dtype=np.int64)
    for new, old in enumerate(order):
        mapping[old] = new
    return mapping[raw]
