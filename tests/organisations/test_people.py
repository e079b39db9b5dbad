"""Staff and roles: the staff table, giving and removing roles, invitations sent and
revoked, the last-admin rule, the password asked before role changes, the audit rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.core.time import utcnow
from eraati.organisations import services
from eraati.organisations.models import Invitation, Membership, Role
from tests import factories
from tests.accounts.helpers import tr
from tests.organisations.support import audit_rows, mail_link_path, text
from tests.page_support import read

PEOPLE = "/staff/keitele/people"


def _memberships(user) -> set[tuple[int, str]]:
    from eraati.extensions import db

    rows = db.session.execute(
        sa.select(Membership.organisation_id, Membership.role).where(Membership.user_id == user.id)
    )
    return {(org_id, str(role)) for org_id, role in rows}


def _membership(db, user, role):
    return db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.role == role)
    )


def _english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


# --- the staff table -------------------------------------------------------------------------


def test_staff_table_lists_this_organisations_staff_with_their_roles(
    db, client, login_as, org, org_admin, moderator, preparer, other_org_moderator
):
    db.session.add(Membership(user_id=moderator.id, organisation_id=org.id, role=Role.PREPARER))
    db.session.commit()
    login_as(org_admin)
    _english(client)
    page = read(text(client.get(PEOPLE)))
    rows = {
        tr_.attrs["id"]: " ".join(tr_.text.split())
        for tr_ in page.find("tr")
        if tr_.attrs.get("id", "").startswith("staff-")
    }
    assert set(rows) == {f"staff-{u.id}" for u in (org_admin, moderator, preparer)}
    mod_row = rows[f"staff-{moderator.id}"]
    assert "Moderator" in mod_row and "Preparer" in mod_row
    assert other_org_moderator.email not in text(client.get(PEOPLE))


def test_pending_invitations_are_listed_but_not_used_or_expired_ones(
    db, client, login_as, org, org_admin
):
    now = utcnow()
    waiting = services.invite(org, "odottaa@keitele.fi", Role.MODERATOR, now=now)
    services.invite(org, "vanha@keitele.fi", Role.MODERATOR, now=now - timedelta(days=8))
    revoked = services.invite(org, "peruttu@keitele.fi", Role.PREPARER, now=now)
    services.revoke_invitation(org, revoked, now=now)
    db.session.commit()
    login_as(org_admin)
    html = text(client.get(PEOPLE))
    assert waiting.email in html
    assert "vanha@keitele.fi" not in html
    assert "peruttu@keitele.fi" not in html


@pytest.mark.parametrize("count", [2, 20])
def test_staff_table_costs_a_fixed_number_of_queries(db, browser, login_as, org, count):
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    for i in range(count - 1):
        user = factories.make_user(f"staff{i}@keitele.fi", org=org, roles=(Role.MODERATOR,))
        if i % 2:
            db.session.add(Membership(user_id=user.id, organisation_id=org.id, role=Role.PREPARER))
        services.invite(org, f"kutsu{i}@keitele.fi", Role.PREPARER)
    db.session.commit()
    login_as(admin)
    response = browser.get(PEOPLE)
    assert response.status_code == 200
    assert text(response).count('<tr role="row" id="staff-') == count
    # user (with roles), organisation, staff with users, pending invitations
    assert browser.queries == 4


# --- the password before role changes --------------------------------------------------------


def test_role_change_without_a_recent_password_asks_for_it(
    db, client, login_as, org, org_admin, moderator
):
    login_as(org_admin)
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "preparer"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/staff/reauth?next=/staff/keitele/people")
    assert (org.id, "preparer") not in _memberships(moderator)
    assert audit_rows() == []


def test_a_password_older_than_ten_minutes_is_asked_again(
    db, client, login_as, org, org_admin, moderator, fresh
):
    login_as(org_admin)
    fresh(seconds_ago=11 * 60)
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "preparer"})
    assert response.headers["Location"].startswith("/staff/reauth")
    fresh(seconds_ago=9 * 60)
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "preparer"})
    assert response.headers["Location"].startswith(PEOPLE)


def test_revoke_and_invite_also_ask_for_the_password(
    db, client, login_as, org, org_admin, moderator
):
    login_as(org_admin)
    membership = _membership(db, moderator, Role.MODERATOR)
    response = client.post(f"{PEOPLE}/revoke", data={"membership_id": membership.id})
    assert response.headers["Location"].startswith("/staff/reauth")
    response = client.post(
        f"{PEOPLE}/invite",
        data={"email": "uusi@keitele.fi", "role": "preparer", "mail_locale": "sv"},
    )
    location = response.headers["Location"]
    assert location == "/staff/reauth?next=/staff/keitele/people"  # no address in the URL
    assert _membership(db, moderator, Role.MODERATOR) is not None
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    # After the password the invitation form comes back filled in.
    client.post("/staff/reauth", data={"password": factories.PASSWORD, "next": _next_of(location)})
    page = read(text(client.get(_next_of(location))))
    email = next(e for e in page.find("input") if e.attrs.get("name") == "email")
    assert email.attrs["value"] == "uusi@keitele.fi"
    checked = [e.attrs["value"] for e in page.find("input") if "checked" in e.attrs]
    assert "preparer" in checked


def _next_of(location: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(location).query)["next"][0]


# --- giving roles ----------------------------------------------------------------------------


def test_admin_gives_a_staff_member_another_role(
    db, client, login_as, org, org_admin, moderator, fresh
):
    login_as(org_admin)
    fresh()
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "preparer"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#staff-{moderator.id}")
    assert _memberships(moderator) == {(org.id, "moderator"), (org.id, "preparer")}
    (event,) = audit_rows("role.grant")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        org_admin.id,
        moderator.id,
    )
    assert event.details == {"role": "preparer"}


def test_a_role_held_already_is_not_given_twice(
    db, client, login_as, org, org_admin, moderator, fresh
):
    login_as(org_admin)
    _english(client)
    fresh()
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "moderator"})
    assert response.status_code == 409
    assert "already has that role" in text(response)
    assert _memberships(moderator) == {(org.id, "moderator")}
    assert audit_rows() == []


def test_roles_are_given_only_to_this_organisations_staff(
    db, client, login_as, org, org_admin, other_org_moderator, resident, fresh
):
    login_as(org_admin)
    fresh()
    for user in (other_org_moderator, resident):
        response = client.post(f"{PEOPLE}/grant", data={"user_id": user.id, "role": "admin"})
        assert response.status_code == 404
        assert all(org_id != org.id for org_id, _ in _memberships(user))
    assert audit_rows() == []


def test_a_tampered_role_is_refused(db, client, login_as, org, org_admin, moderator, fresh):
    login_as(org_admin)
    fresh()
    response = client.post(f"{PEOPLE}/grant", data={"user_id": moderator.id, "role": "superuser"})
    assert response.status_code == 303
    assert _memberships(moderator) == {(org.id, "moderator")}
    assert audit_rows() == []


# --- removing roles ---------------------------------------------------------------------------


def test_admin_removes_a_role(db, client, login_as, org, org_admin, moderator, fresh):
    db.session.add(Membership(user_id=moderator.id, organisation_id=org.id, role=Role.PREPARER))
    db.session.commit()
    login_as(org_admin)
    fresh()
    membership = _membership(db, moderator, Role.MODERATOR)
    response = client.post(f"{PEOPLE}/revoke", data={"membership_id": membership.id})
    assert response.status_code == 303
    assert _memberships(moderator) == {(org.id, "preparer")}
    (event,) = audit_rows("role.revoke")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        org_admin.id,
        moderator.id,
    )
    assert event.details == {"role": "moderator"}


def test_the_last_admin_cannot_be_removed(db, client, login_as, org, org_admin, fresh):
    login_as(org_admin)
    _english(client)
    fresh()
    membership = _membership(db, org_admin, Role.ADMIN)
    response = client.post(f"{PEOPLE}/revoke", data={"membership_id": membership.id})
    assert response.status_code == 409
    page = text(response)
    assert "the only admin of this organisation" in page
    assert 'role="alert"' in page
    assert _memberships(org_admin) == {(org.id, "admin")}
    assert audit_rows() == []


def test_an_admin_can_leave_when_another_admin_remains(db, client, login_as, org, org_admin, fresh):
    other = factories.make_user("toinen-admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    db.session.commit()
    login_as(org_admin)
    fresh()
    membership = _membership(db, org_admin, Role.ADMIN)
    response = client.post(f"{PEOPLE}/revoke", data={"membership_id": membership.id})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"  # no role left here
    assert _memberships(org_admin) == set()
    assert _memberships(other) == {(org.id, "admin")}
    assert services.queries.admin_count(org) == 1


def test_the_last_admin_rule_holds_for_the_service_too(db, org, org_admin):
    membership = _membership(db, org_admin, Role.ADMIN)
    with pytest.raises(services.LastAdmin):
        services.revoke_role(org, membership)


def test_a_role_of_another_organisation_cannot_be_removed_here(
    db, client, login_as, org, org_admin, other_org_moderator, fresh
):
    login_as(org_admin)
    fresh()
    theirs = _membership(db, other_org_moderator, Role.MODERATOR)
    response = client.post(f"{PEOPLE}/revoke", data={"membership_id": theirs.id})
    assert response.status_code == 404
    assert _membership(db, other_org_moderator, Role.MODERATOR) is not None


# --- invitations -----------------------------------------------------------------------------


def test_invitation_is_stored_mailed_in_the_chosen_language_and_audited(
    db, client, login_as, org, org_admin, outbox, fresh
):
    login_as(org_admin)
    fresh()
    response = client.post(
        f"{PEOPLE}/invite",
        data={"email": " Uusi.Moderaattori@Keitele.fi ", "role": "moderator", "mail_locale": "sv"},
    )
    assert response.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.email == "uusi.moderaattori@keitele.fi"
    assert invitation.role == Role.MODERATOR
    assert invitation.invited_by_id == org_admin.id
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    (message,) = outbox
    assert message.to == ["uusi.moderaattori@keitele.fi"]
    subject = tr("Invitation to the staff of %(org)s in eRaati", "sv", org="Keitele")
    assert message.subject == subject
    assert subject != tr("Invitation to the staff of %(org)s in eRaati", "en", org="Keitele")
    assert mail_link_path(message).startswith("/invitation/")
    (event,) = audit_rows("invitation.send")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        org_admin.id,
        invitation.id,
    )
    assert event.details["role"] == "moderator"


def test_the_invitation_is_mailed_by_the_job_queue(
    db, client, login_as, org, org_admin, outbox, fresh, redis_queue
):
    """The admin's request hands the message over and waits for no mail server; the worker
    writes it in the chosen language, the role's name too."""
    from rq import SimpleWorker

    from eraati.core.mail import DELIVER

    login_as(org_admin)
    fresh()
    client.post(
        f"{PEOPLE}/invite",
        data={"email": "uusi@keitele.fi", "role": "preparer", "mail_locale": "sv"},
    )
    assert db.session.scalar(sa.select(Invitation)) is not None
    assert outbox == []
    [job] = redis_queue.get_jobs()
    task, to, template, locale, context = job.args
    assert (task, to, template, locale) == (
        DELIVER,
        "uusi@keitele.fi",
        "organisations/email/invitation",
        "sv",
    )
    assert all(isinstance(v, (str, int, type(None))) for v in context.values())

    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True
    (message,) = outbox
    assert message.subject == tr(
        "Invitation to the staff of %(org)s in eRaati", "sv", org="Keitele"
    )
    role = tr("Preparer", "sv")
    assert role != "Preparer" and tr("Your role: %(role)s", "sv", role=role) in message.body
    assert mail_link_path(message).startswith("/invitation/")


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"email": "ei-osoite", "role": "moderator", "mail_locale": "fi"}, "email"),
        ({"email": "ei-osoite", "role": "", "mail_locale": "fi"}, "role"),
        ({"email": "hyva@keitele.fi", "role": "keisari", "mail_locale": "fi"}, "role"),
        ({"email": "hyva@keitele.fi", "role": "preparer", "mail_locale": "de"}, "mail_locale"),
    ],
)
def test_bad_invitation_keeps_the_input_and_writes_nothing(
    db, client, login_as, org, org_admin, outbox, fresh, data, error_field
):
    login_as(org_admin)
    fresh()
    response = client.post(f"{PEOPLE}/invite", data=data)
    assert response.status_code == 422
    page = read(text(response))
    assert f"{error_field}-error" in page.ids()
    email = next(e for e in page.find("input") if e.attrs.get("name") == "email")
    assert email.attrs["value"] == data["email"]
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
    assert outbox == []
    assert audit_rows() == []


