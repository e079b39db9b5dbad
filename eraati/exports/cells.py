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
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def finnish_moment(moment: datetime) -> str:
    """Helsinki time as Finnish Excel reads it: 01.03.2026 12:40."""
    return local(moment).strftime("%d.%m.%Y %H:%M")


def finnish_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def for_programs(column: LocalColumn, value: Any) -> Any:
    """The standard CSV: codes, ISO 8601 UTC, true/false."""
    if value is None:
        return ""
    if column.kind in (Kind.TEXT, Kind.CODE):
        return neutralise(value)
    if column.kind == Kind.MOMENT:
        return iso_moment(value)
    if column.kind == Kind.DAY:
        return value.isoformat()
    if column.kind == Kind.BOOL:
        return "true" if value else "false"
    return value


def for_people(column: LocalColumn, value: Any, words: Words) -> Any:
    """The CSV for Finnish Excel: labels, Helsinki time, yes/no in the chosen language."""
    if value is None:
        return ""
    if column.kind == Kind.TEXT:
        return neutralise(value)
    if column.kind == Kind.CODE:
        return neutralise(column.codes.get(value, value))
    if column.kind == Kind.MOMENT:
        return finnish_moment(value)
    if column.kind == Kind.DAY:
        return finnish_day(value)
    if column.kind == Kind.BOOL:
        return words.yes if value else words.no
    return value


def for_json(column: LocalColumn, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == Kind.MOMENT:
        return iso_moment(value)
    if column.kind == Kind.DAY:
        return value.isoformat()
    if column.kind == Kind.BOOL:
        return bool(value)
    return value
