"""E2: the XLSX export of a 100,000-comment topic against xlsxwriter in constant-memory
mode writing the same rows from memory, in the same run.

One fresh process (``exports_child pair-xlsx``) reads the five sheets' rows into a list
first (not timed; final cell values: local times, labels, texts as written), then
alternates, 3 rounds: the baseline, xlsxwriter (``constant_memory``) writing those rows
with the same formats, widths, frozen header and filter; and
``services.prepare(topic, "xlsx", "fi")`` consumed into a file. The figure is the median
of the rounds' ratios. (E3 measures the export's memory in a process of its own.)
"""

from __future__ import annotations

from benchmarks import exports_support as es
from benchmarks.measure import median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 1.3


@register
class E2(Scenario):
    id = "E2"
    title = "XLSX of 100,000 comments vs xlsxwriter (constant memory) from memory"
    target = f"time ratio <= {LIMIT}"
    needs_server = False

    def run(self, ctx):
        label = es.sizes(ctx).label("big")
        seeded = es.topic(ctx, "big")
        (pair,) = es.runs(ctx, "big", "pair-xlsx", 1, repeat=ctx.sizes.runs)
        rounds = pair["rounds"]
        value = median([ratio(r["xlsx"], r["baseline-xlsx"]) for r in rounds])
        seconds = " / ".join(
            f"{median([r[w] for r in rounds]):.2f}" for w in ("baseline-xlsx", "xlsx")
        )
        return [
            Figure(
                self.id,
                f"XLSX / xlsxwriter constant memory, {label} comments",
                value,
                f"<= {LIMIT}",
                check(value, "<=", LIMIT),
                "x",
                {"topic": seeded.topic.path, "rounds_s": rounds},
            ),
            Figure(self.id, "seconds: xlsxwriter / XLSX export", seconds + " s"),
        ]
