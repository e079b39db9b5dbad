"""Links in e-mails point at the configured public address (ERAATI_PUBLIC_URL) only: a
forged ``Host`` or ``X-Forwarded-Host`` never reaches them. Production answers only
requests for its own host."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import sqlalchemy as sa
from flask import request

from config import ProductionConfig, TestingConfig
from eraati import create_app
from eraati.consultations.models import Follow
from eraati.core.links import public_url
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from eraati.moderation.models import ModerationReason
from eraati.moderation.reasons import create_default_reasons
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import Browser, make_comment
from tests.manage.support import make_file

PUBLIC = "https://eraati.example.fi/"
FORGED = "http://evil.example"  # the attacker's site
FORGED_HEADERS = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
SECRET = "s" * 48


@pytest.fixture
def public_site(configure):
    """As in production: no SERVER_NAME (Flask would otherwise build every link from it),
    the public address configured."""
    configure(SERVER_NAME=None, PUBLIC_URL=PUBLIC)


class Forger:
    """Someone whose every request names the attacker's host (``Host`` and the proxy's
    ``X-Forwarded-Host``), in its own app context as in production."""

    def __init__(self, app):
        self.browser = Browser(app, app.test_client())

    def log_in(self, user, *, reauth: bool = False) -> None:
        with self.browser.client.session_transaction(base_url=FORGED) as session:
            session.clear()
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            if reauth:  # typed the password just now: staff role changes allowed
                session["reauth_at"] = int(utcnow().timestamp())

    def get(self, path: str):
        response = self.browser.get(path, base_url=FORGED, headers=FORGED_HEADERS)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def post(self, path: str, data: dict | None = None):
        response = self.browser.post(path, data=data or {}, base_url=FORGED, headers=FORGED_HEADERS)
        assert response.status_code < 400, (path, response.status_code)
        return response


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


# The language each recipient's messages are written in (``mailed``): their account's,
# the registration form's, or the one the inviter chose.
MAIL_LANGUAGES = {
    "someone.new@example.fi": "en",
    "asukas@example.fi": "sv",
    "uusi@example.fi": "fi",
    "uusi@keitele.fi": "sv",
    "kirjoittaja@example.fi": "sv",
    "hallinto@keitele.fi": "en",
}


@pytest.fixture
def mailed(app, db, public_site, outbox):
    """Every kind of e-mail the site sends, each caused by a request that named the
    attacker's host."""
    org = factories.make_org("keitele", "Keitele")
    create_default_reasons(org)
    admin = factories.make_user("paakayttaja@keitele.fi", org=org, roles=(Role.ADMIN,))
    moderator = factories.make_user("moderaattori@keitele.fi", org=org, roles=(Role.MODERATOR,))
    owner = factories.make_user("asukas@example.fi", name="Aino Asukas", locale="sv")
    unverified = factories.make_user("uusi@example.fi", verified=False)
    writer = factories.make_user("kirjoittaja@example.fi", name="Kalle", locale="sv")
    topic = factories.make_topic(org, slug="aihe", title="Aihe")
    closed = factories.make_closed_topic(org, slug="suljettu", title="Suljettu")
    db.session.flush()
    comment = make_comment(topic, writer, "Asiaton kommentti.")
    second = make_comment(topic, writer, "Toinen asiaton kommentti.")
    platform = factories.make_user("alusta@eraati.fi")
    platform.is_platform_admin = True
    db.session.add(Follow(topic_id=closed.id, user_id=owner.id))
    closed.follower_count += 1
    db.session.commit()
    reason = db.session.scalars(
        sa.select(ModerationReason).where(ModerationReason.organisation_id == org.id)
    ).first()
    visitor, other_visitor, person = Forger(app), Forger(app), Forger(app)
    form = {
        "display_name": "Uuno",
        "password": "lumi-kettu-rautatie-9",
        "confirm": "lumi-kettu-rautatie-9",
        "home_municipality_code": "",
        "locale": "en",
        "accept_terms": "y",
    }

    # Accounts: a new address, a taken one, a forgotten password, a new confirmation link.
    visitor.post("/account/register", {**form, "email": "someone.new@example.fi"})
    other_visitor.post("/account/register", {**form, "email": owner.email})
    visitor.post("/account/password/forgot", {"email": owner.email})
    person.log_in(unverified)
    person.post("/account/verify/resend")
    # Staff: an invitation; a comment hidden, restored, its writer blocked; results out.
    person.log_in(admin, reauth=True)
    person.post(
        "/staff/keitele/people/invite",
        {"email": "uusi@keitele.fi", "role": "moderator", "mail_locale": "sv"},
    )
    person.log_in(moderator)
    base = "/staff/keitele/moderation"
    person.post(f"{base}/comments/{comment.id}/hide", {"reason": str(reason.id), "details": ""})
    person.post(f"{base}/comments/{comment.id}/restore")
    person.post(
        f"{base}/bulk",
        {"ids": str(second.id), "action": "hide", "reason": str(reason.id), "details": ""},
    )
    person.post("/staff/keitele/blocks", {"email": writer.email, "days": "7", "reason": "Syy"})
    person.log_in(platform, reauth=True)
    person.post(
        f"/platform/organisations/{org.id}/admins",
        {"email": "hallinto@keitele.fi", "mail_locale": "en"},
    )
    person.log_in(admin)
    person.post(
        f"/staff/keitele/topics/{closed.id}/results",
        {
            "revision": "1",
            "decided_on": "2027-03-15",
            "outcome_fi": "Hyväksyttiin.",
            "feedback_use_fi": "",
            "minutes_url": "",
            "action": "publish",
        },
    )
    return outbox


