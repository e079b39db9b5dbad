"""Organisation admins add, change and remove a topic's events; every act is audited; bad
input is refused next to its field and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentSource
from eraati.core.time import HELSINKI, utcnow
from eraati.events.models import TopicEvent
from eraati.extensions import db
from tests.curation.support import audit, field_error, text
from tests.events.support import events_path, make_event


def _day(days: int = 5):
    return utcnow().astimezone(HELSINKI).date() + timedelta(days=days)


def _form(**overrides) -> dict:
    data = {
        "starts_on": _day().strftime("%d.%m.%Y"),
        "starts_time": "17.00",
        "ends_time": "19:00",
        "place": "Keiteleen kirjasto",
        "street_address": "Kirjastotie 2",
        "municipality": "72600 Keitele",
        "description": "Kirjastossa neuvotaan osallistumaan verkossa; paperilomakkeita saatavilla",
        "languages": ["fi", "sv"],
        "accessibility": "esteetön sisäänkäynti, induktiosilmukka",
    }
    data.update(overrides)
    return data


def _events() -> list[TopicEvent]:
    return list(db.session.scalars(sa.select(TopicEvent).order_by(TopicEvent.id)))


def test_an_admin_adds_an_event_in_helsinki_time(db, browser, login_as, org_admin, open_topic):
    login_as(org_admin)
    response = browser.post(events_path(open_topic), data=_form())
    assert response.status_code == 303
    [event] = _events()
    assert response.headers["Location"] == events_path(open_topic, f"#event-{event.id}")
    local = datetime.combine(_day(), time(17, 0)).replace(tzinfo=HELSINKI)
    assert event.starts_at == local.astimezone(UTC)
    assert event.ends_at == local.astimezone(UTC) + timedelta(hours=2)
    assert event.place == "Keiteleen kirjasto" and event.municipality == "72600 Keitele"
    assert event.language_list == ["fi", "sv"]
    assert event.created_by_id == org_admin.id
    [row] = audit("event.add")
    assert row.actor_id == org_admin.id and row.target_id == event.id
    assert row.organisation_id == open_topic.organisation_id
    assert row.details["topic_id"] == open_topic.id
    page = text(browser.get(events_path(open_topic)))
    assert "Keiteleen kirjasto" in page and "Kirjastotie 2, 72600 Keitele" in page


def test_bad_input_is_refused_next_to_its_field_and_kept(
    db, browser, login_as, org_admin, open_topic
):
    login_as(org_admin)
    response = browser.post(
        events_path(open_topic),
        data=_form(place="", ends_time="16:00", languages=[], description="Kirjastossa"),
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "place") == (
        "Write the name of the place, for example Keitele library."
    )
    assert field_error(page, "ends_time") == "The event must end after it starts."
    assert field_error(page, "event-languages") == "Choose at least one language."
    assert "Kirjastossa</textarea>" in page  # what was typed stays
    assert _events() == [] and audit("event.add") == []


def test_a_time_that_is_not_one_is_refused(db, browser, login_as, org_admin, open_topic):
    login_as(org_admin)
    response = browser.post(events_path(open_topic), data=_form(starts_time="klo viisi"))
    assert response.status_code == 422
    assert field_error(text(response), "starts_time") == (
        "Enter the time as hh:mm, for example 16:00."
    )
    assert _events() == []


def test_an_admin_changes_an_event(db, browser, login_as, org_admin, open_topic, event):
    login_as(org_admin)
    form = browser.get(events_path(open_topic, f"/{event.id}/edit"))
    assert 'value="Keiteleen kirjasto"' in text(form)
    response = browser.post(
        events_path(open_topic, f"/{event.id}/edit"),
        data=_form(place="Keiteleen kunnantalo", ends_time="", languages=["en"]),
    )
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.place == "Keiteleen kunnantalo"
    assert event.ends_at is None and event.language_list == ["en"]
    [row] = audit("event.edit")
    assert row.target_id == event.id and row.target_label == "Keiteleen kunnantalo"


def test_removing_an_event_keeps_its_feedback_without_the_link(
    db, browser, login_as, org_admin, open_topic, event
):
    comment = Comment(
        topic_id=open_topic.id,
        body="Paperilta",
        source=CommentSource.EVENT,
        place="Keiteleen kirjasto",
        event_id=event.id,
    )
    db.session.add(comment)
    db.session.commit()
    event_id = event.id
    login_as(org_admin)
    response = browser.post(events_path(open_topic, f"/{event_id}/delete"))
    assert response.status_code == 303
    assert _events() == []
    db.session.refresh(comment)
    assert comment.event_id is None  # ON DELETE SET NULL, in the database
    [row] = audit("event.delete")
    assert row.target_id == event_id and row.target_label == "Keiteleen kirjasto"


def test_the_audit_log_names_the_event_acts(db, browser, login_as, org_admin, open_topic):
    login_as(org_admin)
    browser.post(events_path(open_topic), data=_form())
    page = text(browser.get(f"/staff/{open_topic.organisation.slug}/audit"))
    assert "Event added" in page


def test_an_event_of_another_topic_is_not_found(
    db, browser, login_as, org_admin, open_topic, closed_topic
):
    other = make_event(closed_topic)
    db.session.commit()
    login_as(org_admin)
    assert browser.get(events_path(open_topic, f"/{other.id}/edit")).status_code == 404
    assert browser.post(events_path(open_topic, f"/{other.id}/delete")).status_code == 404
    assert len(_events()) == 1


def test_the_edit_page_links_the_events(db, browser, login_as, org_admin, open_topic):
    login_as(org_admin)
    page = text(browser.get(f"/staff/{open_topic.organisation.slug}/topics/{open_topic.id}/edit"))
    assert f'href="{events_path(open_topic)}"' in page
