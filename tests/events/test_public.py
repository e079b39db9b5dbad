"""The topic page shows its coming and past events; the organisation's page lists the
coming events of its public topics, at a constant number of queries."""

from __future__ import annotations

import re

from eraati.consultations.models import TopicStatus
from tests import factories
from tests.consultations.topic_support import topic_path
from tests.curation.support import text
from tests.events.support import make_event


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert match, heading_id
    return match.group(0).replace("\xa0", " ")  # babel's no-break spaces, as plain ones


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_the_topic_page_shows_coming_and_past_events(db, browser, open_topic):
    coming = make_event(open_topic, days=3, place="Keiteleen kirjasto", languages="fi sv")
    past = make_event(open_topic, days=-2, place="Keiteleen kunnantalo", accessibility="")
    db.session.commit()
    page = text(browser.get(topic_path(open_topic)))
    section = _section(page, "events-title")
    upcoming, earlier = section.split('id="past-events-title"')
    assert f'id="event-{coming.id}"' in upcoming and "Keiteleen kirjasto" in upcoming
    assert f'id="event-{past.id}"' in earlier and "Keiteleen kunnantalo" in earlier
    # Semantic: an article per event with its time, in the reader's language.
    assert f'<time datetime="{coming.starts_at.isoformat()}">' in upcoming
    assert f'<time datetime="{coming.ends_at.isoformat()}">19:00</time>' in upcoming
    assert "at 17:00–19:00" in _plain(upcoming)
    assert "Kirjastotie 2, 72600 Keitele" in upcoming
    assert "Finnish, Swedish" in upcoming
    assert "Esteetön sisäänkäynti, induktiosilmukka" in upcoming
    assert "Neuvontaa verkossa osallistumiseen." in upcoming
    link = f"/{open_topic.organisation.slug}/{open_topic.slug}/calendar.ics?lang=en"
    assert f'href="{link}"' in section


def test_the_topic_page_in_finnish_says_the_time_as_finns_write_it(db, browser, open_topic):
    from tests.consultations.topic_support import choose_language

    make_event(open_topic, days=3)
    db.session.commit()
    choose_language(browser.client, "fi")
    page = text(browser.get(topic_path(open_topic)))
    assert "klo 17.00–19.00" in _plain(_section(page, "events-title"))
    assert "Tilaisuudet: neuvontaa paikan päällä" in page


def test_the_organisation_page_lists_coming_events_of_its_public_topics(
    db, browser, org, other_org, open_topic
):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    elsewhere = factories.make_topic(other_org, slug="vieraan-aihe")
    make_event(open_topic, days=2, place="Keiteleen kirjasto")
    make_event(open_topic, days=-3, place="Mennyt tilaisuus")
    make_event(draft, days=2, place="Luonnoksen tilaisuus")
    make_event(elsewhere, days=2, place="Vieremän kirjasto")
    db.session.commit()
    page = text(browser.get(f"/{org.slug}"))
    section = _section(page, "org-events-title")
    assert "Keiteleen kirjasto" in section
    assert "Kirjaston aukioloajat" in section  # the topic it belongs to, linked
    assert f'href="/{org.slug}/{open_topic.slug}"' in section
    for absent in ("Mennyt tilaisuus", "Luonnoksen tilaisuus", "Vieremän kirjasto"):
        assert absent not in page
    assert f'href="/{org.slug}/calendar.ics?lang=en"' in section


def test_the_organisation_page_costs_the_same_for_1_and_10_events(db, browser, org):
    topics = [factories.make_topic(org, slug=f"aihe-{i}") for i in range(10)]
    make_event(topics[0], days=1)
    db.session.commit()
    browser.get(f"/{org.slug}")
    one = browser.queries
    for i, topic in enumerate(topics[1:], 2):
        make_event(topic, days=i)
    db.session.commit()
    page = text(browser.get(f"/{org.slug}"))
    assert page.count('class="card event"') == 10
    assert browser.queries == one


def test_the_topic_page_costs_the_same_for_1_and_10_events(db, browser, open_topic):
    make_event(open_topic, days=1)
    db.session.commit()
    browser.get(topic_path(open_topic))
    one = browser.queries
    for i in range(9):
        make_event(open_topic, days=-i - 1 if i % 2 else i + 2)
    db.session.commit()
    page = text(browser.get(topic_path(open_topic)))
    assert page.count('class="card event"') == 10
    assert browser.queries == one


def test_a_draft_preview_has_no_calendar_link(db, browser, login_as, org_admin, org):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    make_event(draft, days=2)
    db.session.commit()
    login_as(org_admin)
    page = text(browser.get(topic_path(draft)))
    assert "calendar.ics" not in page
    assert "Kirjasto" in _section(page, "events-title")


def test_an_event_without_an_end_is_shown_by_its_start(db, browser, open_topic):
    make_event(open_topic, days=3, hours=0)
    db.session.commit()
    section = _section(text(browser.get(topic_path(open_topic))), "events-title")
    assert "at 17:00" in _plain(section) and "17:00–" not in _plain(section)
