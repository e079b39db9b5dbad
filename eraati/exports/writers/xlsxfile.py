"""XLSX with one sheet per table: comments, stances, poll answers, themes, participation.

xlsxwriter's constant-memory mode writes each row to disk as soon as the next one
starts; the workbook goes to a temporary file, which is then read out in pieces and
removed. Header rows are frozen and filtered, columns have widths; times are real Excel
dates in Helsinki time (Excel has no time zones). Texts are written as text cells
(``write_string``, and the workbook converts no string to a formula, number or link), so
Excel shows them exactly as written and never runs one as a formula. A workbook with
the texts of hidden comments (the preparer's choice) starts with a sheet that says so.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
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


def _local_naive(moment: datetime) -> datetime:
    return local(moment).replace(tzinfo=None)


def row_writer(sheet: Any, columns: tuple[LocalColumn, ...], words: Words, fmt: dict) -> Any:
    """``write(r, values)``: the cells of one row of ``columns``, each by its column's
    kind, the choice made once for the table (a compiled function, as
    ``cells.row_converter`` makes for the text files). None leaves the cell empty."""
    names: dict[str, Any] = {
        "number": sheet.write_number,
        "string": sheet.write_string,
        "moment": sheet.write_datetime,
        "MOMENT": fmt["moment"],
        "DAY": fmt["day"],
        "TEXT": fmt["text"],
        "YES": words.yes,
        "NO": words.no,
        "local_naive": _local_naive,
    }
    width = len(columns)
    body = [
        f"if len(values) != {width}:",
        f"    raise ValueError(f'a row of {{len(values)}} values for {width} columns')",
    ]
    for i, column in enumerate(columns):
        kind = column.kind
        body += [f"v = values[{i}]", "if v is not None:"]
        if kind in (Kind.INT, Kind.DEGREES):
            body.append(f"    number(r, {i}, v)")
        elif kind == Kind.MOMENT:
            body.append(f"    moment(r, {i}, local_naive(v), MOMENT)")
        elif kind == Kind.UTC_TEXT:
            names[f"local{i}"] = cells.local_utc_text()
            body.append(f"    moment(r, {i}, local{i}(v), MOMENT)")
        elif kind == Kind.DAY:
            body.append(f"    moment(r, {i}, v, DAY)")
        elif kind == Kind.BOOL:
            body.append(f"    string(r, {i}, YES if v else NO)")
        elif kind == Kind.CODE:
            names[f"labels{i}"] = dict(column.codes)
            body.append(f"    string(r, {i}, labels{i}[v] if v in labels{i} else v)")
        else:  # text, as written
            body.append(f"    string(r, {i}, v, TEXT)")
    return cells.compile_function("write", "r, values", body, names)


class _Sheet:
    def __init__(self, book: xlsxwriter.Workbook, table: LocalTable, words: Words, fmt) -> None:
        self.sheet = book.add_worksheet(_sheet_name(table.title))
        self.columns = table.columns
        for i, column in enumerate(self.columns):
            self.sheet.set_column(i, i, column.width)
        self.sheet.freeze_panes(1, 0)
        for i, column in enumerate(self.columns):
            self.sheet.write_string(0, i, column.label, fmt["header"])
        self.write_row = row_writer(self.sheet, self.columns, words, fmt)

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
    if snap.hidden_texts:  # the preparer chose to include them: the first sheet says so
        notice = book.add_worksheet(_sheet_name(words.notice_title))
        notice.set_column(0, 0, 100)
        notice.write_string(0, 0, words.notice, fmt["header"])
    for table in tables:
        sheet = _Sheet(book, table, words, fmt)
        tick = progress if table.key in COUNTED else no_progress
        r = 0
        write_row = sheet.write_row
        for values in table.source(snap):
            if r + 1 >= MAX_ROWS:
                break  # Excel cannot show more; the CSV and JSON files have every row
            r += 1
            write_row(r, values)
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
