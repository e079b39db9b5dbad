"""Security from the first line: CSRF everywhere, headers, redirects, cookies, debug.

CSRF on every form and every POST address (not only the few tested one by one), secure
cookie flags as a production browser receives them, the CSP on every kind of response
and no inline script anywhere, ``next=`` against the usual open-redirect tricks,
translated 403 and 500 pages, and debug off outside development.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import Forbidden

from config import CONFIGS, DevelopmentConfig, ProductionConfig, TestingConfig
from eraati import create_app
from eraati.accounts import tokens
from eraati.extensions import db as _db
from tests.accounts.helpers import log_in, logged_in_user_id, tr
from tests.consultations.topic_support import Browser, make_comment, topic_path
from tests.factories import PASSWORD
from tests.page_support import read, text, tour
from tests.reading import ReadingClient

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 48


# --- CSRF ------------------------------------------------------------------------------------


def test_every_post_form_on_every_page_carries_a_csrf_token(app, client, login_as, csrf_enabled):
    pages = tour(app, client, login_as)
    posting = 0
    for name, html in pages.items():
        page = read(html)
        for index, form in enumerate(page.forms):
            if form.attrs.get("method", "get").lower() != "post":
                continue
            posting += 1
            tokens_in_form = [
                e
                for e in page.in_form(index)
                if e.tag == "input" and e.attrs.get("name") == "csrf_token"
            ]
            assert len(tokens_in_form) == 1, (name, form.attrs)
            assert len(tokens_in_form[0].attrs.get("value", "")) > 20, (name, form.attrs)
    assert posting > 30  # the tour met the forms (language, log-out, comments, votes, ...)


# POST addresses that a signed token in the address guards instead of the form's token:
# RFC 8058's one-click unsubscribe comes from a mail program, without the session.
SIGNED_INSTEAD = {"notifications.unsubscribe_now"}


def test_every_post_address_refuses_a_request_without_a_token(
    app, db, client, login_as, resident, other_resident, open_topic, csrf_enabled
):
    """Whatever the view, a POST without the token changes nothing and gets the CSRF page."""
    theirs = make_comment(open_topic, other_resident)
    db.session.commit()
    with app.test_request_context():
        reset = tokens.make_reset_token(resident.id, resident.password_hash)
    values = {
        "org_slug": open_topic.organisation.slug,
        "topic_slug": open_topic.slug,
        "comment_id": theirs.id,
        "token": reset,
    }
    browser = Browser(app, client)
    login_as(resident)
    expired = tr("Your session has expired", "fi")
    rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
    assert len(rules) >= 15
    for rule in rules:
        path = rule.build({**{a: 1 for a in rule.arguments}, **values})[1]
        response = browser.post(path, data={"body": "x", "stance": "support", "value": "agree"})
        if rule.endpoint in SIGNED_INSTEAD:
            assert response.status_code == 404, rule.rule  # a token it did not sign
            continue
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert expired in text(response), rule.rule
    # Nothing changed: still logged in, no comment, no vote, no stance.
    assert logged_in_user_id(client) == resident.get_id()
    db.session.expire_all()
    assert (open_topic.comment_count, open_topic.support_count) == (1, 0)
    assert db.session.get(type(theirs), theirs.id).agree_count == 0


# --- cookies in production --------------------------------------------------------------------


@pytest.fixture
def production_app(database_url):
    app = create_app(
        ProductionConfig,
        SECRET_KEY=SECRET,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_URL="https://localhost/",
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def _cookie(response, name: str) -> str:
    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    return header


def test_production_cookies_are_secure_httponly_and_same_site(production_app, resident):
    client = production_app.test_client()
    base = "https://localhost"
    form = text(client.get("/account/login", base_url=base))
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', form).group(1)

    response = client.post(
        "/account/login",
        base_url=base,
        headers={"Referer": f"{base}/account/login"},  # Flask-WTF checks it over HTTPS
        data={
            "email": resident.email,
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": token,
        },
    )

    assert response.status_code == 303
    for name in ("session", "remember_token"):
        flags = [f.strip().lower() for f in _cookie(response, name).split(";")]
        assert "secure" in flags, (name, flags)
        assert "httponly" in flags, (name, flags)
        assert "samesite=lax" in flags, (name, flags)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- Content-Security-Policy -------------------------------------------------------------------


def _csp_is_strict(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives.get("script-src") == ["'self'"], csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    assert directives.get("object-src") == ["'none'"], csp


def test_every_kind_of_response_carries_the_csp(app, client, database_url):
    _csp_is_strict(client.get("/"))
    _csp_is_strict(client.get("/no/such/page/here"))  # 404
    _csp_is_strict(client.post("/language", data={"lang": "sv", "next": "/"}))  # redirect
    _csp_is_strict(client.get("/static/css/eraati.css"))
    _csp_is_strict(client.get("/account/profile"))  # redirect to log in

    failing = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @failing.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    _csp_is_strict(failing.test_client().get("/_boom"))  # 500


def test_no_template_has_inline_script_style_or_handlers():
    """The CSP would block them, so a page using one would break; none may exist."""
    offenders = []
    templates = sorted(ROOT.joinpath("templates").rglob("*.html"))
    assert len(templates) > 10  # the templates were found
    for path in templates:
        source = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            "javascript:",
        ):
            if re.search(pattern, source, re.I):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offenders == []


# --- next= -----------------------------------------------------------------------------------

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/x",
    "///evil.example/x",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "data:text/html,hei",
    "evil.example",
    "//localhost@evil.example",
    "http://localhost.evil.example/",
]


def _stays_here(location: str) -> bool:
    if any(c in location for c in "\\\t\r\n"):
        return False  # browsers read "\" as "/" and drop tabs and newlines
    resolved = urlsplit(urljoin("http://localhost/account/login", location))
    return resolved.scheme == "http" and resolved.netloc == "localhost"


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leads_off_site(app, resident, target):
    logged_in = app.test_client()
    response = log_in(logged_in, resident.email, next=target)
    assert response.status_code == 303
    assert _stays_here(response.headers["Location"]), response.headers["Location"]

    again = logged_in.get("/account/login", query_string={"next": target})
    assert again.status_code == 303
    assert _stays_here(again.headers["Location"]), again.headers["Location"]

    language = app.test_client().post("/language", data={"lang": "sv", "next": target})
    assert _stays_here(language.headers["Location"]), language.headers["Location"]


def test_next_on_the_site_is_followed(app, resident):
    response = log_in(app.test_client(), resident.email, next="/keitele?status=closed")
    assert response.headers["Location"] == "/keitele?status=closed"


# --- error pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_forbidden_page_is_translated(app, client, db, org, resident, login_as, lang):
    from eraati.consultations.models import TopicStatus
    from tests import factories

    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    login_as(resident)
    with client.session_transaction() as session:
        session["lang"] = lang
    response = Browser(app, client).get(topic_path(draft))
    assert response.status_code == 403
    heading = tr("You do not have access to this page", lang)
    assert heading != "You do not have access to this page"
    page = text(response)
    assert f'<html lang="{lang}"' in page and f"<h1>{heading}</h1>" in page


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_server_error_page_is_translated_and_hides_the_error(database_url, lang):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @app.get("/_boom")
    def boom():
        raise ZeroDivisionError("sisäinen salaisuus")

    @app.get("/_forbidden")
    def forbidden():
        raise Forbidden()

    app.test_client_class = ReadingClient  # the page's text as read (tests/reading.py)
    client = app.test_client()
    response = client.get("/_boom", headers={"Accept-Language": lang})
    assert response.status_code == 500
    page = text(response)
    with app.app_context():
        heading = tr("Something went wrong on our side", lang)
    assert heading != "Something went wrong on our side"
    assert f"<h1>{heading}</h1>" in page
    for leak in ("sisäinen salaisuus", "ZeroDivisionError", "Traceback", 'File "'):
        assert leak not in page
    assert client.get("/_forbidden", headers={"Accept-Language": lang}).status_code == 403


# --- debug -----------------------------------------------------------------------------------


def test_only_development_runs_in_debug_mode():
    assert set(CONFIGS) == {"development", "testing", "production"}
    assert {name for name, cls in CONFIGS.items() if cls.DEBUG} == {"development"}
    assert DevelopmentConfig.DEBUG is True
    assert TestingConfig.DEBUG is False and ProductionConfig.DEBUG is False


@pytest.mark.parametrize(
    "variable",
    ["FLASK_DEBUG", "ERAATI_DEBUG"],
)
def test_production_never_runs_in_debug_mode(monkeypatch, variable):
    monkeypatch.setenv("SECRET_KEY", SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/eraati")
    monkeypatch.setenv("ERAATI_PUBLIC_URL", "https://eraati.example.fi/")
    monkeypatch.setenv(variable, "true")
    try:
        app = create_app(ProductionConfig)
    except RuntimeError:
        return  # refusing to start is as good as staying out of debug mode
    assert app.debug is False
    assert app.config["DEBUG"] is False
