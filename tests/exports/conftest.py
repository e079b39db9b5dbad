"""Fixtures of the export tests: a topic with one of everything."""

from __future__ import annotations

import pytest

from tests.exports.support import build_world


@pytest.fixture
def world(db, org, open_topic, org_admin):
    made = build_world(org, open_topic, org_admin)
    db.session.commit()
    return made