def test_every_mail_links_to_the_public_address_whatever_host_the_request_named(mailed):
    outbox = mailed
    assert sorted(m.to[0] for m in outbox) == sorted(
        [
            "someone.new@example.fi",  # the confirmation link
            "asukas@example.fi",  # someone tried to register with it
            "asukas@example.fi",  # the reset link
            "uusi@example.fi",  # a new confirmation link
            "uusi@keitele.fi",  # the invitation
            "kirjoittaja@example.fi",  # hidden
            "kirjoittaja@example.fi",  # shown again
            "kirjoittaja@example.fi",  # hidden with others (bulk)
            "kirjoittaja@example.fi",  # blocked (no link)
            "hallinto@keitele.fi",  # invited as the organisation's admin
            "asukas@example.fi",  # the results of the topic followed
        ]
    )
    for message in outbox:
        assert "evil" not in message.body, message.body
    links = [link for message in outbox for link in _links(message)]
    assert all(link.startswith(PUBLIC) for link in links), links
    paths = sorted(urlsplit(link).path for link in links)
    assert [p.rsplit("/", 1)[0] for p in paths if p.startswith("/account/")] == [
        "/account",  # login (the registration attempt)
        "/account",  # notifications: the results e-mail's preferences
        "/account/password",  # forgot (the registration attempt)
        "/account/password/reset",
        "/account/unsubscribe",  # the results e-mail's one-click unsubscribe
        "/account/verify",
        "/account/verify",
    ]
    assert paths.count("/keitele/aihe") == 3 and paths.count("/keitele/suljettu") == 1
    assert sum(p.startswith("/invitation/") for p in paths) == 2


def test_every_link_in_a_mail_opens_the_page_in_the_mails_language(app, mailed):
    """Each link carries ?lang= of the language its message is written in (token links
    too: the language is a query, the token the path), and opening it in a browser that
    has never visited the site shows the page in that language."""
    opened = 0
    for message in mailed:
        lang = MAIL_LANGUAGES[message.to[0]]
        for link in _links(message):
            assert parse_qs(urlsplit(link).query)["lang"] == [lang], (message.to, link)
            page = app.test_client().get(link, follow_redirects=True)
            assert page.status_code == 200, link
            assert f'<html lang="{lang}"' in page.text, (link, lang)
            opened += 1
    assert opened == 13


def _addresses(response) -> list[str]:
    """Every absolute address in the answer: its text (HTML or JSON) and its headers."""
    found = re.findall(r"https?://[^\s\"'<>]+", response.text + str(response.headers))
    return [url.replace("&amp;", "&").rstrip(">;") for url in found]


def test_pages_and_api_answers_make_absolute_addresses_at_the_public_address(app, db, public_site):
    """Whatever host a request names, the absolute addresses in the page or the answer
    (the canonical and language links, the share link, the preview link, the API's url
    fields, its next pages and Link header, its documentation) are the public address's:
    a cache keeping the answer would otherwise serve the attacker's links to everyone."""
    org = factories.make_org("keitele", "Keitele")
    admin = factories.make_user("paakayttaja@keitele.fi", org=org, roles=(Role.ADMIN,))
    topic = factories.make_topic(org, slug="aihe", title="Aihe")
    factories.make_topic(org, slug="toinen", title="Toinen")
    topic.preview_token = "esikatselu-" + "x" * 20
    db.session.flush()
    make_file(topic)
    writer = factories.make_user("asukas@example.fi")
    make_comment(topic, writer, "Ensimmäinen.")
    make_comment(topic, writer, "Toinen.")
    db.session.commit()
    forger = Forger(app)
    pages = {
        "/": [f"{PUBLIC}?lang=fi"],  # the canonical link
        "/keitele/aihe": [f"{PUBLIC}keitele/aihe?lang=fi"],
        "/saavutettavuus": [],
        "/api/v1/": [f"{PUBLIC}api/v1"],
        "/api/v1/organisations": [f"{PUBLIC}api/v1/organisations/keitele", f"{PUBLIC}keitele"],
        "/api/v1/topics?limit=1": [f"{PUBLIC}api/v1/topics?limit=1&cursor="],
        f"/api/v1/topics/{topic.id}": [f"{PUBLIC}files/"],
        f"/api/v1/topics/{topic.id}/comments?limit=1": [
            f"{PUBLIC}api/v1/topics/{topic.id}/comments?limit=1&cursor="
        ],
    }
    for path, expected in pages.items():
        response = forger.get(path)
        addresses = _addresses(response)
        assert "evil" not in response.text + str(response.headers), path
        assert addresses and all(a.startswith(PUBLIC) for a in addresses), (path, addresses)
        for start in expected:
            assert any(a.startswith(start) for a in addresses), (path, start, addresses)
    assert "eraati.example.fi" in forger.get("/saavutettavuus").text  # the service's address
    share = quote(f"\n\n{PUBLIC}keitele/aihe", safe="/")  # in the mailto: body, encoded
    assert share in forger.get("/keitele/aihe").text
    link = forger.get("/api/v1/topics?limit=1").headers["Link"]
    assert link.startswith(f"<{PUBLIC}api/v1/topics?")
    forger.log_in(admin)
    staff = forger.get(f"/staff/keitele/topics/{topic.id}/edit")
    assert f"{PUBLIC}preview/{topic.preview_token}" in _addresses(staff)
    assert "evil" not in staff.text


