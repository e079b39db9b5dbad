"""One export (or one baseline) in a fresh process: its time, peak RSS, bytes and SQL.

Run by ``exports_support.run_child``, never by hand::

    ERAATI_BENCH_SECRET=... python -m benchmarks.exports_child \
        --url DATABASE_URL --topic ID --what csv --out FILE

``--what`` is an export format (csv, csv-excel, json, polis, xlsx, geojson:
``services.prepare``, the GeoJSON's Features counted in the file afterwards for F3; docx,
pdf: ``reports.build.build`` without the appendix) or a baseline:

- ``baseline-csv``: one plain SELECT of the CSV's columns through the DB-API cursor,
  written with ``csv.writer`` (E1);
- ``baseline-xlsx``: the XLSX's rows read into a list first (not timed), then written
  by xlsxwriter in constant-memory mode with the same sheets, formats and cell types (E2).

``pair-csv`` and ``pair-xlsx`` alternate a baseline and its exports in one process,
``--repeat`` rounds (E1 and E2: the rows of the XLSX baseline are read once, and every
round compares the two under the same conditions).

The process builds the production app, then times only the export. It prints one JSON
line: seconds, bytes written, the resident set size when the export starts and its peak
during the export (``VmHWM``, reset through ``/proc/self/clear_refs`` just before: the
app's own memory is included, and cancels when E3 compares two sizes), the SQL
statements executed and the rows fetched through SQLAlchemy during the timed part (E4:
a report whose aggregates come from SQL reads about as many rows at 10,000 comments as
at 100,000). ``ru_maxrss`` is not used: a child of ``subprocess`` inherits its parent's
peak through ``exec`` (Linux keeps the old address space's peak), so it would show the
harness's memory, not the export's.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

STREAMED = ("csv", "csv-excel", "json", "polis", "xlsx", "geojson")  # services.prepare
REPORTS = ("docx", "pdf")  # reports.build.build
BASELINES = ("baseline-csv", "baseline-xlsx")
WHAT = (*STREAMED, *REPORTS, *BASELINES)
# Baselines and exports alternating in one process, ``--repeat`` rounds (E1, E2): the
# timing only, since the peak memory of one includes the others (E3 runs each alone).
PAIRS = {
    "pair-csv": ("baseline-csv", "csv", "csv-excel"),
    "pair-xlsx": ("baseline-xlsx", "xlsx"),
}
# Every way a cursor result hands out rows (sqlalchemy.engine.cursor.CursorResult).
FETCHES = ("_fetchiter_impl", "_fetchone_impl", "_fetchmany_impl", "_fetchall_impl")


def _status(field: str) -> float:
    """A line of /proc/self/status in MiB (VmRSS: now, VmHWM: the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> float:
    """Start a new peak (writing 5 to clear_refs resets VmHWM); the RSS now, in MiB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def peak_rss_mib() -> float:
    return _status("VmHWM")


class SqlCounter:
    """Statements executed and rows fetched through SQLAlchemy (every fetch path of a
    cursor result, server-side cursors included), also per statement: which query reads
    the rows."""

    def __init__(self, engine) -> None:
        import sqlalchemy as sa
        from sqlalchemy.engine.cursor import CursorResult

        self.statements = 0
        self.rows = 0
        self.by_statement: Counter[str] = Counter()
        self.on = False
        self._engine = engine
        self._originals = {name: getattr(CursorResult, name) for name in FETCHES}
        counter = self

        def before(*_args) -> None:
            if counter.on:
                counter.statements += 1

        self._before = before
        sa.event.listen(engine, "before_cursor_execute", before)

        def add(result, n: int) -> None:
            if counter.on and n:
                counter.rows += n
                statement = getattr(getattr(result, "context", None), "statement", "") or ""
                counter.by_statement[statement] += n  # shortened in top()

        def counted(name: str):
            original = self._originals[name]
            if name == "_fetchiter_impl":

                def wrapper(self, *a, **kw):
                    for row in original(self, *a, **kw):
                        add(self, 1)
                        yield row

            elif name in ("_fetchmany_impl", "_fetchall_impl"):

                def wrapper(self, *a, **kw):
                    got = original(self, *a, **kw)
                    add(self, len(got))
                    return got

            else:

                def wrapper(self, *a, **kw):
                    got = original(self, *a, **kw)
                    add(self, got is not None)
                    return got

            return wrapper

        for name in FETCHES:
            setattr(CursorResult, name, counted(name))

    def close(self) -> None:
        """Put SQLAlchemy back as it was."""
        import sqlalchemy as sa
        from sqlalchemy.engine.cursor import CursorResult

        sa.event.remove(self._engine, "before_cursor_execute", self._before)
        for name, original in self._originals.items():
            setattr(CursorResult, name, original)

    def top(self, n: int = 5) -> list[tuple[str, int]]:
        short: Counter[str] = Counter()
        for statement, rows in self.by_statement.items():
            short[" ".join(statement.split())[:160]] += rows
        return short.most_common(n)


# --- the exports --------------------------------------------------------------------------------


def run_export(topic, what: str, lang: str, out: Path) -> int:
    from eraati.exports import services

    export = services.prepare(topic, what, lang)
    size = 0
    with open(out, "wb") as fh:
        for piece in export.chunks:
            fh.write(piece)
            size += len(piece)
    return size


def run_report(topic, what: str, lang: str, out: Path) -> int:
    """``build(topic, fmt, lang, out: BinaryIO, *, appendix=False, ...)``, no appendix."""
    from eraati.reports.build import build

    with open(out, "wb") as fh:
        build(topic, what, lang, fh, appendix=False)
    return out.stat().st_size


def preload_reports() -> None:
    """Import the writers (WeasyPrint takes a while) before the timed part, as a worker
    that has made a report before has them."""
    from eraati.reports import docxfile, pdffile  # noqa: F401


def baseline_csv(topic, out: Path) -> int:
    """One plain SELECT of the CSV's 24 columns (the place on the map from its named place
    when the comment has no point of its own; the part's number of a draft read part by
    part), the rows written with csv.writer."""
    from eraati.extensions import db

    postgres = db.engine.dialect.name == "postgresql"
    themes = (
        "(SELECT string_agg(ct.theme_id::text, ',') FROM comment_themes ct "
        "WHERE ct.comment_id = c.id)"
        if postgres
        else "(SELECT group_concat(ct.theme_id, ',') FROM comment_themes ct "
        "WHERE ct.comment_id = c.id)"
    )
    mark = "%s" if postgres else "?"
    # Fixed text; the topic id is a parameter.
    sql = (
        "SELECT c.id, c.parent_id, c.created_at, c.source, c.status, c.hidden_reason, "  # noqa: S608
        "c.author_id, c.language, c.body, c.agree_count, c.disagree_count, c.pass_count, "
        f"{themes}, c.is_key, c.is_official, c.place, c.received_on, c.event_id, "
        "tp.name_fi, COALESCE(c.lat, tp.lat), COALESCE(c.lon, tp.lon), "
        "pa.position, c.paragraph, c.paragraph_quote "
        "FROM comments c LEFT JOIN topic_places tp ON tp.id = c.place_id "
        "LEFT JOIN topic_parts pa ON pa.id = c.part_id "
        f"WHERE c.topic_id = {mark} AND c.status IN ('visible', 'hidden') "
        "ORDER BY c.id"
    )
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(sql, (topic.id,))
        with open(out, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([d[0] for d in cur.description])
            writer.writerows(cur)
        cur.close()
    finally:
        raw.close()
    return out.stat().st_size


def xlsx_rows(topic, lang: str) -> list[tuple]:
    """The XLSX's sheets as they will be written: (title, columns, rows of final cell
    values), read by the exporter's own row sources. Not timed."""
    from eraati.core.time import local
    from eraati.exports import cells, rows, tables
    from eraati.exports.formats import FORMATS
    from eraati.exports.tables import Kind

    local_tables, words = tables.localise(FORMATS["xlsx"].tables, lang)
    snap = rows.snapshot(topic, lang, topic.opens_at, left_out=words.left_out)

    def value(column, v):
        if v is None:
            return None
        kind = column.kind
        if kind == Kind.INT:
            return v
        if kind == Kind.MOMENT:
            return local(v).replace(tzinfo=None)
        if kind == Kind.UTC_TEXT:  # the comments' times, read as UTC text
            return local(cells.utc_text_moment(v)).replace(tzinfo=None)
        if kind == Kind.DAY:
            return v
        if kind == Kind.BOOL:
            return words.yes if v else words.no
        if kind == Kind.CODE:
            return column.codes.get(v, v)
        return v  # texts as written (text cells)

    return [
        (
            t.title,
            t.columns,
            [
                tuple(value(c, v) for c, v in zip(t.columns, row, strict=True))
                for row in t.source(snap)
            ],
        )
        for t in local_tables
    ]


