"""Survey questions of every kind: the rules, the form, required questions, changes."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.consultations import participation
from eraati.consultations.models import Answer, AnswerChoice
from eraati.extensions import db
from tests import factories
from tests.consultations.participation_support import get, path, post, speak, text


@pytest.fixture(autouse=True)
def english(client):
    speak(client, "en")


@pytest.fixture
def survey(db, open_topic):
    """(single, multiple, open, scale, ranking) questions of the open topic."""
    single, multiple = open_topic.questions
    extra = factories.add_survey_questions(open_topic)
    db.session.commit()
    return (single, multiple, *extra)


def _rows(user) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for answer in db.session.scalars(sa.select(Answer).where(Answer.user_id == user.id)):
        out[answer.question_id] = {
            "text": answer.text,
            "value": answer.value,
            "choices": {(c.option_id, c.rank) for c in answer.choices},
        }
    return out


def _full(survey, *, open_text="Enemmän iltoja", value="4", places=(2, 1, 3)):
    single, multiple, open_q, scale, ranking = survey
    data = {
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": str(multiple.options[1].id),
        f"q{open_q.id}": open_text,
        f"q{scale.id}": value,
    }
    for option, place in zip(ranking.options, places, strict=True):
        data[f"q{ranking.id}-o{option.id}"] = str(place)
    return data


def _answer(client, topic, data, **kw):
    return post(client, path(topic, "/poll"), data=data, **kw)


def _fieldset(page: str, question_id: int) -> str:
    match = re.search(rf'<fieldset id="q{question_id}".*?</fieldset>', page, re.S)
    assert match, f"question {question_id} not on the page"
    return match.group(0)


# --- service ---------------------------------------------------------------------------------


def test_each_kind_is_saved_and_changed(db, open_topic, resident, survey):
    _single, _multiple, open_q, scale, ranking = survey
    a, b, c = (o.id for o in ranking.options)
    saved = participation.answer_poll(
        open_topic,
        resident,
        {open_q.id: "  Iltaisin \r\n auki ", scale.id: 2, ranking.id: [b, a, c]},
    )
    db.session.commit()
    assert saved == participation.Saved.NEW
    rows = _rows(resident)
    assert rows[open_q.id]["text"] == "Iltaisin \n auki"  # cleaned as comments are
    assert rows[scale.id]["value"] == 2
    assert rows[ranking.id]["choices"] == {(b, 1), (a, 2), (c, 3)}

    saved = participation.answer_poll(
        open_topic, resident, {open_q.id: "Aamuisin", scale.id: 5, ranking.id: [c, b, a]}
    )
    db.session.commit()
    assert saved == participation.Saved.CHANGED
    rows = _rows(resident)
    assert (rows[open_q.id]["text"], rows[scale.id]["value"]) == ("Aamuisin", 5)
    assert rows[ranking.id]["choices"] == {(c, 1), (b, 2), (a, 3)}
    again = participation.answer_poll(
        open_topic, resident, {open_q.id: "Aamuisin", scale.id: 5, ranking.id: [c, b, a]}
    )
    assert again == participation.Saved.UNCHANGED

    # An optional question's answer is withdrawn with None; a required one refuses None.
    participation.answer_poll(open_topic, resident, {open_q.id: None})
    db.session.commit()
    assert open_q.id not in _rows(resident)
    with pytest.raises(participation.MissingAnswerError):
        participation.answer_poll(open_topic, resident, {scale.id: None})


@pytest.mark.parametrize(
    "which, reply",
    [
        ("open", ""),
        ("open", "x" * 51),  # the question's limit is 50
        ("open", 3),
        ("scale", 0),
        ("scale", 6),
        ("scale", "many"),
        ("ranking", "first"),
        ("ranking", [1]),
        ("ranking", "dup"),
        ("ranking", "short"),
    ],
)
def test_bad_replies_write_nothing(db, open_topic, resident, survey, which, reply):
    _single, _multiple, open_q, scale, ranking = survey
    ids = [o.id for o in ranking.options]
    if which == "ranking" and isinstance(reply, str):  # names for the own option ids
        named = {"dup": [ids[0], ids[0], ids[1]], "short": ids[:2], "first": ["x", *ids[1:]]}
        reply = named.get(reply, reply)
    question = {"open": open_q, "scale": scale, "ranking": ranking}[which]
    good = {scale.id: 3, ranking.id: ids}
    with pytest.raises(participation.InvalidAnswerError):
        participation.answer_poll(open_topic, resident, {**good, question.id: reply})
    db.session.rollback()
    assert _rows(resident) == {}


def test_each_place_is_unique_per_answer_in_the_database(db, open_topic, resident, survey):
    ranking = survey[-1]
    participation.answer_poll(open_topic, resident, {ranking.id: [o.id for o in ranking.options]})
    answer_id = db.session.scalar(sa.select(Answer.id).where(Answer.question_id == ranking.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.update(AnswerChoice)
            .where(AnswerChoice.answer_id == answer_id, AnswerChoice.rank == 2)
            .values(rank=1)
        )
    db.session.rollback()


# --- the form --------------------------------------------------------------------------------


def test_the_form_shows_every_kind_accessibly(db, client, login_as, open_topic, resident, survey):
    _single, _multiple, open_q, scale, ranking = survey
    login_as(resident)
    page = text(get(client, path(open_topic)))
    fieldset = _fieldset(page, open_q.id)
    assert 'maxlength="50"' in fieldset and "at most 50 characters" in fieldset
    assert f'aria-describedby="q{open_q.id}-hint"' in fieldset
    assert "(required)" not in fieldset  # optional
    fieldset = _fieldset(page, scale.id)
    assert "(required)" in fieldset
    assert "1 = <span>Very unhappy</span>, 5 = <span>Very happy</span>" in fieldset
    assert len(re.findall(rf'type="radio" name="q{scale.id}"', fieldset)) == 5
    fieldset = _fieldset(page, ranking.id)
    for option in ranking.options:
        assert f'<label for="q{ranking.id}-o{option.id}"' in fieldset
        assert f'<select name="q{ranking.id}-o{option.id}"' in fieldset


def test_a_whole_survey_is_saved_and_changed_through_the_form(
    db, client, login_as, open_topic, resident, survey
):
    _single, _multiple, open_q, scale, ranking = survey
    login_as(resident)
    response = _answer(client, open_topic, _full(survey))
    assert response.status_code == 303
    rows = _rows(resident)
    assert len(rows) == 5
    assert rows[open_q.id]["text"] == "Enemmän iltoja"
    assert rows[scale.id]["value"] == 4
    a, b, c = (o.id for o in ranking.options)
    assert rows[ranking.id]["choices"] == {(a, 2), (b, 1), (c, 3)}
    page = text(get(client, response.headers["Location"]))
    assert "Thank you, your answers were saved." in page
    assert ">Enemmän iltoja</textarea>" in page  # shown to change
    assert re.search(rf'id="q{scale.id}-v4" value="4" checked', page)
    assert "You answered: 1. Illat, 2. Aamut, 3. Viikonloput" in page

    # Changed: the open answer emptied (optional), another value and order.
    response = _answer(client, open_topic, _full(survey, open_text="", value="1", places=(1, 2, 3)))
    assert response.status_code == 303
    rows = _rows(resident)
    assert open_q.id not in rows
    assert rows[scale.id]["value"] == 1
    assert rows[ranking.id]["choices"] == {(a, 1), (b, 2), (c, 3)}
    assert "Your answers were updated." in text(get(client, response.headers["Location"]))


@pytest.mark.parametrize(
    "change, which, message",
    [
        ({"value": ""}, 3, "Choose a number from 1 to 5."),
        ({"value": "7"}, 3, "Choose from the options shown."),
        (
            {"places": (1, 1, 2)},
            4,
            "Give each place to one option only: every number from 1 to 3 once.",
        ),
        ({"places": (1, "", 2)}, 4, "Give each option a place from 1 to 3."),
        ({"places": ("", "", "")}, 4, "Give each option a place from 1 to 3."),
        ({"places": (1, 2, 9)}, 4, "Choose from the options shown."),
        (
            {"open_text": "y" * 60},
            2,
            "Your answer is 60 characters long. The limit is 50 characters.",
        ),
    ],
)
def test_a_bad_answer_is_shown_beside_its_question_and_nothing_is_saved(
    db, client, login_as, open_topic, resident, survey, change, which, message
):
    login_as(resident)
    data = _full(survey, **change)
    response = _answer(client, open_topic, data)
    assert response.status_code == 422
    page = text(response)
    question = survey[which]
    fieldset = _fieldset(page, question.id)
    assert f'<p class="error-message" id="q{question.id}-error"><span>{message}</span>' in fieldset
    assert f'aria-describedby="q{question.id}-hint q{question.id}-error"' in fieldset
    # Nothing of the survey was saved, and what was typed is kept.
    assert _rows(resident) == {}
    assert "Enemmän iltoja</textarea>" in page or "y" * 60 in page
    scale = survey[3]
    if data[f"q{scale.id}"] == "4":
        assert re.search(rf'id="q{scale.id}-v4" value="4" checked', page)


def test_an_optional_question_may_be_left_empty_a_required_one_not(
    db, client, login_as, open_topic, resident, survey
):
    _single, _multiple, open_q, scale, _ranking = survey
    login_as(resident)
    data = _full(survey, open_text="")
    assert _answer(client, open_topic, data).status_code == 303
    assert open_q.id not in _rows(resident) and scale.id in _rows(resident)


def test_a_required_choice_question_refuses_the_whole_survey(
    db, client, login_as, open_topic, resident, survey
):
    single = survey[0]
    login_as(resident)
    data = _full(survey)
    del data[f"q{single.id}"]
    response = _answer(client, open_topic, data)
    assert response.status_code == 422
    assert "Choose one option." in _fieldset(text(response), single.id)
    assert _rows(resident) == {}
