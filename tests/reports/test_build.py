"""``eraati.reports.build``: the contract the download jobs and the command line use."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from flask import has_request_context
from flask_babel import get_locale
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.reports import build as reports
from eraati.reports.appendix import BATCH
from tests.reports.support import docx_headings, make, pdf_pages
from tests.results.support import add_comment

NOW = datetime(2026, 3, 1, 10, 40, tzinfo=UTC)  # 12:40 in Helsinki


def test_the_contract():
    assert reports.REPORT_FORMATS == ("docx", "pdf")
    assert reports.MIMETYPES == {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }


@pytest.mark.parametrize(
    ("fmt", "lang", "name"),
    [
        ("pdf", "fi", "suljettu-2026-03-01-raportti.pdf"),
        ("docx", "sv", "suljettu-2026-03-01-rapport.docx"),
        ("pdf", "en", "suljettu-2026-03-01-report.pdf"),
    ],
)
def test_file_name_in_the_report_language(world, fmt, lang, name):
    assert reports.report_filename(world.topic, fmt, lang, NOW) == name


def test_file_name_date_is_the_day_in_helsinki(world):
    late = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Helsinki
    assert reports.report_filename(world.topic, "pdf", "fi", late).startswith("suljettu-2026-03-02")


@pytest.mark.parametrize(("fmt", "lang"), [("odt", "fi"), ("pdf", "de")])
def test_unknown_format_or_language_is_refused_before_anything_is_written(world, fmt, lang):
    out = io.BytesIO()
    with pytest.raises(ValueError):
        reports.build(world.topic, fmt, lang, out)
    assert out.getvalue() == b""


@pytest.mark.parametrize("appendix", [False, True])
def test_progress_adds_up_to_the_announced_steps(world, appendix):
    calls = []
    make(world.topic, "docx", appendix=appendix, progress=calls.append)
    expected = reports.FIXED_STEPS + (1 if appendix else 0)  # 9 shown comments: one batch
    assert reports.report_steps(world.topic, appendix) == expected
    assert sum(calls) == expected
    assert all(n > 0 for n in calls) and len(calls) == expected


def test_appendix_progress_moves_per_batch_of_comments(db, world):
    for n in range(BATCH + 1 - world.topic.comment_count):
        add_comment(world.topic, None, f"Lisää {n}", nickname="Vieras")
    db.session.commit()
    assert world.topic.comment_count == BATCH + 1
    calls = []
    make(world.topic, "docx", appendix=True, progress=calls.append)
    assert reports.report_steps(world.topic, True) == reports.FIXED_STEPS + 2
    assert sum(calls) == reports.FIXED_STEPS + 2


def test_works_without_a_request_and_speaks_the_report_language(world):
    assert not has_request_context()  # a background job has only the application context
    assert "3 Deltagande" in docx_headings(make(world.topic, "docx", "sv"))


def test_the_report_language_wins_over_the_request_and_does_not_leak(app, world):
    with app.test_request_context(headers={"Accept-Language": "fi"}):
        assert str(get_locale()) == "fi"
        pages = pdf_pages(make(world.topic, "pdf", "sv"))
        assert "Deltagande" in " ".join(pages)
        assert str(get_locale()) == "fi"


def test_the_report_makes_the_same_queries_for_3_and_30_comments(db, world):
    """Every figure is an SQL aggregate: more comments, no more queries (no appendix)."""

    def queries() -> int:
        db.session.expire_all()
        before = len(get_recorded_queries())
        make(world.topic, "docx", "fi")
        return len(get_recorded_queries()) - before

    small = queries()
    for n in range(27):
        comment = add_comment(world.topic, world.users["aino"], f"Kommentti {n}")
        if n % 3 == 0:
            add_comment(world.topic, world.users["olli"], f"Vastaus {n}", parent=comment)
    db.session.commit()
    assert queries() == small
    # The topic and its texts, poll and concerned municipalities; 8 figures; the stored
    # analyses (campaign texts, theme keywords, opinion groups); the events with their
    # feedback; the topic's map area (eraati.places; none here, so no places are read);
    # the topic's parts (eraati.parts: one query for a topic without any).
    assert small <= 19
