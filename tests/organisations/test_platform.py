"""The platform admin's pages: organisations created and edited, admins appointed."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from eraati.extensions import db as _db
from eraati.moderation.models import ModerationReason
from eraati.organisations import services
from eraati.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from tests import factories
from tests.organisations.support import audit_rows, mail_link_path, text
from tests.page_support import read

NEW = "/platform/organisations/new"


def _new(**changes) -> dict:
    data = {
        "kind": "municipality",
        "slug": "tervo",
        "name_fi": "Tervo",
        "name_sv": "",
        "name_en": "",
        "languages": ["fi"],
        "primary_language": "fi",
        "contact_email": "",
        "contact_phone": "",
        "website_url": "",
        "members": [],
    }
    data.update(changes)
    return data


def _org(slug: str) -> Organisation | None:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _value(page, name):
    return next(e for e in page.find("input") if e.attrs.get("name") == name).attrs.get("value")


# --- create -------------------------------------------------------------------------------


def test_platform_admin_creates_a_municipality(db, client, login_as, platform_admin):
    login_as(platform_admin)
    response = client.post(
        NEW,
        data=_new(
            name_sv="Tervo kommun",
            languages=["fi", "sv"],
            contact_email="kirjaamo@tervo.fi",
            website_url="https://www.tervo.fi",
        ),
    )
    assert response.status_code == 303
    org = _org("tervo")
    assert response.headers["Location"] == f"/platform/organisations/{org.id}/edit#appoint"
    assert (org.kind, org.name_fi, org.name_sv, org.languages) == (
        OrganisationKind.MUNICIPALITY,
        "Tervo",
        "Tervo kommun",
        "fi,sv",
    )
    assert org.contact_email == "kirjaamo@tervo.fi"
    reasons = db.session.scalars(
        sa.select(ModerationReason).where(ModerationReason.organisation_id == org.id)
    ).all()
    assert len(reasons) == 5  # the default reason templates
    (event,) = audit_rows("organisation.create")
    assert event.organisation_id is None  # a platform act
    assert (event.actor_id, event.target_id) == (platform_admin.id, org.id)


def test_a_joint_authority_gets_its_member_municipalities(db, client, login_as, platform_admin):
    iisalmi = factories.make_org("iisalmi", "Iisalmi")
    vierema = factories.make_org("vierema", "Vieremä")
    other_authority = factories.make_org("kys", "KYS", kind=OrganisationKind.JOINT_AUTHORITY)
    db.session.commit()
    login_as(platform_admin)
    page = read(text(client.get(NEW)))
    offered = {e.attrs["value"] for e in page.find("input") if e.attrs.get("name") == "members"}
    assert offered == {str(iisalmi.id), str(vierema.id)}  # municipalities only
    response = client.post(
        NEW,
        data=_new(
            kind="joint_authority",
            slug="yla-savon-sote",
            name_fi="Ylä-Savon SOTE",
            members=[str(iisalmi.id), str(vierema.id)],
        ),
    )
    assert response.status_code == 303
    org = _org("yla-savon-sote")
    assert org.kind == OrganisationKind.JOINT_AUTHORITY
    assert sorted(m.slug for m in org.members) == ["iisalmi", "vierema"]
    assert other_authority not in org.members


@pytest.mark.parametrize(
    ("changes", "error_id"),
    [
        ({"slug": "Tervo"}, "slug-error"),
        ({"slug": "tervo kunta"}, "slug-error"),
        ({"slug": "tervö"}, "slug-error"),
        ({"slug": "-tervo"}, "slug-error"),
        ({"slug": "t"}, "slug-error"),
        ({"slug": ""}, "slug-error"),
        ({"slug": "staff"}, "slug-error"),
        ({"slug": "saavutettavuus"}, "slug-error"),
        ({"slug": "invitation"}, "slug-error"),
        ({"slug": "keitele"}, "slug-error"),  # taken
        ({"name_fi": ""}, "name_fi-error"),
        ({"kind": ""}, "kind-error"),
        ({"kind": "county"}, "kind-error"),
        ({"languages": ["en"]}, "languages-error"),
        ({"primary_language": "sv"}, "primary_language-error"),
        ({"members": ["KEITELE_ID"]}, "members-error"),  # a municipality has no members
        ({"kind": "joint_authority", "members": ["999999"]}, "members-error"),
        ({"contact_email": "ei-osoite"}, "contact_email-error"),
    ],
)
def test_bad_input_keeps_the_values_and_creates_nothing(
    db, client, login_as, org, platform_admin, changes, error_id
):
    login_as(platform_admin)
    if changes.get("members") == ["KEITELE_ID"]:
        changes = dict(changes, members=[str(org.id)])
    before = _count(Organisation)
    response = client.post(NEW, data=_new(name_en="Typed name", **changes))
    assert response.status_code == 422
    page = read(text(response))
    assert error_id in page.ids()
    assert _value(page, "name_en") == "Typed name"
    assert _count(Organisation) == before
    assert _count(ModerationReason) == 0
    assert audit_rows() == []


# --- edit ------------------------------------------------------------------------------------


def _edit_form(org: Organisation, **changes) -> dict:
    data = _new(
        kind=str(org.kind),
        slug=org.slug,
        name_fi=org.name_fi,
        name_sv=org.name_sv or "",
        name_en=org.name_en or "",
        languages=org.language_list,
        primary_language=org.primary_language,
        members=[str(m.id) for m in org.members],
        stamp=services.fingerprint(org, services.PLATFORM_FIELDS, members=True),
    )
    data.update(changes)
    return data


def test_platform_admin_edits_an_organisation(db, client, login_as, org, other_org, platform_admin):
    login_as(platform_admin)
    html = text(client.get(f"/platform/organisations/{org.id}/edit"))
    page = read(html)
    assert _value(page, "slug") == "keitele"
    # No link to staff pages the platform admin has no role in (they would answer 403).
    assert f'href="/staff/{org.slug}/"' not in html
    assert f'href="/{org.slug}"' in html  # the public page
    response = client.post(
        f"/platform/organisations/{org.id}/edit",
        data=_edit_form(
            org, slug="keitele-kunta", name_sv="Keitele kommun", languages=["fi", "sv"]
        ),
    )
    assert response.status_code == 303
    edited = _org("keitele-kunta")
    assert (edited.id, edited.name_sv, edited.languages) == (org.id, "Keitele kommun", "fi,sv")
    (event,) = audit_rows("organisation.edit")
    assert event.organisation_id == org.id
    assert event.details["slug"] == ["keitele", "keitele-kunta"]


def test_the_address_of_another_organisation_cannot_be_taken(
    db, client, login_as, org, other_org, platform_admin
):
    login_as(platform_admin)
    response = client.post(
        f"/platform/organisations/{org.id}/edit", data=_edit_form(org, slug="vierema")
    )
    assert response.status_code == 422
    assert "slug-error" in read(text(response)).ids()
    assert _org("keitele") is not None
    assert audit_rows() == []


def test_a_stale_platform_edit_is_not_saved(db, client, login_as, org, platform_admin):
    login_as(platform_admin)
    old = _edit_form(org, name_en="Mine")
    services.update_organisation(org, {"name_en": "Theirs"})
    db.session.commit()
    response = client.post(f"/platform/organisations/{org.id}/edit", data=old)
    assert response.status_code == 409
    assert _org("keitele").name_en == "Theirs"


def test_a_joint_authority_edit_changes_its_members(db, client, login_as, platform_admin):
    iisalmi = factories.make_org("iisalmi", "Iisalmi")
    vierema = factories.make_org("vierema", "Vieremä")
    sote = factories.make_org("sote", "Sote", kind=OrganisationKind.JOINT_AUTHORITY)
    sote.members = [iisalmi]
    db.session.commit()
    login_as(platform_admin)
    response = client.post(
        f"/platform/organisations/{sote.id}/edit",
        data=_edit_form(sote, members=[str(vierema.id)]),
    )
    assert response.status_code == 303
    assert [m.slug for m in _org("sote").members] == ["vierema"]
    (event,) = audit_rows("organisation.edit")
    assert event.details["members"] == [["iisalmi"], ["vierema"]]


# --- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(db, browser, login_as, platform_admin, count):
    for i in range(count):
        org = factories.make_org(f"kunta-{i}")
        factories.make_user(f"admin{i}@example.fi", org=org, roles=(Role.ADMIN,))
    db.session.commit()
    login_as(platform_admin)
    response = browser.get("/platform/organisations")
    assert response.status_code == 200
    assert text(response).count('role="rowheader"') == count
    assert browser.queries == 3  # user, the page of organisations, the total


def test_the_list_marks_organisations_without_an_admin(
    db, client, login_as, org, other_org, platform_admin, org_admin
):
    login_as(platform_admin)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = text(client.get("/platform/organisations"))
    assert page.count("No admin yet") == 1


def _english(client) -> None:
    with client.session_transaction() as session:
        session["lang"] = "en"


def _moderator_cells(html: str) -> dict[str, str]:
    """{organisation name: its Moderators cell} of the platform's list."""
    page = read(html)
    cells = {}
    for cell in page.find("td"):
        if cell.attrs.get("data-label") == "Moderators":
            row = cell.up("tr")
            name = next(a.text for a in page.find("a") if a.up("tr") is row)
            cells[name] = " ".join(cell.text.split())
    return cells