def baseline_xlsx(sheets: list[tuple], out: Path) -> int:
    """xlsxwriter in constant-memory mode: the same sheets, formats and cell types."""
    from datetime import date, datetime

    import xlsxwriter

    from eraati.exports.tables import Kind

    book = xlsxwriter.Workbook(
        str(out),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#E3E7EE", "valign": "top"})
    moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm", "valign": "top"})
    day = book.add_format({"num_format": "dd.mm.yyyy", "valign": "top"})
    text = book.add_format({"valign": "top"})
    for title, columns, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        for i, c in enumerate(columns):
            sheet.set_column(i, i, c.width)
        sheet.freeze_panes(1, 0)
        for i, c in enumerate(columns):
            sheet.write_string(0, i, c.label, header)
        texts = [c.kind == Kind.TEXT for c in columns]
        for r, row in enumerate(rows, start=1):
            for i, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    if texts[i]:
                        sheet.write_string(r, i, v, text)
                    else:
                        sheet.write_string(r, i, v)
                elif isinstance(v, datetime):
                    sheet.write_datetime(r, i, v, moment)
                elif isinstance(v, date):
                    sheet.write_datetime(r, i, v, day)
                else:
                    sheet.write_number(r, i, v)
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    book.close()
    return out.stat().st_size


def count_features(path: Path) -> int:
    """The Features of a GeoJSON file the writer made (one per line), read line by line."""
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.lstrip(",").startswith('{"type":"Feature"'))


