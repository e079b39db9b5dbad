"""B1: the anonymous topic page (first 50 of 1,000 comments) against hello world, with wrk."""

from __future__ import annotations

from benchmarks import data
from benchmarks.context import HELLO
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register


@register
class B1(Scenario):
    id = "B1"
    title = "anonymous topic page (50 of 1,000 comments) vs hello world"
    target = "throughput ratio >= 0.15; p95 <= 100 ms at 16 connections; 0 errors"
    needs_bench_routes = True

    def run(self, ctx):
        s = ctx.sizes
        topic = data.new_topic(ctx.app, "b1")
        data.add_comments(ctx.app, topic, roots=s.b1_comments * 4 // 5, replies=s.b1_comments // 5)
        data.analyze(ctx.app)
        ctx.check_bench_routes()
        hello, page = Series(), Series()
        ratios = []
        for i in range(s.runs):  # alternate, so that drift hits both sides alike
            kw = {"seconds": s.b1_seconds, "connections": s.b1_connections}
            h = hello.add(ctx.wrk(HELLO, label=f"hello {i + 1}", **kw))
            p = page.add(ctx.wrk(topic.path, label=f"topic {i + 1}", **kw))
            ratios.append(ratio(p.rps, h.rps))
        r = median(ratios)
        p95 = page.median("p95_ms")
        errors = page.errors + hello.errors
        details = {
            "topic": topic.path,
            "hello": hello.summary(),
            "topic_page": page.summary(),
            "ratios": ratios,
        }
        return [
            Figure(
                self.id,
                "topic page / hello throughput",
                r,
                ">= 0.15",
                check(r, ">=", 0.15),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"topic page p95 at {s.b1_connections} connections",
                p95,
                "<= 100 ms",
                check(p95, "<=", 100),
                "ms",
            ),
            Figure(
                self.id,
                "topic page p50 / p99",
                f"{page.median('p50_ms'):.0f} / {page.median('p99_ms'):.0f} ms",
            ),
            Figure(
                self.id,
                "topic page / hello req/s",
                f"{page.median('rps'):.0f} / {hello.median('rps'):.0f}",
            ),
            Figure(self.id, "errors (topic + hello)", errors, "0", errors == 0),
            Figure(self.id, "peak worker RSS", page.peak_rss_mb, "", None, "MiB"),
        ]
