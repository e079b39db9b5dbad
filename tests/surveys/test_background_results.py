"""A survey's results by its background questions (eraati/results/background.py): the staff
and public pages, small-group suppression, the statements, the report, the raw exports,
the data download and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations import participation
from eraati.consultations.models import BackgroundAnswer, Topic, TopicStatus
from eraati.core.time import utcnow
from eraati.exports import services as exports
from eraati.extensions import db
from eraati.results.background import background_results
from tests import factories
from tests.consultations.participation_support import get, speak
from tests.exports.support import read_csv
from tests.reports.support import docx_text, make, pdf_text, squeeze
from tests.results.support import html, public_url, staff_url, tables

CAPTION = "Which option? – by age group"


@pytest.fixture(autouse=True)
def english(client):
    speak(client, "en")


@pytest.fixture
def survey(db, open_topic):
    open_topic.background_questions = ["age", "relation"]
    db.session.commit()
    return open_topic


def _person(topic: Topic, option: int, age: str | None, relation: str | None = None):
    """One respondent choosing the single question's ``option`` and telling ``age``."""
    user = factories.make_user()
    single = topic.questions[0]
    participation.answer_poll(topic, user, {single.id: {single.options[option].id}})
    if age or relation:
        participation.answer_background(topic, user, {"age": age, "relation": relation})
    return user


def _people(topic: Topic) -> None:
    """18–29: 12 (7 yes, 5 no), 30–44: 4 (a small group), 45–64: 7 (hidden to cover
    it), not told: 10 (5 yes, 5 no)."""
    for option, age, n in (
        (0, "18-29", 7),
        (1, "18-29", 5),
        (0, "30-44", 4),
        (0, "45-64", 7),
        (0, None, 5),
        (1, None, 5),
    ):
        for _i in range(n):
            _person(topic, option, age)
    db.session.commit()


def _table(page: str, caption: str = CAPTION) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in tables(page)[caption][1:]}


def test_the_staff_page_breaks_the_answers_down_with_small_groups_hidden(
    client, login_as, survey, moderator
):
    _people(survey)
    login_as(moderator)
    page = html(get(client, staff_url(survey)))
    assert 'href="#by-background"' in page
    header = tables(page)[CAPTION][0]
    assert header == ["Age group", "People", "Kyllä", "Ei", "En osaa sanoa"]
    rows = _table(page)
    assert rows["18–29 years"] == ["12", "7", "5", "0"]
    assert rows["30–44 years"] == ["hidden"] * 4  # 4 people: fewer than 5
    assert rows["45–64 years"] == ["hidden"] * 4  # else 27 - 12 - 10 - 0 would tell the 4
    assert rows["Not told"] == ["10", "5", "5", "0"]
    assert rows["Under 18"] == ["0", "0", "0", "0"]
    # The second background question: nobody told, all in "not told".
    relation = _table(page, "Which option? – by relation to the area")
    assert relation["Not told"][0] == "33"
    assert relation["I live here"] == ["0", "0", "0", "0"]


def test_a_small_cell_is_hidden_and_one_beside_it(db, app, survey):
    # 18–29: 6 yes, 3 no (a cell of 3), 0 can't say; 30–44: 9 yes, 6 no.
    for option, age, n in ((0, "18-29", 6), (1, "18-29", 3), (0, "30-44", 9), (1, "30-44", 6)):
        for _i in range(n):
            _person(survey, option, age)
    db.session.commit()
    with app.test_request_context():
        result = background_results(db.session.get(Topic, survey.id), "en")
    table = result.dimensions[0].breakdowns[0].table
    _yes, no, _cant = table.categories
    young = table.row("18-29")
    assert young.total == 9
    assert young.cells[no] is None  # 3: fewer than 5
    # Secondary suppression: no row and no column has exactly one hidden number, which
    # its total minus the shown ones would give away.
    for row in table.rows:
        assert list(row.cells.values()).count(None) != 1, row
    for category in table.categories:
        assert [r.cells[category] for r in table.rows].count(None) != 1, category
    assert table.any_hidden and table.row("30-44").cells[_yes] == 9


def test_the_public_page_shows_the_breakdown_only_where_the_organisation_allows(
    client, survey, org
):
    _people(survey)
    survey.status = TopicStatus.PUBLISHED
    survey.closes_at = utcnow() - timedelta(days=1)
    survey.opens_at = utcnow() - timedelta(days=20)
    survey.results_published_at = utcnow()
    db.session.commit()
    page = html(get(client, public_url(survey)))
    assert CAPTION not in page
    org.municipality_results_public = True
    db.session.commit()
    page = html(get(client, public_url(survey)))
    assert _table(page)["30–44 years"] == ["hidden"] * 4


