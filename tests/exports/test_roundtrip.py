"""Any text survives the CSV (both dialects) and JSON writers: read back with the csv and
json modules, every cell is the text as written (the CSV for Excel's cells after
``cells.restore``; the standard CSV's cells as they are).
Hypothesis makes up the texts: formula starts, quotes, newlines, semicolons, Unicode."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from eraati.exports import cells
from eraati.exports.rows import Snapshot
from eraati.exports.tables import Kind, LocalColumn, LocalTable, Words
from eraati.exports.writers import no_progress
from eraati.exports.writers.csvfile import write_csv, write_csv_excel
from eraati.exports.writers.jsonfile import write_json
from tests.exports.support import read_csv, read_json

WHEN = datetime(2026, 3, 1, 10, 40, tzinfo=UTC)
WORDS = Words(yes="kyllä", no="ei")
SNAP = Snapshot(
    topic_id=1,
    slug="aihe",
    lang="fi",
    exported_at=WHEN,
    organisation="Keitele",
    organisation_slug="keitele",
    title="Aihe",
    status="open",
    opens_at=WHEN,
    closes_at=WHEN,
    deciding_body=None,
    decision_planned_on=None,
    case_number=None,
)
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@'\t\r\n\0\";,ÄäÖöÅå€😀 ")),
        st.characters(exclude_categories=("Cs",)),
    )
)


def table(texts: list[str]) -> LocalTable:
    columns = (
        LocalColumn("id", "Tunniste", Kind.INT, 10, {}),
        LocalColumn("text", "Kommentti", Kind.TEXT, 80, {}),
        LocalColumn("written", "Kirjoitettu", Kind.MOMENT, 17, {}),
    )
    return LocalTable(
        "comments",
        "Kommentit",
        columns,
        lambda _snap: ((i, text, WHEN) for i, text in enumerate(texts, 1)),
    )


def _bytes(writer, texts: list[str]) -> bytes:
    chunks = writer(SNAP, (table(texts),), WORDS, no_progress)
    assert inspect.isgenerator(chunks)  # streamed, never one big string
    return b"".join(chunks)


COMMON = [["=1+1", '"', "a;b,c", "rivi\r\nrivi", "'", "@x", "-", "\0", ""]]


@settings(max_examples=150, deadline=None)
@given(st.lists(TRICKY, max_size=6))
@example(*COMMON)
def test_standard_csv_round_trip(texts):
    header, *lines = read_csv(_bytes(write_csv, texts), excel=False)
    assert header == ["Tunniste", "Kommentti", "Kirjoitettu"]
    assert [line[1] for line in lines] == texts  # exactly as written: nothing is added
    assert [line[0] for line in lines] == [str(i) for i in range(1, len(texts) + 1)]
    assert all(line[2] == "2026-03-01T10:40:00Z" for line in lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(TRICKY, max_size=6))
@example(*COMMON)
def test_excel_csv_round_trip(texts):
    data = _bytes(write_csv_excel, texts)
    assert data.startswith(b"\xef\xbb\xbf")
    header, *lines = read_csv(data, excel=True)
    assert header == ["Tunniste", "Kommentti", "Kirjoitettu"]
    assert [cells.restore(line[1]) for line in lines] == texts
    assert all(line[2] == "01.03.2026 12:40" for line in lines)
    assert all(not line[1] or line[1][0] not in cells.FORMULA_STARTS for line in lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(TRICKY, max_size=6))
@example(*COMMON)
def test_json_round_trip_keeps_every_text_as_written(texts):
    document = read_json(_bytes(write_json, texts))
    assert [c["text"] for c in document["comments"]] == texts
    assert document["labels"]["comments"]["columns"]["text"] == "Kommentti"
    assert all(c["written"] == "2026-03-01T10:40:00Z" for c in document["comments"])


def test_csv_rows_end_in_crlf_and_excel_separates_with_semicolons():
    standard = _bytes(write_csv, ["a;b", "c,d"])
    excel = _bytes(write_csv_excel, ["a;b", "c,d"])
    assert standard.split(b"\r\n")[1] == b"1,a;b,2026-03-01T10:40:00Z"
    assert excel.split(b"\r\n")[2] == b"2;c,d;01.03.2026 12:40"
    assert excel.split(b"\r\n")[1] == b'1;"a;b";01.03.2026 12:40'
    assert not standard.startswith(b"\xef\xbb\xbf")


def test_a_big_table_leaves_in_several_pieces():
    chunks = list(write_csv(SNAP, (table(["x" * 1000] * 300),), WORDS, no_progress))
    assert len(chunks) > 2
    assert all(len(c) < 200_000 for c in chunks)
