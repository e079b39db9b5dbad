"""Fixtures of the editorial-work tests: an English-speaking browser, a comment, themes."""

from __future__ import annotations

import pytest

from tests.consultations.topic_support import Browser, choose_language, make_comment
from tests.curation.support import make_theme


@pytest.fixture
def browser(app, client):
    choose_language(client, "en")  # messages in English, whoever is signed in
    return Browser(app, client)


@pytest.fixture
def comment(db, open_topic, resident):
    made = make_comment(open_topic, resident, "Aukioloajat ovat liian lyhyet.")
    db.session.commit()
    return made


@pytest.fixture
def theme(db, open_topic):
    made = make_theme(open_topic, "Aukioloajat", position=0)
    db.session.commit()
    return made


@pytest.fixture
def other_theme(db, open_topic):
    made = make_theme(open_topic, "Kokoelmat", position=1)
    db.session.commit()
    return made
