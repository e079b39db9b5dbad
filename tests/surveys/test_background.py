"""Optional background questions of a survey (eraati/consultations/background.py): chosen in
the topic form, answered (or skipped) on the resident's form with the answers, stored in
``background_answers``."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.consultations import participation
from eraati.consultations.models import BackgroundAnswer
from eraati.extensions import db
from tests import factories
from tests.consultations.participation_support import get, path, post, speak, text
from tests.manage.support import field_error, topic_by_slug, topic_form

NEW = "/staff/keitele/topics/new"
KEITELE = "535"


@pytest.fixture
def keitele(db, org):
    org.municipality_code = KEITELE
    db.session.commit()
    return org


@pytest.fixture
def asking(db, keitele, open_topic):
    """The open topic's survey asks all three."""
    open_topic.background_questions = ["age", "relation", "municipality"]
    db.session.commit()
    return open_topic


def _row(user) -> tuple | None:
    db.session.expire_all()
    row = db.session.scalar(sa.select(BackgroundAnswer).where(BackgroundAnswer.user_id == user.id))
    return (row.age_group, row.relation, row.municipality_code) if row else None


def _answers(topic, **background) -> dict[str, str]:
    single, multiple = topic.questions
    data = {
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": str(multiple.options[0].id),
    }
    data.update({f"bg-{k}": v for k, v in background.items()})
    return data


def _checked(page: str, name: str) -> str | None:
    match = re.search(
        rf'<input type="radio" name="{name}" id="[^"]*" value="([^"]*)" checked', page
    )
    return match.group(1) if match else None


# --- the topic form --------------------------------------------------------------------------


def test_staff_choose_background_questions_in_the_topic_form(browser, login_as, org_admin, keitele):
    login_as(org_admin)
    page = text(browser.get(NEW))
    for key in ("age", "relation", "municipality"):
        assert f'id="background-{key}" value="{key}"' in page
    data = topic_form(q0_text_fi="Kumpi?", q0_options_fi="A\nB", background=["municipality", "age"])
    assert browser.post(NEW, data=data).status_code == 303
    topic = topic_by_slug(keitele, "kirjaston-aukioloajat")
    assert topic.background_questions == ["age", "municipality"]  # the fixed order
    edit = f"/staff/keitele/topics/{topic.id}/edit"
    page = text(browser.get(edit))
    assert 'value="age" checked' in page and 'value="relation" aria' in page


def test_a_question_outside_the_set_is_refused_beside_the_field(browser, login_as, org_admin, org):
    login_as(org_admin)
    # Keitele without a municipality code: no home municipality question to offer.
    page = text(browser.get(NEW))
    assert 'value="municipality"' not in page
    response = browser.post(NEW, data=topic_form(background=["age", "shoe_size"]))
    assert response.status_code == 422
    assert field_error(text(response), "background")
    assert topic_by_slug(org, "kirjaston-aukioloajat") is None


def test_the_background_questions_lock_with_the_poll(
    browser, login_as, org_admin, asking, resident
):
    participation.answer_poll(
        asking, resident, {asking.questions[0].id: {asking.questions[0].options[0].id}}
    )
    db.session.commit()
    login_as(org_admin)
    edit = f"/staff/keitele/topics/{asking.id}/edit"
    page = text(browser.get(edit))
    assert 'value="age" checked disabled' in page
    # Not posted (disabled): the saved choice stays.
    from tests.manage.support import form_values

    data = form_values(page, edit)
    data.pop("background", None)
    assert browser.post(edit, data=data).status_code == 303
    db.session.expire_all()
    assert asking.background_questions == ["age", "relation", "municipality"]


# --- the resident's form ---------------------------------------------------------------------


def test_the_form_says_optional_and_why_and_prefills_the_home_municipality(
    client, login_as, asking, resident
):
    speak(client, "en")
    resident.home_municipality_code = KEITELE
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(asking)))
    assert "Background (optional)" in page
    assert "We ask this to see whether people of different ages" in page
    assert "I&#39;d rather not say" in page or "I'd rather not say" in page
    assert _checked(page, "bg-age") == ""  # "I'd rather not say" by default
    assert _checked(page, "bg-municipality") == KEITELE  # from the account
    assert 'value="other"' in page


def test_skipping_all_writes_no_row(client, login_as, asking, resident):
    login_as(resident)
    response = post(client, path(asking, "/poll"), data=_answers(asking))
    assert response.status_code == 303
    assert _row(resident) is None
    assert len(db.session.scalars(sa.select(BackgroundAnswer)).all()) == 0


def test_answers_are_saved_with_the_survey_and_changed(client, login_as, asking, resident):
    login_as(resident)
    data = _answers(asking, age="30-44", relation="works", municipality="other")
    assert post(client, path(asking, "/poll"), data=data).status_code == 303
    assert _row(resident) == ("30-44", "works", "other")
    page = text(get(client, path(asking)))
    assert _checked(page, "bg-age") == "30-44"
    # Changed: one told, one withdrawn.
    data = _answers(asking, age="", relation="second_home", municipality="other")
    assert post(client, path(asking, "/poll"), data=data).status_code == 303
    assert _row(resident) == (None, "second_home", "other")
    # All withdrawn: the row goes.
    assert (
        post(client, path(asking, "/poll"), data=_answers(asking, relation="")).status_code == 303
    )
    assert _row(resident) is None


def test_a_bad_value_is_shown_beside_the_field_and_nothing_is_written(
    client, login_as, asking, resident
):
    speak(client, "en")
    login_as(resident)
    data = _answers(asking, age="200-300", relation="resident")
    response = post(client, path(asking, "/poll"), data=data)
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "bg-age") == "Choose from the options shown."
    assert _checked(page, "bg-relation") == "resident"  # what was given is kept
    assert _row(resident) is None
    assert participation.page_state(asking, resident, []).answered is False  # no answers either


def test_the_service_refuses_a_question_the_topic_does_not_ask(db, open_topic, resident):
    open_topic.background_questions = ["age"]
    db.session.commit()
    with pytest.raises(participation.InvalidBackgroundError):
        participation.answer_background(open_topic, resident, {"relation": "resident"})
    with pytest.raises(participation.InvalidBackgroundError):
        participation.answer_background(open_topic, resident, {"age": "teen"})
    assert participation.answer_background(open_topic, resident, {"age": "75-"}) is True
    assert participation.answer_background(open_topic, resident, {"age": "75-"}) is False
    db.session.commit()
    assert _row(resident) == ("75-", None, None)


def test_a_topic_without_background_questions_shows_none(client, login_as, open_topic, resident):
    login_as(resident)
    page = text(get(client, path(open_topic)))
    assert 'id="background"' not in page
    assert factories  # (the fixture's topic is made by factories)


def test_the_topic_page_reads_the_background_answers_without_a_statement_more(
    browser, login_as, open_topic, resident
):
    login_as(resident)
    assert browser.get(path(open_topic)).status_code == 200
    without = browser.queries
    open_topic.background_questions = ["age", "relation"]
    db.session.commit()
    participation.answer_background(open_topic, resident, {"age": "18-29", "relation": None})
    db.session.commit()
    page = browser.get(path(open_topic))
    assert 'value="18-29" checked' in text(page)
    assert browser.queries == without
