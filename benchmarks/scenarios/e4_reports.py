"""E4: the council report (DOCX and PDF, without the appendix) of a 100,000-comment topic
with 1,000,000 votes, and whether its aggregates come from SQL.

Each run is a fresh process (``exports_child``) calling ``eraati.reports.build.build``
with the writers already imported (as in a worker that has made a report before); 3 runs
per format, the median reported. Aggregates in SQL mean the report reads about as many
rows from the database for 100,000 comments as for 10,000: the rows fetched through
SQLAlchemy are counted in both (a Python loop over the comments or votes would read 10x
more).
"""

from __future__ import annotations

from benchmarks import exports_support as es
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 10.0  # seconds
ROWS_SLACK = (1.1, 100)  # rows at 100k <= 1.1 x rows at 10k + 100


def _no_growth(small: float, big: float) -> bool:
    return big <= ROWS_SLACK[0] * small + ROWS_SLACK[1]


@register
class E4(Scenario):
    id = "E4"
    title = "council report (DOCX, PDF; no appendix) of 100,000 comments"
    target = f"<= {LIMIT:.0f} s each; rows read do not grow with the topic"
    needs_server = False

    def run(self, ctx):
        missing = es.reports_available()
        if missing:
            return [Figure(self.id, "report builder", f"not available: {missing}", "exists", False)]
        s = es.sizes(ctx)
        big, small = s.label("big"), s.label("small")
        figures, reads, ok_rows, details = [], [], True, {}
        for fmt in es.REPORTS:
            at_big = es.runs(ctx, "big", fmt)
            at_small = es.runs(ctx, "small", fmt, 1)
            seconds = es.median_of(at_big, "seconds")
            rows = (es.median_of(at_small, "rows_fetched"), es.median_of(at_big, "rows_fetched"))
            statements = (
                es.median_of(at_small, "statements"),
                es.median_of(at_big, "statements"),
            )
            ok_rows = ok_rows and _no_growth(*rows)
            reads.append(
                f"{fmt} {rows[0]:.0f} / {rows[1]:.0f} rows, "
                f"{statements[0]:.0f} / {statements[1]:.0f} statements"
            )
            details[fmt] = {"big": at_big, "small": at_small}
            figures.append(
                Figure(
                    self.id,
                    f"{fmt.upper()} report, {big} comments, no appendix",
                    seconds,
                    f"<= {LIMIT:.0f} s",
                    check(seconds, "<=", LIMIT),
                    "s",
                    {"runs": [r["seconds"] for r in at_big], "bytes": at_big[-1]["bytes"]},
                )
            )
        figures.append(
            Figure(
                self.id,
                f"read from the database at {small} / {big} comments",
                "; ".join(reads),
                "no growth (SQL aggregates)",
                ok_rows,
                details=details,
            )
        )
        return figures
