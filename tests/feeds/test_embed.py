"""The consultation card (/embed/<org>): a standalone page that only the organisation's
own sites may frame; every other page still refuses framing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from eraati.consultations.models import TopicStatus
from tests import factories
from tests.page_support import read


def _text(response) -> str:
    return response.get_data(as_text=True)


def _frame_ancestors(response) -> str:
    csp = response.headers["Content-Security-Policy"]
    (value,) = re.findall(r"frame-ancestors ([^;]*)", csp)
    return value.strip()


@pytest.fixture
def card_topics(db, org, other_org):
    open_topic = factories.make_topic(org, slug="auki", title="Uimahallin aukioloajat")
    open_topic.comment_count = 12
    factories.make_topic(
        org,
        slug="tulossa",
        title="Kirjaston remontti",
        opens_in=timedelta(days=5),
        closes_in=timedelta(days=40),
    )
    factories.make_topic(org, slug="luonnos", title="Luonnos", status=TopicStatus.DRAFT)
    factories.make_closed_topic(org, title="Suljettu")
    factories.make_topic(other_org, slug="muu", title="Vieremän aihe")
    db.session.commit()


def test_card_lists_open_and_coming_consultations_of_the_organisation(client, card_topics):
    response = client.get("/embed/keitele")
    assert response.status_code == 200
    page = _text(response)
    assert '<html lang="fi">' in page
    assert "Uimahallin aukioloajat" in page and "12 kommenttia" in page
    assert "Avoinna " in page  # its deadline
    assert "Kirjaston remontti" in page and "Avautuu " in page
    for absent in ("Luonnos", "Suljettu", "Vieremän aihe"):
        assert absent not in page
    html = read(page)
    assert len(html.find("h1")) == 1
    assert not html.find("nav") and not html.find("form")  # no site navigation
    links = html.find("a")
    assert links and all(a.attrs.get("target") == "_top" for a in links)
    assert all(a.attrs["href"].startswith("http://localhost/") for a in links)
    assert "http://localhost/keitele/auki" in [a.attrs["href"] for a in links]


def test_card_in_swedish(client, card_topics):
    page = _text(client.get("/embed/keitele?lang=sv"))
    assert '<html lang="sv">' in page and "Öppna nu" in page and "Kommande" in page


def test_card_without_open_consultations_says_so(db, client, org):
    page = _text(client.get("/embed/keitele?lang=en"))
    assert "No consultation is open right now." in page
    assert client.get("/embed/ei-ole").status_code == 404


def test_card_may_be_framed_by_the_organisations_sites_only(db, client, org, card_topics):
    org.embed_origins = json.dumps(["https://www.keitele.fi", "https://kirjasto.keitele.fi"])
    db.session.commit()
    response = client.get("/embed/keitele")
    assert _frame_ancestors(response) == "https://www.keitele.fi https://kirjasto.keitele.fi"
    assert "X-Frame-Options" not in response.headers
    # The rest of the policy stays as on every page.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_card_without_sites_may_not_be_framed(db, client, org):
    response = client.get("/embed/keitele")
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_stored_value_that_is_not_an_origin_never_reaches_the_header(db, client, org):
    org.embed_origins = json.dumps(["https://ok.keitele.fi", "https://x.fi; script-src *", 5])
    db.session.commit()
    response = client.get("/embed/keitele")
    assert _frame_ancestors(response) == "https://ok.keitele.fi"
    assert "script-src *" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/keitele",
        "/keitele/auki",
        "/feeds/consultations.atom",
        "/account/login",
        "/embed/vierema",  # another organisation's card: its own (empty) list
    ],
)
def test_every_other_page_still_refuses_framing(db, client, org, card_topics, path):
    org.embed_origins = json.dumps(["https://www.keitele.fi"])
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_card_query_count_does_not_grow_with_topics(db, browser, org, other_org):
    def add(n):
        for _ in range(n):
            factories.make_topic(org, title_sv="Ämne").concerned_organisations.append(other_org)
            factories.make_topic(org, opens_in=timedelta(days=2), closes_in=timedelta(days=9))
        db.session.commit()

    add(2)
    assert browser.get("/embed/keitele").status_code == 200
    few = browser.queries
    add(15)
    assert _text(browser.get("/embed/keitele")).count("<li>") == 34
    assert browser.queries == few, f"{few} queries for 4 topics, {browser.queries} for 34"
