"""The comments that describe the groups: each group's representative comments (Polis's
representativeness), the consensus comments and the divisive ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from eraati.analysis.groups.model import Statement, rounded

#: z of a one-sided 90 % test (Polis's ``z-sig-90``).
Z_90 = 1.2816
#: Representative comments per group, consensus and divisive comments at most.
MAX_REPRESENTATIVE = 5
MAX_STATEMENTS = 10


@dataclass(frozen=True)
class Counts:
    """Agree, disagree and voted counts per group (rows) and comment (columns)."""

    agree: np.ndarray  # (k, m)
    disagree: np.ndarray
    voted: np.ndarray
    all_agree: np.ndarray  # (m,) over every analysed participant
    all_disagree: np.ndarray
    all_voted: np.ndarray

    @classmethod
    def build(cls, indptr, cols, values, labels, k, m) -> Counts:
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


def representative(counts: Counts, g: int, comment_ids: np.ndarray) -> tuple[Statement, ...]:
    """Polis's representative comments of group g: best first, each significant at 90 %.

    For agreement (disagreement likewise): pa = (na + 1) / (ns + 2) in the group and out of
    it, ratio ra = pa_in / pa_out, z of the group's majority (pat) and of the difference from
    the rest (rat); a comment is representative when both z > 1.2816, in the direction of
    the larger rat; its score is ra x rat x pa x pat. The best five, best first (Polis lists
    agreements before disagreements; a page can group them so).
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
            share_in=rounded(n_in[j] / ns_in[j]),
            share_out=rounded(n_out[j] / ns_out[j]) if ns_out[j] else 0.0,
            votes_in=int(ns_in[j]),
            score=rounded(score[j]),
        )
        for j in np.flatnonzero(significant)
    ]
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_REPRESENTATIVE])


def consensus(counts: Counts, comment_ids: np.ndarray) -> tuple[Statement, ...]:
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
                    share_in=rounded(overall[j] / counts.all_voted[j]),
                    share_out=rounded(share[:, j].min()),
                    votes_in=int(counts.all_voted[j]),
                    score=rounded(score[j]),
                )
            )
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_STATEMENTS])


def divisive(counts: Counts, comment_ids: np.ndarray) -> tuple[Statement, ...]:
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
            share_in=rounded(agree_share[hi[j], j]),
            share_out=rounded(agree_share[lo[j], j]),
            votes_in=int(counts.all_voted[j]),
            score=rounded(score[j]),
        )
        for j in np.flatnonzero(chosen)
    ]
    statements.sort(key=lambda s: (-s.score, s.comment_id))
    return tuple(statements[:MAX_STATEMENTS])
