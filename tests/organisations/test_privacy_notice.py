"""The privacy notice (tietosuojaseloste / dataskyddsbeskrivning) in fi, sv and en: the
controllers with their contacts from the database, purposes, legal basis, recipients,
retention and rights; linked from the footer, registration, the account's data section
and the terms of use."""

from __future__ import annotations

import html

import pytest

from eraati.organisations.services import RESERVED_SLUGS
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language

TITLES = {"fi": "Tietosuojaseloste", "sv": "Dataskyddsbeskrivning", "en": "Privacy notice"}
# A phrase of each part of the notice, in each language.
PARTS = {
    "fi": [
        "rekisterinpitäjä",
        "kuntalain (410/2015) 22 §",
        "6 artiklan 1 kohdan e alakohta",
        "suostumus",
        "24 kuukauden kuluttua",
        "Tarkastusoikeus",
        "Oikaisu",
        "Poistaminen",
        "Vastustaminen",
        "tietosuojavaltuutetulle",
        "huomautus jää kirjaukseen",
        "Kutsu organisaation henkilöstöön poistetaan",
    ],
    "sv": [
        "personuppgiftsansvarig",
        "kommunallagen (410/2015)",
        "artikel 6.1 e",
        "samtycke",
        "24 månader efter",
        "Rätt till insyn",
        "Rättelse",
        "Radering",
        "Invändning",
        "dataombudsmannen",
        "kvar i registreringen",
        "En inbjudan till en organisations personal raderas",
    ],
    "en": [
        "controller",
        "Local Government Act (410/2015)",
        "article 6(1)(e)",
        "consent",
        "24 months after",
        "Access:",
        "Correction:",
        "Erasure:",
        "Objection",
        "Data Protection Ombudsman (tietosuojavaltuutettu)",
        "the note they write with the reason stays in the record",
        "An invitation to join an organisation's staff is deleted",
    ],
}


@pytest.fixture
def organisations(db):
    keitele = factories.make_org("keitele", "Keitele")
    keitele.name_sv = "Keitele"
    keitele.contact_email = "kirjaamo@keitele.fi"
    keitele.contact_phone = "017 123 4567"
    keitele.website_url = "https://www.keitele.fi"
    sote = factories.make_org("ylasavonsote", "Ylä-Savon SOTE kuntayhtymä")
    sote.name_sv = "Samkommunen Ylä-Savon SOTE"
    db.session.commit()
    return keitele, sote


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_names_each_controller_and_every_part_in_each_language(
    app, client, organisations, lang
):
    choose_language(client, lang)
    front = client.get("/").get_data(as_text=True)
    assert f'href="/tietosuoja">{TITLES[lang]}</a>' in front  # the footer
    response = client.get("/tietosuoja")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"<h1>{TITLES[lang]}</h1>" in html
    assert f'<html lang="{lang}"' in html
    for phrase in PARTS[lang]:
        assert phrase in html, (lang, phrase)
    # Each organisation as controller, with the contacts the database holds.
    assert 'href="mailto:kirjaamo@keitele.fi"' in html and "017 123 4567" in html
    assert 'href="https://www.keitele.fi"' in html
    sote = "Samkommunen Ylä-Savon SOTE" if lang == "sv" else "Ylä-Savon SOTE kuntayhtymä"
    assert sote in html
    # The operator, for the accounts.
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in html


def test_registration_links_to_the_notice_near_the_terms_box(client):
    choose_language(client, "en")
    page = client.get("/account/register").get_data(as_text=True)
    link = page.index('href="/tietosuoja"', page.index("<main"))
    assert page.index('href="/kayttoehdot"', page.index("<main")) < link
    assert link < page.index('name="accept_terms"')


def test_the_account_data_section_and_the_terms_link_to_the_notice(client, login_as, resident):
    login_as(resident)
    profile = client.get("/account/profile").get_data(as_text=True)
    section = profile.split('id="data-title"')[1].split("</section>")[0]
    assert 'href="/tietosuoja"' in section and 'href="/account/data.json"' in section
    terms = client.get("/kayttoehdot").get_data(as_text=True)
    main = terms[terms.index("<main") :]
    assert 'href="/tietosuoja"' in main.split("</main>")[0]


def test_every_address_of_the_site_is_reserved_from_organisation_names(app):
    """An organisation named "tietosuoja" would hide the notice behind its own page."""
    first_parts = {
        rule.rule.strip("/").split("/")[0]
        for rule in app.url_map.iter_rules()
        if rule.rule != "/" and not rule.rule.startswith("/<")
    }
    assert first_parts - RESERVED_SLUGS == set()


def _cookies_the_app_sets(app, resident, anonymous_topic) -> set[str]:
    """Every cookie a browser gets from the service: commenting without an account (the
    limit's code in the session), choosing a language, logging in with "Keep me logged
    in" (session, remember me, the log-in's device cookie)."""
    from tests.accounts.helpers import log_in

    browser = app.test_client()
    names: set[str] = set()

    def collect(response):
        for header in response.headers.getlist("Set-Cookie"):
            names.add(header.split("=", 1)[0].strip())

    comment = {"body": "Terveisiä.", "nickname": "Naapuri"}
    sent = browser.post(
        f"/{anonymous_topic.organisation.slug}/{anonymous_topic.slug}/comments", data=comment
    )
    assert sent.status_code == 303
    collect(sent)
    collect(browser.get("/?lang=sv"))
    collect(log_in(browser, resident.email, remember="y"))
    collect(browser.get("/account/profile"))
    return names


# The lifetimes as the notice says them.
LIFETIMES = {
    "fi": ["Kunnes suljet selaimen", "30 päivää", "365 päivää"],
    "sv": ["Tills du stänger webbläsaren", "30 dagar", "365 dagar"],
    "en": ["Until you close the browser", "30 days", "365 days"],
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_names_every_cookie_the_app_sets_with_purpose_and_lifetime(
    app, db, client, org, resident, lang
):
    from eraati.accounts import throttle

    topic = factories.make_topic(org, slug="avoin", allow_anonymous=True)
    db.session.commit()
    names = _cookies_the_app_sets(app, resident, topic)
    # What the code and the configuration name (set_cookie, Flask, Flask-Login).
    configured = {
        app.config["SESSION_COOKIE_NAME"],
        app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        throttle.DEVICE_COOKIE,
    }
    assert configured <= names, names  # the walk above really gets each of them
    choose_language(client, lang)
    page = client.get("/tietosuoja").get_data(as_text=True)
    table = page.split('id="cookies"')[1].split("</table>")[0]
    for name in names:
        assert f'<code lang="en">{name}</code>' in table, (lang, name)
    for lifetime in LIFETIMES[lang]:
        assert lifetime in table, (lang, lifetime)
    assert table.count("<tr>") == len(names) + 1  # the heading row and one a cookie
    session_purpose = tr(
        "Keeps you logged in while you use the service, remembers the language you chose, "
        "counts the comments sent from this browser without an account (to limit repeated "
        "sending), and protects the forms against requests made by other sites.",
        lang,
    )
    assert html.escape(session_purpose, quote=False) in table
