"""B3: a topic of 10,000 comments against one of 50, and its page 200 against its page 1.

Both topics hold top-level comments only, so every page shows 50 comments and page 200 is
the 10,000-comment topic's last. Page 200's address is found by following the pages'
``rel="next"`` links, so the harness works with page numbers and with keys alike.
Latency is measured at one connection per worker: service time, not queueing.
"""

from __future__ import annotations

from benchmarks import client, data
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 1.3


@register
class B3(Scenario):
    id = "B3"
    title = "deep pages: 10,000 vs 50 comments, page 200 vs page 1"
    target = f"p95 ratio <= {LIMIT}"

    def run(self, ctx):
        s = ctx.sizes
        small = data.new_topic(ctx.app, "b3-small")
        big = data.new_topic(ctx.app, "b3-big")
        data.add_comments(ctx.app, small, roots=s.b3_small)
        data.add_comments(ctx.app, big, roots=s.b3_big)
        data.analyze(ctx.app)
        conn = client.Connection(ctx.port)

        def get(path: str) -> str:
            r = conn.request("GET", path)
            if r.status != 200:
                raise RuntimeError(f"GET {path}: {r.status}")
            return r.text

        try:
            deep, number = data.walk_pages(get, big.path, s.b3_page)
        finally:
            conn.close()
        if number != s.b3_page:
            raise RuntimeError(f"B3: only {number} pages of comments, not {s.b3_page}")

        series = {"small p1": Series(), "big p1": Series(), "big deep": Series()}
        paths = {"small p1": small.path, "big p1": big.path, "big deep": deep}
        vs_small, vs_first = [], []
        for i in range(s.runs):
            got = {
                k: series[k].add(
                    ctx.wrk(
                        paths[k],
                        seconds=s.b3_seconds,
                        connections=s.b3_connections,
                        label=f"{k} {i + 1}",
                    )
                )
                for k in series
            }
            vs_small.append(ratio(got["big p1"].p95_ms, got["small p1"].p95_ms))
            vs_first.append(ratio(got["big deep"].p95_ms, got["big p1"].p95_ms))
        a, b = median(vs_small), median(vs_first)
        errors = sum(x.errors for x in series.values())
        details = {
            "paths": paths,
            **{k: v.summary() for k, v in series.items()},
            "ratios_big_vs_small": vs_small,
            "ratios_deep_vs_first": vs_first,
        }
        p95 = " / ".join(f"{series[k].median('p95_ms'):.0f}" for k in series)
        return [
            Figure(
                self.id,
                f"p95 {s.b3_big:,} vs {s.b3_small} comments (page 1)",
                a,
                f"<= {LIMIT}",
                check(a, "<=", LIMIT),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"p95 page {s.b3_page} vs page 1",
                b,
                f"<= {LIMIT}",
                check(b, "<=", LIMIT),
                "x",
            ),
            Figure(self.id, "p95 small p1 / big p1 / big deep", p95 + " ms"),
            Figure(self.id, "errors", errors, "0", errors == 0),
        ]
