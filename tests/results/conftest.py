"""Fixtures of the results tests: the built topic, closed or published, and a browser."""

from __future__ import annotations

import pytest

from tests.results.support import build_world


@pytest.fixture
def world(db, org):
    built = build_world(org)
    db.session.commit()
    return built


@pytest.fixture
def published_world(db, org):
    built = build_world(org, published=True)
    db.session.commit()
    return built
