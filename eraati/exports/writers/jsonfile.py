"""One JSON document: the topic, the headings in the chosen language, then an array per
table (comments, stances, poll answers, themes, participation), written row by row.

Values are for programs: codes, ISO 8601 UTC times, true/false, texts as written (a JSON
file is not opened as a spreadsheet, so nothing is neutralised). ``hidden_texts`` says
whether hidden comments' texts are in the file; when they are, the first key, on the
first line, is a ``notice`` that says so."""

from __future__ import annotations

import json
from collections.abc import Iterator

from eraati.exports import cells
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Words
from eraati.exports.writers import Progress, TextSink

FORMAT_NAME = "eraati-topic-export"
FORMAT_VERSION = 1


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def head(snap: Snapshot, tables: tuple[LocalTable, ...], words: Words) -> dict[str, object]:
    notice = {"notice": words.notice} if snap.hidden_texts else {}
    return {
        **notice,
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "language": snap.lang,
        "exported_at": cells.iso_moment(snap.exported_at),
        "hidden_texts": snap.hidden_texts,
        "topic": {
            "id": snap.topic_id,
            "slug": snap.slug,
            "title": snap.title,
            "organisation": snap.organisation,
            "organisation_slug": snap.organisation_slug,
            "status": snap.status,
            "opens_at": cells.iso_moment(snap.opens_at),
            "closes_at": cells.iso_moment(snap.closes_at),
            "closed_at": cells.iso_moment(snap.closed_at) if snap.closed_at else None,
            "deciding_body": snap.deciding_body,
            "decision_planned_on": (
                snap.decision_planned_on.isoformat() if snap.decision_planned_on else None
            ),
            "case_number": snap.case_number,
        },
        "labels": {
            t.key: {"title": t.title, "columns": {c.key: c.label for c in t.columns}}
            for t in tables
        },
    }


def write_json(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    sink = TextSink(progress)
    out = sink.buffer
    out.write(_dumps(head(snap, tables, words))[:-1])  # the rest of the object follows
    for table in tables:
        out.write(f",\n{_dumps(table.key)}:[")
        keys = [c.key for c in table.columns]
        convert = cells.row_converter(table.columns, cells.json_cell)
        separator = "\n"
        for row in table.source(snap):
            record = dict(zip(keys, convert(row), strict=True))
            out.write(separator)
            out.write(_dumps(record))
            separator = ",\n"
            sink.row_done()
            if sink.full:
                yield sink.take()
        out.write("]")
    out.write("}\n")
    yield sink.take()
