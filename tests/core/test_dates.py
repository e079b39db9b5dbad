"""Dates and times are shown as people in each language write them, in Helsinki time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from eraati.core.i18n import format_moment

MOMENT = datetime(2026, 12, 8, 11, 40, tzinfo=UTC)  # 13.40 in Helsinki (UTC+2 in winter)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fi", "8. joulukuuta 2026\u00a0klo\u00a013.40"),
        ("sv", "8 december 2026\u00a0kl.\u00a013.40"),  # Finland-Swedish time
        (
            "en",
            "8 December 2026\u00a0at\u00a013:40",
        ),  # British order, not "December 8" or "12/8/26"
    ],
)
def test_moments_are_long_dates_in_helsinki_time(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ m|datetime }}", m=MOMENT) == expected


def test_summer_time_is_followed(app):
    summer = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    with app.test_request_context(), force_locale("fi"):
        assert render_template_string("{{ m|datetime }}", m=summer) == (
            "1. kesäkuuta 2027\u00a0klo\u00a012.00"
        )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fi", "25. joulukuuta 2026"), ("sv", "25 december 2026"), ("en", "25 December 2026")],
)
def test_days_are_long_dates(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert render_template_string("{{ d|date }}", d=date(2026, 12, 25)) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "8.12.2026\u00a013.40"),
        ("sv", "8 dec. 2026\u00a013.40"),
        ("en", "8 Dec 2026\u00a013:40"),
    ],
)
def test_report_moments_are_medium_dates_with_each_languages_time(lang, expected):
    from eraati.reports.words import moment

    assert moment(MOMENT, lang) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fi", "12.1.2027\u00a0klo\u00a09.00"),
        ("sv", "12.1.2027\u00a0kl.\u00a09.00"),
        ("en", "12 Jan 2027\u00a0at\u00a09.00"),
    ],
)
def test_compact_moments_are_numeric_dates_with_the_time_as_finland_writes_it(
    app, locale, expected
):
    opening = datetime(2027, 1, 12, 7, 0, tzinfo=UTC)  # 9.00 in Helsinki
    with app.test_request_context(), force_locale(locale):
        assert render_template_string('{{ m|datetime("compact") }}', m=opening) == expected


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
@pytest.mark.parametrize("fmt", [None, "compact"])
def test_a_moment_never_breaks_between_the_date_and_the_time(app, locale, fmt):
    """Only no-break spaces after the date: the line cannot end before the time or
    inside "klo 13.40"."""
    with app.test_request_context(), force_locale(locale):
        text = format_moment(MOMENT, fmt)
    year = text.index("2026") + len("2026")
    assert text[year] == "\u00a0" and " " not in text[year:], repr(text)
