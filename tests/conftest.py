"""Fixtures: app, db, client, runner, login_as, outbox and one fixture per role.

The database is SQLite in a temporary file, or PostgreSQL when
``ERAATI_TEST_DATABASE_URL`` is set (one database per xdist worker). A test that
needs PostgreSQL therefore fails, never skips, when the server is missing.

The test client reads a page's text as a person does, without soft hyphens
(``tests/reading.py``).
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from flask import g, request_started

from config import TestingConfig
from eraati import create_app
from eraati.audit.models import APPEND_ONLY_DDL
from eraati.extensions import db as _db
from eraati.extensions import limiter
from eraati.organisations.models import Role
from tests import factories, pgdb
from tests.reading import ReadingClient


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if base:
        url = f"{base}_{worker_id}"
        pgdb.create(url)
        yield url.replace("postgresql://", "postgresql+psycopg://")
        pgdb.drop(url)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db')}/test.sqlite3"


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = ReadingClient
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_tables() -> None:
    # DELETE beats TRUNCATE on the few rows a test leaves behind (PostgreSQL too).
    for table in reversed(_db.metadata.sorted_tables):
        if table.name == "audit_events":
            _empty_audit_log()
        else:
            _db.session.execute(table.delete())
    _db.session.commit()


def _empty_audit_log() -> None:
    """The audit log refuses DELETE (a trigger); between tests it is emptied around it."""
    if _db.engine.dialect.name == "postgresql":
        _db.session.execute(sa.text("TRUNCATE audit_events"))  # no row triggers fire
        return
    for name in ("audit_events_no_update", "audit_events_no_delete"):
        _db.session.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
    _db.session.execute(sa.text("DELETE FROM audit_events"))
    for sql in APPEND_ONLY_DDL["sqlite"]:
        _db.session.execute(sa.text(sql))


def _fresh_request_globals(sender, **extra) -> None:
    """Requests made while a test holds the app context share its ``g``; Flask-Login,
    Flask-Babel and Flask-WTF cache the user, locale and CSRF token there. Each request
    starts with an empty ``g``, as it does in production; only the query log (read by
    query-count tests through ``get_recorded_queries()``) is kept."""
    for name in [n for n in g.__dict__ if n != "_sqlalchemy_queries"]:
        del g.__dict__[name]


@pytest.fixture
def app(_app):
    with _app.app_context():
        _app.extensions["mailman"].outbox = []  # flask-mailman's locmem backend appends here
        limiter.reset()
        request_started.connect(_fresh_request_globals, _app)
        yield _app
        request_started.disconnect(_fresh_request_globals, _app)
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    return app.extensions["mailman"].outbox


@pytest.fixture
def login_as(client):
    """``login_as(user)`` signs the test client in as ``user``."""

    def _login(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return _login


@pytest.fixture
def org(db):
    org = factories.make_org("keitele", "Keitele")
    db.session.commit()
    return org


@pytest.fixture
def other_org(db):
    org = factories.make_org("vierema", "Vieremä")
    db.session.commit()
    return org


@pytest.fixture
def resident(db):
    user = factories.make_user("asukas@example.fi", name="Aino Asukas")
    db.session.commit()
    return user


@pytest.fixture
def other_resident(db):
    user = factories.make_user("toinen@example.fi", name="Olli Toinen")
    db.session.commit()
    return user


@pytest.fixture
def unverified(db):
    user = factories.make_user("uusi@example.fi", verified=False)
    db.session.commit()
    return user


def _staff(db, org, role: Role, email: str):
    user = factories.make_user(email, org=org, roles=(role,))
    db.session.commit()
    return user


@pytest.fixture
def moderator(db, org):
    return _staff(db, org, Role.MODERATOR, "moderaattori@keitele.fi")


@pytest.fixture
def other_org_moderator(db, other_org):
    return _staff(db, other_org, Role.MODERATOR, "moderaattori@vierema.fi")


@pytest.fixture
def preparer(db, org):
    return _staff(db, org, Role.PREPARER, "valmistelija@keitele.fi")


@pytest.fixture
def org_admin(db, org):
    return _staff(db, org, Role.ADMIN, "paakayttaja@keitele.fi")


@pytest.fixture
def open_topic(db, org):
    topic = factories.make_topic(
        org, slug="kirjaston-aukioloajat", title="Kirjaston aukioloajat", with_poll=True
    )
    db.session.commit()
    return topic


@pytest.fixture
def closed_topic(db, org):
    topic = factories.make_closed_topic(org, title="Suljettu aihe")
    db.session.commit()
    return topic


@pytest.fixture
def csrf_enabled(app):
    """Turn CSRF protection on for one test (the suite posts without tokens)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def rate_limit(app):
    """``rate_limit("LOGIN_RATE_LIMIT", "3 per minute")`` for one test."""
    saved = {}

    def _set(name: str, value: str) -> None:
        saved.setdefault(name, app.config[name])
        app.config[name] = value

    yield _set
    app.config.update(saved)
