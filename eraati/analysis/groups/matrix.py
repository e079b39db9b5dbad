"""The vote matrix (sparse, one vote per person and comment) and its principal components."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: Participants per dense block when the covariance is accumulated.
BLOCK = 4096


def vote_codes(rows, cols, value, shape) -> sp.csr_matrix:
    """Votes as codes 1 (disagree), 2 (pass), 3 (agree): no stored zeros, so passes stay."""
    return sp.coo_matrix(((value + 2).astype(np.int8), (rows, cols)), shape=shape).tocsr()


def last_votes(rows, cols, value) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One vote per person and comment (the last given), as the database keeps them."""
    order = np.lexsort((cols, rows))
    r, c = rows[order], cols[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    # lexsort is stable: of equal pairs the last in the input is the last in the order.
    keep = np.sort(order[last])
    return rows[keep], cols[keep], value[keep]


def factorize(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def principal_components(
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
    for start in range(0, n, BLOCK):
        block = centred[start : start + BLOCK].toarray()
        cov += block.T @ block
    cov /= n
    total = float(np.trace(cov))
    if total <= 1e-12:  # everyone voted alike: no direction of difference
        return axes, tuple(shares)
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
