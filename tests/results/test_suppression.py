"""Small-group suppression (eraati/results/suppression.py): no number of fewer than the
threshold is shown, and no hidden number can be found by subtraction."""

from __future__ import annotations

import itertools
import random

import pytest

from eraati.results.suppression import small_group_min, suppress

CATS = ["for", "against", "unsure"]


def _table(rows: dict[str, dict[str, int]], minimum=5):
    totals = {g: sum(c.values()) for g, c in rows.items()}
    return suppress(rows, totals, categories=CATS, minimum=minimum)


def _recoverable(table, rows):
    """Hidden cells an attacker can compute from the shown numbers: a row or column with
    exactly one hidden cell, given the row's shown total or the column's overall total."""
    found = []
    for r in table.rows:
        if r.hidden:
            continue
        hidden = [c for c, v in r.cells.items() if v is None]
        if len(hidden) == 1:
            found.append((r.group, hidden[0]))
    for c in table.categories:
        hidden = [r.group for r in table.rows if r.cells[c] is None]
        # One group alone: the column totals are the overall results, shown anyway.
        if len(hidden) == 1 and len(table.rows) > 1:
            found.append((hidden[0], c))
    hidden_rows = [r.group for r in table.rows if r.hidden]
    if len(hidden_rows) == 1 and sum(1 for g in rows if sum(rows[g].values())) > 1:
        found.append((hidden_rows[0], "total"))
    return found


def test_cells_of_at_least_the_threshold_are_all_shown():
    rows = {"140": {"for": 10, "against": 7, "unsure": 5}, "925": {"for": 6, "against": 9}}
    table = _table(rows)
    assert not table.any_hidden
    assert table.row("140").cells == {"for": 10, "against": 7, "unsure": 5}
    assert table.row("925").cells == {"for": 6, "against": 9, "unsure": 0}
    assert table.row("925").total == 15


def test_a_small_cell_and_the_next_smallest_of_its_row_are_hidden():
    rows = {
        "140": {"for": 20, "against": 8, "unsure": 2},
        "925": {"for": 20, "against": 9, "unsure": 9},
        "263": {"for": 20, "against": 9, "unsure": 9},
    }
    table = _table(rows)
    row = table.row("140")
    assert row.total == 30
    assert row.cells["unsure"] is None
    assert row.cells["against"] is None  # else 30 - 20 - 8 = 2
    assert row.cells["for"] == 20
    assert _recoverable(table, rows) == []


def test_a_small_group_is_hidden_whole_and_another_with_it():
    rows = {
        "140": {"for": 20, "against": 10},
        "925": {"for": 2, "against": 1},
        "263": {"for": 5, "against": 6},
        "other": {"for": 30, "against": 30},
    }
    table = _table(rows)
    assert table.row("925").hidden and table.row("925").primary
    assert all(v is None for v in table.row("925").cells.values())
    # The overall totals minus the shown groups would give the small group: the next
    # smallest group (263, 11 people) is hidden too, not as small itself.
    assert table.row("263").hidden and not table.row("263").primary
    assert table.row("140").total == 30 and table.row("other").total == 60
    assert _recoverable(table, rows) == []


def test_a_column_with_one_hidden_cell_hides_another():
    rows = {
        "a": {"for": 3, "against": 10, "unsure": 10},
        "b": {"for": 10, "against": 10, "unsure": 10},
        "c": {"for": 12, "against": 10, "unsure": 10},
    }
    table = _table(rows)
    # Hidden "for" of a: the row hides its next smallest too; the column "for" then has one
    # hidden cell against its overall total, so b's "for" (the next smallest) goes too.
    assert table.row("a").cells["for"] is None
    assert table.row("b").cells["for"] is None
    assert _recoverable(table, rows) == []


def test_zero_cells_are_shown_and_an_empty_group_too():
    rows = {"a": {"for": 8, "against": 0}, "b": {"for": 0, "against": 0}, "c": {"for": 9}}
    table = _table(rows)
    assert table.row("a").cells["against"] == 0
    assert table.row("b").total == 0 and not table.row("b").hidden
    assert not table.any_hidden


def test_the_threshold_is_a_parameter_and_a_setting(app):
    rows = {"a": {"for": 6, "against": 7}, "b": {"for": 8, "against": 9}}
    assert not _table(rows, minimum=5).any_hidden
    assert _table(rows, minimum=7).row("a").cells["for"] is None
    with app.app_context():
        assert small_group_min() == 5
        app.config["SMALL_GROUP_MIN"] = 10
        assert small_group_min() == 10
        totals = {g: sum(c.values()) for g, c in rows.items()}
        cells = suppress(rows, totals).row("a").cells  # 13 people, but 6 and 7 < 10
        assert cells == {"for": None, "against": None}
        app.config["SMALL_GROUP_MIN"] = "nonsense"
        assert small_group_min() == 5
        app.config["SMALL_GROUP_MIN"] = 0
        assert small_group_min() == 2


def test_order_of_groups_and_categories_is_kept():
    rows = {"b": {"x": 5}, "a": {"y": 6}}
    table = suppress(rows, {"a": 6, "b": 5}, groups=["a", "b", "c"], minimum=5)
    assert [r.group for r in table.rows] == ["a", "b", "c"]
    assert table.categories == ["x", "y"]
    assert table.row("c").total == 0


@pytest.mark.parametrize("seed", range(200))
def test_random_tables_show_no_small_cell_and_nothing_recoverable(seed):
    rng = random.Random(seed)
    groups = [f"g{i}" for i in range(rng.randint(1, 7))]
    rows = {g: {c: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for c in CATS} for g in groups}
    table = _table(rows)
    for r in table.rows:
        if r.total is not None:
            assert r.total == 0 or r.total >= 5
        for c, v in r.cells.items():
            assert v is None or v == 0 or v >= 5, (r.group, c, v)
            if v is not None:
                assert v == rows[r.group][c]
    assert _recoverable(table, rows) == []


def test_shown_numbers_are_exact():
    rows = {g: {c: 5 + i + j for j, c in enumerate(CATS)} for i, g in enumerate("abc")}
    table = _table(rows)
    for g, c in itertools.product("abc", CATS):
        assert table.row(g).cells[c] == rows[g][c]
