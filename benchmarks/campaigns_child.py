"""A4's child: campaign grouping of generated comments in a fresh process.

Run by ``scenarios/a4_campaigns.py``, never by hand::

    python -m benchmarks.campaigns_child --comments 100000

The comments are made on the fly (never all in memory, as ``campaigns.compute`` reads
them from the database in batches): of every 1,000, 880 are different texts of 3 to 60
words from a made-up vocabulary of 4,000 words, 60 are short common texts ("Kannatan.",
"Samaa mieltä") that must not be grouped, and 60 belong to planted campaigns of 120
comments each (so 5 at 10,000 and 50 at 100,000). A campaign's comment is its text as
such with its case, punctuation and spacing changed (two in three), or with one word
changed, one word added or a sentence added (one in three).

The process first makes the comments once without grouping them (the generator's own
time), then resets the peak resident set size (``VmHWM``, through
``/proc/self/clear_refs``) and groups them, timed. It prints one JSON line: the seconds
of the grouping (generation subtracted) and in all, the resident set size at the start
and its peak, the groups found, and recall and precision against what was planted: a
found group is labelled with the campaign most of its comments came from; its comments
of that campaign are right, the others wrong (precision); the planted comments found in
their campaign's group, of all planted (recall).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

PER_THOUSAND_CAMPAIGN = 60
PER_THOUSAND_SHORT = 60
CAMPAIGN_SIZE = 120
SHORT = [
    "Kannatan.",
    "Samaa mieltä!",
    "Hyvä idea",
    "Vastustan tätä.",
    "Kiitos!",
    "En kannata",
    "Tämä on hyvä ehdotus.",
]
SYLLABLES = [
    "ka",
    "ta",
    "la",
    "sa",
    "ma",
    "na",
    "pa",
    "va",
    "ri",
    "ki",
    "li",
    "ti",
    "mi",
    "si",
    "nen",
    "kin",
    "ssa",
    "lla",
    "sta",
    "ko",
    "lo",
    "to",
    "ro",
]


def _vocabulary(rng: random.Random) -> list[str]:
    found: set[str] = set()
    while len(found) < 4000:
        found.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(found)


def _sentence(rng: random.Random, vocabulary: list[str], n: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + "."


def comments(n: int, seed: int = 4):
    """(id, text, seconds, author, planted campaign or -1) for ``n`` comments."""
    rng = random.Random(seed)  # noqa: S311 - made-up comments, not secrets
    vocabulary = _vocabulary(rng)
    campaigns = max(1, n * PER_THOUSAND_CAMPAIGN // 1000 // CAMPAIGN_SIZE)
    texts = [
        " ".join(_sentence(rng, vocabulary, rng.randint(8, 14)) for _ in range(rng.randint(2, 4)))
        for _ in range(campaigns)
    ]
    campaign_left = [CAMPAIGN_SIZE] * campaigns
    for i in range(n):
        slot = i % 1000
        if slot < PER_THOUSAND_CAMPAIGN and any(campaign_left):
            c = (i // 1000 * PER_THOUSAND_CAMPAIGN + slot) % campaigns
            if not campaign_left[c]:
                c = next(k for k, left in enumerate(campaign_left) if left)
            campaign_left[c] -= 1
            text = texts[c]
            how = rng.random()
            if how < 0.22:
                text = text.upper()
            elif how < 0.44:
                text = text.replace(".", "!").replace(" ", "  ")
            elif how < 0.67:
                text = text.lower().replace(".", "")
            elif how < 0.78:
                tokens = text.split()
                tokens[rng.randrange(len(tokens))] = rng.choice(vocabulary)
                text = " ".join(tokens)
            elif how < 0.89:
                tokens = text.split()
                tokens.insert(rng.randrange(len(tokens)), rng.choice(vocabulary))
                text = " ".join(tokens)
            else:
                text = text + " " + _sentence(rng, vocabulary, 5)
            yield i + 1, text, 1_700_000_000 + i, rng.randrange(n), c
        elif slot < PER_THOUSAND_CAMPAIGN + PER_THOUSAND_SHORT:
            yield i + 1, rng.choice(SHORT), 1_700_000_000 + i, None, -1
        else:
            words = rng.randint(3, 60)
            text = _sentence(rng, vocabulary, words)
            yield i + 1, text, 1_700_000_000 + i, rng.randrange(n), -1


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, required=True)
    args = parser.parse_args(argv)
    from eraati.analysis.campaigns import Grouper

    n = args.comments
    started = time.perf_counter()
    planted = Counter()
    for *_, campaign in comments(n):
        if campaign >= 0:
            planted[campaign] += 1
    generating = time.perf_counter() - started

    Path("/proc/self/clear_refs").write_text("5")
    rss_start = _status("VmRSS")
    labels: dict[int, int] = {}
    started = time.perf_counter()
    grouper = Grouper()
    for cid, text, at, author, campaign in comments(n):
        grouper.add(cid, text, at, author)
        if campaign >= 0:
            labels[cid] = campaign  # about 6 % of the ids: not part of the grouping's memory
    groups = grouper.groups()
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")

    right = wrong = 0
    for g in groups:
        found = Counter(labels.get(i, -1) for i in g.ids)
        label, count = found.most_common(1)[0]
        if label >= 0:
            right += count
            wrong += g.size - count
        else:
            wrong += g.size
    grouped = right + wrong
    print(
        json.dumps(
            {
                "comments": n,
                "seconds": max(seconds - generating, 0.0),
                "seconds_with_generation": seconds,
                "generation_seconds": generating,
                "rss_start_mib": rss_start,
                "peak_rss_mib": peak,
                "groups": len(groups),
                "exact_groups": sum(1 for g in groups if g.exact),
                "planted_campaigns": len(planted),
                "planted_comments": sum(planted.values()),
                "recall": right / sum(planted.values()) if planted else 1.0,
                "precision": right / grouped if grouped else 1.0,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
