"""Benchmark A4's child (benchmarks/campaigns_child.py) plants what it says and grades the
grouping against it; no time is asserted (benchmarks are never timed tests)."""

from __future__ import annotations

import json

from benchmarks import campaigns_child
from benchmarks.scenarios import load_all


def test_a4_is_registered_and_measured_without_a_server():
    assert load_all()["A4"].needs_server is False


def test_the_child_plants_campaigns_and_short_texts_and_grades_the_groups(capsys):
    rows = list(campaigns_child.comments(2000))
    assert len(rows) == 2000 and len({r[0] for r in rows}) == 2000
    assert sum(1 for r in rows if r[4] >= 0) == 120  # one campaign of 120 at this size
    assert sum(1 for r in rows if r[1] in campaigns_child.SHORT) == 120
    assert campaigns_child.main(["--comments", "2000"]) == 0
    got = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (got["planted_campaigns"], got["planted_comments"], got["groups"]) == (1, 120, 1)
    assert got["recall"] == 1.0 and got["precision"] == 1.0
    assert got["peak_rss_mib"] >= got["rss_start_mib"] > 0
