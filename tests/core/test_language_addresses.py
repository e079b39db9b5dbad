"""Every page has an address in every language (``?lang=sv``), which also sets the language
for the rest of the visit; the language switcher is those links, and every page lists its
language versions as absolute ``hreflang`` alternates (a topic: the languages it is
written in)."""

from __future__ import annotations

import re
import uuid

from eraati.accounts.models import User
from eraati.extensions import db as _db
from tests import factories
from tests.consultations.topic_support import topic_path


def _text(response) -> str:
    return response.get_data(as_text=True)


def _html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page)[1]


def _switcher(page: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="lang-switch".*?</nav>', page, re.S)[0]
    return re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)


def _alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))


def test_an_address_with_lang_shows_the_page_in_it_and_keeps_it_for_the_visit(db, client):
    assert _html_lang(_text(client.get("/"))) == "fi"  # the default
    page = _text(client.get("/?lang=sv"))
    assert _html_lang(page) == "sv" and "Höranden" in page
    assert _html_lang(_text(client.get("/kayttoehdot"))) == "sv"  # the rest of the visit
    assert _html_lang(_text(client.get("/kayttoehdot?lang=en"))) == "en"
    assert _html_lang(_text(client.get("/"))) == "en"


def test_an_unknown_language_in_the_address_changes_nothing(db, client):
    client.get("/?lang=sv")
    assert _html_lang(_text(client.get("/?lang=de"))) == "sv"
    assert _html_lang(_text(client.get("/?lang="))) == "sv"


def test_a_link_with_lang_sets_the_visit_not_the_profile(db, client, login_as, resident):
    login_as(resident)  # Finnish in the profile
    assert _html_lang(_text(client.get("/?lang=sv"))) == "sv"
    _db.session.expire_all()
    assert _db.session.get(User, resident.id).locale == "fi"  # e-mails stay in Finnish


def test_the_switcher_is_links_to_this_page_in_each_language(db, client, org):
    page = _text(client.get("/keitele?status=closed&lang=en&q=kirjasto"))
    assert '<form class="lang-switch"' not in page
    assert _switcher(page) == [
        ("/keitele?status=closed&amp;q=kirjasto&amp;lang=fi", "fi"),
        ("/keitele?status=closed&amp;q=kirjasto&amp;lang=sv", "sv"),
        ("/keitele?status=closed&amp;q=kirjasto&amp;lang=en", "en"),
    ]
    assert (
        '<a href="/keitele?status=closed&amp;q=kirjasto&amp;lang=en" hreflang="en" lang="en"'
        in (page)
    )
    assert 'lang="en" aria-current="true" class="current">English</a>' in page


def test_every_page_lists_its_language_versions_with_absolute_addresses(db, client, org):
    page = _text(client.get("/keitele?status=closed"))
    assert _alternates(page) == {
        "fi": "http://localhost/keitele?status=closed&amp;lang=fi",
        "sv": "http://localhost/keitele?status=closed&amp;lang=sv",
        "en": "http://localhost/keitele?status=closed&amp;lang=en",
        "x-default": "http://localhost/keitele?status=closed",
    }
    assert (
        '<link rel="canonical" href="http://localhost/keitele?status=closed&amp;lang=fi">' in page
    )


def test_a_topic_lists_and_offers_the_languages_it_is_written_in(db, client, org):
    topic = factories.make_topic(org, slug="kaksikielinen", title="Aihe", title_sv="Ämne")
    _db.session.commit()
    page = _text(client.get(topic_path(topic) + "?lang=en"))
    assert set(_alternates(page)) == {"fi", "sv", "x-default"}  # no English text
    assert _alternates(page)["sv"] == "http://localhost/keitele/kaksikielinen?lang=sv"
    assert "is not available in English. Read it in:" in page
    swedish = _text(client.get(topic_path(topic) + "?lang=sv"))
    assert '<h1 id="topic-title">Ämne</h1>' in swedish and 'class="language-note"' not in swedish


def test_a_form_sent_from_a_page_in_a_language_comes_back_in_it(
    db, client, login_as, resident, open_topic
):
    login_as(resident)
    assert _html_lang(_text(client.get(topic_path(open_topic) + "?lang=sv"))) == "sv"
    response = client.post(
        topic_path(open_topic, "/comments"),
        data={"body": "Hej från Tervo", "submission_token": uuid.uuid4().hex},
    )
    assert response.status_code == 303
    back = _text(client.get(response.headers["Location"]))
    assert _html_lang(back) == "sv"
    assert "Hej från Tervo" in back


def test_a_page_shown_after_a_post_links_to_an_address_that_answers_get(
    db, client, login_as, resident, open_topic
):
    # The log-in page with its errors: the log-in page's own address.
    failed = _text(client.post("/account/login?next=/keitele", data={"email": "", "password": ""}))
    assert ("/account/login?next=%2Fkeitele&amp;lang=sv", "sv") in _switcher(failed)
    assert 'rel="alternate"' not in failed  # the answer to a POST has no address of its own
    # A comment with errors is answered at .../comments (POST only): the topic page it came from.
    login_as(resident)
    topic = topic_path(open_topic)
    shown = _text(
        client.post(
            topic + "/comments",
            data={"body": "", "submission_token": uuid.uuid4().hex},
            headers={"Referer": f"http://localhost{topic}?sort=oldest&lang=fi"},
        )
    )
    assert (f"{topic}?sort=oldest&amp;lang=en", "en") in _switcher(shown)


def test_open_data_answers_set_no_cookie_for_a_language(db, client):
    response = client.get("/api/v1/topics?lang=sv")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    docs = client.get("/api/v1/?lang=sv")
    assert _html_lang(_text(docs)) == "sv"


def _vary(response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("Vary", "").split(",") if v.strip()}


def test_a_page_in_the_browsers_language_varies_by_it_and_the_cookie(db, client):
    """A shared cache keys the page by what chose its language: never Finnish to a Swedish
    reader because a Finnish one asked first."""
    swedish = client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert _html_lang(_text(swedish)) == "sv"
    assert {"accept-language", "cookie"} <= _vary(swedish)
    default = client.get("/")  # no Accept-Language: Finnish, which a Swede's would change
    assert _html_lang(_text(default)) == "fi"
    assert {"accept-language", "cookie"} <= _vary(default)
    error = client.get("/ei-tallaista-sivua", headers={"Accept-Language": "en"})
    assert error.status_code == 404 and {"accept-language", "cookie"} <= _vary(error)


def test_a_page_in_the_addresss_language_does_not_vary_by_the_browser(db, client):
    page = client.get("/?lang=sv", headers={"Accept-Language": "fi"})
    assert _html_lang(_text(page)) == "sv"
    assert "accept-language" not in _vary(page)


def test_a_page_in_the_visits_or_accounts_language_varies_by_the_cookie(
    db, client, login_as, resident
):
    client.get("/?lang=en")
    chosen = client.get("/kayttoehdot", headers={"Accept-Language": "sv"})
    assert _html_lang(_text(chosen)) == "en"  # the visit's choice, from the session cookie
    assert "cookie" in _vary(chosen)
    with client.session_transaction() as session:
        session.pop("lang")
    resident.locale = "sv"
    db.session.commit()
    login_as(resident)
    profile = client.get("/kayttoehdot", headers={"Accept-Language": "fi"})
    assert _html_lang(_text(profile)) == "sv" and "cookie" in _vary(profile)