def test_the_list_shows_which_organisations_have_nobody_to_moderate(
    db, client, login_as, org, other_org, platform_admin, org_admin
):
    tervo = factories.make_org("tervo", "Tervo")
    factories.make_user("moderaattori@tervo.fi", org=tervo, roles=(Role.MODERATOR,))
    db.session.commit()
    login_as(platform_admin)
    _english(client)
    assert _moderator_cells(text(client.get("/platform/organisations"))) == {
        "Keitele": "None: the admins moderate",  # an admin, no moderator
        "Tervo": "1",
        "Vieremä": "None: reports reach nobody",  # nobody at all
    }


def test_the_platform_admin_appoints_a_moderator_where_reports_reach_nobody(
    db, client, login_as, other_org, platform_admin, resident, fresh
):
    login_as(platform_admin)
    _english(client)
    page = text(client.get(f"/platform/organisations/{other_org.id}/edit"))
    assert "reported comments and comments waiting for review reach nobody" in page
    fresh()
    response = client.post(
        f"/platform/organisations/{other_org.id}/admins",
        data={"email": resident.email, "role": "moderator", "mail_locale": "fi"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/platform/organisations/{other_org.id}/edit#staff"
    roles = db.session.execute(
        sa.select(Membership.organisation_id, Membership.user_id, Membership.role)
    ).all()
    assert roles == [(other_org.id, resident.id, Role.MODERATOR)]
    (event,) = audit_rows("role.grant")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        other_org.id,
        platform_admin.id,
        resident.id,
    )
    assert event.details == {"role": "moderator"}
    page = text(client.get(response.headers["Location"]))
    assert f"{resident.email} now has the role Moderator." in page
    assert f"{resident.display_name} ({resident.email}): Moderator" in page
    assert "reach nobody" not in page
    assert "The organisation has no admin yet." in page
    assert _moderator_cells(text(client.get("/platform/organisations"))) == {"Vieremä": "1"}


def test_the_platform_admin_invites_staff_of_any_role(
    db, client, login_as, org, platform_admin, outbox, fresh
):
    login_as(platform_admin)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": "valmistelija@keitele.fi", "role": "preparer", "mail_locale": "sv"},
    )
    assert response.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.organisation_id, invitation.email, invitation.role) == (
        org.id,
        "valmistelija@keitele.fi",
        Role.PREPARER,
    )
    (message,) = outbox
    assert message.to == ["valmistelija@keitele.fi"]
    (event,) = audit_rows("invitation.send")
    assert (event.organisation_id, event.actor_id, event.details["role"]) == (
        org.id,
        platform_admin.id,
        "preparer",
    )


