"""Formula neutralisation (OWASP: a leading apostrophe) and the cell formats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
