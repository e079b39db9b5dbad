"""The database goes away and comes back (issue 21, "Back after a bad day"), on a
PostgreSQL server this test starts and stops itself: while it is down every page and
every write answers with the calm, translated 503 page and ``Retry-After``, ``/healthz``
with JSON, and each failure writes one short log line without a traceback; once it is
back the next requests succeed, without restarting the app."""

from __future__ import annotations

import logging

import pytest

from config import TestingConfig
from eraati import create_app
from eraati.consultations.models import Comment
from eraati.extensions import db
from tests import factories
from tests.pgserver import PostgresServer


@pytest.fixture
def server():
    pg = PostgresServer()
    pg.start()
    yield pg
    pg.close()


def test_pages_and_writes_get_503_while_the_database_is_away(server, caplog):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=server.url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        org = factories.make_org("varkaus", "Varkaus")
        factories.make_topic(org, slug="kirjasto")
        user = factories.make_user("asukas@example.fi")
        topic_path, user_id = "/varkaus/kirjasto", user.get_id()
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    with client.session_transaction() as session:  # signed in as the resident
        session["_user_id"], session["_fresh"] = user_id, True
    assert client.get(topic_path).status_code == 200

    server.stop()
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        page = client.get(topic_path)
        write = client.post(f"{topic_path}/comments", data={"body": "Kirjasto auki"})
        health = client.get("/healthz")
    for response in (page, write):
        assert response.status_code == 503
        assert response.headers["Retry-After"].isdigit()
        text = response.get_data(as_text=True)
        assert "Palvelu ei ole tilapäisesti käytettävissä" in text
        assert "Traceback" not in text
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "down"}
    failures = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(failures) == 3, [r.getMessage() for r in caplog.records]
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failures)

    server.start()
    assert client.get("/healthz").status_code == 200
    assert client.get(topic_path).status_code == 200
    with app.app_context():
        assert db.session.query(Comment).count() == 0  # the refused write wrote nothing
        db.session.remove()
        db.engine.dispose()