def test_nobody_is_invited_to_a_role_they_have_or_twice(
    db, client, login_as, org, org_admin, moderator, outbox, fresh
):
    login_as(org_admin)
    fresh()
    response = client.post(
        f"{PEOPLE}/invite",
        data={"email": moderator.email.upper(), "role": "moderator", "mail_locale": "fi"},
    )
    assert response.status_code == 422
    assert "email-error" in read(text(response)).ids()
    data = {"email": "uusi@keitele.fi", "role": "preparer", "mail_locale": "fi"}
    assert client.post(f"{PEOPLE}/invite", data=data).status_code == 303
    again = client.post(f"{PEOPLE}/invite", data=data)
    assert again.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1
    assert len(outbox) == 1


def test_admin_revokes_a_pending_invitation(db, client, login_as, org, org_admin):
    invitation = services.invite(org, "uusi@keitele.fi", Role.PREPARER)
    db.session.commit()
    login_as(org_admin)
    response = client.post(f"/staff/keitele/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    db.session.refresh(invitation)
    assert invitation.revoked_at is not None
    (event,) = audit_rows("invitation.revoke")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        org_admin.id,
        invitation.id,
    )
    again = client.post(f"/staff/keitele/invitations/{invitation.id}/revoke")
    assert again.status_code == 303
    assert len(audit_rows("invitation.revoke")) == 1


def test_another_organisations_invitation_cannot_be_revoked_here(
    db, client, login_as, org, other_org, org_admin
):
    theirs = services.invite(other_org, "uusi@vierema.fi", Role.PREPARER)
    db.session.commit()
    login_as(org_admin)
    assert client.post(f"/staff/keitele/invitations/{theirs.id}/revoke").status_code == 404
    db.session.refresh(theirs)
    assert theirs.revoked_at is None
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "invitation.revoke")
        )
        == 0
    )
