"""E3: the peak memory of every export at 100,000 comments against 10,000.

Every format (CSV, CSV for Excel, JSON, Polis, XLSX, and the DOCX and PDF reports without
appendix) runs in a fresh process (``exports_child``) on both topics; the peak resident
set size is ``VmHWM`` during the export (reset just before it), so the app's own memory
is in both sizes and cancels. The runs E1, E2 and E4 made are reused (their median);
formats no other scenario timed run once per size.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from benchmarks import exports_support as es
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 50.0  # MiB
PARALLEL = 2  # memory-only runs at once (their time is no figure; VmHWM is per process)


def _prefetch(ctx, formats) -> None:
    """The runs only E3 needs (formats no other scenario times), two fresh processes at a
    time: each one's peak RSS is its own (``VmHWM``), whatever runs beside it. The report
    formats are left to run alone, since E4 reports their seconds."""
    es.topic(ctx, "small")  # seeded here, before any process starts
    es.topic(ctx, "big")
    cached = ctx.cache.setdefault("exports_runs", {})
    wanted = [
        (which, fmt)
        for fmt in formats
        if fmt not in es.REPORTS
        for which in ("small", "big")
        if not cached.get((which, fmt))
    ]
    # The longest first, so that the two lanes end together.
    wanted.sort(key=lambda w: w[0] != "big")
    with ThreadPoolExecutor(PARALLEL) as pool:
        got = list(pool.map(lambda w: (w, es.child(ctx, *w)), wanted))
    for (which, fmt), r in got:
        cached.setdefault((which, fmt), []).append(r)
        ctx.log(
            f"    {fmt} @ {es.sizes(ctx).label(which)}: {r['seconds']:.2f} s, "
            f"{r['bytes'] / 1e6:.1f} MB, peak RSS {r['peak_rss_mib']:.0f} MiB (memory run)"
        )


def _runs(ctx, which: str, fmt: str) -> list[dict]:
    cached = ctx.cache.get("exports_runs", {}).get((which, fmt), [])
    return es.runs(ctx, which, fmt, max(1, len(cached)))


@register
class E3(Scenario):
    id = "E3"
    title = "peak RSS of every export, 100,000 vs 10,000 comments"
    target = f"peak at 100k <= peak at 10k + {LIMIT:.0f} MiB, every format"
    needs_server = False

    def run(self, ctx):
        s = es.sizes(ctx)
        big, small = s.label("big"), s.label("small")
        missing = es.reports_available()
        formats = [f for f in es.ALL_FORMATS if not (missing and f in es.REPORTS)]
        _prefetch(ctx, formats)
        peaks: dict[str, tuple[float, float]] = {}
        details: dict[str, dict] = {}
        for fmt in formats:
            at_small = _runs(ctx, "small", fmt)
            at_big = _runs(ctx, "big", fmt)
            peaks[fmt] = (
                es.median_of(at_small, "peak_rss_mib"),
                es.median_of(at_big, "peak_rss_mib"),
            )
            details[fmt] = {
                "peak_small_mib": [r["peak_rss_mib"] for r in at_small],
                "peak_big_mib": [r["peak_rss_mib"] for r in at_big],
                "start_small_mib": [r["rss_start_mib"] for r in at_small],
                "start_big_mib": [r["rss_start_mib"] for r in at_big],
            }
        growth = {f: b - a for f, (a, b) in peaks.items()}
        worst = max(growth, key=growth.get)
        largest = max(peaks, key=lambda f: peaks[f][1])
        figures = [
            Figure(
                self.id,
                f"peak RSS growth {small} -> {big} comments, worst format",
                growth[worst],
                f"<= {LIMIT:.0f} MiB",
                check(growth[worst], "<=", LIMIT),
                "MiB",
                details,
            ),
            Figure(
                self.id,
                "growth by format (MiB)",
                ", ".join(f"{f} {g:+.0f}" for f, g in growth.items()),
            ),
            Figure(
                self.id,
                f"largest peak at {big} (app included)",
                f"{peaks[largest][1]:.0f} MiB ({largest})",
            ),
        ]
        if missing:
            figures.append(
                Figure(
                    self.id, "DOCX and PDF report", f"not measured: {missing}", "measured", False
                )
            )
        return figures
