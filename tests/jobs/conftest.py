"""Fixtures of the export-job tests: a directory of files per test, the topic with one of
everything (tests/exports). The backend per test and the real Redis queue are in
tests/conftest.py (the account e-mails use them too)."""

from __future__ import annotations

import pytest

from tests.exports.support import build_world


@pytest.fixture
def export_dir(app, tmp_path):
    """The files of this test only: tidy() may sweep the directory."""
    saved = app.config["EXPORT_DIR"]
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    yield tmp_path / "exports"
    app.config["EXPORT_DIR"] = saved


@pytest.fixture
def world(db, org, open_topic, org_admin, export_dir):
    made = build_world(org, open_topic, org_admin)
    db.session.commit()
    return made
