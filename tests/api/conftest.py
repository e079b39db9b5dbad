"""Fixtures of the API tests: topics in every state, and the demo data."""

from __future__ import annotations

import pytest

from eraati.consultations import demo
from tests.api.support import build_api_world


@pytest.fixture
def world(db, org):
    built = build_api_world(org)
    db.session.commit()
    return built


@pytest.fixture
def demo_data(db):
    demo.seed()
    db.session.commit()
