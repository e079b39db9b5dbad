"""Fixtures of the events tests: an English-speaking browser and an event."""

from __future__ import annotations

import pytest

from tests.consultations.topic_support import Browser, choose_language
from tests.events.support import make_event


@pytest.fixture
def browser(app, client):
    choose_language(client, "en")
    return Browser(app, client)


@pytest.fixture
def event(db, open_topic):
    made = make_event(open_topic, days=3, place="Keiteleen kirjasto")
    db.session.commit()
    return made
