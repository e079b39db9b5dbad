"""Keywords of a group of texts against the rest: the words that tell a theme's comments
(or an opinion group's) from the others, for the staff pages and the council report.

Words are content lemmas (``analysis.text``: inflected forms as one word, stop words out)
counted once per text, so that one comment repeating a word cannot make it a keyword.
A word's weight is its log-odds ratio between the group and the rest with an informative
Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), divided by its standard
error: a word common everywhere ("kunta", "hyvä") scores low, a word of the group that
also appears a little elsewhere still scores high, and a word seen once in a small group
does not beat one seen in many of its texts; a word that scores under ``MIN_SCORE`` is
no keyword at all (a small group may have none). Deterministic: ties go alphabetically.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from eraati.analysis.text import content_lemmas

K = TypeVar("K", bound=Hashable)

# The prior's weight, as a share of all words counted (at most ``PRIOR_WORDS``): how
# strongly rare words are pulled towards the overall rate (smaller groups are pulled more,
# since their counts weigh less).
PRIOR_SHARE = 0.25
PRIOR_WORDS = 500.0
# A keyword is in at least this many of the group's texts.
MIN_TEXTS = 2
# ... and scores at least this (its log-odds ratio in standard errors): in a group of a
# few texts, a word seen twice is as likely chance as a keyword, and is left out.
MIN_SCORE = 1.5


def _document_counts(texts: Iterable[tuple[str, str | None]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text, language in texts:
        counts.update(set(content_lemmas(text, language or "fi")))
    return counts


def keywords(
    groups: Mapping[K, Sequence[tuple[str, str | None]]],
    *,
    n: int = 8,
    background: Sequence[tuple[str, str | None]] = (),
    min_texts: int = MIN_TEXTS,
) -> dict[K, list[str]]:
    """{group: its ``n`` most telling words, best first}. Each group is contrasted with
    all the other groups' texts and ``background`` (texts in no group, such as comments
    without a theme). A text is (text, language); language None reads as Finnish."""
    counts = {key: _document_counts(texts) for key, texts in groups.items()}
    everything = Counter(_document_counts(background))
    for c in counts.values():
        everything.update(c)
    total = sum(everything.values())
    if not total:
        return {key: [] for key in groups}
    weight = min(PRIOR_WORDS, PRIOR_SHARE * total)
    prior = {w: weight * c / total for w, c in everything.items()}
    out: dict[K, list[str]] = {}
    for key, mine in counts.items():
        n_mine = sum(mine.values())
        n_rest = total - n_mine
        scored = []
        for word, y_i in mine.items():
            if y_i < min_texts:
                continue
            y_j = everything[word] - y_i
            a = prior[word]
            odds_i = (y_i + a) / (n_mine + weight - y_i - a)
            odds_j = (y_j + a) / (n_rest + weight - y_j - a)
            delta = math.log(odds_i) - math.log(odds_j)
            z = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
            if z >= MIN_SCORE:
                scored.append((-z, word))
        out[key] = [word for _z, word in sorted(scored)[:n]]
    return out
