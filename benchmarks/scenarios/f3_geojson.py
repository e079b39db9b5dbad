"""F3: the GeoJSON export of 100,000 located comments streams (issue 20).

Two topics on a map (``places_support``): 10,000 and 100,000 comments, every one with a
place, half at named places and half at points of their own. Each export runs in a fresh
process (``exports_child --what geojson``), the sizes taking turns, ``sizes.runs`` times;
the peak resident set size is ``VmHWM`` during the export (reset just before it), so the
app's own memory is in both sizes and cancels. The file's Features are counted after the
peak is taken: one per comment.
"""

from __future__ import annotations

from benchmarks import exports_support as es
from benchmarks import places_support as ps
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 50.0  # MiB


@register
class F3(Scenario):
    id = "F3"
    title = "GeoJSON export of located comments, 100,000 vs 10,000"
    target = f"peak RSS at 100k <= peak at 10k + {LIMIT:.0f} MiB; one Feature per comment"
    needs_server = False

    def run(self, ctx):
        small_n, big_n = ctx.sizes.f3_small, ctx.sizes.f3_big
        small, big = ps.label(small_n), ps.label(big_n)
        ps.topic(ctx, small_n)  # both seeded before any process starts
        ps.topic(ctx, big_n)
        at: dict[int, list[dict]] = {small_n: [], big_n: []}
        for _ in range(ctx.sizes.runs):
            for n in (small_n, big_n):
                at[n].append(ps.run(ctx, n))

        def med(n: int, key: str) -> float:
            return es.median_of(at[n], key)

        growth = med(big_n, "peak_rss_mib") - med(small_n, "peak_rss_mib")
        features = {n: {r["features"] for r in at[n]} for n in at}
        complete = all(features[n] == {n} for n in at)
        details = {
            label: {
                "peak_rss_mib": [r["peak_rss_mib"] for r in at[n]],
                "rss_start_mib": [r["rss_start_mib"] for r in at[n]],
                "seconds": [r["seconds"] for r in at[n]],
                "bytes": at[n][0]["bytes"],
                "features": sorted(features[n]),
                "rows_fetched": [r.get("rows_fetched") for r in at[n]],
                "statements": [r.get("statements") for r in at[n]],
            }
            for label, n in ((small, small_n), (big, big_n))
        }
        return [
            Figure(
                self.id,
                f"peak RSS growth {small} -> {big} located comments",
                growth,
                f"<= {LIMIT:.0f} MiB",
                check(growth, "<=", LIMIT),
                "MiB",
                details,
            ),
            Figure(
                self.id,
                "peak RSS (app included)",
                f"{med(small_n, 'peak_rss_mib'):.0f} MiB @ {small}, "
                f"{med(big_n, 'peak_rss_mib'):.0f} MiB @ {big}",
            ),
            Figure(
                self.id,
                "export seconds (median)",
                f"{med(small_n, 'seconds'):.2f} s @ {small}, {med(big_n, 'seconds'):.2f} s @ {big}",
            ),
            Figure(
                self.id,
                "file size",
                f"{at[small_n][0]['bytes'] / 1e6:.1f} MB @ {small}, "
                f"{at[big_n][0]['bytes'] / 1e6:.1f} MB @ {big}",
            ),
            Figure(
                self.id,
                "Features in the file",
                f"{', '.join(map(str, sorted(features[small_n])))} @ {small}, "
                f"{', '.join(map(str, sorted(features[big_n])))} @ {big}",
                "one per comment",
                complete,
            ),
        ]
