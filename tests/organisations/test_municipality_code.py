"""A municipality's own code (organisations.municipality_code) on its settings page: its
residents are those whose home municipality (users.home_municipality_code) is the code."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.extensions import db as _db
from eraati.notifications import services as notifications
from eraati.organisations import services
from eraati.organisations.models import OrganisationKind, Role
from tests import factories


def _selected(page: str) -> list[str]:
    select = re.search(r'<select[^>]*id="municipality_code".*?</select>', page, re.S).group(0)
    return re.findall(r'<option selected value="([^"]*)">', select)


def test_the_admin_chooses_the_municipality_and_its_residents_follow(
    db, client, login_as, org, org_admin, resident
):
    resident.home_municipality_code = "239"  # Keitele, told before the code was set
    _db.session.commit()
    assert notifications.default_subscriptions(resident.home_municipality_code) == set()

    login_as(org_admin)
    page = client.get("/staff/keitele/settings?lang=sv").get_data(as_text=True)
    assert 'id="municipality-section"' in page
    assert _selected(page) == [""]  # none yet
    assert '<option value="239">Keitele</option>' in page and ">Idensalmi</option>" in page
    answer = client.post("/staff/keitele/settings/municipality", data={"municipality_code": "239"})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/staff/keitele/settings#municipality-section")
    _db.session.refresh(org)
    assert org.municipality_code == "239"
    event = _db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[-1]
    assert event.details == {"municipality_code": [None, "239"]}
    page = client.get("/staff/keitele/settings?lang=fi").get_data(as_text=True)
    assert _selected(page) == ["239"] and "Nyt: Keitele (239)" in page
    # The resident's home organisation is now Keitele: derived, nothing else written.
    assert notifications.default_subscriptions(resident.home_municipality_code) == {org.id}

    answer = client.post("/staff/keitele/settings/municipality", data={"municipality_code": ""})
    assert answer.status_code == 303
    _db.session.refresh(org)
    assert org.municipality_code is None


def test_a_code_another_organisation_has_is_refused_beside_the_field(
    db, client, login_as, org, org_admin, other_org
):
    other_org.municipality_code = "925"  # Vieremä
    org.municipality_code = "239"
    _db.session.commit()
    login_as(org_admin)
    answer = client.post(
        "/staff/keitele/settings/municipality?lang=fi", data={"municipality_code": "925"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    error = re.search(
        r'<p class="error-message" id="municipality_code-error">(.*?)</p>', page, re.S
    )
    assert f"Tämä kunta on jo organisaatiolla {other_org.name_fi}." in error.group(1)
    assert 'aria-describedby="municipality_code-hint municipality_code-error"' in page
    assert _selected(page) == ["925"]  # what was chosen is kept
    _db.session.refresh(org)
    assert org.municipality_code == "239"  # nothing written
    assert _db.session.scalars(sa.select(AuditEvent)).all() == []


def test_an_unknown_code_is_refused(db, client, login_as, org, org_admin):
    login_as(org_admin)
    for bad in ("999", "14", "other", "<b>"):
        answer = client.post(
            "/staff/keitele/settings/municipality", data={"municipality_code": bad}
        )
        assert answer.status_code == 422
        assert 'id="municipality_code-error"' in answer.get_data(as_text=True)
    _db.session.refresh(org)
    assert org.municipality_code is None


def test_a_joint_authority_has_no_code(db, client, login_as):
    sote = factories.make_org("sote", "Ylä-Savon SOTE", kind=OrganisationKind.JOINT_AUTHORITY)
    admin = factories.make_user("sote.admin@example.fi", org=sote, roles=(Role.ADMIN,))
    _db.session.commit()
    login_as(admin)
    page = client.get("/staff/sote/settings").get_data(as_text=True)
    assert "municipality-section" not in page
    answer = client.post("/staff/sote/settings/municipality", data={"municipality_code": "140"})
    assert answer.status_code == 422
    _db.session.refresh(sote)
    assert sote.municipality_code is None
    try:
        services.set_municipality_code(sote, "140")
    except services.UnknownMunicipality:
        pass
    else:
        raise AssertionError("a joint authority got a code")


def test_other_staff_cannot_change_the_code(db, client, login_as, org):
    moderator = factories.make_user(org=org, roles=(Role.MODERATOR,))
    _db.session.commit()
    login_as(moderator)
    answer = client.post("/staff/keitele/settings/municipality", data={"municipality_code": "239"})
    assert answer.status_code == 403
    _db.session.refresh(org)
    assert org.municipality_code is None


def test_a_municipality_made_a_joint_authority_loses_its_code(db, org):
    org.municipality_code = "239"
    changed = services.update_organisation(org, {"kind": "joint_authority"})
    assert changed == ["kind", "municipality_code"]
    assert org.municipality_code is None
    event = _db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()[-1]
    assert event.details["municipality_code"] == ["239", None]
