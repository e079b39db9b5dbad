"""A joint authority's survey that asks the home municipality itself (issue 20): its
answers are broken down by what the respondent said on the survey form, in the "by home
municipality" section and in place of the tables by the account's home municipality, on
the staff page, the public page where the organisation allows it, and in the report;
every table says its source, and no question has two tables by municipality."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations import participation
from eraati.consultations.models import Stance, TopicStatus
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations import services
from eraati.organisations.models import OrganisationKind, Role
from tests import factories
from tests.reports.support import docx_text, make, pdf_text, squeeze
from tests.results.support import html, public_url, staff_url, stance, tables

SURVEY = "Which option? – by home municipality told on the survey form"
ACCOUNT = "Answers by home municipality: Which option?"
BACKGROUND = "Which option? – by home municipality"
STANCES = "Stances by home municipality"
SOURCE_ACCOUNT = "By the home municipality people have told in their account."
SOURCE_SURVEY = "The survey asked the home municipality itself"


@pytest.fixture
def sote(db):
    org = factories.make_org(
        "ylasavon-sote", "Ylä-Savon SOTE", kind=OrganisationKind.JOINT_AUTHORITY
    )
    services.set_member_codes(org, ["140", "263", "925"])  # Iisalmi, Kiuruvesi, Vieremä
    topic = factories.make_topic(org, slug="sote-kysely", with_poll=True, stances_enabled=True)
    topic.background_questions = ["age", "municipality"]
    preparer = factories.make_user(org=org, roles=(Role.PREPARER,))
    db.session.commit()
    return org, topic, preparer


def _people(topic) -> None:
    """Every account says Iisalmi (140); on the survey form 10 say Vieremä (5 yes, 5
    no), 12 Iisalmi (6 yes, 6 no), 3 Kiuruvesi (a small group) and 6 do not say."""
    single = topic.questions[0]
    for told, option, n in (
        ("925", 0, 5),
        ("925", 1, 5),
        ("140", 0, 6),
        ("140", 1, 6),
        ("263", 0, 3),
        (None, 1, 6),
    ):
        for _i in range(n):
            user = factories.make_user()
            user.home_municipality_code = "140"
            participation.answer_poll(topic, user, {single.id: {single.options[option].id}})
            participation.answer_background(topic, user, {"age": None, "municipality": told})
            stance(topic, user, Stance.SUPPORT)
    db.session.commit()


def _close(topic) -> None:
    topic.opens_at = utcnow() - timedelta(days=20)
    topic.closes_at = utcnow() - timedelta(days=1)
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow()
    db.session.commit()


def _rows(page: str, caption: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in tables(page)[caption][1:]}


def test_the_staff_page_breaks_the_survey_down_by_its_own_municipality_answer(
    client, login_as, sote
):
    _org, topic, preparer = sote
    _people(topic)
    login_as(preparer)
    page = html(client.get(staff_url(topic) + "?lang=en"))
    found = tables(page)
    # One table of the question by municipality: the survey's, not the account's, and
    # not a second one among the background breakdowns.
    assert SURVEY in found and ACCOUNT not in found and BACKGROUND not in found
    rows = _rows(page, SURVEY)
    assert rows["Vieremä"] == ["10", "5", "5", "0"]
    assert rows["Iisalmi"] == ["12", "6", "6", "0"]
    assert rows["Kiuruvesi"] == ["hidden"] * 4  # 3 people: fewer than 5 ...
    assert rows["Not told"] == ["hidden"] * 4  # ... and the next smallest group with it
    # The stances stay by the account (everyone's says Iisalmi), and say so.
    assert _rows(page, STANCES)["Iisalmi"][0] == "31"
    assert SOURCE_ACCOUNT in page and SOURCE_SURVEY in page
    # The other background question stays in its own section, which points here.
    assert "Which option? – by age group" in found
    assert (
        "The answers by the home municipality told on the survey form are in their own section"
        in page
    )


def test_without_the_municipality_question_the_answers_are_by_the_account(client, login_as, sote):
    _org, topic, preparer = sote
    topic.background_questions = ["age"]
    db.session.commit()
    single = topic.questions[0]
    for _i in range(6):
        user = factories.make_user()
        user.home_municipality_code = "925"
        participation.answer_poll(topic, user, {single.id: {single.options[0].id}})
    db.session.commit()
    login_as(preparer)
    page = html(client.get(staff_url(topic) + "?lang=en"))
    found = tables(page)
    assert ACCOUNT in found and SURVEY not in found
    assert _rows(page, ACCOUNT)["Vieremä"][:2] == ["6", "6"]
    assert SOURCE_SURVEY not in page


def test_the_public_page_shows_it_only_where_the_organisation_allows(client, sote):
    org, topic, _preparer = sote
    _people(topic)
    _close(topic)
    page = html(client.get(public_url(topic) + "?lang=en"))
    assert SURVEY not in tables(page)
    org.municipality_results_public = True
    db.session.commit()
    page = html(client.get(public_url(topic) + "?lang=en"))
    assert _rows(page, SURVEY)["Kiuruvesi"] == ["hidden"] * 4
    assert ACCOUNT not in tables(page)


def test_the_report_has_the_survey_table_and_says_its_source(db, sote):
    _org, topic, _preparer = sote
    _people(topic)
    _close(topic)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = squeeze(read(make(topic, fmt, "en")))
        assert squeeze(SURVEY) in text
        assert squeeze(ACCOUNT) not in text
        assert squeeze(SOURCE_SURVEY) in text and squeeze(SOURCE_ACCOUNT) in text
