"""Cell values for each kind of file, and formula neutralisation.

Neutralisation applies where a spreadsheet would evaluate a cell: the CSV for Excel, the
file Finnish Excel opens with a double click. Excel reads a cell of such a file that
starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a NUL as a formula, so
such a text gets a single quote (apostrophe) in front, as OWASP recommends ("CSV
Injection"; ASVS 5.0 requirement 1.2.10: escape with a single quote, and quote fields as
RFC 4180 says). A text that already starts with an apostrophe gets one more, so the rule
can be undone exactly: ``restore()`` removes one leading apostrophe from any cell that has
one.

The files for programs keep every text exactly as the resident wrote it: the standard
CSV, JSON and the Polis pair are read by programs, not evaluated, and the XLSX workbook
writes texts as text cells, which Excel never runs as formulas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eraati.core.time import local
from eraati.exports.tables import Kind, LocalColumn, Words

FORMULA_STARTS = frozenset("=+-@\t\r\0")
QUOTE = "'"
# The first characters that ``neutralise`` quotes: a formula's, and the quote itself (so
# that ``restore`` gives back a text that began with one). The compiled row functions
# below write the same test out in place.
QUOTED_STARTS = FORMULA_STARTS | {QUOTE}


def neutralise(text: str) -> str:
    if text and text[0] in QUOTED_STARTS:
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


# --- moments read as UTC text ------------------------------------------------------------------
#
# The long comments table reads its times as naive UTC text, "2026-03-01 10:40:00.123456"
# (``rows.utc_text``): what SQLite stores, and what PostgreSQL prints with to_char. The
# files' forms are cut from that text; Helsinki time needs the offset, which is looked
# up once per hour of UTC (Finland's offset changes only on whole hours).

_HOUR = timedelta(hours=1)
_ALMOST_AN_HOUR = timedelta(minutes=59, seconds=59, microseconds=999_999)


def utc_text_moment(text: str) -> datetime:
    """The aware UTC datetime of a UTC text."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def iso_utc_text(text: str) -> str:
    """``iso_moment`` of a UTC text: 2026-03-01T10:40:00Z."""
    return text[:10] + "T" + text[11:19] + "Z"


def _hour_offset(hour: str) -> timedelta | None:
    """Helsinki's UTC offset for the whole UTC hour "2026-03-01 10", or None when it is
    not one offset of whole minutes through the hour."""
    start = datetime.fromisoformat(hour + ":00:00").replace(tzinfo=UTC)
    offset = local(start).utcoffset()
    if offset != local(start + _ALMOST_AN_HOUR).utcoffset() or offset % timedelta(minutes=1):
        return None
    return offset


def local_utc_text() -> Convert:
    """A function from a UTC text to the naive Helsinki datetime (as
    ``local(moment).replace(tzinfo=None)``), with its own cache of hourly offsets."""
    offsets: dict[str, timedelta | None] = {}
    parse = datetime.fromisoformat

    def convert(text: str) -> datetime:
        hour = text[:13]
        try:
            offset = offsets[hour]
        except KeyError:
            offset = offsets[hour] = _hour_offset(hour)
        if offset is None:
            return local(utc_text_moment(text)).replace(tzinfo=None)
        return parse(text) + offset

    return convert


def finnish_utc_text() -> Convert:
    """A function from a UTC text to ``finnish_moment``'s text, with its own cache of
    the Helsinki "dd.mm.yyyy hh" of each UTC hour (the minutes stay when the offset is
    whole hours)."""
    hours: dict[str, str | None] = {}

    def start(hour: str) -> str | None:
        offset = _hour_offset(hour)
        if offset is None or offset % _HOUR:
            return None
        return finnish_moment(datetime.fromisoformat(hour + ":00:00").replace(tzinfo=UTC))[:13]

    def convert(text: str) -> str:
        hour = text[:13]
        try:
            head = hours[hour]
        except KeyError:
            head = hours[hour] = start(hour)
        if head is None:
            return finnish_moment(utc_text_moment(text))
        return head + text[13:16]

    return convert


# --- a column's values in each kind of file ---------------------------------------------------
#
# A "cell function" turns one column's value (never None) into what the file holds; None
# means the value goes in as it is. ``row_converter`` applies a column's functions to
# whole rows: the export's long tables have 100,000 rows and more, so the choice by kind
# is made once per column, not once per cell.

Convert = Callable[[Any], Any]