def test_a_role_outside_the_list_is_an_error_next_to_it(
    db, client, login_as, org, platform_admin, resident, fresh
):
    login_as(platform_admin)
    _english(client)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": resident.email, "role": "owner", "mail_locale": "fi"},
    )
    assert response.status_code == 422
    page = read(text(response))
    assert "role-error" in page.ids()
    assert _value(page, "email") == resident.email
    assert _count(Membership) == 0 and _count(Invitation) == 0 and audit_rows() == []


# --- appointing admins -----------------------------------------------------------------------


def test_an_existing_verified_user_becomes_admin_at_once(
    db, client, login_as, org, platform_admin, resident, outbox, fresh
):
    login_as(platform_admin)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": resident.email.upper(), "mail_locale": "fi"},
    )
    assert response.status_code == 303
    assert (
        db.session.scalar(sa.select(Membership.role).where(Membership.user_id == resident.id))
        == Role.ADMIN
    )
    assert outbox == []
    (event,) = audit_rows("role.grant")
    assert (event.organisation_id, event.actor_id, event.target_id) == (
        org.id,
        platform_admin.id,
        resident.id,
    )


@pytest.mark.parametrize("verified", [False, None])
def test_anyone_else_is_invited(db, client, login_as, org, platform_admin, outbox, fresh, verified):
    if verified is False:
        factories.make_user("uusi@keitele.fi", verified=False)
        db.session.commit()
    login_as(platform_admin)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": "uusi@keitele.fi", "mail_locale": "sv"},
    )
    assert response.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.email, invitation.role) == ("uusi@keitele.fi", Role.ADMIN)
    assert _count(Membership) == 0
    (message,) = outbox
    assert mail_link_path(message).startswith("/invitation/")
    assert len(audit_rows("invitation.send")) == 1


def test_appointing_asks_for_the_password_and_keeps_the_address(
    db, client, login_as, org, platform_admin, resident
):
    login_as(platform_admin)
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": resident.email, "mail_locale": "sv"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/staff/reauth?next=")
    local_part = resident.email.split("@")[0]  # the address is kept in the session instead
    assert local_part not in unquote(unquote(response.headers["Location"]))
    assert _count(Membership) == 0
    from urllib.parse import parse_qs, urlsplit

    target = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
    page = read(text(client.get(target)))
    assert _value(page, "email") == resident.email


def test_a_bad_address_is_shown_next_to_the_field(db, client, login_as, org, platform_admin, fresh):
    login_as(platform_admin)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins", data={"email": "ei osoite", "mail_locale": "fi"}
    )
    assert response.status_code == 422
    page = read(text(response))
    assert "email-error" in page.ids()
    assert _value(page, "email") == "ei osoite"
    assert _count(Invitation) == 0 and _count(Membership) == 0


def test_an_admin_is_not_appointed_twice(
    db, client, login_as, org, org_admin, platform_admin, fresh
):
    login_as(platform_admin)
    fresh()
    response = client.post(
        f"/platform/organisations/{org.id}/admins",
        data={"email": org_admin.email, "mail_locale": "fi"},
    )
    assert response.status_code == 422
    assert _count(Membership) == 1
    assert audit_rows() == []
