"""A joint authority's member municipalities (authority_members) on its settings page."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.extensions import db as _db
from eraati.organisations import services
from eraati.organisations.models import OrganisationKind, Role, authority_members
from tests import factories


def _authority():
    org = factories.make_org("ylasavon-sote", "Ylä-Savon SOTE", languages="fi,sv",
                             kind=OrganisationKind.JOINT_AUTHORITY)  # fmt: skip
    admin = factories.make_user("sote.admin@example.fi", org=org, roles=(Role.ADMIN,))
    _db.session.commit()
    return org, admin


def _codes(org):
    return sorted(
        _db.session.scalars(
            sa.select(authority_members.c.municipality_code).where(
                authority_members.c.authority_id == org.id
            )
        )
    )


def test_the_admin_chooses_members_from_the_reference_list(db, client, login_as):
    org, admin = _authority()
    login_as(admin)
    page = client.get("/staff/ylasavon-sote/settings?lang=sv").get_data(as_text=True)
    assert "Norra Savolax" in page and 'value="140"' in page and "Idensalmi" in page
    answer = client.post(
        "/staff/ylasavon-sote/settings/members",
        data={"municipalities": ["140", "263", "762", "925"]},
    )
    assert answer.status_code == 303
    assert _codes(org) == ["140", "263", "762", "925"]
    page = client.get("/staff/ylasavon-sote/settings?lang=fi").get_data(as_text=True)
    assert "Iisalmi, Kiuruvesi, Sonkajärvi, Vieremä" in page
    assert 'id="member-263" name="municipalities" value="263" checked' in page
    event = _db.session.scalars(sa.select(AuditEvent)).all()[-1]
    assert event.details == {"member_municipalities": [[], ["140", "263", "762", "925"]]}

    client.post("/staff/ylasavon-sote/settings/members", data={"municipalities": ["140"]})
    assert _codes(org) == ["140"]
    client.post("/staff/ylasavon-sote/settings/members", data={})
    assert _codes(org) == []


def test_an_unknown_code_is_refused_beside_the_field_and_nothing_is_written(db, client, login_as):
    org, admin = _authority()
    services.set_member_codes(org, ["140"])
    _db.session.commit()
    login_as(admin)
    answer = client.post(
        "/staff/ylasavon-sote/settings/members",
        data={"municipalities": ["925", "099", "<b>"]},
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="members-error"' in page
    assert "Valitse kunnat luettelosta." in page or "Choose municipalities" in page
    assert 'value="925" checked' in page  # what was chosen is kept
    assert _codes(org) == ["140"]


def test_a_municipality_has_no_member_list(db, client, login_as, org, org_admin):
    login_as(org_admin)
    page = client.get(f"/staff/{org.slug}/settings").get_data(as_text=True)
    assert "members-section" not in page
    answer = client.post(f"/staff/{org.slug}/settings/members", data={"municipalities": ["140"]})
    assert answer.status_code == 422
    assert _codes(org) == []


def test_the_service_refuses_unknown_codes(db):
    org, _admin = _authority()
    for bad in (["999"], ["14"], ["other"], ["140", ""]):
        try:
            services.set_member_codes(org, bad)
        except services.UnknownMunicipality:
            pass
        else:
            raise AssertionError(bad)
    assert _codes(org) == []
    assert services.set_member_codes(org, ["925", "140", "140"]) is True
    assert services.set_member_codes(org, ["140", "925"]) is False
    assert services.member_codes(org) == ["140", "925"]


def test_other_staff_cannot_change_the_members(db, client, login_as):
    org, _admin = _authority()
    moderator = factories.make_user(org=org, roles=(Role.MODERATOR,))
    _db.session.commit()
    login_as(moderator)
    answer = client.post("/staff/ylasavon-sote/settings/members", data={"municipalities": ["140"]})
    assert answer.status_code == 403
    assert _codes(org) == []


def test_the_public_results_setting_is_saved(db, client, login_as):
    org, admin = _authority()
    login_as(admin)
    page = client.get("/staff/ylasavon-sote/settings").get_data(as_text=True)
    assert 'name="municipality_results_public"' in page
    assert org.municipality_results_public is False
