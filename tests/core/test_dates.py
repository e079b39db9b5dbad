"""Dates and times are shown as people in each language write them, in Helsinki time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

MOMENT = datetime(2026, 12, 8, 11, 40, tzinfo=UTC)  # 13.40 in Helsinki (UTC+2 in winter)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fi", "8. joulukuuta 2026 klo 13.40"),
        ("sv", "8 december 2026 kl. 13.40"),  # Finland-Swedish time
        ("en", "8 December 2026 at 13:40"),  # British order, not "December 8" or "12/8/26"
    ],
)
def test_moments_are_long_dates_in_helsinki_time(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ m|datetime }}", m=MOMENT) == expected


def test_summer_time_is_followed(app):
    summer = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("fi"):
        assert render_template_string("{{ m|datetime }}", m=summer) == "1. kesäkuuta 2027 klo 12.00"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fi", "25. joulukuuta 2026"), ("sv", "25 december 2026"), ("en", "25 December 2026")],
)
def test_days_are_long_dates(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ d|date }}", d=date(2026, 12, 25)) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "8.12.2026 13.40"), ("sv", "8 dec. 2026 13.40"), ("en", "8 Dec 2026 13:40")],
)
def test_report_moments_are_medium_dates_with_each_languages_time(lang, expected):
    from eraati.reports.words import moment

    assert moment(MOMENT, lang) == expected
