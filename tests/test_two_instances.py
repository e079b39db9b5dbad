"""Two instances of the app (issue 21, "A second instance in CI"): two gunicorn processes
with the production configuration on one database and one Redis, as a regional service
runs them. A log-in made on one holds on the other, a log-out on one ends the session on
both (also for a copied cookie), the API's rate limit counts the requests of both, and an
export started on one is queued in Redis, prepared by a worker and downloaded from the
other."""

from __future__ import annotations

import json
import os
import secrets
import uuid

import pytest
from flask_migrate import upgrade

from benchmarks import client as http
from benchmarks.server import Server, server_env
from config import TestingConfig
from eraati import create_app
from eraati.extensions import db
from eraati.organisations.models import Role
from tests import factories, pgdb
from tests.needs import REDIS_TEST_URL, need_redis

API_LIMIT = 4  # per minute, per address: both instances count together


@pytest.fixture(scope="module")
def instances(tmp_path_factory, worker_id):
    need_redis(REDIS_TEST_URL)
    folder = tmp_path_factory.mktemp("two")
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if base:
        url = f"{base}_two_{worker_id}"
        pgdb.create(url)
    else:
        url = f"sqlite:///{folder}/service.sqlite3"
    uri = url.replace("postgresql://", "postgresql+psycopg://")
    prefix = f"eraati-two-{uuid.uuid4().hex}"
    settings = {
        "REDIS_URL": REDIS_TEST_URL,
        "JOBS_BACKEND": "rq",
        "JOBS_QUEUE": prefix,
        "EXPORT_DIR": str(folder / "exports"),
    }
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=uri, **settings)
    with app.app_context():
        upgrade()
        org = factories.make_org("keitele", "Keitele")
        factories.make_topic(org, slug="kirjasto")
        factories.make_user("asukas@example.fi")
        factories.make_user("valmistelija@keitele.fi", org=org, roles=(Role.PREPARER,))
        db.session.commit()
    env = server_env(url, secrets.token_hex(32))
    env.update(
        ERAATI_REDIS_URL=REDIS_TEST_URL,
        ERAATI_JOBS_QUEUE=prefix,
        ERAATI_EXPORT_DIR=settings["EXPORT_DIR"],
        ERAATI_API_RATE_LIMIT=f"{API_LIMIT} per minute",
        ERAATI_RATELIMIT_KEY_PREFIX=prefix,
        ERAATI_RATELIMIT_STORAGE_OPTIONS=json.dumps({"key_prefix": prefix}),
    )
    servers = [Server(env, folder / f"gunicorn-{n}.log", workers=1) for n in (1, 2)]
    try:
        for server in servers:
            server.start()
        yield app, servers
    finally:
        for server in servers:
            server.stop()
        from eraati.jobs.queue import rq_queue

        with app.app_context():
            rq_queue(app).delete(delete_jobs=True)
            db.engine.dispose()
        if base:
            pgdb.drop(url)


def _signed_in(port: int, session: http.Session) -> bool:
    browser = http.Browser(port, http.Session(cookies=dict(session.cookies)))
    try:
        return browser.get("/account/profile").status == 200
    finally:
        browser.close()


def test_a_session_holds_on_both_and_a_log_out_ends_it_on_both(instances):
    _app, (one, two) = instances
    session = http.log_in(one.port, "asukas@example.fi", factories.PASSWORD, "/account/profile")
    copied = http.Session(cookies=dict(session.cookies))
    assert _signed_in(one.port, session) and _signed_in(two.port, session)

    browser = http.Browser(two.port, session)
    assert browser.post("/account/logout", {}).status == 303
    browser.close()
    assert not _signed_in(two.port, session) and not _signed_in(one.port, session)
    # A copy of the cookie taken before the log-out no longer opens the account anywhere.
    assert not _signed_in(one.port, copied) and not _signed_in(two.port, copied)


def test_the_api_limit_counts_the_requests_of_both(instances):
    _app, (one, two) = instances
    statuses = []
    for n in range(API_LIMIT + 2):
        browser = http.Browser((one, two)[n % 2].port)
        statuses.append(browser.get("/api/v1/organisations").status)
        browser.close()
    assert statuses == [200] * API_LIMIT + [429, 429]


def test_an_export_started_on_one_is_downloaded_from_the_other(instances):
    from rq import SimpleWorker

    from eraati.jobs.queue import rq_queue

    app, (one, two) = instances
    session = http.log_in(
        one.port, "valmistelija@keitele.fi", factories.PASSWORD, "/staff/keitele/topics"
    )
    with app.app_context():
        from eraati.consultations.models import Topic

        topic_id = db.session.query(Topic.id).filter_by(slug="kirjasto").scalar()
    start = http.Browser(one.port, session)
    started = start.post(
        f"/staff/keitele/topics/{topic_id}/exports/jobs", {"format": "xlsx", "lang": "fi"}
    )
    start.close()
    assert started.status == 303, started.text[:500]
    job_page = started.header("Location").removeprefix(f"http://127.0.0.1:{one.port}")
    with app.app_context():
        queue = rq_queue(app)
        assert queue.count == 1
        worker = SimpleWorker([queue], connection=queue.connection)
        assert worker.work(burst=True) is True
    other = http.Browser(two.port, session)
    assert other.get(job_page).status == 200
    download = other.get(f"{job_page}/download")
    other.close()
    assert download.status == 200
    assert download.body[:2] == b"PK"  # an XLSX workbook
