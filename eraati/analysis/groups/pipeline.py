"""``analyse``: from one topic's votes to its opinion groups (the steps are described in
the package docstring), and ``group_counts``, each group's votes on each comment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from eraati.analysis.groups.clustering import canonical_labels, choose_groups, reference_silhouette
from eraati.analysis.groups.matrix import factorize, last_votes, principal_components, vote_codes
from eraati.analysis.groups.model import (
    DIMENSIONS,
    REASON_NO_STRUCTURE,
    REASON_TOO_FEW,
    Group,
    Result,
    Votes,
    rounded,
)
from eraati.analysis.groups.statements import Counts, consensus, divisive, representative

Progress = Callable[[str, float], None]

#: Fewer analysed participants than this: no groups.
MIN_PARTICIPANTS = 10
#: Groups are shown only when the silhouette beats a structureless cloud's by this much.
SILHOUETTE_MARGIN = 0.05


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
    voter_keys, row_all = factorize(np.asarray(votes.participant, dtype=np.int64))
    comment_ids, col_all = factorize(np.asarray(votes.comment, dtype=np.int64))
    value = np.sign(np.asarray(votes.value)).astype(np.int8)
    shape = (len(voter_keys), len(comment_ids))
    codes = vote_codes(row_all, col_all, value, shape)
    if codes.nnz != len(value):  # a pair voted twice: its codes were added up
        row_all, col_all, value = last_votes(row_all, col_all, value)
        codes = vote_codes(row_all, col_all, value, shape)
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
    components, explained = principal_components(centred, seed, max(2, dimensions))
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
        k, raw_labels, silhouette = choose_groups(space[:, :dimensions], seed)
        reference = reference_silhouette(space[:, :dimensions], k, seed)
        if silhouette < reference + SILHOUETTE_MARGIN:
            reason, k = REASON_NO_STRUCTURE, None
        else:
            labels = canonical_labels(raw_labels, keys)
        silhouette, reference = rounded(silhouette), rounded(reference)

    report("statements", 0.8)
    counts = Counts.build(indptr, cols, vals, labels, k or 0, m)
    groups = tuple(
        Group(
            id=g,
            size=int(np.sum(labels == g)),
            members=tuple(int(x) for x in keys[labels == g]),
            representative=representative(counts, g, comment_ids),
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
        consensus=consensus(counts, comment_ids),
        divisive=divisive(counts, comment_ids),
        explained=(rounded(explained[0]), rounded(explained[1])),
        explained_grouping=rounded(sum(explained[:dimensions])),
        dimensions=dimensions,
    )
    report("done", 1.0)
    return result


@dataclass(frozen=True)
class GroupCounts:
    """Each group's votes on each comment (the Polis export's comment-groups table)."""

    comment_ids: np.ndarray  # (m,) int64, ascending: every comment with a vote
    agree: np.ndarray  # (k, m) int64, row g: group g
    disagree: np.ndarray
    passed: np.ndarray


def group_counts(votes: Votes, result: Result) -> GroupCounts:
    """How the members of each of ``result``'s groups voted on each comment of ``votes``
    (the votes the result was computed from; a repeated pair keeps its last vote)."""
    voter_keys, row = factorize(np.asarray(votes.participant, dtype=np.int64))
    comment_ids, col = factorize(np.asarray(votes.comment, dtype=np.int64))
    value = np.sign(np.asarray(votes.value)).astype(np.int8)
    shape = (len(voter_keys), len(comment_ids))
    codes = vote_codes(row, col, value, shape)
    if codes.nnz != len(value):
        row, col, value = last_votes(row, col, value)
        codes = vote_codes(row, col, value, shape)
    k, m = len(result.groups), len(comment_ids)
    known = result.participant_ids
    at = np.minimum(np.searchsorted(known, voter_keys), max(len(known) - 1, 0))
    found = (known[at] == voter_keys) if len(known) else np.zeros(len(voter_keys), dtype=bool)
    label = np.where(found, result.labels[at] if len(known) else -1, -1)
    cells = codes.tocoo()
    group = label[cells.row]
    inside = group >= 0
    index = (group[inside] * m + cells.col[inside]) * 3 + (cells.data[inside].astype(np.int64) - 1)
    table = np.bincount(index, minlength=k * m * 3).reshape(k, m, 3)
    return GroupCounts(
        comment_ids=comment_ids,
        agree=table[:, :, 2],
        disagree=table[:, :, 0],
        passed=table[:, :, 1],
    )
