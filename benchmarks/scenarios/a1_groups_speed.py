"""A1: opinion groups of 10,000 participants x 1,000 comments (30 % voted, 3,000,000
votes) by eRaati against red-dwarf, the Python port of Polis's method, on the same planted
matrix in the same run.

Each side runs in its own fresh process (``benchmarks.groups_child``) reading the same
.npz, three times, taking turns at going first; the analysis alone is timed (imports and
reading the file are not), and the peak RSS is the process's ``VmHWM`` (interpreter,
libraries and the loaded votes included, alike on both sides). Medians are compared.
"""

from __future__ import annotations

from benchmarks import groups_support as gs
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

TIME_RATIO = 0.4
MEMORY_RATIO = 0.5


@register
class A1(Scenario):
    id = "A1"
    title = "opinion groups, 10,000 x 1,000 (3M votes): eRaati vs red-dwarf 0.4.0"
    target = f"time <= {TIME_RATIO}x red-dwarf's, peak RSS <= {MEMORY_RATIO}x"
    needs_server = False

    def run(self, ctx):
        s = gs.sizes(ctx)
        size = gs.label(*s.a1[:2])
        missing = gs.reddwarf_missing()
        if missing:
            return [Figure(self.id, "red-dwarf", f"not measured: {missing}", "measured", False)]
        done = gs.alternating(ctx, s.a1, s.runs)
        ours, theirs = done["eraati"], done["reddwarf"]
        seconds = {side: gs.median_of(r, "seconds") for side, r in done.items()}
        peak = {side: gs.median_of(r, "peak_rss_mib") for side, r in done.items()}
        time_ratio = seconds["eraati"] / seconds["reddwarf"]
        memory_ratio = peak["eraati"] / peak["reddwarf"]
        details = {
            side: {
                "seconds": [r["seconds"] for r in results],
                "peak_rss_mib": [r["peak_rss_mib"] for r in results],
                "rss_before_mib": [r["rss_before_mib"] for r in results],
                "k": [r["k"] for r in results],
                "ari": [r["ari"] for r in results],
            }
            for side, results in done.items()
        }
        details["measured_once"] = True
        return [
            Figure(
                self.id,
                f"analysis time {size}, eRaati / red-dwarf",
                time_ratio,
                f"<= {TIME_RATIO}x",
                check(time_ratio, "<=", TIME_RATIO),
                "x",
                details,
            ),
            Figure(
                self.id,
                f"peak RSS {size}, eRaati / red-dwarf",
                memory_ratio,
                f"<= {MEMORY_RATIO}x",
                check(memory_ratio, "<=", MEMORY_RATIO),
                "x",
            ),
            Figure(
                self.id,
                "eRaati | red-dwarf (median)",
                f"{seconds['eraati']:.2f} s, {peak['eraati']:.0f} MiB | "
                f"{seconds['reddwarf']:.2f} s, {peak['reddwarf']:.0f} MiB",
            ),
            Figure(
                self.id,
                f"groups found (planted {s.a1[2]}): k, adjusted Rand",
                f"eRaati {ours[0]['k']}, {min(r['ari'] for r in ours):.3f} | "
                f"red-dwarf {theirs[0]['k']}, {min(r['ari'] for r in theirs):.3f}",
            ),
        ]
