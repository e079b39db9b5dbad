"""Fixtures of the export-job tests: a directory of files per test, the topic with one of
everything (tests/exports), a backend per test, a real Redis queue."""

from __future__ import annotations

import uuid

import pytest

from tests.consultations.topic_support import Browser
from tests.exports.support import build_world
from tests.needs import REDIS_TEST_URL, need_redis


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


@pytest.fixture
def browser(app, client):
    return Browser(app, client)


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
