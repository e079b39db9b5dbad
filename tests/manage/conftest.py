"""Fixtures of the topic management tests: an admin of another organisation, a browser
that runs each request as production does, and topics in each phase."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import TopicStatus
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import Browser


@pytest.fixture
def browser(app, client):
    return Browser(app, client)


@pytest.fixture
def other_org_admin(db, other_org):
    user = factories.make_user("paakayttaja@vierema.fi", org=other_org, roles=(Role.ADMIN,))
    db.session.commit()
    return user


@pytest.fixture
def draft_topic(db, org):
    topic = factories.make_topic(
        org,
        slug="luonnos",
        title="Luonnos",
        status=TopicStatus.DRAFT,
        opens_in=timedelta(days=1),
        closes_in=timedelta(days=30),
    )
    db.session.commit()
    return topic
