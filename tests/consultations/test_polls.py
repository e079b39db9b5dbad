"""Poll answers: saving, changing, rejecting bad answers, and the results everyone sees."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eraati.consultations import participation
from eraati.consultations.models import Answer, AnswerChoice, Option
from eraati.extensions import db
from tests import factories
from tests.consultations.participation_support import get, path, post, rows, speak, text


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, whatever the profile says (the language buttons' choice wins)."""
    speak(client, "en")


@pytest.fixture
def poll(open_topic):
    """(single-choice question, multiple-choice question) of the open topic."""
    return tuple(open_topic.questions)


@pytest.fixture
def none_of_these(db, poll):
    """An exclusive option ("none of these") added to the multiple-choice question."""
    _single, multiple = poll
    option = Option(
        position=len(multiple.options),
        texts={"fi": "Ei mikään näistä", "sv": "Inget av dessa", "en": "None of these"},
        exclusive=True,
    )
    multiple.options.append(option)
    db.session.commit()
    return option


def _choices(user) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for question_id, option_id in db.session.execute(
        sa.select(Answer.question_id, AnswerChoice.option_id)
        .join(AnswerChoice, AnswerChoice.answer_id == Answer.id)
        .where(Answer.user_id == user.id)
    ):
        out.setdefault(question_id, set()).add(option_id)
    return out


def _fieldset(page: str, question_id: int) -> str:
    match = re.search(rf'<fieldset id="q{question_id}".*?</fieldset>', page, re.S)
    assert match, f"question {question_id} not on the page"
    return match.group(0)


# --- service ---------------------------------------------------------------------------------


def test_answers_are_saved_and_replaced(db, open_topic, resident, poll):
    single, multiple = poll
    yes, no, _dunno = single.options
    library, pool, health = multiple.options
    saved = participation.answer_poll(
        open_topic, resident, {single.id: {yes.id}, multiple.id: {library.id, pool.id}}
    )
    db.session.commit()
    assert saved == participation.Saved.NEW
    assert _choices(resident) == {single.id: {yes.id}, multiple.id: {library.id, pool.id}}

    saved = participation.answer_poll(
        open_topic, resident, {single.id: {no.id}, multiple.id: {pool.id, health.id}}
    )
    db.session.commit()
    assert saved == participation.Saved.CHANGED
    assert _choices(resident) == {single.id: {no.id}, multiple.id: {pool.id, health.id}}
    assert rows(Answer) == 2 and rows(AnswerChoice) == 3  # old choices are gone

    again = participation.answer_poll(
        open_topic, resident, {single.id: {no.id}, multiple.id: {pool.id, health.id}}
    )
    assert again == participation.Saved.UNCHANGED


@pytest.mark.parametrize(
    "bad",
    [
        "two options to a single-choice question",
        "no option",
        "an option of the other question",
        "a question of another topic",
        "an unknown option",
    ],
)
def test_bad_answer_writes_nothing(db, org, open_topic, resident, poll, bad):
    single, multiple = poll
    other = factories.make_topic(org, with_poll=True)
    db.session.commit()
    answers = {multiple.id: {multiple.options[0].id}}  # a good answer, first
    answers.update(
        {
            "two options to a single-choice question": {
                single.id: {o.id for o in single.options[:2]}
            },
            "no option": {single.id: set()},
            "an option of the other question": {single.id: {multiple.options[1].id}},
            "a question of another topic": {
                other.questions[0].id: {other.questions[0].options[0].id}
            },
            "an unknown option": {single.id: {999_999}},
        }[bad]
    )
    with pytest.raises(participation.InvalidAnswerError):
        participation.answer_poll(open_topic, resident, answers)
    db.session.commit()
    assert rows(Answer) == 0 and rows(AnswerChoice) == 0


def test_an_exclusive_option_is_chosen_only_alone(db, open_topic, resident, poll, none_of_these):
    single, multiple = poll
    library, pool = multiple.options[:2]
    first = {single.id: {single.options[0].id}, multiple.id: {library.id}}
    participation.answer_poll(open_topic, resident, first)
    db.session.commit()
    with pytest.raises(participation.ExclusiveOptionError) as refused:
        participation.answer_poll(
            open_topic,
            resident,
            {single.id: {single.options[1].id}, multiple.id: {library.id, none_of_these.id}},
        )
    db.session.rollback()
    assert (refused.value.question_id, refused.value.option_id) == (multiple.id, none_of_these.id)
    assert _choices(resident) == first  # the earlier answers stay as they were
    alone = {single.id: {single.options[1].id}, multiple.id: {none_of_these.id}}
    assert participation.answer_poll(open_topic, resident, alone) == participation.Saved.CHANGED
    db.session.commit()
    assert _choices(resident) == alone
    with pytest.raises(participation.ExclusiveOptionError):
        participation.check_answer(multiple, {pool.id, none_of_these.id})


