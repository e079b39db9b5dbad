"""Accepting an invitation: only the invited address, only once, only in time, only with
a genuine link; and a visitor is told to log in (or register) with the invited address."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts import tokens as account_tokens
from eraati.core.time import utcnow
from eraati.organisations import services, tokens
from eraati.organisations.models import Membership, Role
from tests import factories
from tests.organisations.support import audit_rows, mail_link_path, text


def _invite(db, org, email="uusi@keitele.fi", role=Role.MODERATOR, *, now=None, inviter=None):
    invitation = services.invite(org, email, role, inviter=inviter, now=now or utcnow())
    db.session.commit()
    return (
        invitation,
        f"/invitation/{tokens.make_invitation_token(invitation.id, now=invitation.created_at)}",
    )


def _roles(db, user, org) -> list[str]:
    rows = db.session.scalars(
        sa.select(Membership.role).where(
            Membership.user_id == user.id, Membership.organisation_id == org.id
        )
    )
    return sorted(str(r) for r in rows)


def _english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_the_mailed_link_works_end_to_end(db, client, login_as, org, org_admin, outbox, fresh):
    login_as(org_admin)
    fresh()
    client.post(
        "/staff/keitele/people/invite",
        data={"email": "uusi@keitele.fi", "role": "preparer", "mail_locale": "fi"},
    )
    path = mail_link_path(outbox[0])
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    login_as(invited)
    response = client.post(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/keitele/"
    assert _roles(db, invited, org) == ["preparer"]


def test_a_visitor_is_sent_to_log_in_and_told_to_register_first(db, client, org):
    invitation, path = _invite(db, org)
    _english(client)
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/account/login?next={path}"
    login_page = text(client.get(response.headers["Location"]))
    assert "uusi@keitele.fi" in login_page
    assert "register first with that address" in login_page
    assert client.post(path).status_code == 303  # posting does not accept either
    db.session.refresh(invitation)
    assert invitation.accepted_at is None


def test_the_invited_user_sees_the_offer_and_accepts_it(db, client, login_as, org, org_admin):
    invitation, path = _invite(db, org, inviter=org_admin)
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    login_as(invited)
    page = client.get(path)
    assert page.status_code == 200
    assert "Keitele" in text(page) and 'method="post"' in text(page)
    assert _roles(db, invited, org) == []  # opening the link is not accepting it

    response = client.post(path)
    assert response.status_code == 303
    assert _roles(db, invited, org) == ["moderator"]
    db.session.refresh(invitation)
    assert invitation.accepted_at is not None
    assert invitation.accepted_by_id == invited.id
    (event,) = audit_rows("invitation.accept")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        invited.id,
        invitation.id,
    )
    assert event.details["role"] == "moderator"


def test_the_address_is_compared_without_case(db, client, login_as, org):
    _invitation, path = _invite(db, org, email="Uusi.Henkilo@KEITELE.fi")
    invited = factories.make_user("uusi.henkilo@keitele.fi")
    db.session.commit()
    login_as(invited)
    assert client.post(path).status_code == 303
    assert _roles(db, invited, org) == ["moderator"]


def test_another_user_cannot_accept(db, client, login_as, org, resident):
    invitation, path = _invite(db, org)
    login_as(resident)
    _english(client)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        assert "uusi@keitele.fi" in text(response)
    assert _roles(db, resident, org) == []
    db.session.refresh(invitation)
    assert invitation.accepted_at is None
    assert audit_rows("invitation.accept") == []


def test_an_expired_link_is_refused(db, client, login_as, org):
    _invitation, path = _invite(db, org, now=utcnow() - timedelta(days=7, minutes=1))
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    login_as(invited)
    _english(client)
    response = client.post(path)
    assert response.status_code == 400
    assert "has expired" in text(response)
    assert _roles(db, invited, org) == []


def test_the_maximum_age_comes_from_the_configuration(app, db, client, login_as, org):
    app.config["INVITATION_MAX_AGE"] = 60
    try:
        invitation, path = _invite(db, org, now=utcnow() - timedelta(minutes=2))
        assert invitation.expires_at - invitation.created_at == timedelta(seconds=60)
        invited = factories.make_user("uusi@keitele.fi")
        db.session.commit()
        login_as(invited)
        assert client.post(path).status_code == 400
    finally:
        del app.config["INVITATION_MAX_AGE"]
    assert tokens.max_age() == 7 * 24 * 3600
    assert _roles(db, invited, org) == []


def test_a_revoked_invitation_is_refused(db, client, login_as, org):
    invitation, path = _invite(db, org)
    services.revoke_invitation(org, invitation)
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    login_as(invited)
    _english(client)
    response = client.post(path)
    assert response.status_code == 400
    assert "cancelled" in text(response)
    assert _roles(db, invited, org) == []
    assert audit_rows("invitation.accept") == []


def test_an_invitation_is_used_once(db, client, login_as, org):
    _invitation, path = _invite(db, org)
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    login_as(invited)
    _english(client)
    assert client.post(path).status_code == 303
    again = client.post(path)
    assert again.status_code == 400
    assert "already been accepted" in text(again)
    assert _roles(db, invited, org) == ["moderator"]
    assert len(audit_rows("invitation.accept")) == 1


def test_accepting_a_role_already_held_adds_no_second_row(db, client, login_as, org, resident):
    invitation, path = _invite(db, org, email=resident.email)
    # The role came some other way after the invitation was sent.
    services.grant_role(org, resident, Role.MODERATOR)
    db.session.commit()
    login_as(resident)
    assert client.post(path).status_code == 303
    assert _roles(db, resident, org) == ["moderator"]
    db.session.refresh(invitation)
    assert invitation.accepted_at is not None


@pytest.mark.parametrize("kind", ["tampered", "other_salt", "unknown_id", "garbage"])
def test_a_link_that_is_not_genuine_is_refused(app, db, client, login_as, org, kind):
    invitation, path = _invite(db, org)
    invited = factories.make_user("uusi@keitele.fi")
    db.session.commit()
    token = path.rsplit("/", 1)[1]
    if kind == "tampered":
        _payload, rest = token.split(".", 1)
        token = tokens.make_invitation_token(invitation.id + 1).split(".", 1)[0] + "." + rest
    elif kind == "other_salt":
        token = account_tokens.make_verify_token(invitation.id, invited.email)
    elif kind == "unknown_id":
        token = tokens.make_invitation_token(invitation.id + 1000)
    else:
        token = "not-a-token"
    login_as(invited)
    _english(client)
    response = client.post(f"/invitation/{token}")
    assert response.status_code == 400
    assert "The link is not valid" in text(response)
    assert _roles(db, invited, org) == []


def test_a_visitor_with_a_used_up_link_is_told_so_at_once(db, client, org):
    invitation, path = _invite(db, org)
    services.revoke_invitation(org, invitation)
    db.session.commit()
    _english(client)
    response = client.get(path)
    assert response.status_code == 400
    assert "cancelled" in text(response)


def test_the_audit_log_names_an_invitee_by_a_hint_of_the_address(
    db, client, login_as, org, org_admin, fresh
):
    """The log is kept for ever: sending, withdrawing and accepting an invitation name the
    invitee as "k…@example.org" with the role, never by the address, in any field and on
    the log's page."""
    address = "kaisa.kutsuttu@example.org"
    login_as(org_admin)
    fresh()
    for role in ("preparer", "moderator"):
        client.post(
            "/staff/keitele/people/invite",
            data={"email": address, "role": role, "mail_locale": "fi"},
        )
    preparer_invitation, moderator_invitation = (e.target_id for e in audit_rows())
    client.post(f"/staff/keitele/invitations/{preparer_invitation}/revoke")
    invited = factories.make_user(address)
    db.session.commit()
    login_as(invited)
    token = tokens.make_invitation_token(moderator_invitation)
    assert client.post(f"/invitation/{token}").status_code == 303

    events = audit_rows()
    assert [(e.action, e.target_label, e.details["role"]) for e in events] == [
        ("invitation.send", "k…@example.org", "preparer"),
        ("invitation.send", "k…@example.org", "moderator"),
        ("invitation.revoke", "k…@example.org", "preparer"),
        ("invitation.accept", "k…@example.org", "moderator"),
    ]
    for event in events:
        written = f"{event.target_label} {event.reason} {event.details}"
        assert "kaisa" not in written.lower(), event.action
    login_as(org_admin)
    client.get("/staff/keitele/audit")  # shows the messages of the acts above
    page = text(client.get("/staff/keitele/audit"))
    assert "k…@example.org" in page and address not in page
