"""Who may open each organisation route: the matrix of personas × routes.

Staff pages load the organisation from the address and check the user's roles *there*:
another organisation's admin is refused (403), a moderator or preparer is refused where
the page needs an admin, a resident is refused, and a visitor is sent to log in.
"""

from __future__ import annotations

import pytest

PERSONAS = (
    "resident",
    "other_org_admin",
    "other_org_moderator",
    "platform_admin",
    "moderator",
    "preparer",
    "org_admin",
)
STAFF = {"moderator", "preparer", "org_admin"}
ADMIN = {"org_admin"}
PLATFORM = {"platform_admin"}

# (method, address, who may) for every route of the organisations blueprint but the
# invitation link (tests/organisations/test_invitations.py) and the logo (public).
ROUTES = [
    ("get", "/staff/keitele/", STAFF),
    ("get", "/staff/keitele/people", ADMIN),
    ("post", "/staff/keitele/people/invite", ADMIN),
    ("post", "/staff/keitele/people/grant", ADMIN),
    ("post", "/staff/keitele/people/revoke", ADMIN),
    ("post", "/staff/keitele/invitations/999999/revoke", ADMIN),
    ("get", "/staff/keitele/settings", ADMIN),
    ("post", "/staff/keitele/settings", ADMIN),
    ("post", "/staff/keitele/settings/logo", ADMIN),
    ("post", "/staff/keitele/settings/logo/remove", ADMIN),
    ("get", "/platform/organisations", PLATFORM),
    ("get", "/platform/organisations/new", PLATFORM),
    ("post", "/platform/organisations/new", PLATFORM),
    ("get", "/platform/organisations/{org_id}/edit", PLATFORM),
    ("post", "/platform/organisations/{org_id}/edit", PLATFORM),
    ("post", "/platform/organisations/{org_id}/admins", PLATFORM),
]


def _call(client, method, path, org):
    return getattr(client, method)(path.format(org_id=org.id), data={})


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_route_permissions(request, client, login_as, org, method, path, allowed, persona):
    login_as(request.getfixturevalue(persona))
    response = _call(client, method, path, org)
    if persona in allowed:
        assert response.status_code not in (401, 403), response.status_code
        assert "/account/login" not in response.headers.get("Location", "")
        if method == "get":
            assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_logged_out_visitors_are_sent_to_log_in(client, org, method, path, allowed):
    response = _call(client, method, path, org)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert "next=" in response.headers["Location"]


@pytest.mark.parametrize(
    "path", ["/staff/ei-ole/", "/staff/ei-ole/people", "/staff/ei-ole/settings"]
)
def test_unknown_organisation_is_not_found(client, login_as, org_admin, path):
    login_as(org_admin)
    assert client.get(path).status_code == 404


def test_unknown_organisation_id_on_the_platform_is_not_found(client, login_as, platform_admin):
    login_as(platform_admin)
    assert client.get("/platform/organisations/999999/edit").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("moderator", 200),
        ("preparer", 200),
        ("org_admin", 200),
        ("other_org_moderator", 200),
        ("platform_admin", 200),
    ],
)
def test_staff_home_is_for_staff_and_platform_admins(
    request, client, login_as, org, persona, status
):
    login_as(request.getfixturevalue(persona))
    assert client.get("/staff/").status_code == status


def test_staff_home_sends_visitors_to_log_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_reauth_page_needs_a_logged_in_user(client):
    response = client.get("/staff/reauth")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_state_changes_need_the_csrf_token(client, login_as, org, org_admin, fresh, csrf_enabled):
    login_as(org_admin)
    fresh()
    response = client.post(
        "/staff/keitele/people/invite",
        data={"email": "uusi@keitele.fi", "role": "moderator", "mail_locale": "fi"},
    )
    assert response.status_code == 400
