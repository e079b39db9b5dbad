"""XLSX with one sheet per table: comments, stances, poll answers, themes, participation.

xlsxwriter's constant-memory mode writes each row to disk as soon as the next one
starts; the workbook goes to a temporary file, which is then read out in pieces and
removed. Header rows are frozen and filtered, columns have widths; times are real Excel
dates in Helsinki time (Excel has no time zones). Texts are written as text cells, never
formulas, and neutralised as in CSV (``cells.neutralise``), so that a sheet saved again
as CSV stays safe.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import xlsxwriter

from eraati.core.time import local
from eraati.exports import cells
from eraati.exports.rows import Snapshot
from eraati.exports.tables import COUNTED, Kind, LocalColumn, LocalTable, Words
from eraati.exports.writers import CHUNK, Progress, no_progress

MAX_ROWS = 1_048_576  # Excel's limit, the header row included
SHEET_NAME_MAX = 31


def _sheet_name(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:SHEET_NAME_MAX]


class _Sheet:
    def __init__(self, book: xlsxwriter.Workbook, table: LocalTable, words: Words, fmt) -> None:
        self.sheet = book.add_worksheet(_sheet_name(table.title))
        self.columns = table.columns
        self.words = words
        self.fmt = fmt
        for i, column in enumerate(self.columns):
            self.sheet.set_column(i, i, column.width)
        self.sheet.freeze_panes(1, 0)
        for i, column in enumerate(self.columns):
            self.sheet.write_string(0, i, column.label, fmt["header"])

    def write_row(self, r: int, values: tuple) -> None:
        for i, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            self._cell(r, i, column, value)

    def _cell(self, r: int, i: int, column: LocalColumn, value: Any) -> None:
        if value is None:
            return
        kind = column.kind
        if kind == Kind.INT:
            self.sheet.write_number(r, i, value)
        elif kind == Kind.MOMENT:
            self.sheet.write_datetime(r, i, local(value).replace(tzinfo=None), self.fmt["moment"])
        elif kind == Kind.DAY:
            self.sheet.write_datetime(r, i, value, self.fmt["day"])
        elif kind == Kind.BOOL:
            self.sheet.write_string(r, i, self.words.yes if value else self.words.no)
        elif kind == Kind.CODE:
            self.sheet.write_string(r, i, cells.neutralise(column.codes.get(value, value)))
        else:
            self.sheet.write_string(r, i, cells.neutralise(value), self.fmt["text"])

    def finish(self, last_row: int) -> None:
        self.sheet.autofilter(0, 0, last_row, len(self.columns) - 1)


def _write_book(
    path: str, snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> None:
    book = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    fmt = {
        "header": book.add_format({"bold": True, "bg_color": "#E3E7EE", "valign": "top"}),
        "moment": book.add_format({"num_format": "dd.mm.yyyy hh:mm", "valign": "top"}),
        "day": book.add_format({"num_format": "dd.mm.yyyy", "valign": "top"}),
        "text": book.add_format({"valign": "top"}),
    }
    book.set_properties({"title": snap.title, "company": snap.organisation})
    for table in tables:
        sheet = _Sheet(book, table, words, fmt)
        tick = progress if table.key in COUNTED else no_progress
        r = 0
        for values in table.source(snap):
            if r + 1 >= MAX_ROWS:
                break  # Excel cannot show more; the CSV and JSON files have every row
            r += 1
            sheet.write_row(r, values)
            if r % 1000 == 0:
                tick(1000)
        tick(r % 1000)
        sheet.finish(r)
    book.close()


def write_xlsx(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    handle, path = tempfile.mkstemp(prefix="eraati-export-", suffix=".xlsx")
    os.close(handle)
    try:
        _write_book(path, snap, tables, words, progress)
        with open(path, "rb") as fh:
            while piece := fh.read(CHUNK):
                yield piece
    finally:
        os.unlink(path)
