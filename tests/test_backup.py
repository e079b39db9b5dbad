"""``flask eraati backup`` and ``restore`` (issue 21): a round trip gives back every row of
every table, uploaded files included, on the database the suite runs on (pg_dump and
pg_restore on PostgreSQL, SQLite's backup API on the embedded default); a restore needs
``--yes``, refuses a backup of the other kind and a damaged file, and leaves the database
as it was when it fails."""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestingConfig
from eraati import create_app
from eraati.consultations import services as topic_services
from eraati.consultations.models import Comment, FileKind, TopicFile, VoteValue
from eraati.consultations.participation import vote_comment
from eraati.extensions import db
from tests import factories, pgdb

# Reflection skips the expression indexes; the rows are what is compared.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")

LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ATTACHMENT = b"%PDF-1.4\n" + os.urandom(5000)


@pytest.fixture
def spare_app(tmp_path, worker_id):
    """An app on a database of its own, migrated as production is (alembic_version too)."""
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if base:
        url = f"{base}_bak_{worker_id}"
        pgdb.create(url)
        uri = url.replace("postgresql://", "postgresql+psycopg://")
    else:
        uri = f"sqlite:///{tmp_path}/service.sqlite3"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()
    if base:
        pgdb.drop(url)


def _content(app) -> None:
    org = factories.make_org("varkaus", "Varkaus")
    org.logo, org.logo_type = LOGO, "image/png"
    writer, voter = factories.make_user(), factories.make_user()
    topic = factories.make_topic(org, slug="kirjasto", with_poll=True)
    db.session.add(
        TopicFile(topic_id=topic.id, kind=FileKind.ATTACHMENT, filename="liite.pdf",
                  content_type="application/pdf", size=len(ATTACHMENT), data=ATTACHMENT)
    )  # fmt: skip
    with app.test_request_context(method="POST"):
        comment = topic_services.post_comment(topic, writer, "Kirjasto auki iltaisin")
        vote_comment(comment, voter, VoteValue.AGREE)
    db.session.commit()


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    db.session.remove()
    meta = sa.MetaData()
    with db.engine.connect() as conn:
        meta.reflect(conn)
        return {
            name: sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            for name, table in meta.tables.items()
        }


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["eraati", *args])


def test_a_restore_gives_back_every_row_of_every_table(spare_app, tmp_path):
    _content(spare_app)
    before = _snapshot()
    assert before["topic_files"] and before["comment_votes"] and before["alembic_version"]
    path = tmp_path / "eraati.backup"
    done = _cli(spare_app, "backup", str(path))
    assert done.exit_code == 0, done.output
    assert "Backed up" in done.output and path.stat().st_size > len(ATTACHMENT)
    again = _cli(spare_app, "backup", str(path))
    assert again.exit_code != 0 and "exists already" in again.output

    # A bad day: rows changed, added and deleted.
    db.session.execute(sa.delete(Comment))
    db.session.execute(sa.text("UPDATE organisations SET name_fi = 'Väärä'"))
    factories.make_user("uusi@example.fi")
    db.session.commit()
    assert _snapshot() != before

    refused = _cli(spare_app, "restore", str(path))
    assert refused.exit_code != 0 and "--yes" in refused.output
    restored = _cli(spare_app, "restore", str(path), "--yes")
    assert restored.exit_code == 0, restored.output
    after = _snapshot()
    assert after == before
    file_data = db.session.scalar(sa.select(TopicFile.data))
    assert file_data == ATTACHMENT
    # The running app reads the restored rows at once, without a restart.
    assert spare_app.test_client().get("/varkaus/kirjasto").status_code == 200


def test_a_damaged_or_foreign_backup_is_refused_and_nothing_changes(spare_app, tmp_path):
    _content(spare_app)
    path = tmp_path / "eraati.backup"
    assert _cli(spare_app, "backup", str(path)).exit_code == 0
    before = _snapshot()

    cut = tmp_path / "cut.backup"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    failed = _cli(spare_app, "restore", str(cut), "--yes")
    assert failed.exit_code != 0, failed.output
    assert _snapshot() == before

    other = tmp_path / "other.backup"
    if db.engine.dialect.name == "postgresql":
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        expected = "is a sqlite backup"
    else:
        other.write_bytes(b"PGDMP" + bytes(100))
        expected = "is a postgresql backup"
    wrong = _cli(spare_app, "restore", str(other), "--yes")
    assert wrong.exit_code != 0 and expected in wrong.output

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    assert "not an eRaati backup" in _cli(spare_app, "restore", str(junk), "--yes").output
    assert _snapshot() == before
