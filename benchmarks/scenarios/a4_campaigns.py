"""A4: campaign grouping (``eraati.analysis.campaigns``) grows linearly with the comments.

``benchmarks.campaigns_child`` groups generated comments (planted campaigns, their
near-duplicate variants, short common texts and different texts) in a fresh process:
10,000 and 100,000 comments, alternating, 3 times each. The figures are the median time
ratio (no pairing of every comment with every other: at most 12x for 10x the comments),
the growth of the peak resident set size (``VmHWM``, reset before the grouping, so the
interpreter's and NumPy's own memory cancel), and the recall and precision against what
was planted. The grouping needs no database: it is measured once per harness run and the
figures are repeated for the second database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

ROOT = Path(__file__).resolve().parent.parent.parent
TIME_LIMIT = 12.0
MEMORY_LIMIT = 100.0  # MiB
RECALL_TARGET = 0.9
PRECISION_TARGET = 0.95
CHILD_TIMEOUT = 600.0
_MEASURED: dict[tuple[int, int, int], dict] = {}


def child(comments: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    proc = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.campaigns_child", "--comments", str(comments)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"grouping of {comments} comments failed: {tail[0][:300]}")
    return json.loads(lines[-1])


def measure(small: int, big: int, runs: int) -> dict:
    key = (small, big, runs)
    if key not in _MEASURED:
        pairs = [(child(small), child(big)) for _ in range(runs)]
        _MEASURED[key] = {"pairs": pairs, "db": None}
    return _MEASURED[key]


@register
class A4(Scenario):
    id = "A4"
    title = "campaign grouping, 100,000 vs 10,000 comments"
    target = f"time <= {TIME_LIMIT:.0f}x, peak RSS growth <= {MEMORY_LIMIT:.0f} MiB"
    needs_server = False

    def run(self, ctx):
        small, big = ctx.sizes.a4_small, ctx.sizes.a4_big
        measured = measure(small, big, ctx.sizes.runs)
        pairs = measured["pairs"]
        first = measured["db"] is None
        measured["db"] = measured["db"] or ctx.kind
        ratio = statistics.median(b["seconds"] / a["seconds"] for a, b in pairs)
        growth = statistics.median(b["peak_rss_mib"] for _, b in pairs) - statistics.median(
            a["peak_rss_mib"] for a, _ in pairs
        )
        recall = min(r["recall"] for pair in pairs for r in pair)
        precision = min(r["precision"] for pair in pairs for r in pair)
        if first:
            for a, b in pairs:
                ctx.log(
                    f"    {small}: {a['seconds']:.2f} s, peak {a['peak_rss_mib']:.0f} MiB; "
                    f"{big}: {b['seconds']:.2f} s, peak {b['peak_rss_mib']:.0f} MiB"
                )
        note = "" if first else f" (measured once, with {measured['db']})"
        details = {"runs": [{"small": a, "big": b} for a, b in pairs]}
        return [
            Figure(
                self.id,
                f"time {big:,} / {small:,} comments{note}",
                ratio,
                f"<= {TIME_LIMIT:.0f}x",
                check(ratio, "<=", TIME_LIMIT),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"peak RSS growth {small:,} -> {big:,}{note}",
                growth,
                f"<= {MEMORY_LIMIT:.0f} MiB",
                check(growth, "<=", MEMORY_LIMIT),
                "MiB",
            ),
            Figure(
                self.id,
                f"seconds at {big:,} (median){note}",
                statistics.median(b["seconds"] for _, b in pairs),
            ),
            Figure(
                self.id,
                f"recall of planted campaign comments (worst run){note}",
                recall,
                f">= {RECALL_TARGET}",
                check(recall, ">=", RECALL_TARGET),
            ),
            Figure(
                self.id,
                f"precision of the groups (worst run){note}",
                precision,
                f">= {PRECISION_TARGET}",
                check(precision, ">=", PRECISION_TARGET),
            ),
        ]
