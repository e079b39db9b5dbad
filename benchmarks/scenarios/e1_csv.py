"""E1: the streamed CSV of a 100,000-comment topic (1,000,000 votes) against the csv
module writing the same rows from one plain SELECT, in the same run.

One fresh process (``exports_child pair-csv``) alternates, 3 rounds: the baseline (one
SELECT of the CSV's 24 columns through the DB-API cursor, written with ``csv.writer``),
then ``services.prepare(topic, "csv", "fi")`` and ``"csv-excel"`` consumed into a file.
The figure is the median of the rounds' ratios. (E3 measures their memory in processes
of their own.)
"""

from __future__ import annotations

from benchmarks import exports_support as es
from benchmarks.measure import median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 1.5


@register
class E1(Scenario):
    id = "E1"
    title = "streamed CSV of 100,000 comments vs the csv module from one SELECT"
    target = f"time ratio <= {LIMIT}"
    needs_server = False

    def run(self, ctx):
        label = es.sizes(ctx).label("big")
        seeded = es.topic(ctx, "big")
        (pair,) = es.runs(ctx, "big", "pair-csv", 1, repeat=ctx.sizes.runs)
        rounds = pair["rounds"]
        csv_ratio = median([ratio(r["csv"], r["baseline-csv"]) for r in rounds])
        excel_ratio = median([ratio(r["csv-excel"], r["baseline-csv"]) for r in rounds])
        seconds = " / ".join(
            f"{median([r[w] for r in rounds]):.2f}" for w in ("baseline-csv", "csv", "csv-excel")
        )
        details = {
            "topic": seeded.topic.path,
            "comments": seeded.comments,
            "votes": seeded.votes,
            "rounds_s": rounds,
        }
        return [
            Figure(
                self.id,
                f"CSV (standard) / csv module, {label} comments",
                csv_ratio,
                f"<= {LIMIT}",
                check(csv_ratio, "<=", LIMIT),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"CSV for Excel / csv module, {label} comments",
                excel_ratio,
                f"<= {LIMIT}",
                check(excel_ratio, "<=", LIMIT),
                "x",
            ),
            Figure(self.id, "seconds: csv module / CSV / CSV for Excel", seconds + " s"),
        ]
