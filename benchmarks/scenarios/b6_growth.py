"""B6: the topic page and a vote at 10x more data (10,000 -> 100,000 comments, 100,000 ->
1,000,000 votes).

At each size: the topic page's throughput against hello world (wrk, 16 connections) and
the vote POST's against the no-op POST (Python client, 50 connections), 3 runs each, on
the topic's newest comments (run 1 inserts votes, runs 2 and 3 change them). The
figure is how much each ratio falls from the smaller size to the larger.
"""

from __future__ import annotations

import random
import time

from benchmarks import data
from benchmarks.context import HELLO
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.scenarios.b4_votes import VALUES, comment_ids, vote_job

LIMIT = -0.10  # the ratio may fall by at most 10 %


@register
class B6(Scenario):
    id = "B6"
    title = "growth: topic page and vote at 10x more data"
    target = "throughput ratio falls by <= 10 %"
    needs_bench_routes = True

    def _grow(self, ctx, topic, comments: int, bulk: list[int]) -> dict:
        t = time.monotonic()
        after = data.max_comment_id(ctx.app, topic)
        data.add_comments(  # add_votes recounts every counter of the topic next
            ctx.app, topic, roots=comments - comments // 5, replies=comments // 5, counters=False
        )
        added = data.add_votes(ctx.app, topic, bulk, after_comment_id=after)
        data.analyze(ctx.app)
        ctx.log(
            f"  B6 data: +{comments:,} comments, +{added:,} votes in {time.monotonic() - t:.0f} s"
        )
        return {"comments": comments, "votes": added, "seconds": round(time.monotonic() - t, 1)}

    def _measure(self, ctx, topic, sessions, label: str, rng) -> dict:
        s = ctx.sizes
        hello, page, base, votes = Series(), Series(), Series(), Series()
        page_ratios, vote_ratios = [], []
        targets = comment_ids(ctx.app, topic, newest=s.b6_targets)
        for i in range(s.runs):
            kw = {"seconds": s.b6_seconds, "connections": 16}
            h = hello.add(ctx.wrk(HELLO, label=f"{label} hello {i + 1}", **kw))
            p = page.add(ctx.wrk(topic.path, label=f"{label} topic {i + 1}", **kw))
            page_ratios.append(ratio(p.rps, h.rps))
            n = base.add(ctx.noop(connections=50, label=f"{label} noop {i + 1}"))
            value = VALUES[i % 3]
            jobs = [vote_job(sessions[u], topic, c, value) for u in sessions for c in targets]
            rng.shuffle(jobs)
            v, _st = ctx.load(
                jobs, connections=50, seconds=s.b4_seconds, label=f"{label} vote {i + 1}"
            )
            votes.add(v)
            vote_ratios.append(ratio(v.rps, n.rps))
        return {
            "page_ratio": median(page_ratios),
            "vote_ratio": median(vote_ratios),
            "page_ratios": page_ratios,
            "vote_ratios": vote_ratios,
            "hello": hello.summary(),
            "topic_page": page.summary(),
            "noop": base.summary(),
            "votes": votes.summary(),
            "errors": page.errors + votes.errors + hello.errors + base.errors,
        }

    def run(self, ctx):
        s = ctx.sizes
        rng = random.Random(6)  # noqa: S311 - load order, not security
        topic = data.new_topic(ctx.app, "b6")
        bulk = [uid for uid, _e in data.ensure_users(ctx.app, "bulk", s.b6_votes_per_comment)]
        small_data = self._grow(ctx, topic, s.b6_comments, bulk)
        ctx.check_bench_routes()
        sessions = ctx.sessions(ctx.voters(s.b6_voters))
        small = self._measure(ctx, topic, sessions, "1x", rng)
        big_data = self._grow(ctx, topic, s.b6_comments * (s.b6_factor - 1), bulk)
        big = self._measure(ctx, topic, sessions, f"{s.b6_factor}x", rng)

        page_change = big["page_ratio"] / small["page_ratio"] - 1 if small["page_ratio"] else -1.0
        vote_change = big["vote_ratio"] / small["vote_ratio"] - 1 if small["vote_ratio"] else -1.0
        n1, n2 = s.b6_comments, s.b6_comments * s.b6_factor
        sizes = f"{n1 // 1000}k->{n2 // 1000}k comments"
        errors = small["errors"] + big["errors"]
        details = {"topic": topic.path, "data": [small_data, big_data], "small": small, "big": big}
        return [
            Figure(
                self.id,
                f"topic page/hello ratio change, {sizes}",
                page_change * 100,
                "> -10 %",
                check(page_change, ">=", LIMIT),
                "%",
                details,
            ),
            Figure(
                self.id,
                f"vote/no-op ratio change, {sizes}",
                vote_change * 100,
                "> -10 %",
                check(vote_change, ">=", LIMIT),
                "%",
            ),
            Figure(
                self.id,
                "topic page/hello ratio at 1x / 10x",
                f"{small['page_ratio']:.2f} / {big['page_ratio']:.2f}",
            ),
            Figure(
                self.id,
                "vote/no-op ratio at 1x / 10x",
                f"{small['vote_ratio']:.2f} / {big['vote_ratio']:.2f}",
            ),
            Figure(self.id, "errors", errors, "0", errors == 0),
        ]