def test_a_link_has_the_public_address_also_outside_a_request(app, configure):
    configure(PUBLIC_URL="https://eraati.example.fi/kuuleminen/")
    assert (
        public_url("accounts.verify_email", token="abc")
        == "https://eraati.example.fi/kuuleminen/account/verify/abc"
    )
    assert (
        public_url("consultations.topic", org_slug="keitele", topic_slug="aihe", anchor="c7")
        == "https://eraati.example.fi/kuuleminen/keitele/aihe#c7"
    )


def test_behind_a_proxy_the_forwarded_host_is_not_believed():
    app = create_app(TestingConfig, PROXY_HOPS=1, SERVER_NAME=None)
    app.add_url_rule("/_host", "host", lambda: f"{request.host} {request.scheme}")
    seen = app.test_client().get(
        "/_host",
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert seen.text == "localhost https"  # the proxy's scheme, never its host


@pytest.fixture
def production_app(database_url):
    app = create_app(
        ProductionConfig,
        SECRET_KEY=SECRET,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_URL=PUBLIC,
        TRUSTED_HOSTS="status.internal",  # e.g. the load balancer's own name for it
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def test_production_answers_only_its_own_hosts(production_app):
    client = production_app.test_client()
    assert production_app.config["TRUSTED_HOSTS"] == ["eraati.example.fi", "status.internal"]

    refused = client.get("/account/login", base_url="https://evil.example")
    assert refused.status_code == 400
    assert "evil.example" not in refused.text
    assert client.get("/account/login", base_url="https://eraati.example.fi").status_code == 200
    assert client.get("/healthz", base_url="http://status.internal:8000").status_code == 200
    # A proxy's X-Forwarded-Host is not a way around it.
    forwarded = client.get(
        "/account/login", base_url="https://eraati.example.fi", headers=FORGED_HEADERS
    )
    assert forwarded.status_code == 200 and "evil.example" not in forwarded.text


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("https://eraati.example.fi", 200),
        ("http://eraati.example.fi:443", 200),  # the public address's own port, named
        ("https://eraati.example.fi:8666", 400),  # its host name, another port
        ("http://eraati.example.fi:8080", 400),
        ("http://status.internal:8000", 200),  # listed without a port: any
    ],
)
def test_production_answers_its_host_only_at_its_port(production_app, address, status):
    """Werkzeug's TRUSTED_HOSTS check ignores the port: eraati.example.fi:8666 must be
    refused as any other host the site is not served at."""
    response = production_app.test_client().get("/healthz", base_url=address)
    assert response.status_code == status
    page = production_app.test_client().get("/account/login", base_url=address)
    assert page.status_code == status
    if status == 400:
        assert page.text == "Tämä osoite ei kuulu tähän palveluun.\n"  # as for a foreign host
        assert "8666" not in page.text and "Set-Cookie" not in page.headers


def test_a_listed_host_with_a_port_is_answered_only_at_that_port(database_url):
    app = create_app(
        ProductionConfig,
        SECRET_KEY=SECRET,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_URL="https://eraati.example.fi:8443/",
        TRUSTED_HOSTS="status.internal:8000,eraati.example.fi:9000",
    )
    client = app.test_client()
    try:
        assert [
            client.get("/account/login", base_url=address).status_code
            for address in (
                "https://eraati.example.fi:8443",
                "https://eraati.example.fi:9000",
                "http://eraati.example.fi:443",  # not its port
                "http://status.internal:8000",
                "http://status.internal:8001",
            )
        ] == [200, 200, 400, 200, 400]
    finally:
        with app.app_context():
            _db.engine.dispose()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "ERAATI_PUBLIC_URL is not set"),
        ("eraati.example.fi", "is not an address"),
        ("https://eraati.example.fi/?x=1", "may have no user"),
    ],
)
def test_production_refuses_to_start_without_a_public_address(database_url, value, message):
    with pytest.raises(RuntimeError, match=message):
        create_app(
            ProductionConfig,
            SECRET_KEY=SECRET,
            SQLALCHEMY_DATABASE_URI=database_url,
            PUBLIC_URL=value,
        )
