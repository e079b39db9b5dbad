"""Who may open the staff results page: the organisation's staff, in any role."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import TopicStatus
from eraati.organisations.models import Role
from tests import factories
from tests.results.support import public_url, staff_url


@pytest.mark.parametrize("persona", ["preparer", "moderator", "org_admin"])
def test_every_staff_role_of_the_organisation_may_see_the_results(
    request, client, login_as, world, persona
):
    login_as(request.getfixturevalue(persona))
    response = client.get(staff_url(world.topic))
    assert response.status_code == 200
    assert 'id="participation"' in response.get_data(as_text=True)


def test_staff_of_another_organisation_are_refused(client, login_as, db, world, other_org):
    outsider = factories.make_user(
        "kaikki@vierema.fi", org=other_org, roles=(Role.ADMIN, Role.MODERATOR, Role.PREPARER)
    )
    db.session.commit()
    login_as(outsider)
    assert client.get(staff_url(world.topic)).status_code == 403
    # Keitele's topic id in Vieremä's own address: not found there.
    assert client.get(staff_url(world.topic, org_slug="vierema")).status_code == 404


def test_a_resident_is_refused(client, login_as, world, resident):
    login_as(resident)
    assert client.get(staff_url(world.topic)).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, world):
    response = client.get(staff_url(world.topic))
    assert response.status_code in (302, 303)
    assert "/account/login" in response.headers["Location"]


def test_an_unknown_organisation_or_topic_is_not_found(client, login_as, world, preparer):
    login_as(preparer)
    assert client.get("/staff/ei-ole/topics/1/results-overview").status_code == 404
    assert (
        client.get(f"/staff/keitele/topics/{world.topic.id + 999}/results-overview").status_code
        == 404
    )


def test_staff_see_a_draft_topics_results_the_public_does_not(client, login_as, db, org, preparer):
    draft = factories.make_topic(
        org, title="Luonnos", status=TopicStatus.DRAFT, opens_in=timedelta(days=3)
    )
    db.session.commit()
    assert client.get(public_url(draft)).status_code == 404
    login_as(preparer)
    response = client.get(staff_url(draft))
    assert response.status_code == 200
    assert "result-interim" in response.get_data(as_text=True)


def test_the_public_page_is_for_everyone_once_published(
    client, login_as, published_world, resident
):
    assert client.get(public_url(published_world.topic)).status_code == 200  # visitor
    login_as(resident)
    assert client.get(public_url(published_world.topic)).status_code == 200
