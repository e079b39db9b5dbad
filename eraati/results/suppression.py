"""Small-group suppression for results broken down by group (home municipality; later the
background questions of surveys).

A table has one row per group and one column per category (a stance, a poll option), a
row total (the people of the group) and column totals (the overall results, which pages
show anyway). Nobody may learn from it what fewer than ``minimum`` people
(``SMALL_GROUP_MIN``, 5 by default) did:

1. Primary suppression: a group with fewer than ``minimum`` people is hidden whole (its
   total and every cell), and in a shown group every cell of 1 to ``minimum - 1`` people
   is hidden. An empty cell (0) is shown: it is nobody.
2. Secondary suppression, so that no hidden number can be found by subtraction: a hidden
   group could be recovered from the overall totals minus the shown groups, so when
   exactly one group is hidden, the next smallest group is hidden too; within a shown
   group, when exactly one cell is hidden, its value is the total minus the others, so
   the next smallest shown cell of the row is hidden too; and the same along each column
   against its overall total. This repeats until nothing changes.

We hide further cells rather than round totals: the numbers that are shown stay exact
and add up, and a hidden cell always reads "fewer than N" or "hidden" beside them.

What is not prevented: a group in which everybody chose the same (a cell equal to the
group's total) is shown; it tells nothing of a person that the group's size, at least
``minimum``, does not allow for.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from flask import current_app, has_app_context

DEFAULT_MINIMUM = 5


def small_group_min() -> int:
    """The threshold from the configuration (``ERAATI_SMALL_GROUP_MIN``), at least 2."""
    if not has_app_context():
        return DEFAULT_MINIMUM
    try:
        value = int(current_app.config.get("SMALL_GROUP_MIN", DEFAULT_MINIMUM))
    except (TypeError, ValueError):
        return DEFAULT_MINIMUM
    return max(value, 2)


@dataclass
class Row:
    group: Hashable
    total: int | None  # None: hidden
    cells: dict[Hashable, int | None] = field(default_factory=dict)  # None: hidden
    primary: bool = False  # hidden because the group itself is small (not to cover another)

    @property
    def hidden(self) -> bool:
        return self.total is None


@dataclass
class Table:
    categories: list[Hashable]
    rows: list[Row]
    minimum: int

    def row(self, group: Hashable) -> Row:
        return next(r for r in self.rows if r.group == group)

    @property
    def any_hidden(self) -> bool:
        return any(r.hidden or None in r.cells.values() for r in self.rows)


def suppress(
    counts: Mapping[Hashable, Mapping[Hashable, int]],
    totals: Mapping[Hashable, int],
    *,
    groups: Sequence[Hashable] | None = None,
    categories: Sequence[Hashable] = (),
    minimum: int | None = None,
) -> Table:
    """The table of ``counts`` (group -> category -> people) and ``totals`` (group ->
    people of the group) with every number that could reveal a small group hidden.

    ``groups`` and ``categories`` give the order (and groups or categories without
    counts, which are 0); by default the order of ``totals`` and of the first counts."""
    minimum = small_group_min() if minimum is None else minimum
    if groups is None:
        groups = list(totals)
    cats = list(categories)
    for row_counts in counts.values():
        for c in row_counts:
            if c not in cats:
                cats.append(c)
    value = {(g, c): int(counts.get(g, {}).get(c, 0)) for g in groups for c in cats}
    size = {g: int(totals.get(g, 0)) for g in groups}

    # Rows: a group of 1..minimum-1 people is hidden; an empty group shows its zeros.
    hidden_rows = {g for g in groups if 0 < size[g] < minimum}
    primary_rows = set(hidden_rows)
    hidden = {(g, c) for g in groups for c in cats if g in hidden_rows or 0 < value[g, c] < minimum}

    changed = True
    while changed:
        changed = False
        # Groups against the overall totals: never exactly one hidden group of people.
        if len(hidden_rows) == 1:
            shown = [g for g in groups if g not in hidden_rows and size[g] > 0]
            if shown:
                extra = min(shown, key=lambda g: (size[g], groups.index(g)))
                hidden_rows.add(extra)
                hidden |= {(extra, c) for c in cats}
                changed = True
        # Cells against their row total (shown rows) ...
        for g in groups:
            if g in hidden_rows:
                continue
            row_hidden = [c for c in cats if (g, c) in hidden]
            if len(row_hidden) == 1:
                shown = [c for c in cats if (g, c) not in hidden]
                if shown:
                    extra = min(shown, key=lambda c: (value[g, c], cats.index(c)))
                    hidden.add((g, extra))
                    changed = True
        # ... and against their column total (the overall result).
        for c in cats:
            col_hidden = [g for g in groups if (g, c) in hidden]
            if len(col_hidden) == 1:
                shown = [g for g in groups if (g, c) not in hidden]
                if shown:
                    extra = min(shown, key=lambda g: (value[g, c], groups.index(g)))
                    hidden.add((extra, c))
                    changed = True
    rows = [
        Row(
            group=g,
            total=None if g in hidden_rows else size[g],
            cells={c: None if (g, c) in hidden else value[g, c] for c in cats},
            primary=g in primary_rows,
        )
        for g in groups
    ]
    return Table(categories=cats, rows=rows, minimum=minimum)
