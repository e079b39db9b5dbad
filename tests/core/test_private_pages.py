"""Pages about people are never kept in a cache, and "remember me" lasts 30 days.

One mechanism (``core.security.set_cache_policy``): every response to a signed-in person,
and every page of the account and staff areas, carries ``Cache-Control: no-store`` unless
its view chose its own caching."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from eraati.core.time import utcnow
from tests.accounts.helpers import log_in
from tests.consultations.topic_support import topic_path


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("resident", "/account/profile"),
        ("org_admin", "/staff/keitele/people"),
        ("org_admin", "/staff/keitele/audit"),
        ("moderator", "/staff/keitele/moderation"),
        ("moderator", "/staff/keitele/blocks"),
        ("org_admin", "/staff/keitele/settings"),
    ],
)
def test_personal_and_staff_pages_are_not_stored(request, client, login_as, org, persona, path):
    login_as(request.getfixturevalue(persona))
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.headers.get("Vary", "")


def test_a_public_page_is_not_stored_for_a_signed_in_person_only(
    client, login_as, resident, open_topic
):
    anonymous = client.get(topic_path(open_topic))
    assert anonymous.status_code == 200
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    login_as(resident)
    signed_in = client.get(topic_path(open_topic))
    assert signed_in.headers["Cache-Control"] == "no-store"  # the page shows their name


def test_the_login_page_is_not_stored(client):
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"


def test_views_with_their_own_caching_keep_it(client, login_as, resident, org, open_topic):
    login_as(resident)
    api = client.get("/api/v1/organisations")
    assert api.headers["Cache-Control"] == "public, max-age=60"
    static = client.get("/static/css/eraati.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_remember_me_lasts_thirty_days(client, resident):
    response = log_in(client, resident.email, remember="y")
    (header,) = [
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    ]
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert abs(expires - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)