def test_exclusive_means_nothing_on_a_single_choice_question(db, poll):
    single, _multiple = poll
    single.options[2].exclusive = True
    assert single.exclusive_options == []
    participation.check_answer(single, {single.options[2].id})  # no error


def test_poll_closes_with_the_topic(db, open_topic, resident, poll):
    single, _ = poll
    with pytest.raises(participation.ParticipationClosedError):
        participation.answer_poll(
            open_topic,
            resident,
            {single.id: {single.options[0].id}},
            now=open_topic.closes_at + timedelta(seconds=1),
        )
    assert rows(Answer) == 0


def test_one_answer_per_person_and_question_in_the_database(db, open_topic, resident, poll):
    single, _ = poll
    answer = Answer(question_id=single.id, user_id=resident.id)
    db.session.add(answer)
    db.session.flush()
    db.session.add(AnswerChoice(answer_id=answer.id, option_id=single.options[0].id))
    db.session.commit()
    db.session.add(Answer(question_id=single.id, user_id=resident.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(AnswerChoice(answer_id=answer.id, option_id=single.options[0].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- view ------------------------------------------------------------------------------------


def _answer(client, topic, data, **kw):
    return post(client, path(topic, "/poll"), data=data, **kw)


def test_answering_saves_thanks_and_shows_the_answer(
    db, client, login_as, open_topic, resident, poll
):
    single, multiple = poll
    login_as(resident)
    data = {
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": [str(multiple.options[0].id), str(multiple.options[2].id)],
        "next": path(open_topic, "?before=9_8_7"),
    }
    response = _answer(client, open_topic, data)
    assert response.status_code == 303
    assert response.headers["Location"] == path(open_topic, "?before=9_8_7#poll")
    assert _choices(resident) == {
        single.id: {single.options[0].id},
        multiple.id: {multiple.options[0].id, multiple.options[2].id},
    }
    page = text(get(client, response.headers["Location"]))
    assert "Thank you, your answers were saved." in page
    assert "You answered: Kyllä" in page
    assert "You answered: Kirjasto, Terveysasema" in page
    # The form shows the saved ticks, to change them.
    assert re.search(rf'value="{single.options[0].id}" checked', _fieldset(page, single.id))

    data[f"q{single.id}"] = str(single.options[1].id)
    page = text(_answer(client, open_topic, data, follow_redirects=True))
    assert "Your answers were updated." in page
    assert _choices(resident)[single.id] == {single.options[1].id}


def test_two_options_to_a_single_question_is_shown_next_to_it(
    db, client, login_as, open_topic, resident, poll
):
    single, multiple = poll
    login_as(resident)
    data = {
        f"q{single.id}": [str(single.options[0].id), str(single.options[1].id)],
        f"q{multiple.id}": str(multiple.options[1].id),
    }
    response = _answer(client, open_topic, data)
    assert response.status_code == 422
    page = text(response)
    fieldset = _fieldset(page, single.id)
    assert f'aria-describedby="q{single.id}-hint q{single.id}-error"' in fieldset
    assert (
        f'<p class="error-message" id="q{single.id}-error"><span>Choose only one option.</span>'
        in fieldset
    )
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert (
        f'href="#q{single.id}-o{single.options[0].id}">Which option? Choose only one option.'
        in summary
    )
    # The ticks are kept, also on the question that was fine.
    assert re.search(rf'value="{multiple.options[1].id}" checked', _fieldset(page, multiple.id))
    assert "error-message" not in _fieldset(page, multiple.id)
    assert rows(Answer) == 0 and rows(AnswerChoice) == 0


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "“None of these” can only be chosen on its own. Untick either it or the other options.",
        ),
        (
            "fi",
            "Vaihtoehdon ”Ei mikään näistä” voi valita vain yksinään. Poista rasti joko siitä "
            "tai muista vaihtoehdoista.",
        ),
        (
            "sv",
            "Alternativet ”Inget av dessa” kan bara väljas ensamt. Ta bort krysset antingen "
            "från det eller från de andra alternativen.",
        ),
    ],
)
def test_an_exclusive_option_with_another_is_refused_next_to_the_question(
    db, client, login_as, open_topic, resident, poll, none_of_these, lang, message
):
    single, multiple = poll
    library, pool = multiple.options[:2]
    login_as(resident)
    speak(client, lang)
    page = text(get(client, path(open_topic)))
    hint = re.search(rf'<p class="hint" id="q{multiple.id}-hint">(.*?)</p>', page, re.S)
    assert none_of_these.texts[lang] in hint.group(1)  # said before anyone trips on it
    data = {
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": [str(library.id), str(pool.id), str(none_of_these.id)],
    }
    response = _answer(client, open_topic, data)
    assert response.status_code == 422
    page = text(response)
    fieldset = _fieldset(page, multiple.id)
    assert f'<p class="error-message" id="q{multiple.id}-error"><span>{message}</span>' in fieldset
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert message in summary
    # Every tick stays on the form, also on the question that was fine.
    for option in (library, pool, none_of_these):
        assert re.search(rf'value="{option.id}" checked', fieldset)
    assert re.search(rf'value="{single.options[0].id}" checked', _fieldset(page, single.id))
    assert "error-message" not in _fieldset(page, single.id)
    assert rows(Answer) == 0 and rows(AnswerChoice) == 0
    # Alone it is an answer like any other.
    data[f"q{multiple.id}"] = str(none_of_these.id)
    assert _answer(client, open_topic, data).status_code == 303
    assert _choices(resident)[multiple.id] == {none_of_these.id}


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("missing", "Choose one option."),
        ("foreign", "Choose from the options shown."),
        ("junk", "Choose from the options shown."),
    ],
)
def test_unanswered_or_foreign_options_are_field_errors(
    db, client, login_as, open_topic, resident, poll, which, message
):
    single, multiple = poll
    login_as(resident)
    data = {f"q{multiple.id}": str(multiple.options[0].id)}
    if which == "foreign":
        data[f"q{single.id}"] = str(multiple.options[1].id)  # an option of the other question
    elif which == "junk":
        data[f"q{single.id}"] = "1 OR 1=1"
    response = _answer(client, open_topic, data)
    assert response.status_code == 422
    assert message in _fieldset(text(response), single.id)
    assert rows(Answer) == 0


