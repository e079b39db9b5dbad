"""Which organisations' new consultations a resident hears of: by default their home
municipality and the joint authorities it is a member of; their own choices on the
preferences page, kept as differences from that default."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.notifications import services
from eraati.notifications.models import Kind, Mode, OrganisationSubscription
from eraati.organisations.models import (
    OrganisationKind,
    Role,
    authority_members,
    organisation_members,
)
from tests import factories


@pytest.fixture
def sote(db, org, other_org):
    """A joint authority whose member is Keitele (not Vieremä)."""
    authority = factories.make_org(
        "ylasavon-sote", "Ylä-Savon SOTE", kind=OrganisationKind.JOINT_AUTHORITY
    )
    db.session.execute(
        organisation_members.insert().values(authority_id=authority.id, member_id=org.id)
    )
    db.session.commit()
    return authority


def _subscribers(org_id: int) -> set[int]:
    return set(services.db.session.scalars(services.subscribers(org_id)))


def _checked(page: str) -> set[str]:
    """The organisation checkboxes ticked on the preferences page (their values)."""
    import re

    return set(
        re.findall(r'<input checked[^>]*name="organisations"[^>]*value="(\d+)"', page)
    ) | set(re.findall(r'<input[^>]*name="organisations"[^>]*value="(\d+)"[^>]*checked', page))


def _form(page_kinds: list[Kind], **choices) -> dict:
    data = {f"kind_{k.value}": services.RULES[k].default.value for k in page_kinds}
    data.update(choices)
    return data


RESIDENT_KINDS = [k for k, rule in services.RULES.items() if not rule.staff]


def test_the_default_is_the_home_municipality_and_its_joint_authorities_until_changed(
    db, client, login_as, org, other_org, sote, resident, other_resident
):
    factories.set_home(resident, org)
    db.session.commit()
    assert services.subscriptions(resident) == {org.id, sote.id}
    assert services.subscriptions(other_resident) == set()  # no home municipality
    assert _subscribers(org.id) == {resident.id} and _subscribers(sote.id) == {resident.id}
    assert _subscribers(other_org.id) == set()

    login_as(resident)
    page = client.get("/account/notifications?lang=en")
    assert _checked(page.text) == {str(org.id), str(sote.id)}
    assert "it is a member of: Keitele, Ylä-Savon SOTE." in page.text
    assert "You get no e-mail about them until you choose" in page.text  # new_topic is off

    # Not the joint authority, but Vieremä too; and new consultations in the digest.
    response = client.post(
        "/account/notifications",
        data=_form(
            RESIDENT_KINDS,
            kind_new_topic="digest",
            organisations=[str(org.id), str(other_org.id)],
        ),
    )
    assert response.status_code == 303
    assert services.subscriptions(resident) == {org.id, other_org.id}
    assert services.modes(resident.id)[Kind.NEW_TOPIC] == Mode.DIGEST
    rows = dict(
        db.session.execute(
            sa.select(OrganisationSubscription.organisation_id, OrganisationSubscription.subscribed)
        ).all()
    )
    assert rows == {sote.id: False, other_org.id: True}  # only what differs from the default
    assert _subscribers(sote.id) == set()
    assert _subscribers(other_org.id) == {resident.id} and _subscribers(org.id) == {resident.id}
    page = client.get("/account/notifications")
    assert _checked(page.text) == {str(org.id), str(other_org.id)}

    # Moving to Vieremä: the default follows the person, their own choices stay.
    factories.set_home(resident, other_org)
    db.session.commit()
    assert services.subscriptions(resident) == {other_org.id}
    assert _subscribers(org.id) == set() and _subscribers(sote.id) == set()

    # Saving the same choices again writes nothing new; ticking back the default removes
    # the refusal.
    services.set_subscriptions(resident, {other_org.id, sote.id})
    db.session.commit()
    assert services.subscriptions(resident) == {other_org.id, sote.id}
    assert _subscribers(sote.id) == {resident.id}


def test_a_member_municipality_without_its_own_pages_hears_of_its_joint_authority(
    db, client, login_as, org, sote, resident, other_resident
):
    """Kiuruvesi (263) is on the joint authority's list of members but has no organisation
    here: its residents hear of the authority's new consultations by default all the same,
    and no other municipality's residents do."""
    db.session.execute(
        authority_members.insert().values(authority_id=sote.id, municipality_code="263")
    )
    resident.home_municipality_code = "263"
    other_resident.home_municipality_code = "297"  # Kuopio: not a member
    db.session.commit()
    assert services.subscriptions(resident) == {sote.id}
    assert services.subscriptions(other_resident) == set()
    assert _subscribers(sote.id) == {resident.id}
    assert _subscribers(org.id) == set()
    login_as(other_resident)
    page = client.get("/account/notifications?lang=en").text
    assert "Neither your home municipality nor a joint authority it belongs to" in page
    assert "Your account names no home municipality" not in page
    # Refusing it holds as for any default.
    services.set_subscriptions(resident, set())
    db.session.commit()
    assert services.subscriptions(resident) == set() and _subscribers(sote.id) == set()


def test_the_staff_kind_is_offered_only_to_those_who_moderate(
    db, client, login_as, org, resident, preparer, moderator
):
    login_as(resident)
    assert 'name="kind_staff_queue"' not in client.get("/account/notifications").text
    login_as(preparer)  # staff, but works no moderation queue
    assert 'name="kind_staff_queue"' not in client.get("/account/notifications").text
    login_as(moderator)
    page = client.get("/account/notifications?lang=en")
    assert 'name="kind_staff_queue" type="radio" value="instant"' in page.text
    # The note comes at once or not at all: no digest choice.
    assert 'name="kind_staff_queue" type="radio" value="digest"' not in page.text
    all_kinds = list(services.RULES)
    response = client.post(
        "/account/notifications",
        data=_form(
            all_kinds, kind_staff_queue="instant", kind_opening="off", kind_new_topic="instant"
        ),
    )
    assert response.status_code == 303
    modes = services.modes(moderator.id)
    assert (modes[Kind.STAFF_QUEUE], modes[Kind.OPENING], modes[Kind.NEW_TOPIC]) == (
        Mode.INSTANT,
        Mode.OFF,
        Mode.INSTANT,
    )
    # A digest for a kind without one is refused next to the field, nothing saved.
    response = client.post(
        "/account/notifications",
        data=_form(all_kinds, kind_staff_queue="digest", kind_opening="instant"),
    )
    assert response.status_code == 422
    assert services.modes(moderator.id)[Kind.OPENING] == Mode.OFF
    assert Role.MODERATOR in moderator.roles_in(org)
