"""A2: opinion groups at twice A1's participants, and planted groups found at every size.

Time: eRaati on 20,000 x 1,000 (30 % voted, 6,000,000 votes) against its own time on A1's
10,000 x 1,000 in the same run (fresh processes, medians). Accuracy: eight planted sets
of 1,000 to 20,000 participants (400 comments, 30 % voted, two to five groups of unequal
size, ``eraati.analysis.planted``), each analysed once by eRaati and once by red-dwarf in
fresh processes: eRaati must find the planted groups every time (the right k and adjusted
Rand index >= 0.99 against the planted groups); how often red-dwarf picks another k is
reported beside it.
"""

from __future__ import annotations

from benchmarks import groups_support as gs
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

GROWTH = 2.2
ARI = 0.99


@register
class A2(Scenario):
    id = "A2"
    title = "opinion groups at 20,000 x 1,000; planted groups found at 1k-20k participants"
    target = f"time <= {GROWTH}x A1's; every planted set: right k, ARI >= {ARI}"
    needs_server = False

    def run(self, ctx):
        s = gs.sizes(ctx)
        small = gs.runs(ctx, "eraati", s.a1, s.runs)
        big = gs.runs(ctx, "eraati", s.a2, s.runs)
        growth = gs.median_of(big, "seconds") / gs.median_of(small, "seconds")
        figures = [
            Figure(
                self.id,
                f"eRaati time {gs.label(*s.a2[:2])} / {gs.label(*s.a1[:2])}",
                growth,
                f"<= {GROWTH}x",
                check(growth, "<=", GROWTH),
                "x",
                {
                    "seconds_small": [r["seconds"] for r in small],
                    "seconds_big": [r["seconds"] for r in big],
                    "peak_big_mib": [r["peak_rss_mib"] for r in big],
                    "measured_once": True,
                },
            ),
            Figure(
                self.id,
                f"eRaati at {gs.label(*s.a2[:2])} (median)",
                f"{gs.median_of(big, 'seconds'):.2f} s, "
                f"{gs.median_of(big, 'peak_rss_mib'):.0f} MiB",
            ),
        ]
        sides = ["eraati"] + ([] if gs.reddwarf_missing() else ["reddwarf"])
        found = {side: [gs.runs(ctx, side, key, 1)[0] for key in s.sets] for side in sides}
        ours = found["eraati"]
        right = sum(r["k"] == r["planted_k"] and r["ari"] >= ARI for r in ours)
        details = {
            side: [
                {"set": list(key), "k": r["k"], "ari": round(r["ari"], 4), "seconds": r["seconds"]}
                for key, r in zip(s.sets, results, strict=True)
            ]
            for side, results in found.items()
        }
        figures.append(
            Figure(
                self.id,
                f"planted sets found by eRaati (right k, ARI >= {ARI})",
                f"{right}/{len(s.sets)}",
                f"{len(s.sets)}/{len(s.sets)}",
                right == len(s.sets),
                "",
                details,
            )
        )
        lowest = min(r["ari"] for r in ours)
        figures.append(Figure(self.id, "eRaati's lowest ARI", f"{lowest:.3f}", f">= {ARI}"))
        if "reddwarf" in found:
            theirs = found["reddwarf"]
            wrong = sum(r["k"] != r["planted_k"] for r in theirs)
            figures.append(
                Figure(
                    self.id,
                    "red-dwarf: sets with the wrong k; lowest ARI",
                    f"{wrong}/{len(s.sets)}; {min(r['ari'] for r in theirs):.3f}",
                )
            )
        return figures
