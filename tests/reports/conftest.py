"""Fixtures of the report tests: the results' topic with one of everything."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.core.time import utcnow
from tests.results.support import build_world


@pytest.fixture
def world(db, org):
    """Closed yesterday, with comments of every channel, hidden and waiting ones, themes,
    quotes, a key comment and an official reply (``tests/results/support.py``)."""
    built = build_world(org)
    db.session.commit()
    return built


@pytest.fixture
def open_world(db, org):
    """The same topic, still open for a week."""
    built = build_world(org)
    built.topic.closes_at = utcnow() + timedelta(days=7)
    db.session.commit()
    return built
