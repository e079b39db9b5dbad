"""The iCalendar files of an organisation and of a topic: they parse with ``icalendar``,
hold the right deadlines and events with stable UIDs, in the language asked for, and
never a draft or another organisation's topic."""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Calendar

from eraati.consultations.models import TopicStatus
from tests import factories
from tests.events.support import make_event


def _calendar(client, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.get_data())


def _second(moment):
    """iCalendar times have whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _entries(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_the_organisations_calendar_has_its_deadlines_and_events_only(
    db, client, org, other_org, open_topic
):
    event = make_event(open_topic, days=3, place="Keiteleen kirjasto")
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    make_event(draft, days=4, place="Luonnoksen tilaisuus")
    elsewhere = factories.make_topic(other_org, slug="vieraan-aihe")
    make_event(elsewhere, days=4, place="Vieremän kirjasto")
    db.session.commit()
    cal = _calendar(client, f"/{org.slug}/calendar.ics?lang=en")
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    entries = _entries(cal)
    assert set(entries) == {
        f"topic-{open_topic.id}-opens",
        f"topic-{open_topic.id}-closes",
        f"event-{event.id}",
    }
    closes = entries[f"topic-{open_topic.id}-closes"]
    assert closes.decoded("DTSTART") == _second(open_topic.closes_at)
    assert str(closes["SUMMARY"]) == "Deadline for comments: Kirjaston aukioloajat"
    assert str(closes["URL"]).endswith(f"/{org.slug}/{open_topic.slug}?lang=en")
    assert closes["DTSTAMP"]
    ev = entries[f"event-{event.id}"]
    assert ev.decoded("DTSTART") == event.starts_at.astimezone(UTC)
    assert ev.decoded("DTEND") == event.ends_at.astimezone(UTC)
    assert str(ev["LOCATION"]) == "Keiteleen kirjasto, Kirjastotie 2, 72600 Keitele"
    assert "Languages: Finnish, Swedish" in str(ev["DESCRIPTION"])
    assert "Accessibility: Esteetön sisäänkäynti" in str(ev["DESCRIPTION"])
    text = client.get(f"/{org.slug}/calendar.ics").get_data(as_text=True)
    for absent in ("luonnos", "Luonnoksen", "vieraan-aihe", "Vieremän"):
        assert absent not in text


def test_the_file_sets_no_cookie_and_leaves_the_visits_language(db, client, org, open_topic):
    response = client.get(f"/{org.slug}/calendar.ics?lang=sv")
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=900"
    page = client.get(f"/{org.slug}").get_data(as_text=True)
    assert '<html lang="fi">' in page


def test_uids_stay_the_same_from_one_download_to_the_next(db, client, org, open_topic):
    make_event(open_topic)
    db.session.commit()
    first = set(_entries(_calendar(client, f"/{org.slug}/calendar.ics")))
    open_topic.closes_at += timedelta(days=3)  # a deadline moves: the same entry changes
    db.session.commit()
    cal = _calendar(client, f"/{org.slug}/calendar.ics")
    assert set(_entries(cal)) == first
    closes = _entries(cal)[f"topic-{open_topic.id}-closes"]
    assert closes.decoded("DTSTART") == _second(open_topic.closes_at)


def test_the_topics_calendar_in_swedish(db, client, org, open_topic, closed_topic):
    event = make_event(open_topic)
    make_event(closed_topic, place="Toisen aiheen tilaisuus")
    db.session.commit()
    cal = _calendar(client, f"/{org.slug}/{open_topic.slug}/calendar.ics?lang=sv")
    entries = _entries(cal)
    assert set(entries) == {
        f"topic-{open_topic.id}-opens",
        f"topic-{open_topic.id}-closes",
        f"event-{event.id}",
    }
    assert str(entries[f"topic-{open_topic.id}-opens"]["SUMMARY"]).startswith("Hörandet börjar: ")
    assert "Språk: finska, svenska" in str(entries[f"event-{event.id}"]["DESCRIPTION"])


def test_a_draft_topic_has_no_calendar(db, client, login_as, org_admin, org):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    login_as(org_admin)  # not even for its own staff
    assert client.get(f"/{org.slug}/{draft.slug}/calendar.ics").status_code == 404
    assert client.get("/eiole/calendar.ics").status_code == 404


def test_a_topic_closed_early_ends_at_its_closing(db, client, org, closed_topic):
    closed_topic.status = TopicStatus.CLOSED
    closed_topic.closed_at = closed_topic.closes_at - timedelta(days=5)
    db.session.commit()
    cal = _calendar(client, f"/{org.slug}/{closed_topic.slug}/calendar.ics")
    closes = _entries(cal)[f"topic-{closed_topic.id}-closes"]
    assert closes.decoded("DTSTART") == _second(closed_topic.closed_at)
