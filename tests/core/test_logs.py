"""Structured logs (eraati/core/logs.py): one JSON line per request with its request id,
the id in the response and in the background work the request started, and nothing a
person typed or was sent."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from eraati.core import logs
from eraati.jobs import queue
from tests.accounts.helpers import link_paths, log_in

PASSWORD = "lumi-kettu-rautatie-9"
EMAIL = "Liisa.Lokitus@Example.FI"
COMMENT = "Kirjaston lauantaiaukiolo on minulle tärkeä, kiitos kuuntelusta"


@pytest.fixture
def json_lines(app):
    """Everything logged during the test as the production handler writes it (JSON);
    ``json_lines()`` parses what has been written so far."""
    stream = io.StringIO()
    handler = logs.handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    read.raw = stream.getvalue
    yield read
    root.removeHandler(handler)


def _access(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "eraati.access"]


def test_a_request_writes_one_json_access_line_with_its_fields(
    client, login_as, resident, open_topic, json_lines
):
    login_as(resident)
    response = client.get("/keitele/kirjaston-aukioloajat?token=salainen-merkkijono")

    assert response.status_code == 200
    (line,) = _access(json_lines())
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["method"] == "GET"
    assert line["route"] == "/<org_slug>/<topic_slug>"  # the rule, not the path
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["organisation"] == "keitele"
    assert line["user_id"] == resident.id
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*", line["time"])
    assert "salainen-merkkijono" not in json_lines.raw()  # no query string


def test_an_anonymous_request_without_an_organisation_has_nulls(client, json_lines):
    client.get("/healthz")
    (line,) = _access(json_lines())
    assert (line["route"], line["organisation"], line["user_id"]) == ("/healthz", None, None)


def test_an_unknown_address_is_logged_without_its_path(client, json_lines):
    response = client.get("/no/such/place/asukas@example.fi")
    assert response.status_code == 404
    (line,) = _access(json_lines())
    assert (line["route"], line["status"]) == ("<unmatched>", 404)
    assert "asukas@example.fi" not in json_lines.raw()


def test_an_incoming_request_id_comes_back_and_is_logged(client, json_lines):
    given = "nginx-4f1c2a9b7e3d4c5a"
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] == given
    (line,) = _access(json_lines())
    assert line["request_id"] == given


@pytest.mark.parametrize(
    "given",
    ["short", "a" * 129, "two words here", 'evil"\n{"level":"ERROR"}', "ääkkösiä-ja-muuta"],
)
def test_a_bad_incoming_request_id_is_replaced(client, json_lines, given):
    # In the environ itself: the test client refuses to send a line break in a header.
    response = client.get("/healthz", environ_overrides={"HTTP_X_REQUEST_ID": given})
    rid = response.headers["X-Request-ID"]
    assert rid != given and re.fullmatch(r"[0-9a-f]{32}", rid)
    (line,) = _access(json_lines())
    assert line["request_id"] == rid


def test_every_line_written_during_a_request_carries_its_id(app, client, json_lines):
    client.get("/healthz", headers={"X-Request-ID": "abc12345-first"})
    client.get("/healthz", headers={"X-Request-ID": "abc12345-second"})
    with app.test_request_context(headers={"X-Request-ID": "abc12345-inside"}):
        logging.getLogger("eraati.test").warning("something happened")
    logging.getLogger("eraati.test").warning("outside any request")

    ids = [(line["message"].split()[0], line["request_id"]) for line in json_lines()]
    assert ids == [
        ("GET", "abc12345-first"),
        ("GET", "abc12345-second"),
        ("something", "abc12345-inside"),
        ("outside", None),
    ]


def _register(client):
    return client.post(
        "/account/register",
        data={
            "email": EMAIL,
            "display_name": "Liisa Lokitus",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "home_municipality_code": "",
            "locale": "fi",
            "accept_terms": "y",
        },
        headers={"X-Request-ID": "register-req-0001"},
    )


def _mail_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "eraati.core.mail"]


def test_a_job_enqueued_by_a_request_logs_with_its_id(client, org, redis_queue, json_lines):
    from rq import SimpleWorker

    response = _register(client)
    assert response.status_code == 200
    assert _mail_lines(json_lines()) == []  # queued, not sent
    (job,) = redis_queue.get_jobs()
    assert job.meta["request_id"] == "register-req-0001"

    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True

    (sent,) = _mail_lines(json_lines())
    assert sent["request_id"] == "register-req-0001"
    assert sent["message"] == "e-mail accounts/email/verify sent"


def test_the_local_worker_logs_with_the_id_of_the_request(client, org, jobs_backend, json_lines):
    jobs_backend("local")
    _register(client)
    assert queue.wait_local(timeout=30)
    (sent,) = _mail_lines(json_lines())
    assert sent["request_id"] == "register-req-0001"


def test_no_address_password_token_or_comment_reaches_the_log(
    client, db, open_topic, outbox, json_lines
):
    """A resident registers, confirms the address, logs out, logs in (once with a wrong
    password) and comments: the log has a line for each request and none of what they
    typed or were sent."""
    assert _register(client).status_code == 200
    (path,) = link_paths(outbox[0])
    token = path.rsplit("/", 1)[1]
    assert client.get(path).status_code == 303
    client.post("/account/logout")
    assert log_in(client, EMAIL.lower(), "vaara-salasana-123").status_code in (200, 401, 422)
    assert log_in(client, EMAIL.lower(), PASSWORD).status_code == 303
    response = client.post(
        "/keitele/kirjaston-aukioloajat/comments", data={"body": COMMENT}, follow_redirects=True
    )
    assert COMMENT in response.get_data(as_text=True)

    text = json_lines.raw()
    routes = [line["route"] for line in _access(json_lines())]
    assert "/account/verify/<token>" in routes
    assert "/<org_slug>/<topic_slug>/comments" in routes
    for secret in (
        EMAIL,
        EMAIL.lower(),
        "lokitus",  # any part of the address
        PASSWORD,
        "vaara-salasana",
        token,
        COMMENT[:20],
        "lauantaiaukiolo",
    ):
        assert secret.lower() not in text.lower(), secret


def test_a_migration_run_in_the_process_leaves_the_logs_as_they_were(tmp_path, client, json_lines):
    """Alembic's env.py took its logging from alembic.ini: the root level went to WARN and
    every logger made so far was disabled, so the access log of a process that migrated
    (the tests, one after the other) fell silent."""
    from flask_migrate import upgrade

    from config import TestingConfig
    from eraati import create_app

    spare = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/m.sqlite3")
    with spare.app_context():
        upgrade()
    client.get("/healthz", headers={"X-Request-ID": "after-migration-1"})
    (line,) = _access(json_lines())
    assert line["request_id"] == "after-migration-1"
    assert not logging.getLogger("eraati.access").disabled
