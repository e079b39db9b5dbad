"""Fixtures: app, db, client, runner, login_as, outbox and one fixture per role.

The database is SQLite in a temporary file, or PostgreSQL when
``ERAATI_TEST_DATABASE_URL`` is set (one database per xdist worker). A test that
needs PostgreSQL therefore fails, never skips, when the server is missing.

The test client reads a page's text as a person does, without soft hyphens
(``tests/reading.py``).
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask import g, request_started
from limits.storage import RedisStorage

from config import TestingConfig
from eraati import create_app
from eraati.audit.models import APPEND_ONLY_DDL
from eraati.core import ratelimits
from eraati.extensions import db as _db
from eraati.extensions import limiter
from eraati.organisations.models import Role
from tests import factories, pgdb
from tests.mailsink import MailSink
from tests.needs import REDIS_TEST_URL, missing, need_redis
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
    """The worker's one app, in an application context of this test, with its settings put
    back afterwards whatever the test changed (set, deleted or added): every later test of
    the worker shares the app, and a setting left changed reaches them. (The proxy test
    once left the anonymous comment limit at one, and the next anonymous comment test on
    its worker got 429 instead of its form errors.)"""
    settings = dict(_app.config)
    try:
        with _app.app_context():
            _app.extensions["mailman"].outbox = []  # flask-mailman's locmem backend appends
            limiter.reset()
            ratelimits.reset()
            request_started.connect(_fresh_request_globals, _app)
            yield _app
            request_started.disconnect(_fresh_request_globals, _app)
            _db.session.rollback()
            _db.session.remove()
            _empty_tables()
    finally:
        _app.config.clear()
        _app.config.update(settings)


@pytest.fixture
def configure(app):
    """``configure(KEY=value, ...)``: settings for this test only, put back afterwards."""
    saved: dict = {}

    def _set(**values) -> None:
        for key in values:
            saved.setdefault(key, app.config.get(key))
        app.config.update(values)

    yield _set
    app.config.update(saved)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def jobs_backend(app):
    """``jobs_backend("local")`` for one test; the tests' default is "inline"."""
    saved = {key: app.config[key] for key in ("JOBS_BACKEND", "REDIS_URL", "JOBS_QUEUE")}

    def choose(name: str, **config) -> None:
        app.config["JOBS_BACKEND"] = name
        app.config.update(config)

    yield choose
    app.config.update(saved)


@pytest.fixture
def redis_queue(app, jobs_backend):
    """The RQ backend on Redis database 15, with a queue of this test's own (the tests of
    two xdist workers never take each other's jobs); emptied afterwards."""
    need_redis(REDIS_TEST_URL)
    jobs_backend("rq", REDIS_URL=REDIS_TEST_URL, JOBS_QUEUE=f"eraati-test-{uuid.uuid4().hex}")
    from eraati.jobs.queue import rq_queue

    queue = rq_queue(app)
    yield queue
    queue.delete(delete_jobs=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    return app.extensions["mailman"].outbox


@pytest.fixture(scope="session")
def _smtp_sink(tmp_path_factory):
    try:
        sink = MailSink(tmp_path_factory.mktemp("maildir")).start()
    except Exception as exc:
        missing(f"an SMTP server process (aiosmtpd) on 127.0.0.1: {exc}")
    yield sink
    sink.stop()


@pytest.fixture
def smtp(app, _smtp_sink):
    """A real SMTP server process on 127.0.0.1 that the app sends to in this test (instead
    of the in-memory outbox); ``smtp.messages()`` reads what it received."""
    if _smtp_sink.process is None or _smtp_sink.process.poll() is not None:
        _smtp_sink.start()  # a test stopped it
    _smtp_sink.clear()
    mailman = app.extensions["mailman"]
    was = (mailman.backend, mailman.server, mailman.port)
    mailman.backend, mailman.server, mailman.port = "smtp", "127.0.0.1", _smtp_sink.port
    yield _smtp_sink
    mailman.backend, mailman.server, mailman.port = was


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
def other_org_admin(db, other_org):
    """An admin of Vieremä: every right there, none at Keitele (``org``)."""
    return _staff(db, other_org, Role.ADMIN, "paakayttaja@vierema.fi")


@pytest.fixture
def browser(app, client):
    """The test client with a page's forms and links at hand (``topic_support.Browser``)."""
    from tests.consultations.topic_support import Browser

    return Browser(app, client)


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


@pytest.fixture
def redis_limits(app):
    """The counters of ``core.ratelimits`` (log-in, writing limits) in Redis, as in
    production, under a key prefix of this test's own; its keys are deleted afterwards.
    (Flask-Limiter's decorated limits keep their memory storage.)"""
    need_redis(REDIS_TEST_URL)
    saved = {k: app.config.get(k) for k in ("RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_OPTIONS")}
    app.config["RATELIMIT_STORAGE_URI"] = REDIS_TEST_URL
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"key_prefix": f"eraati-test-{uuid.uuid4().hex}"}
    assert isinstance(ratelimits.storage(), RedisStorage)
    yield
    ratelimits.reset()
    app.config.update(saved)


@pytest.fixture(params=["memory", "redis"])
def limit_store(request):
    """Runs a test of ``core.ratelimits``' counters twice: in memory, as one process keeps
    them, and in Redis, as production's workers share them."""
    if request.param == "redis":
        request.getfixturevalue("redis_limits")
    return request.param
