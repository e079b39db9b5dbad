"""Logging in and out: sessions, safe redirects, no enumeration (limits: test_login_limits)."""

from __future__ import annotations

from argon2 import PasswordHasher

from eraati.accounts import passwords
from eraati.core.time import utcnow
from tests import factories
from tests.accounts.helpers import log_in, logged_in_user_id, main_of, tr, without_csrf
from tests.factories import PASSWORD

GENERIC = "Incorrect e-mail address or password."


def test_login_starts_a_session_and_records_the_time(client, db, resident):
    before = utcnow()
    response = log_in(client, "  Asukas@Example.fi ", next="/account/profile")

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    assert logged_in_user_id(client) == resident.get_id()
    db.session.refresh(resident)
    assert resident.last_login_at is not None and resident.last_login_at >= before
    assert client.get("/account/profile").status_code == 200


def test_next_cannot_lead_off_site(client, resident):
    for target in ("https://evil.example", "//evil.example/x", "https:/evil.example"):
        response = log_in(client, resident.email, next=target)
        assert response.status_code == 303
        assert response.headers["Location"] == "/", target


def test_login_page_keeps_next_in_the_form(client):
    page = client.get("/account/login?next=/account/profile").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/account/profile"' in page


def test_unknown_address_and_wrong_password_get_the_same_answer(app, resident):
    unknown = log_in(app.test_client(), "nobody@example.fi", "Wrong-password-123")
    wrong = log_in(app.test_client(), resident.email, "Wrong-password-123")

    assert unknown.status_code == wrong.status_code == 422
    unknown_page = without_csrf(main_of(unknown.get_data(as_text=True)))
    wrong_page = without_csrf(main_of(wrong.get_data(as_text=True)))
    assert unknown_page.replace("nobody@example.fi", "X") == wrong_page.replace(resident.email, "X")
    assert tr(GENERIC, "fi") in wrong_page
    assert 'type="password" value=""' in wrong_page  # the password is never sent back


def test_suspended_user_cannot_log_in(client, db, resident):
    resident.suspended_at = utcnow()
    db.session.commit()

    response = log_in(client, resident.email)

    # The right password: told that the account is suspended (test_suspension.py).
    assert response.status_code == 403
    assert tr("Your account is suspended", "fi") in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None


def test_login_without_csrf_token_is_refused(client, db, resident, csrf_enabled):
    response = log_in(client, resident.email)

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert logged_in_user_id(client) is None
    db.session.refresh(resident)
    assert resident.last_login_at is None


def test_login_renews_the_session_but_keeps_the_language(client, resident):
    with client.session_transaction() as session:
        session["lang"] = "sv"
        session["planted"] = "by an attacker"

    log_in(client, resident.email)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "sv"
        assert session["_user_id"] == resident.get_id()


def test_after_login_the_site_speaks_the_accounts_language(client, db, resident):
    """The browser asks for English, the account's language is Swedish and the visit chose
    none: signed in, the welcome and the pages are Swedish, and the switcher still works."""
    resident.locale = "sv"
    db.session.commit()
    english = {"Accept-Language": "en"}
    assert '<html lang="en"' in client.get("/account/login", headers=english).text

    response = log_in(client, resident.email, headers=english)
    welcome = client.get(response.headers["Location"], headers=english)
    assert '<html lang="sv"' in welcome.text
    assert tr("Welcome, %(name)s! You are now logged in.", "sv", name="Aino Asukas") in (
        welcome.text
    )
    assert '<html lang="sv"' in client.get("/kayttoehdot", headers=english).text
    assert '<html lang="fi"' in client.get("/kayttoehdot?lang=fi", headers=english).text


def test_logout_ends_a_copied_session_cookie(app, db, resident):
    browser, thief = app.test_client(), app.test_client()
    log_in(browser, resident.email)
    thief.set_cookie("session", browser.get_cookie("session").value, domain="localhost")
    assert thief.get("/account/profile").status_code == 200

    response = browser.post("/account/logout")

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert logged_in_user_id(browser) is None
    stolen = thief.get("/account/profile")
    assert stolen.status_code == 302
    assert stolen.headers["Location"].startswith("/account/login")
    db.session.refresh(resident)
    assert resident.session_version == 2


def test_logout_ends_a_copied_remember_cookie(app, resident):
    browser, thief = app.test_client(), app.test_client()
    log_in(browser, resident.email, remember="y")
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    thief.set_cookie("remember_token", remember.value, domain="localhost")
    assert thief.get("/account/profile").status_code == 200

    browser.post("/account/logout")

    assert browser.get_cookie("remember_token") is None  # deleted in the browser
    thief.delete_cookie("session", domain="localhost")  # only the copied cookie is left
    assert thief.get("/account/profile").status_code == 302


def test_logout_is_post_only(client, db, resident, login_as):
    login_as(resident)
    response = client.get("/account/logout")  # e.g. a link or an image on another site
    assert response.status_code in (404, 405)  # /<org>/<topic> catches GET
    assert logged_in_user_id(client) == resident.get_id()
    db.session.refresh(resident)
    assert resident.session_version == 1


def test_logout_keeps_the_language(client, resident):
    log_in(client, resident.email)
    with client.session_transaction() as session:
        session["lang"] = "sv"
    client.post("/account/logout")
    assert '<html lang="sv"' in client.get("/").get_data(as_text=True)


def test_old_password_hashes_are_upgraded_at_login(client, db, app):
    weaker = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    user = factories.make_user("vanha@example.fi")
    user.password_hash = weaker
    db.session.commit()
    with app.test_request_context():
        assert passwords.needs_rehash(weaker)

    assert log_in(client, user.email).status_code == 303

    db.session.refresh(user)
    assert user.password_hash != weaker
    assert user.password_hash.startswith("$argon2id$")
    with app.test_request_context():
        assert not passwords.needs_rehash(user.password_hash)
        assert passwords.check_password(user.password_hash, PASSWORD)


def test_pages_behind_log_in_send_visitors_to_log_in(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=%2Faccount%2Fprofile"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert tr("Please log in to see this page.", "fi") in page