def test_multiple_choice_needs_at_least_one(db, client, login_as, open_topic, resident, poll):
    single, multiple = poll
    login_as(resident)
    response = _answer(client, open_topic, {f"q{single.id}": str(single.options[0].id)})
    assert response.status_code == 422
    assert "Choose at least one option." in _fieldset(text(response), multiple.id)
    assert rows(Answer) == 0


def test_poll_refused_for_visitors_unverified_and_closed_topics(
    db, client, login_as, closed_topic, open_topic, resident, unverified, poll
):
    single, multiple = poll
    data = {
        f"q{single.id}": str(single.options[0].id),
        f"q{multiple.id}": str(multiple.options[0].id),
    }
    assert _answer(client, open_topic, data).status_code == 302  # to log in
    login_as(unverified)
    assert _answer(client, open_topic, data).status_code == 403
    login_as(resident)
    c_single, c_multiple = closed_topic.questions
    closed = {
        f"q{c_single.id}": str(c_single.options[0].id),
        f"q{c_multiple.id}": str(c_multiple.options[0].id),
    }
    page = text(_answer(client, closed_topic, closed, follow_redirects=True))
    assert "This consultation is closed." in page
    assert rows(Answer) == 0


def test_results_show_counts_percentages_and_respondents(
    db, client, login_as, open_topic, resident, poll
):
    single, multiple = poll
    yes, no, _ = single.options
    for i in range(4):
        person = factories.make_user(f"vastaaja{i}@example.fi")
        participation.answer_poll(
            open_topic,
            person,
            {
                single.id: {yes.id if i < 3 else no.id},
                multiple.id: {o.id for o in multiple.options[: i % 2 + 1]},
            },
        )
    db.session.commit()
    page = text(get(client, path(open_topic)))  # a visitor sees the results
    assert "Log in to answer the poll" in page and 'name="q' not in page
    results = re.search(r'<div class="poll-results">.*?</div>\s*</section>', page, re.S).group(0)
    assert "4 people answered." in results
    assert re.search(r"Kyllä</span>\s*<span[^>]*>3 answers \(75%\)", results)
    assert re.search(r"Ei</span>\s*<span[^>]*>1 answer \(25%\)", results)
    assert re.search(r"En osaa sanoa</span>\s*<span[^>]*>0 answers \(0%\)", results)
    assert re.search(r"Uimahalli</span>\s*<span[^>]*>2 answers \(50%\)", results)
    assert '<meter min="0" max="100" value="75"' in results
    assert "style=" not in page


def test_results_are_in_the_readers_language(db, client, open_topic, resident, poll):
    single, multiple = poll
    participation.answer_poll(
        open_topic,
        resident,
        {single.id: {single.options[0].id}, multiple.id: {multiple.options[0].id}},
    )
    db.session.commit()
    speak(client, "sv")
    page = text(get(client, path(open_topic)))
    assert "Vilket alternativ?" in page and ">Ja</span>" in page
    assert "1 person svarade." in page  # translated in the sv catalog
    assert "Kirjasto" in page  # an option without Swedish text falls back to Finnish


def test_closed_topic_shows_results_but_no_form(db, client, login_as, closed_topic, resident):
    login_as(resident)
    page = text(get(client, path(closed_topic)))
    assert "<h4>Results</h4>" in page and "No answers yet." in page
    assert "Save my answers" not in page


def test_topic_without_poll_has_no_poll_card(db, client, login_as, org, resident):
    topic = factories.make_topic(org)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic)))
    assert 'id="poll"' not in page
    assert post(client, path(topic, "/poll"), data={}).status_code == 404
