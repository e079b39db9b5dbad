"""F1: a topic read part by part, 10 parts x 2,000 comments (issue 20).

Two topics (``parts_support``): one with ``f1_parts`` parts of ``f1_comments`` comments
each, one with a single part of as many. Each part's page (``/<org>/<topic>/parts/<n>``,
anonymous, over HTTP from the benchmark's client to the server) is compared with the
one-part topic's part page, request by request: ``f1_rounds`` rounds, in each round every
part once, each beside a request of the one-part page (``sequence``), over
``f1_connections`` connections (one per worker), so that a part's request and the
one-part page's beside it run at the same moment. A part's ratio is the p95 of its
``f1_rounds`` requests over the p95 of the one-part page's ``f1_parts x f1_rounds``,
taken over the same minute or two; the checked figure is the worst part's. A warm-up of
``f1_warmup`` rounds goes first, not recorded.

(Until this method each part was a handful of 1-2 second wrk loads a side, A-B-B-A; the
p95 of a short load on the shared 2-core machine jumped with the scheduler, and the worst
of ten such ratios moved between 1.2x and 2.2x from run to run: benchmarks/README.md.)

Statements per page are counted in-process as B2 counts them (Flask test client over
HTTPS, the production app, the second request of each page) on the first and the last
part of topics with 1 and with ``f1_parts`` parts, at ``f1_small`` and at ``f1_comments``
comments per part: all the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from benchmarks import client
from benchmarks import parts_support as pts
from benchmarks.measure import percentile, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.scenarios.b2_query_counts import _Client, _statements

LIMIT = 1.3


def _k(n: int) -> str:
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def p95(values: list[float]) -> float:
    return percentile(sorted(values), 95)


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "requests": len(values),
        "p50_ms": round(percentile(ordered, 50), 2),
        "p95_ms": round(percentile(ordered, 95), 2),
        "p99_ms": round(percentile(ordered, 99), 2),
        "max_ms": round(ordered[-1], 2) if ordered else 0.0,
    }


@dataclass
class Samples:
    """Each request's time in ms, in the order sent. ``one`` holds the one-part page's
    requests round by round (``len(parts)`` a round); ``beside[k]`` those of them paired
    with part ``k``'s, one a round."""

    one: list[float] = field(default_factory=list)
    parts: dict[int, list[float]] = field(default_factory=dict)
    beside: dict[int, list[float]] = field(default_factory=dict)
    errors: int = 0


def sequence(one_path: str, part_paths: dict[int, str], rounds: int) -> list[tuple[int, str]]:
    """The requests of ``rounds`` rounds as (part, path), part 0 the one-part page: in each
    round every part once, each beside a request of the one-part page, which goes first
    for every other part and round (one, part 1, part 2, one, one, part 3, ...)."""
    out: list[tuple[int, str]] = []
    for r in range(rounds):
        for k, path in part_paths.items():
            pair = [(0, one_path), (k, path)]
            out += pair if (r + k) % 2 == 0 else pair[::-1]
    return out


def sample(ctx, one_path: str, part_paths: dict[int, str], rounds: int, connections: int):
    """GET the pages of ``sequence`` over ``connections`` connections to the server (one per
    worker: each takes the next request when its last is answered, so a part's request
    and the one-part page's beside it run at the same moment), timing each request."""
    order = sequence(one_path, part_paths, rounds)
    jobs = [client.Job("GET", path) for _k, path in order]
    statuses, latencies, _seconds = client.send(
        ctx.port, jobs, connections=connections, seconds=3600.0
    )
    got = Samples(parts={k: [] for k in part_paths}, beside={k: [] for k in part_paths})
    for i, (k, _path) in enumerate(order):
        ms, status = latencies[i], statuses[i]
        if ms is None or status != 200:
            got.errors += 1
            continue
        if k == 0:
            got.one.append(ms)
            got.beside[order[i + 1 if i % 2 == 0 else i - 1][0]].append(ms)
        else:
            got.parts[k].append(ms)
    return got


