"""Each opinion group's keywords: the words of the comments the group stands out on,
against the topic's other comments (``keywords.keywords``), computed with the groups in
the background job (``opinion.compute``) and stored in each group of the result.

Which comments a group stands out on: those its members agree with clearly more than
everyone else analysed. That is Polis's test of a representative comment on the agree
side (the group's agreement is a significant majority, one-proportion z > 1.2816, and
significantly higher than among the others, two-proportion z > 1.2816, both with the
same pseudo-counts as ``groups.statements``), without the cap of five comments: the
representative comments on which the group agrees are among them, and a group with many
such comments gets its words from all of them, which makes the keywords steadier than
five texts could. Comments the group rejects are left out on purpose: their words are
what the others say, not the group. A comment that two groups both agree with clearly
more than the rest is in both groups' texts; every other visible comment of the topic
is the background the words are contrasted with.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from eraati.analysis.groups import Result, Votes
from eraati.analysis.groups.pipeline import group_counts
from eraati.analysis.groups.statements import Z_90, _prop_test, _two_prop_test
from eraati.analysis.keywords import keywords

#: Keywords per group at most.
MAX_KEYWORDS = 8


def agreed_comments(votes: Votes, result: Result) -> dict[int, list[int]]:
    """``{group id: ids of the comments its members agree with clearly more than the
    others}`` (ascending), from the votes ``result`` was computed from."""
    if not result.groups:
        return {}
    counts = group_counts(votes, result)
    agree = counts.agree.astype(np.float64)
    voted = (counts.agree + counts.disagree + counts.passed).astype(np.float64)
    all_agree, all_voted = agree.sum(axis=0), voted.sum(axis=0)
    out: dict[int, list[int]] = {}
    for g in result.groups:
        n_in, s_in = voted[g.id], agree[g.id]
        z_in = _prop_test(s_in, n_in)
        z_diff = _two_prop_test(s_in, n_in, all_agree - s_in, all_voted - n_in)
        chosen = (n_in > 0) & (z_in > Z_90) & (z_diff > Z_90)
        out[g.id] = [int(c) for c in counts.comment_ids[chosen]]
    return out


def group_keywords(
    agreed: Mapping[int, list[int]], texts: Mapping[int, tuple[str, str]]
) -> dict[int, list[str]]:
    """``{group id: its keywords, best first}``. ``agreed``: ``agreed_comments``;
    ``texts``: ``{comment id: (text, language)}`` of the topic's visible comments (a
    comment missing from it is skipped)."""
    grouped = {g: [texts[c] for c in ids if c in texts] for g, ids in agreed.items()}
    inside = {c for ids in agreed.values() for c in ids}
    background = [t for c, t in sorted(texts.items()) if c not in inside]
    return keywords(grouped, n=MAX_KEYWORDS, background=background)
