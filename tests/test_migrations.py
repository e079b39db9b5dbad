"""Migrations upgrade and downgrade cleanly, and agree with the models."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from eraati import create_app
from eraati.extensions import db
from tests import pgdb


@pytest.fixture
def empty_database_url(tmp_path, worker_id):
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    url = f"{base}_mig_{worker_id}"
    pgdb.create(url)
    yield url.replace("postgresql://", "postgresql+psycopg://")
    pgdb.drop(url)


def _diff(connection) -> list:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": False}
    )
    return compare_metadata(context, db.metadata)


def test_upgrade_matches_models_and_downgrade_is_clean(empty_database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert _diff(conn) == [], "models and migrations disagree: run `flask db migrate`"
            tables = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}

        upgrade()  # and back up again
        with db.engine.connect() as conn:
            assert _diff(conn) == []
        db.engine.dispose()
