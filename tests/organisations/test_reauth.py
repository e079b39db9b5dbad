"""/staff/reauth: the password typed again before role changes."""

from __future__ import annotations

import pytest

from eraati.core.time import utcnow
from tests import factories
from tests.organisations.support import text
from tests.page_support import read


def _reauth_at(client):
    with client.session_transaction() as session:
        return session.get("reauth_at")


def test_the_page_asks_for_the_password_and_keeps_the_target(client, login_as, org_admin):
    login_as(org_admin)
    response = client.get("/staff/reauth?next=/staff/keitele/people")
    assert response.status_code == 200
    page = read(text(response))
    (form,) = [i for i, f in enumerate(page.forms) if f.attrs.get("action") == "/staff/reauth"]
    hidden = next(e for e in page.in_form(form) if e.attrs.get("name") == "next")
    assert hidden.attrs["value"] == "/staff/keitele/people"
    password = next(e for e in page.find("input") if e.attrs.get("name") == "password")
    assert password.attrs["type"] == "password"
    assert password.attrs["autocomplete"] == "current-password"


def test_the_right_password_returns_to_the_target(client, login_as, org_admin):
    login_as(org_admin)
    before = int(utcnow().timestamp())
    response = client.post(
        "/staff/reauth", data={"password": factories.PASSWORD, "next": "/staff/keitele/people"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/keitele/people"
    assert before <= _reauth_at(client) <= int(utcnow().timestamp())


@pytest.mark.parametrize("password", ["väärä salasana", ""])
def test_a_wrong_password_is_shown_next_to_the_field(client, login_as, org_admin, password):
    login_as(org_admin)
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.post(
        "/staff/reauth", data={"password": password, "next": "/staff/keitele/people"}
    )
    assert response.status_code == 422
    page = read(text(response))
    assert "password-error" in page.ids()
    field = next(e for e in page.find("input") if e.attrs.get("name") == "password")
    assert field.attrs.get("aria-invalid") == "true"
    assert _reauth_at(client) is None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/staff", "javascript:alert(1)", ""]
)
def test_only_local_targets_are_followed(client, login_as, org_admin, target):
    login_as(org_admin)
    response = client.post("/staff/reauth", data={"password": factories.PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"


def test_wrong_passwords_are_rate_limited(client, login_as, org_admin, rate_limit):
    rate_limit("LOGIN_RATE_LIMIT", "3 per minute")
    login_as(org_admin)
    for _ in range(3):
        assert client.post("/staff/reauth", data={"password": "väärä"}).status_code == 422
    assert client.post("/staff/reauth", data={"password": factories.PASSWORD}).status_code == 429
    assert _reauth_at(client) is None


def test_right_passwords_do_not_use_up_the_limit(client, login_as, org_admin, rate_limit):
    rate_limit("LOGIN_RATE_LIMIT", "2 per minute")
    login_as(org_admin)
    for _ in range(4):
        response = client.post("/staff/reauth", data={"password": factories.PASSWORD})
        assert response.status_code == 303


def test_a_password_typed_at_log_in_counts_as_fresh(client, org_admin):
    before = int(utcnow().timestamp())
    response = client.post(
        "/account/login", data={"email": org_admin.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 303
    assert before <= _reauth_at(client) <= int(utcnow().timestamp())
    # ... so the role page does not ask for the password again straight away.
    assert client.get("/staff/keitele/people").status_code == 200
    response = client.post("/staff/keitele/people/grant", data={})
    assert "/staff/reauth" not in response.headers.get("Location", "")
