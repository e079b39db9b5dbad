"""Coming consultations: listed on the front and organisation pages with their opening
time, readable before they open, and followed with "Remind me when it opens"."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from eraati.consultations.models import Follow, TopicStatus
from eraati.core.time import utcnow
from tests import factories
from tests.consultations.participation_support import get, path, post, rows, speak, text


def _upcoming_section(page: str) -> str:
    match = re.search(r'<section class="upcoming".*?</section>', page, re.S)
    assert match, "no list of coming consultations"
    return match.group(0)


HELSINKI = ZoneInfo("Europe/Helsinki")


def _helsinki(topic, at: str) -> str:
    """The opening time as the lists write it: "12.1.2027 klo 9.00" (no-break spaces)."""
    local = topic.opens_at.astimezone(HELSINKI)
    return f"{local.day}.{local.month}.{local.year}\xa0{at}\xa0{local.hour}.00"


@pytest.fixture
def coming(db, org, other_org):
    # Forty days ahead, on the hour.
    opens = (utcnow() + timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    topic = factories.make_topic(
        org,
        slug="kirjasto",
        title="Kirjaston remontti",
        title_sv="Bibliotekets renovering",
        now=opens,
        opens_in=timedelta(0),
        closes_in=timedelta(days=30),
    )
    factories.make_topic(
        other_org,
        slug="koulu",
        title="Koulukuljetukset",
        opens_in=timedelta(days=2),
        closes_in=timedelta(days=20),
    )
    factories.make_topic(
        org,
        slug="luonnos",
        title="Salainen luonnos",
        status=TopicStatus.DRAFT,
        opens_in=timedelta(days=2),
        closes_in=timedelta(days=20),
    )
    factories.make_topic(org, slug="auki", title="Avoin aihe")
    db.session.commit()
    return topic


def test_front_page_lists_coming_consultations_with_their_opening_time(client, coming):
    page = text(get(client, "/?lang=fi"))
    section = _upcoming_section(page)
    assert '<h2 id="upcoming-title">Tulossa</h2>' in section
    assert 'href="/keitele/kirjasto">Kirjaston remontti</a>' in section
    assert (
        f'Avautuu <time datetime="{coming.opens_at.isoformat()}">{_helsinki(coming, "klo")}</time>'
        in section
    )
    assert "Koulukuljetukset" in section and "Vieremä" in section
    assert "Salainen luonnos" not in page
    assert "Avoin aihe" not in section
    # The soonest first.
    assert section.index("Koulukuljetukset") < section.index("Kirjaston remontti")


def test_coming_consultations_in_swedish_and_english(client, coming):
    section = _upcoming_section(text(get(client, "/?lang=sv")))
    assert "Bibliotekets renovering" in section
    assert (
        f'Öppnas <time datetime="{coming.opens_at.isoformat()}">{_helsinki(coming, "kl.")}</time>'
        in section
    )
    section = _upcoming_section(text(get(client, "/?lang=en")))
    assert 'lang="fi">Kirjaston remontti</a>' in section  # no English text: marked Finnish
    assert f'Opens <time datetime="{coming.opens_at.isoformat()}">' in section


def test_organisation_page_lists_only_its_own_coming_consultations(client, coming):
    section = _upcoming_section(text(get(client, "/keitele")))
    assert "Kirjaston remontti" in section and "Koulukuljetukset" not in section
    assert 'href="/keitele?status=upcoming"' in section


def test_no_list_when_nothing_is_coming_or_when_the_list_shows_just_that(db, client, org, coming):
    assert 'class="upcoming"' not in text(get(client, "/vierema-ei-ole-tulossa"))  # 404 page
    assert 'class="upcoming"' not in text(get(client, "/?status=upcoming"))
    assert 'class="upcoming"' not in text(get(client, "/?q=koulu"))
    assert 'class="upcoming"' not in text(get(client, "/?page=2"))


@pytest.mark.parametrize("path_", ["/", "/keitele"])
def test_coming_list_costs_the_same_queries_for_2_and_10(db, browser, org, other_org, path_):
    def add(n):
        for _ in range(n):
            topic = factories.make_topic(
                org, title_sv="Ämne", opens_in=timedelta(days=3), closes_in=timedelta(days=9)
            )
            topic.concerned_organisations.append(other_org)
        db.session.commit()

    add(2)
    assert browser.get(path_).status_code == 200
    few = browser.queries
    add(8)
    page = text(browser.get(path_))
    assert _upcoming_section(page).count("<li>") == 10
    assert browser.queries == few, f"{few} queries for 2 coming, {browser.queries} for 10"


# --- "remind me when it opens" -------------------------------------------------------------


def test_a_coming_consultation_is_followed_to_be_reminded_when_it_opens(
    db, client, login_as, coming, resident
):
    speak(client, "en")
    page = text(get(client, path(coming)))
    assert "Log in to be reminded when it opens" in page
    login_as(resident)
    page = text(get(client, path(coming)))
    assert re.search(r"<button[^>]*>\s*Remind me when it opens\s*</button>", page)
    assert (
        "We will e-mail you when the consultation opens and when its results are published." in page
    )
    response = post(client, path(coming, "/follow"), follow_redirects=True)
    page = text(response)
    assert "We will e-mail you when it opens and when its results are published." in page
    assert rows(Follow, Follow.topic_id == coming.id) == 1
    assert re.search(r"<button[^>]*>\s*Stop following\s*</button>", page)
    speak(client, "fi")
    assert "Muistuta minua, kun kuuleminen alkaa" not in text(get(client, path(coming)))
    post(client, path(coming, "/unfollow"))
    assert "Muistuta minua, kun kuuleminen alkaa" in text(get(client, path(coming)))


def test_an_open_consultation_keeps_its_follow_button(db, client, login_as, open_topic, resident):
    login_as(resident)
    speak(client, "en")
    page = text(get(client, path(open_topic)))
    assert "Follow this consultation" in page and "Remind me when it opens" not in page
