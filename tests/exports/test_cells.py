"""Formula neutralisation (OWASP: a leading apostrophe) and the cell formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eraati.core.time import local
from eraati.exports import cells


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_a_text_a_spreadsheet_would_read_as_a_formula_gets_an_apostrophe(start):
    text = f"{start}SUM(A1:A9)"
    assert cells.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Hyvä ajatus", "", "1+1", " =1+1", "Kirjasto = hyvä", "\nrivi"])
def test_other_texts_stay_as_written(text):
    assert cells.neutralise(text) == text


def test_a_leading_apostrophe_is_doubled_so_that_restoring_is_exact():
    assert cells.neutralise("'=1") == "''=1"
    assert cells.restore("''=1") == "'=1"
    assert cells.restore(cells.neutralise("'quoted")) == "'quoted"


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text):
    cell = cells.neutralise(text)
    assert cells.restore(cell) == text
    assert not cell or cell[0] not in cells.FORMULA_STARTS


def test_times_for_programs_are_iso_8601_utc_and_for_excel_helsinki_time():
    summer = datetime(2026, 7, 1, 9, 5, 59, 123456, tzinfo=UTC)  # EEST, UTC+3
    assert cells.iso_moment(summer) == "2026-07-01T09:05:59Z"
    assert cells.finnish_moment(summer) == "01.07.2026 12:05"
    assert cells.finnish_day(date(2026, 3, 9)) == "09.03.2026"


# The long comments table reads its times as UTC text and converts them with caches of
# Helsinki's offset per UTC hour; each must agree with the plain conversions, also in the
# hours around the changes to and from summer time.
_UTC_MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)
_CHANGES = [
    datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=UTC),  # 02:59:59 EET, then 04:00 EEST
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 03:30 EEST
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 03:30 EET: the same clock time again
]


def _utc_text(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


@pytest.mark.parametrize("moment", _CHANGES)
def test_times_read_as_utc_text_convert_as_datetimes_do_around_summer_time(moment):
    text = _utc_text(moment)
    assert cells.iso_utc_text(text) == cells.iso_moment(moment)
    assert cells.finnish_utc_text()(text) == cells.finnish_moment(moment)
    assert cells.local_utc_text()(text) == local(moment).replace(tzinfo=None)


@given(st.lists(_UTC_MOMENTS, min_size=1, max_size=30))
def test_times_read_as_utc_text_convert_as_datetimes_do(moments):
    finnish, naive = cells.finnish_utc_text(), cells.local_utc_text()  # one cache for all
    for moment in moments + _CHANGES:
        text = _utc_text(moment)
        assert cells.iso_utc_text(text) == cells.iso_moment(moment)
        assert finnish(text) == cells.finnish_moment(moment)
        assert naive(text) == local(moment).replace(tzinfo=None)


def _text_rows(cell):
    """(text, converted texts, text column count) through a row converter of ``cell``."""
    from eraati.exports.tables import COMMENTS, Kind, LocalColumn, Words

    columns = tuple(LocalColumn(c.key, c.key, c.kind, c.width, {}) for c in COMMENTS.columns)
    words = Words(yes="kyllä", no="ei")
    convert = cells.row_converter(
        columns, cell if cell is cells.program_cell else lambda c: cell(c, words)
    )
    text_at = [i for i, c in enumerate(columns) if c.kind == Kind.TEXT]
    for text in ["=1+1", "'lainaus", "", "tavallinen", "@x", "\tsarkain", "-5"]:
        row = [None] * len(columns)
        for i in text_at:
            row[i] = text
        out = convert(row)
        yield text, [out[i] for i in text_at], len(text_at)


def test_the_row_converter_of_the_csv_for_excel_neutralises_as_neutralise_does():
    for text, out, n in _text_rows(cells.people_cell):
        assert out == [cells.neutralise(text)] * n


def test_the_row_converter_of_the_standard_csv_keeps_every_text_as_written():
    for text, out, n in _text_rows(cells.program_cell):
        assert out == [text] * n
