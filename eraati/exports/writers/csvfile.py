"""CSV of the comments, in two dialects.

- ``csv``: RFC 4180 (comma, CRLF, fields quoted when needed), UTF-8 without a BOM, times
  in ISO 8601 UTC, codes (web, hidden, support) and true/false: for programs.
- ``csv-excel``: what Finnish Excel opens with a double click: UTF-8 with a BOM,
  semicolons, CRLF, times as dd.mm.yyyy hh:mm in Helsinki time, labels and yes/no in the
  chosen language.

A file with the texts of hidden comments (the preparer's choice) says so on its first
line, before the headings.

Only the CSV for Excel neutralises formulas (``cells.neutralise``): it is the file a
spreadsheet opens and evaluates. The standard CSV keeps every text as written.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from functools import partial
from itertools import islice

from eraati.exports import cells
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Words
from eraati.exports.writers import BATCH, Progress, TextSink


def write_table(
    table: LocalTable,
    snap: Snapshot,
    words: Words,
    progress: Progress,
    *,
    excel: bool,
) -> Iterator[bytes]:
    sink = TextSink(progress)
    writer = csv.writer(sink.buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        yield codecs.BOM_UTF8
    if snap.hidden_texts:  # the preparer chose to include them: the first line says so
        writer.writerow([cells.neutralise(words.notice) if excel else words.notice])
    if excel:
        writer.writerow([cells.neutralise(c.label) for c in table.columns])
        cell = partial(cells.people_cell, words=words)
    else:
        writer.writerow([c.label for c in table.columns])
        cell = cells.program_cell
    convert = cells.row_converter(table.columns, cell)
    source = table.source(snap)
    # In batches: the csv module writes a batch in one call (None as an empty field).
    while batch := list(islice(source, BATCH)):
        writer.writerows(map(convert, batch))
        sink.rows += len(batch)
        if sink.full:
            yield sink.take()
    yield sink.take()


def write_csv(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    (comments,) = tables
    yield from write_table(comments, snap, words, progress, excel=False)


def write_csv_excel(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    (comments,) = tables
    yield from write_table(comments, snap, words, progress, excel=True)
