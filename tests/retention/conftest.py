"""A published topic with one of everything (tests/exports' world), its results published
on ``PUBLISHED``, plus a follow, reports with free texts and a prepared file."""

from __future__ import annotations

import pytest

from tests.retention.support import publish_world


@pytest.fixture
def export_dir(app, tmp_path):
    saved = app.config["EXPORT_DIR"]
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    yield tmp_path / "exports"
    app.config["EXPORT_DIR"] = saved


@pytest.fixture
def world(db, org, open_topic, org_admin, export_dir):
    made = publish_world(org, open_topic, org_admin)
    db.session.commit()
    return made
