"""Cell values for each kind of file, and formula neutralisation.

Neutralisation (CSV and XLSX): a spreadsheet reads a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab, a carriage return or a NUL as a formula. Such a text gets a single
quote (apostrophe) in front, as OWASP recommends ("CSV Injection"; ASVS 5.0 requirement
1.2.10: escape with a single quote, and quote fields as RFC 4180 says). A text that
already starts with an apostrophe gets one more, so the rule can be undone exactly:
``restore()`` removes one leading apostrophe from any cell that has one. JSON is never
opened as a spreadsheet and keeps every text as written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from eraati.core.time import local
from eraati.exports.tables import Kind, LocalColumn, Words

FORMULA_STARTS = frozenset("=+-@\t\r\0")
QUOTE = "'"


def neutralise(text: str) -> str:
    if text and (text[0] in FORMULA_STARTS or text[0] == QUOTE):
        return QUOTE + text
    return text


def restore(cell: str) -> str:
    """The text as written, from a neutralised cell."""
    return cell[1:] if cell.startswith(QUOTE) else cell


def iso_moment(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second: 2026-03-01T10:40:00Z."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def finnish_moment(moment: datetime) -> str:
    """Helsinki time as Finnish Excel reads it: 01.03.2026 12:40."""
    m = local(moment)
    return f"{m.day:02d}.{m.month:02d}.{m.year} {m.hour:02d}:{m.minute:02d}"


def finnish_day(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


# --- a column's values in each kind of file ---------------------------------------------------
#
# A "cell function" turns one column's value (never None) into what the file holds; None
# means the value goes in as it is. ``row_converter`` applies a column's functions to
# whole rows: the export's long tables have 100,000 rows and more, so the choice by kind
# is made once per column, not once per cell.

Convert = Callable[[Any], Any]


def program_cell(column: LocalColumn) -> Convert | None:
    """The standard CSV: codes, ISO 8601 UTC, true/false."""
    kind = column.kind
    if kind in (Kind.TEXT, Kind.CODE):
        return neutralise
    if kind == Kind.MOMENT:
        return iso_moment
    if kind == Kind.DAY:
        return date.isoformat
    if kind == Kind.BOOL:
        return {True: "true", False: "false"}.__getitem__
    return None


def people_cell(column: LocalColumn, words: Words) -> Convert | None:
    """The CSV for Finnish Excel: labels, Helsinki time, yes/no in the chosen language."""
    kind = column.kind
    if kind == Kind.TEXT:
        return neutralise
    if kind == Kind.CODE:
        labels = {code: neutralise(label) for code, label in column.codes.items()}
        return lambda code: labels.get(code) or neutralise(code)
    if kind == Kind.MOMENT:
        return finnish_moment
    if kind == Kind.DAY:
        return finnish_day
    if kind == Kind.BOOL:
        return {True: words.yes, False: words.no}.__getitem__
    return None


def json_cell(column: LocalColumn) -> Convert | None:
    kind = column.kind
    if kind == Kind.MOMENT:
        return iso_moment
    if kind == Kind.DAY:
        return date.isoformat
    if kind == Kind.BOOL:
        return bool
    return None


def row_converter(
    columns: tuple[LocalColumn, ...], cell: Callable[[LocalColumn], Convert | None]
) -> Callable[[tuple], list]:
    """A function from a table's row to the list of its cells, with ``cell``'s function of
    each column applied to the values that are not None (None stays None)."""
    steps = [(i, f) for i, column in enumerate(columns) if (f := cell(column)) is not None]
    width = len(columns)

    def convert(row: tuple | list) -> list:
        """The cells of ``row``; a list row is converted in place (the long tables' rows
        are new lists that nothing else holds)."""
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        out = row if type(row) is list else list(row)
        for i, f in steps:
            value = out[i]
            if value is not None:
                out[i] = f(value)
        return out

    return convert