def _statements(app, topic) -> int:
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        with app.test_request_context():
            background_results(db.session.get(Topic, topic.id), "en")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_statements_are_constant_in_respondents(db, app, survey):
    ages = ["18-29", "30-44", None, "75-", "45-64"]
    for n in range(20):
        _person(survey, n % 3, ages[n % 5], "resident" if n % 2 else None)
    db.session.commit()
    few = _statements(app, survey)
    for n in range(180):
        _person(survey, n % 3, ages[n % 5], "works" if n % 3 else "other")
    db.session.commit()
    assert _statements(app, survey) == few
    assert few <= 6  # the topic and what comes with it, one statement for all the tables


def test_the_staff_page_costs_the_same_for_20_and_200_respondents(
    client, login_as, browser, survey, moderator
):
    login_as(moderator)
    counts = []
    for start, stop in ((0, 20), (20, 200)):
        for n in range(start, stop):
            _person(survey, n % 3, ("18-29", "65-74", None)[n % 3])
        db.session.commit()
        assert browser.get(staff_url(survey)).status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


def test_the_report_has_the_breakdown_tables(db, survey):
    _people(survey)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = squeeze(read(make(survey, fmt, "en")))
        assert squeeze("Results by background") in text
        assert squeeze(CAPTION) in text
        assert squeeze("Not told") in text and squeeze("hidden") in text


def test_the_raw_exports_carry_the_background_answers(db, survey):
    _person(survey, 0, "18-29", "works")
    _person(survey, 1, None)
    db.session.commit()
    data = b"".join(exports.prepare(survey, "csv-answers-excel", "en").chunks)
    header, *rows = read_csv(data, excel=True)
    assert header[-2:] == ["Age group", "Relation to the area"]
    assert [r[-2:] for r in rows if r[1] == "Which option?"] == [
        ["18–29 years", "I work or study here"],
        ["", ""],
    ]
    import io

    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(exports.prepare(survey, "xlsx", "en").chunks))
    )
    assert [c.value for c in book["Poll answers"][1]] == header
    plain = b"".join(exports.prepare(survey, "json", "en").chunks)
    assert b'"bg_age": "18-29"' in plain or b'"bg_age":"18-29"' in plain


def test_a_topic_without_background_questions_has_no_columns(db, open_topic):
    _person(open_topic, 0, None)
    db.session.commit()
    data = b"".join(exports.prepare(open_topic, "csv-answers-excel", "en").chunks)
    header, *_rows = read_csv(data, excel=True)
    assert header[-1] == "Time"


def test_the_data_download_and_retention(app, client, login_as, survey):
    from eraati.retention import services as retention

    me = _person(survey, 0, "65-74", "second_home")
    _people(survey)
    login_as(me)
    data = get(client, "/account/data.json").get_json()
    assert [(b["age_group"], b["relation"]) for b in data["survey_background_answers"]] == [
        ("65-74", "second_home")
    ]
    survey.status = TopicStatus.PUBLISHED
    survey.results_published_at = utcnow() - timedelta(days=800)
    db.session.commit()
    with app.test_request_context():
        before = background_results(db.session.get(Topic, survey.id), "en")
    assert retention.anonymise(survey, now=utcnow()) is not None
    db.session.commit()
    rows = db.session.execute(sa.select(BackgroundAnswer.user_id, BackgroundAnswer.participant_id))
    assert all(uid is None and pid is not None for uid, pid in rows)
    with app.test_request_context():
        after = background_results(db.session.get(Topic, survey.id), "en")
    assert after == before
    # The raw answers still carry them, by participant.
    data = b"".join(
        exports.prepare(db.session.get(Topic, survey.id), "csv-answers-excel", "en").chunks
    )
    _header, *rows = read_csv(data, excel=True)
    assert ["65–74 years", "I have a second home here"] in [r[-2:] for r in rows]


def test_the_demo_survey_asks_all_three_and_shows_hidden_groups(db, app):
    from eraati.consultations import demo

    demo.seed()
    db.session.commit()
    topic = db.session.scalar(
        sa.select(Topic).where(Topic.slug == "laboratorion-naytteenotto-kysely")
    )
    assert topic.background_questions == ["age", "relation", "municipality"]
    told = db.session.scalar(
        sa.select(sa.func.count()).where(BackgroundAnswer.topic_id == topic.id)
    )
    assert 180 <= told < 240  # most of the 240 answer them, some skip
    with app.test_request_context():
        result = background_results(topic, "fi")
    assert [d.question.key for d in result.dimensions] == ["age", "relation", "municipality"]
    tables = [b.table for d in result.dimensions for b in d.breakdowns]
    assert any(t.any_hidden for t in tables)  # small groups are hidden in the demo too
    assert any(r.total for t in tables for r in t.rows if r.group == "")  # "not told"
