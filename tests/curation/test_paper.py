"""Feedback from paper forms and events: typed in by staff, counted, never anyone's."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from eraati.consultations.models import Comment, CommentSource, CommentStatus, TopicStatus
from eraati.core.time import HELSINKI
from tests import factories
from tests.consultations.topic_support import choose_language, topic_path
from tests.curation.support import (
    audit,
    comment_count,
    comments_of,
    field_error,
    flashes,
    no_counter_drift,
    staff_path,
    text,
)


def _today() -> date:
    return datetime.now(HELSINKI).date()


def _form(**overrides) -> dict[str, str]:
    data = {
        "body": "Kirjaston pitäisi olla auki myös sunnuntaisin.",
        "source": "event",
        "received_on": (_today() - timedelta(days=2)).isoformat(),
        "place": "Keiteleen kirjasto",
        "language": "fi",
    }
    data.update(overrides)
    return data


def _entries(topic) -> list[Comment]:
    return [c for c in comments_of(topic) if c.source != CommentSource.WEB]


def test_entering_paper_feedback(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    before = comment_count(open_topic)
    response = browser.post(staff_path(open_topic, "/paper"), data=_form())
    assert response.status_code == 303
    [entry] = _entries(open_topic)
    assert response.headers["Location"] == staff_path(open_topic, f"/paper?like={entry.id}")
    assert entry.source == CommentSource.EVENT and entry.status == CommentStatus.VISIBLE
    assert entry.author_id is None and entry.nickname is None
    assert entry.entered_by_id == moderator.id
    assert entry.received_on == _today() - timedelta(days=2)
    assert entry.place == "Keiteleen kirjasto" and entry.language == "fi"
    assert entry.body == "Kirjaston pitäisi olla auki myös sunnuntaisin."
    assert not entry.is_official and entry.parent_id is None
    assert comment_count(open_topic) == before + 1
    assert no_counter_drift()
    [event] = audit("paper.add")
    assert event.target_id == entry.id and event.actor_id == moderator.id
    assert event.details["source"] == "event" and event.details["place"] == "Keiteleen kirjasto"


def test_add_another_shows_an_empty_text_a_confirmation_and_the_entries(
    db, browser, login_as, moderator, open_topic
):
    login_as(moderator)
    first = browser.post(staff_path(open_topic, "/paper"), data=_form(body="Ensimmäinen."))
    page = text(browser.get(first.headers["Location"]))
    assert "The feedback was saved. You can enter the next one." in flashes(page)
    # The text box is empty again; the pile's source, date and place are offered.
    assert re.search(r'<textarea[^>]*id="body"[^>]*>\s*</textarea>', page)
    assert re.search(r'id="source-1"[^>]*checked|checked[^>]*id="source-1"', page)
    assert f'value="{(_today() - timedelta(days=2)).isoformat()}"' in page
    assert 'value="Keiteleen kirjasto"' in page
    assert "Check them before saving." in page
    assert "Ensimmäinen." in page and "1 piece of feedback" in page

    browser.post(
        staff_path(open_topic, "/paper"),
        data=_form(body="Toinen.", source="paper", place="Kunnantalo", language=""),
    )
    page = text(browser.get(staff_path(open_topic, "/paper")))
    assert "2 pieces of feedback" in page
    assert page.index("Toinen.") < page.index("Ensimmäinen.")  # latest first
    assert "Feedback given on paper" in page and "Feedback given at an event" in page
    assert f"Entered by {moderator.display_name}" in page
    assert [e.language for e in _entries(open_topic)] == ["fi", None]
    assert len(audit("paper.add")) == 2


def test_the_topic_page_never_shows_it_as_a_registered_users(
    db, browser, login_as, client, moderator, open_topic
):
    login_as(moderator)
    browser.post(staff_path(open_topic, "/paper"), data=_form(body="Paperilta tullut."))
    with client.session_transaction() as session:  # now as a visitor
        session.pop("_user_id", None)
    page = text(browser.get(topic_path(open_topic)))
    assert "Paperilta tullut." in page
    assert "Feedback given at an event" in page and "Keiteleen kirjasto" in page
    assert moderator.display_name not in page


def test_closed_topic_still_takes_paper_feedback(db, browser, login_as, moderator, closed_topic):
    login_as(moderator)
    assert browser.post(staff_path(closed_topic, "/paper"), data=_form()).status_code == 303
    assert len(_entries(closed_topic)) == 1 and comment_count(closed_topic) == 1


@pytest.mark.parametrize("status", [TopicStatus.PUBLISHED, TopicStatus.DRAFT])
def test_no_paper_feedback_after_results_or_before_opening(
    db, browser, login_as, moderator, org, status
):
    topic = factories.make_topic(org, status=status)
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(topic, "/paper")))
    assert "<textarea" not in page
    assert "not before it opens or after the results have been published" in page
    response = browser.post(staff_path(topic, "/paper"), data=_form())
    assert response.status_code == 303
    assert _entries(topic) == [] and audit() == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("body", "", "Write the feedback first."),
        ("body", "x" * 5001, "The text is 5,001 characters long. The limit is 5,000 characters."),
        ("received_on", "", "Enter the date the feedback was received."),
        ("received_on", "huomenna", "Enter the date as day.month.year, for example 12.5.2026."),
        ("received_on", "31.2.2026", "Enter the date as day.month.year, for example 12.5.2026."),
        ("received_on", "FUTURE", "The date cannot be in the future."),
        ("received_on", "1899-05-12", "Check the year."),
        ("source", "", "Choose how the feedback was given."),
        ("source", "web", "Choose how the feedback was given."),
        ("place", "", "Write where the feedback was received."),
        ("place", "x" * 201, "Use at most 200 characters."),
        ("language", "de", "Choose a language from the list."),
    ],
)
def test_bad_input_is_shown_again_with_the_error_and_the_text_kept(
    db, browser, login_as, moderator, open_topic, field, value, error
):
    if value == "FUTURE":
        value = (_today() + timedelta(days=1)).isoformat()
    login_as(moderator)
    before = comment_count(open_topic)
    data = {**_form(body="Säilyvä teksti."), field: value}
    response = browser.post(staff_path(open_topic, "/paper"), data=data)
    page = text(response)
    assert response.status_code == 422
    assert field_error(page, field) == error
    assert 'class="error-summary"' in page
    if field != "body":
        assert "Säilyvä teksti." in page  # what was typed stays
    assert _entries(open_topic) == [] and comment_count(open_topic) == before
    assert audit() == []


def test_finnish_date_format_and_today_are_accepted(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    today = _today()
    browser.post(
        staff_path(open_topic, "/paper"),
        data=_form(received_on=f"{today.day}.{today.month}.{today.year}"),
    )
    assert [e.received_on for e in _entries(open_topic)] == [today]


def test_the_same_form_sent_twice_is_saved_once(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    data = _form(submission_token="b" * 32)
    first = browser.post(staff_path(open_topic, "/paper"), data=data)
    again = browser.post(staff_path(open_topic, "/paper"), data=data)
    assert first.headers["Location"] == again.headers["Location"]
    assert len(_entries(open_topic)) == 1 and len(audit()) == 1
    assert "already been saved" in flashes(text(browser.get(again.headers["Location"])))
    assert no_counter_drift()


def test_the_entry_list_costs_the_same_for_few_and_many_entries(
    db, browser, login_as, moderator, org_admin, open_topic
):
    login_as(moderator)
    counts = []
    for total, staff in ((2, moderator), (30, org_admin)):
        login_as(staff)
        while len(_entries(open_topic)) < total:
            browser.post(staff_path(open_topic, "/paper"), data=_form())
        browser.get(staff_path(open_topic, "/paper"))
        counts.append(browser.queries)
    assert counts[0] == counts[1]


def test_like_of_another_topic_fills_nothing(db, browser, login_as, moderator, org, open_topic):
    other = factories.make_topic(org, slug="muu")
    db.session.commit()
    login_as(moderator)
    browser.post(staff_path(other, "/paper"), data=_form(place="Muu paikka"))
    [entry] = _entries(other)
    page = text(browser.get(staff_path(open_topic, f"/paper?like={entry.id}")))
    assert "Muu paikka" not in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Päivämäärä ei voi olla tulevaisuudessa."),
        ("sv", "Datumet kan inte vara i framtiden."),
        ("en", "The date cannot be in the future."),
    ],
)
def test_errors_are_in_the_readers_language(
    db, browser, client, login_as, moderator, open_topic, lang, message
):
    login_as(moderator)
    choose_language(client, lang)
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    response = browser.post(staff_path(open_topic, "/paper"), data=_form(received_on=tomorrow))
    assert response.status_code == 422
    assert field_error(text(response), "received_on") == message
