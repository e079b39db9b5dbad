"""Fixtures of the topic management tests: an admin of another organisation, a browser
that runs each request as production does, and topics in each phase."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import TopicStatus
from tests import factories


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