# --- main ----------------------------------------------------------------------------------------


def one(what: str, topic, lang: str, out: Path, sheets) -> tuple[float, int]:
    """Seconds and bytes of one export or baseline."""
    start = time.perf_counter()
    if what in STREAMED:
        size = run_export(topic, what, lang, out)
    elif what in REPORTS:
        size = run_report(topic, what, lang, out)
    elif what == "baseline-csv":
        size = baseline_csv(topic, out)
    else:
        size = baseline_xlsx(sheets, out)
    return round(time.perf_counter() - start, 4), size


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.exports_child")
    p.add_argument("--url", required=True)
    p.add_argument("--topic", type=int, required=True)
    p.add_argument("--what", choices=(*WHAT, *PAIRS), required=True)
    p.add_argument("--lang", default="fi")
    p.add_argument("--out", required=True)
    p.add_argument(
        "--repeat", type=int, default=1, help="rounds in this process (seconds: the median)"
    )
    args = p.parse_args(argv)
    out = Path(args.out)
    sequence = PAIRS.get(args.what, (args.what,))

    from benchmarks import data
    from eraati.consultations.models import Topic
    from eraati.extensions import db

    app = data.make_app(args.url, os.environ["ERAATI_BENCH_SECRET"])
    result: dict = {"what": args.what}
    with app.app_context():
        # The pairs compare times: counting rows wraps every fetch of the export (not of
        # the baseline's DB-API cursor), so they run without the counter.
        counter = None if args.what in PAIRS else SqlCounter(db.engine)
        topic = db.session.get(Topic, args.topic)
        if topic is None:
            print(json.dumps({"error": f"no topic {args.topic}"}))
            return 1
        topic.organisation  # noqa: B018 - loaded before the timed part, as a view has it
        sheets = None
        if "baseline-xlsx" in sequence:
            sheets = xlsx_rows(topic, args.lang)
            gc.freeze()  # the rows stay: no collection walks them while the others run
        if set(sequence) & set(REPORTS):
            preload_reports()
        result["rss_start_mib"] = round(reset_peak(), 1)
        if counter:
            counter.on = True
        rounds, size = [], 0
        for _ in range(args.repeat):
            got = {}
            for what in sequence:
                got[what], size = one(what, topic, args.lang, out, sheets)
            rounds.append(got)
        if counter:
            counter.on = False
            counter.close()
    result.update(
        seconds=statistics.median(r[sequence[-1]] for r in rounds),
        rounds=rounds,
        bytes=size,
        peak_rss_mib=round(peak_rss_mib(), 1),
    )
    if sequence[-1] == "geojson":  # F3: read back after the peak was taken
        result["features"] = count_features(out)
    if counter:
        result.update(
            statements=counter.statements,
            rows_fetched=counter.rows,
            rows_by_statement=counter.top(),
        )
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
