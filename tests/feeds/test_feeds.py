"""Atom feeds: valid against RFC 4287, public topics only, in the language asked for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eraati.consultations.models import TopicStatus
from eraati.core.time import utcnow
from eraati.manage.services.lifecycle import publish_topic
from tests import factories
from tests.feeds.support import ATOM, XML_LANG, entries, valid_feed

FEEDS = (
    "/feeds/consultations.atom",
    "/feeds/results.atom",
    "/feeds/keitele/consultations.atom",
    "/feeds/keitele/results.atom",
)


def _published_results(org, **kw):
    kw.setdefault("slug", None)
    topic = factories.make_closed_topic(org, status=TopicStatus.PUBLISHED, **kw)
    topic.results_published_at = utcnow() - timedelta(hours=2)
    return topic


@pytest.fixture
def topics(db, org, other_org):
    """One topic of each kind, of two organisations."""
    made = {
        "open": factories.make_topic(org, slug="auki", title="Avoin aihe", title_sv="Öppet ämne"),
        "upcoming": factories.make_topic(
            org,
            slug="tulossa",
            title="Tuleva aihe",
            opens_in=timedelta(days=3),
            closes_in=timedelta(days=30),
        ),
        "draft": factories.make_topic(
            org, slug="luonnos", title="Luonnos", status=TopicStatus.DRAFT
        ),
        "closed": factories.make_closed_topic(org, slug="kiinni", title="Suljettu aihe"),
        "results": _published_results(org, slug="tulokset", title="Tulosaihe"),
        "other": factories.make_topic(other_org, slug="muu", title="Vieremän aihe"),
        "other_results": _published_results(other_org, slug="muut", title="Vieremän tulokset"),
    }
    db.session.commit()
    return made


@pytest.mark.parametrize("lang", [None, "fi", "sv", "en"])
@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid_atom(client, topics, path, lang):
    root = valid_feed(client.get(path, query_string={"lang": lang} if lang else {}))
    assert root.get(XML_LANG) == (lang or "fi")
    assert root.findtext(f"{ATOM}id") == f"http://localhost{path}?lang={lang or 'fi'}"
    self_link = next(x for x in root.iterfind(f"{ATOM}link") if x.get("rel") == "self")
    assert self_link.get("href").startswith(f"http://localhost{path}")
    assert entries(root), "each feed has an entry here"


def test_an_empty_feed_is_valid_too(db, client, org):
    root = valid_feed(client.get("/feeds/keitele/results.atom"))
    assert entries(root) == []


def test_consultations_feed_lists_open_and_upcoming_never_drafts_or_closed(client, topics):
    feed = entries(valid_feed(client.get("/feeds/consultations.atom")))
    titles = {e["title"] for e in feed}
    assert titles == {"Avoin aihe", "Tuleva aihe", "Vieremän aihe"}
    upcoming = next(e for e in feed if e["title"] == "Tuleva aihe")
    assert upcoming["link"] == "http://localhost/keitele/tulossa?lang=fi"
    assert upcoming["author"] == "Keitele"
    assert upcoming["summary"].startswith("Avautuu ")  # when it opens, in Helsinki time
    assert "Tiivistelmä" in upcoming["summary"]
    # A stable id: a tag URI of the topic (not its address, which may change).
    topic = topics["upcoming"]
    assert upcoming["id"] == f"tag:localhost,{topic.created_at:%Y-%m-%d}:topic/{topic.id}"


def test_an_organisations_feed_has_no_topics_of_other_organisations(client, topics):
    feed = entries(valid_feed(client.get("/feeds/keitele/consultations.atom")))
    assert {e["title"] for e in feed} == {"Avoin aihe", "Tuleva aihe"}
    results = entries(valid_feed(client.get("/feeds/keitele/results.atom")))
    assert [e["title"] for e in results] == ["Tulokset: Tulosaihe"]
    assert client.get("/feeds/ei-ole/consultations.atom").status_code == 404


def test_results_feed_lists_published_results_with_their_page(client, topics):
    feed = entries(valid_feed(client.get("/feeds/results.atom?lang=en")))
    assert {e["title"] for e in feed} == {"Results: Tulosaihe", "Results: Vieremän tulokset"}
    entry = next(e for e in feed if e["title"] == "Results: Tulosaihe")
    assert entry["link"] == "http://localhost/keitele/tulokset/results?lang=en"
    published = topics["results"].results_published_at.replace(microsecond=0)
    assert datetime.fromisoformat(entry["published"]) == published
    assert entry["summary"].startswith("The results were published on ")


def test_entries_are_in_the_language_asked_for_with_the_sites_fallback(client, topics):
    feed = {
        e["title"]: e
        for e in entries(valid_feed(client.get("/feeds/keitele/consultations.atom?lang=sv")))
    }
    # Written in Swedish: shown so. Only in Finnish: shown in Finnish, marked as such.
    assert feed["Öppet ämne"]["lang"] is None
    assert feed["Öppet ämne"]["summary"].startswith("Öppen till ")
    assert "Sammanfattning" in feed["Öppet ämne"]["summary"]
    assert feed["Tuleva aihe"]["lang"] == "fi"
    assert feed["Öppet ämne"]["link"].endswith("/keitele/auki?lang=sv")
    root = valid_feed(client.get("/feeds/keitele/consultations.atom?lang=sv"))
    assert root.findtext(f"{ATOM}title") == "Keitele: nya och kommande höranden"


def test_unknown_language_gives_finnish(client, topics):
    root = valid_feed(client.get("/feeds/consultations.atom?lang=de"))
    assert root.get(XML_LANG) == "fi"
    assert root.findtext(f"{ATOM}title") == "Uudet ja tulevat kuulemiset eRaatissa"


def test_text_is_escaped_not_markup(db, client, org):
    factories.make_topic(org, slug="x", title='<b>Koulu</b> & "päiväkoti" <script>')
    db.session.commit()
    body = client.get("/feeds/consultations.atom").get_data(as_text=True)
    assert "<b>" not in body and "<script>" not in body
    assert "&lt;b&gt;Koulu&lt;/b&gt; &amp;" in body
    feed = entries(valid_feed(client.get("/feeds/consultations.atom")))
    assert feed[0]["title"] == '<b>Koulu</b> & "päiväkoti" <script>'
    title = valid_feed(client.get("/feeds/consultations.atom")).find(f"{ATOM}entry/{ATOM}title")
    assert title.get("type") in (None, "text")  # plain text, never HTML for readers to run


def test_published_is_when_the_organisation_published_the_topic(db, client, org):
    now = utcnow()
    topic = factories.make_topic(org, status=TopicStatus.DRAFT, title="Julkaistava")
    topic.created_at = now - timedelta(days=10)
    db.session.flush()
    publish_topic(topic, now=now - timedelta(days=1))
    db.session.commit()
    entry = entries(valid_feed(client.get("/feeds/consultations.atom")))[0]
    assert datetime.fromisoformat(entry["published"]) == (now - timedelta(days=1)).replace(
        microsecond=0
    )


def test_newest_published_first_and_feed_updated_by_its_newest_entry(db, client, org):
    old = factories.make_topic(org, title="Vanha")
    old.created_at = old.updated_at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    new = factories.make_topic(org, title="Uusi")
    new.created_at = new.updated_at = datetime(2026, 3, 5, 10, tzinfo=UTC)
    db.session.commit()
    root = valid_feed(client.get("/feeds/consultations.atom"))
    assert [e["title"] for e in entries(root)] == ["Uusi", "Vanha"]
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == new.updated_at


@pytest.mark.parametrize("path", ["/feeds/consultations.atom", "/feeds/keitele/results.atom"])
def test_feed_query_count_does_not_grow_with_entries(db, browser, org, other_org, path):
    def add(n):
        for _ in range(n):
            factories.make_topic(org, title_sv="Ämne").concerned_organisations.append(other_org)
            _published_results(org)
        db.session.commit()

    add(2)
    assert browser.get(path).status_code == 200
    few = browser.queries
    add(20)
    response = browser.get(path)
    assert len(entries(valid_feed(response))) > 20
    assert browser.queries == few, f"{few} queries for 2 entries, {browser.queries} for 22"


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/", ["/feeds/consultations.atom?lang=fi", "/feeds/results.atom?lang=fi"]),
        (
            "/keitele?lang=sv",
            ["/feeds/keitele/consultations.atom?lang=sv", "/feeds/keitele/results.atom?lang=sv"],
        ),
        (
            "/keitele/tulokset/results?lang=en",
            ["/feeds/keitele/results.atom?lang=en", "/feeds/results.atom?lang=en"],
        ),
    ],
)
def test_pages_link_their_feeds(client, topics, page, feeds):
    from tests.page_support import read

    html = read(client.get(page).get_data(as_text=True))
    alternates = [
        link.attrs for link in html.find("link") if link.attrs.get("type") == "application/atom+xml"
    ]
    assert [a["href"].replace("&amp;", "&") for a in alternates] == feeds
    assert all(a.get("rel") == "alternate" and a.get("title") for a in alternates)
    for href in feeds:
        valid_feed(client.get(href))
