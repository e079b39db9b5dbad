"""Fixtures for the moderation tests."""

from __future__ import annotations

import pytest

from eraati.moderation.reasons import create_default_reasons
from tests.consultations.topic_support import Browser, choose_language


@pytest.fixture
def reasons(db, org):
    """The organisation's standard reason templates (Finnish first)."""
    made = create_default_reasons(org)
    db.session.commit()
    return made


@pytest.fixture
def browser(app, client):
    """Production-like requests (own app context each), pages in English."""
    choose_language(client, "en")
    return Browser(app, client)
