"""A3: the same votes and seed give identical groups, also across processes.

eRaati's result on A1's planted set, as JSON (sorted keys) hashed with SHA-256, in fresh
processes with different ``PYTHONHASHSEED``s: A1's own runs, and one more given the same
votes in a shuffled order. Every hash must be the same.
"""

from __future__ import annotations

from benchmarks import groups_support as gs
from benchmarks.report import Figure
from benchmarks.scenarios import Scenario, register


@register
class A3(Scenario):
    id = "A3"
    title = "opinion groups: same votes and seed, identical result in every process"
    target = "one result hash in every fresh process (also with the votes shuffled)"
    needs_server = False

    def run(self, ctx):
        s = gs.sizes(ctx)
        plain = gs.runs(ctx, "eraati", s.a1, max(2, s.runs))
        shuffled = gs.runs(ctx, "eraati", s.a1, 1, shuffle=True)
        hashes = [r["sha256"] for r in plain + shuffled]
        distinct = len(set(hashes))
        return [
            Figure(
                self.id,
                f"distinct results in {len(hashes)} processes ({len(shuffled)} shuffled)",
                distinct,
                "1",
                distinct == 1,
                "",
                {"sha256": hashes, "measured_once": True},
            )
        ]