class Lookup:
    """A cell function that is a table: ``values[value]``, or ``otherwise(value)`` for a
    value not in it (without ``otherwise``: KeyError). ``row_converter`` writes it out
    as a lookup, without a call."""

    __slots__ = ("otherwise", "values")

    def __init__(self, values: dict[Any, Any], otherwise: Convert | None = None) -> None:
        self.values = values
        self.otherwise = otherwise

    def __call__(self, value: Any) -> Any:
        if self.otherwise is None or value in self.values:
            return self.values[value]
        return self.otherwise(value)


def comma_degrees(value: float) -> str:
    """63.5597 as Finnish Excel reads a number: "63,559700"."""
    return format(value, ".6f").replace(".", ",")


def program_cell(column: LocalColumn) -> Convert | None:
    """The standard CSV: texts and codes as they are, ISO 8601 UTC, true/false."""
    kind = column.kind
    if kind == Kind.MOMENT:
        return iso_moment
    if kind == Kind.UTC_TEXT:
        return iso_utc_text
    if kind == Kind.DAY:
        return date.isoformat
    if kind == Kind.BOOL:
        return Lookup({True: "true", False: "false"})
    return None


def people_cell(column: LocalColumn, words: Words) -> Convert | None:
    """The CSV for Finnish Excel: labels, Helsinki time, yes/no in the chosen language."""
    kind = column.kind
    if kind == Kind.TEXT:
        return neutralise
    if kind == Kind.CODE:  # the label; the code itself where the label is missing or empty
        return Lookup(
            {code: neutralise(label) or neutralise(code) for code, label in column.codes.items()},
            neutralise,
        )
    if kind == Kind.MOMENT:
        return finnish_moment
    if kind == Kind.UTC_TEXT:
        return finnish_utc_text()
    if kind == Kind.DAY:
        return finnish_day
    if kind == Kind.BOOL:
        return Lookup({True: words.yes, False: words.no})
    if kind == Kind.DEGREES:
        return comma_degrees
    return None


def json_cell(column: LocalColumn) -> Convert | None:
    kind = column.kind
    if kind == Kind.MOMENT:
        return iso_moment
    if kind == Kind.UTC_TEXT:
        return iso_utc_text
    if kind == Kind.DAY:
        return date.isoformat
    if kind == Kind.BOOL:
        return bool
    return None


def compile_function(name: str, params: str, body: list[str], names: dict[str, Any]) -> Any:
    """A function built from lines of our own source text (``body``, indented once more)
    with ``names`` as its globals: a table's plan of columns written out as straight-line
    code, so that a row of the long tables costs no loop over columns and no choice by
    kind (as ``collections.namedtuple`` and ``dataclasses`` build their methods)."""
    source = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)
    namespace = dict(names)
    exec(compile(source, f"<eraati.exports {name}>", "exec"), namespace)  # noqa: S102 - ours
    return namespace[name]


def row_converter(
    columns: tuple[LocalColumn, ...], cell: Callable[[LocalColumn], Convert | None]
) -> Callable[[tuple], list]:
    """A function from a table's row to the list of its cells, with ``cell``'s function of
    each column applied to the values that are not None (None stays None). A list row is
    converted in place (the long tables' rows are new lists that nothing else holds)."""
    width = len(columns)
    names: dict[str, Any] = {"QUOTE": QUOTE, "QUOTED_STARTS": QUOTED_STARTS, "list": list}
    body = [
        f"if len(row) != {width}:",
        f"    raise ValueError(f'a row of {{len(row)}} values for {width} columns')",
        "out = row if row.__class__ is list else list(row)",
    ]
    for i, column in enumerate(columns):
        f = cell(column)
        if f is None:
            continue
        body.append(f"v = out[{i}]")
        # The commonest functions written out in place, without a call.
        if f is neutralise:  # "" stays "", as None stays None
            body += ["if v:", f"    if v[0] in QUOTED_STARTS: out[{i}] = QUOTE + v"]
            continue
        body.append("if v is not None:")
        if f is iso_utc_text:
            body.append(f"    out[{i}] = v[:10] + 'T' + v[11:19] + 'Z'")
        elif isinstance(f, Lookup):
            names[f"values{i}"] = f.values
            if f.otherwise is None:
                body.append(f"    out[{i}] = values{i}[v]")
            else:
                names[f"otherwise{i}"] = f.otherwise
                body.append(f"    out[{i}] = values{i}[v] if v in values{i} else otherwise{i}(v)")
        else:
            names[f"f{i}"] = f
            body.append(f"    out[{i}] = f{i}(v)")
    body.append("return out")
    return compile_function("convert", "row", body, names)
