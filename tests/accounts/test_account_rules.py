"""Account and session rules: hashing cost, sessions ended by log-out and password change.

Mail goes to the log in development and over SMTP in production; production hashes
with argon2id at a real cost; a copied session or remember cookie stops working after a
password change (log-out was tested already).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from config import INSTANCE_DIR, ProductionConfig
from eraati import create_app
from eraati.accounts import mails, passwords, tokens
from eraati.extensions import mail
from tests.accounts.helpers import log_in
from tests.factories import PASSWORD

SECRET = "s" * 48
NEW_PASSWORD = "kanerva-purje-lakka-42"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("SECRET_KEY", "DATABASE_URL", "ERAATI_ENV", "ERAATI_MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_development_prints_mail_to_the_log_with_a_working_link(clean_env, capsys):
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{INSTANCE_DIR / 'eraati.sqlite3'}"
    user = SimpleNamespace(id=7, email="aino@example.fi", locale="fi", display_name="Aino")

    with app.app_context():  # a worker's: the link comes from the public address
        mails.mail_verification(user)
        printed = capsys.readouterr().out
        assert "To: aino@example.fi" in printed
        (link,) = re.findall(r"http://\S+/account/verify/\S+", printed)
        token = urlsplit(link).path.rsplit("/", 1)[1]
        assert tokens.read_verify_token(token) == (7, "aino@example.fi")


def test_production_sends_mail_over_smtp(clean_env):
    app = create_app(
        ProductionConfig,
        SECRET_KEY=SECRET,
        SQLALCHEMY_DATABASE_URI="postgresql://u@db/eraati",
        PUBLIC_URL="https://eraati.example.fi/",
    )
    with app.app_context():
        connection = mail.get_connection()
    assert type(connection).__module__ == "flask_mailman.backends.smtp"


def test_production_hashes_passwords_with_argon2id_at_a_real_cost(clean_env):
    app = create_app(
        ProductionConfig,
        SECRET_KEY=SECRET,
        SQLALCHEMY_DATABASE_URI="postgresql://u@db/eraati",
        PUBLIC_URL="https://eraati.example.fi/",
    )
    with app.app_context():
        hashed = passwords.hash_password(PASSWORD)
        assert passwords.check_password(hashed, PASSWORD)
        assert not passwords.check_password(hashed, PASSWORD + "x")
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", hashed)
    assert match, hashed
    memory_kib, time_cost, _parallelism = map(int, match.groups())
    # OWASP's floor for argon2id: 19 MiB and two passes (the suite itself uses 1 MiB, t=1).
    assert memory_kib >= 19 * 1024 and time_cost >= 2


def _change_password(client):
    return client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )


def test_copied_session_cookie_stops_working_after_a_password_change(app, resident):
    browser, thief = app.test_client(), app.test_client()
    log_in(browser, resident.email)
    thief.set_cookie("session", browser.get_cookie("session").value, domain="localhost")
    assert thief.get("/account/profile").status_code == 200

    assert _change_password(browser).status_code == 303

    assert browser.get("/account/profile").status_code == 200  # the owner carries on
    stolen = thief.get("/account/profile")
    assert stolen.status_code == 302
    assert stolen.headers["Location"].startswith("/account/login")


def test_copied_remember_cookie_stops_working_after_a_password_change(app, resident):
    browser, thief = app.test_client(), app.test_client()
    log_in(browser, resident.email, remember="y")
    thief.set_cookie(
        "remember_token", browser.get_cookie("remember_token").value, domain="localhost"
    )
    assert thief.get("/account/profile").status_code == 200
    thief.delete_cookie("session", domain="localhost")  # only the remember cookie is left

    assert _change_password(browser).status_code == 303

    assert thief.get("/account/profile").status_code == 302
