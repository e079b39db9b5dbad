"""A5: a topic's comment search at 1,000 comments and at 100,000 (``--quick``: 10,000):
p95 latency of its first page of results (wrk, one connection per worker: service time)
and the SQL statements of a page (in-process, as B2 counts them), at both sizes.

The word searched is "kirjastot" (the plural; the index holds "kirjasto"): one comment
in ten of the benchmark's text speaks of the library, as a topic's main subjects are
spoken of in a real discussion. The newest page of matches is then an index walk newest
first that stops after a page (about 200 rows for 20 results), whatever the topic's
size; the plan and its execution time at each size are reported too (EXPLAIN ANALYZE on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
"""

from __future__ import annotations

import urllib.parse

from benchmarks import data
from benchmarks.measure import Series, median, ratio
from benchmarks.plans import last_statement_plan
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.scenarios.b2_query_counts import BASE, _statements

LIMIT = 1.3
WORD = "kirjastot"


def _plan(app, topic: data.BenchTopic) -> dict:
    """The search statement's plan at this size: its first lines and execution time."""
    from eraati.analysis.search import comments as found

    return last_statement_plan(
        app, lambda: found.newest_matches(found.visible_in_topic(topic.id), WORD)
    )


@register
class A5(Scenario):
    id = "A5"
    title = "comment search of a topic: 1,000 vs 100,000 comments"
    target = f"p95 ratio <= {LIMIT} (PostgreSQL); same statements per page"

    def _measure(self, ctx, topic, label: str) -> tuple[Series, list[str], dict]:
        s = ctx.sizes
        path = f"{topic.path}/search?{urllib.parse.urlencode({'q': WORD})}"
        client = ctx.app.test_client()
        seen, status = _statements(ctx.app, lambda: client.get(path, base_url=BASE))
        if status != 200:
            raise RuntimeError(f"A5: GET {path}: {status}")
        series = Series()
        for i in range(s.runs):
            series.add(
                ctx.wrk(
                    path,
                    seconds=s.a5_seconds,
                    connections=s.a5_connections,
                    label=f"{label} {i + 1}",
                )
            )
        return series, seen, _plan(ctx.app, topic)

    def run(self, ctx):
        s = ctx.sizes
        topic = data.new_topic(ctx.app, "a5")
        data.add_comments(ctx.app, topic, roots=s.a5_small * 4 // 5, replies=s.a5_small // 5)
        data.analyze(ctx.app)
        small, small_sql, small_plan = self._measure(ctx, topic, f"{s.a5_small:,}")
        grow = s.a5_big - s.a5_small
        data.add_comments(ctx.app, topic, roots=grow * 4 // 5, replies=grow - grow * 4 // 5)
        data.analyze(ctx.app)
        big, big_sql, big_plan = self._measure(ctx, topic, f"{s.a5_big:,}")

        ratios = [ratio(b.p95_ms, a.p95_ms) for a, b in zip(small.runs, big.runs, strict=True)]
        value = median(ratios)
        postgresql = ctx.kind == "postgresql"
        sizes = f"{s.a5_big:,} vs {s.a5_small:,} comments"
        errors = small.errors + big.errors
        details = {
            "word": WORD,
            "small": small.summary(),
            "big": big.summary(),
            "ratios": ratios,
            "plans": {"small": small_plan, "big": big_plan},
            "statements": {"small": small_sql, "big": big_sql},
        }
        return [
            Figure(
                self.id,
                f"search p95 {sizes}",
                value,
                f"<= {LIMIT}" if postgresql else "(PostgreSQL only)",
                check(value, "<=", LIMIT) if postgresql else None,
                "x",
                details,
            ),
            Figure(
                self.id,
                f"search p95 at {s.a5_small:,} / {s.a5_big:,}",
                f"{small.median('p95_ms'):.1f} / {big.median('p95_ms'):.1f} ms",
            ),
            Figure(
                self.id,
                f"statements per search page at {s.a5_small:,} / {s.a5_big:,}",
                f"{len(small_sql)} / {len(big_sql)}",
                "the same",
                len(small_sql) == len(big_sql),
            ),
            Figure(
                self.id,
                "search statement at each size (execution, or plan)",
                " / ".join(
                    p["execution"] or "; ".join(p["scans"]) or "-" for p in (small_plan, big_plan)
                ),
            ),
            Figure(self.id, "errors", errors, "0", errors == 0),
        ]