@register
class F1(Scenario):
    id = "F1"
    title = "a part's page in a 10-part topic vs a one-part topic, 2,000 comments a part"
    target = f"each part's p95 <= {LIMIT}x the one-part topic's; statements per page constant"

    def run(self, ctx):
        s = ctx.sizes
        n, small = s.f1_comments, s.f1_small
        many = pts.topic(ctx, s.f1_parts, n)
        one = pts.topic(ctx, 1, n)
        figures = self._statements(
            ctx, many, one, pts.topic(ctx, s.f1_parts, small), pts.topic(ctx, 1, small)
        )
        one_path = one.part_path(1)
        part_paths = {k: many.part_path(k) for k in range(1, many.parts + 1)}
        ctx.ensure_server()
        # A warm-up, not recorded: the ten-part topic has ten times the rows to bring into
        # the caches, and every worker compiles its templates on its first pages.
        sample(ctx, one_path, part_paths, s.f1_warmup, s.f1_connections)
        t = time.monotonic()
        got = sample(ctx, one_path, part_paths, s.f1_rounds, s.f1_connections)
        took = time.monotonic() - t
        per_part = {k: ratio(p95(got.parts[k]), p95(got.one)) for k in part_paths}
        worst = max(per_part, key=per_part.get)
        every = [ms for v in got.parts.values() for ms in v]
        half = s.f1_rounds // 2
        halves = [
            {
                k: ratio(
                    p95(got.parts[k][a:b]), p95(got.one[a * len(part_paths) : b * len(part_paths)])
                )
                for k in part_paths
            }
            for a, b in ((0, half), (half, s.f1_rounds))
        ]
        details = {
            "topic": many.topic.path,
            "one_part_topic": one.topic.path,
            "paragraphs": list(many.paragraphs),
            "rounds": s.f1_rounds,
            "connections": s.f1_connections,
            "seconds": round(took, 1),
            "ratios": {str(k): round(v, 3) for k, v in per_part.items()},
            "ratios_by_half": [{str(k): round(v, 3) for k, v in h.items()} for h in halves],
            "one_part_page": _summary(got.one),
            "parts": {str(k): _summary(v) for k, v in got.parts.items()},
        }
        size = f"{many.parts} x {_k(n)}"
        figures[:0] = [
            Figure(
                self.id,
                f"worst part's p95 / one-part page's p95 ({size}, part {worst})",
                per_part[worst],
                f"<= {LIMIT}",
                check(per_part[worst], "<=", LIMIT),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"p95 ratio per part ({s.f1_rounds} requests a part, interleaved)",
                " ".join(f"{v:.2f}" for v in per_part.values()),
            ),
            Figure(
                self.id,
                "the same, first half / second half of the rounds (worst part)",
                " / ".join(f"{max(h.values()):.2f}" for h in halves),
            ),
            Figure(
                self.id,
                "p50 / p95: parts (all requests) vs one-part page",
                f"{percentile(sorted(every), 50):.1f} / {p95(every):.1f} vs "
                f"{percentile(sorted(got.one), 50):.1f} / {p95(got.one):.1f} ms",
            ),
            Figure(
                self.id,
                "requests / s (both pages, interleaved)",
                f"{(len(every) + len(got.one)) / took:.0f}",
            ),
            Figure(self.id, "errors (parts + one-part page)", got.errors, "0", got.errors == 0),
        ]
        return figures

    def _statements(self, ctx, *topics) -> list[Figure]:
        app = ctx.app
        anon = _Client(app.test_client())
        counts: dict[str, int] = {}
        statuses: dict[str, int] = {}
        seen_at: dict[str, list[str]] = {}
        for t in topics:
            for position in sorted({1, t.parts}):
                name = f"{t.parts} part(s) x {_k(t.per_part)}, part {position}"
                path = t.part_path(position)
                seen, status = _statements(app, lambda path=path: anon.get(path))
                counts[name], statuses[name], seen_at[name] = len(seen), status, seen
        same = len(set(counts.values())) == 1
        bad = {k: v for k, v in statuses.items() if v != 200}
        shown = " / ".join(str(v) for v in counts.values())
        if bad:
            shown += f" (HTTP {bad})"
        return [
            Figure(
                self.id,
                "statements per part page @ " + " / ".join(counts),
                shown,
                "same",
                same and not bad,
                details={"counts": counts, "statuses": statuses, "statements": seen_at},
            )
        ]
