"""Prometheus metrics at /metrics (eraati/core/metrics.py, eraati/jobs/metrics.py): only for
the networks the operator allows, counted per route (the URL rule), with the database
time, the RQ queue read from Redis, e-mails and rate-limit refusals.

The counts live in the process (the tests run without PROMETHEUS_MULTIPROC_DIR) and grow
over the whole run: each test compares before and after."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config import TestingConfig
from eraati import create_app
from eraati.core import mail
from eraati.jobs import queue
from eraati.jobs.models import JobState
from tests.jobs.support import TASK, make_job

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
TOPIC_RULE = "/<org_slug>/<topic_slug>"


@pytest.fixture
def allowed(configure):
    configure(METRICS_ALLOWED_NETWORKS="127.0.0.1/32,10.0.0.0/8")


def scrape(client, address: str = "127.0.0.1") -> dict[tuple, float]:
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for s in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_of(samples: dict, route: str, status: int = 200, method: str = "GET") -> float:
    return value(
        samples, "eraati_http_requests_total", route=route, method=method, status=str(status)
    )


def test_nobody_reads_the_metrics_by_default(client):
    for address in ("127.0.0.1", "10.0.0.5", "::1"):
        response = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 404
        assert b"eraati_http_requests_total" not in response.data


def test_an_address_outside_the_allowed_networks_gets_404(client, allowed):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 404


def test_an_allowed_address_reads_the_request_counter(client, allowed):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"})

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response.headers["Cache-Control"] == "no-store"
    after = scrape(client)
    assert requests_of(after, "/healthz") - requests_of(before, "/healthz") == 2
    # The two scrapes before this one were counted too (a scrape is a request).
    assert requests_of(after, "/metrics") - requests_of(before, "/metrics") == 2


def test_behind_a_proxy_the_client_address_is_the_forwarded_one(database_url):
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        PROXY_HOPS=1,
        METRICS_ALLOWED_NETWORKS="10.0.0.0/8",
    )
    client = app.test_client()
    proxied = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the same machine

    inside = client.get("/metrics", environ_base=proxied, headers={"X-Forwarded-For": "10.1.2.3"})
    outside = client.get(
        "/metrics", environ_base=proxied, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert (inside.status_code, outside.status_code) == (200, 404)


def test_a_wrong_network_is_refused_at_start(database_url):
    with pytest.raises(RuntimeError, match="METRICS_ALLOWED_NETWORKS"):
        create_app(
            TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, METRICS_ALLOWED_NETWORKS="10.0.0"
        )


def test_latency_and_database_time_are_labelled_by_the_url_rule(client, allowed, open_topic):
    before = scrape(client)
    assert client.get("/keitele/kirjaston-aukioloajat").status_code == 200
    after = scrape(client)

    def delta(name: str, **labels) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert requests_of(after, TOPIC_RULE) - requests_of(before, TOPIC_RULE) == 1
    duration = "eraati_http_request_duration_seconds"
    assert delta(f"{duration}_count", route=TOPIC_RULE, method="GET") == 1
    assert delta(f"{duration}_bucket", route=TOPIC_RULE, method="GET", le="+Inf") == 1
    assert delta(f"{duration}_sum", route=TOPIC_RULE, method="GET") > 0
    # The page's statements took time, and less than the whole request.
    db_time = "eraati_http_request_db_seconds"
    assert delta(f"{db_time}_count", route=TOPIC_RULE) == 1
    took = delta(f"{duration}_sum", route=TOPIC_RULE, method="GET")
    assert 0 < delta(f"{db_time}_sum", route=TOPIC_RULE) < took
    # Never the path itself: no label holds the topic's address.
    assert not any("kirjaston-aukioloajat" in str(labels) for _name, labels in after)


def test_a_request_without_statements_records_no_database_time(client, allowed):
    before = scrape(client)
    assert client.get("/static/css/eraati.css").status_code in (200, 304)
    after = scrape(client)
    rule = "/static/<path:filename>"
    name = "eraati_http_request_db_seconds"
    assert (
        value(after, f"{name}_count", route=rule) - value(before, f"{name}_count", route=rule) == 1
    )
    assert value(after, f"{name}_sum", route=rule) == value(before, f"{name}_sum", route=rule)


def test_a_refused_request_is_counted_as_a_rate_limit(client, allowed, configure):
    configure(API_RATE_LIMIT="1 per minute")
    route = "/api/v1/organisations"
    before = scrape(client)
    assert client.get(route).status_code == 200
    assert client.get(route).status_code == 429  # Flask-Limiter's refusal
    after = scrape(client)
    assert (
        value(after, "eraati_rate_limited_total", route=route)
        - value(before, "eraati_rate_limited_total", route=route)
        == 1
    )
    assert requests_of(after, route, 429) - requests_of(before, route, 429) == 1


def test_without_redis_there_are_no_queue_metrics(client, allowed):
    samples = scrape(client)
    assert not [
        name for name, _labels in samples if name.startswith(("eraati_rq_", "eraati_redis"))
    ]


def test_the_queue_length_and_failed_jobs_come_from_redis(app, client, allowed, redis_queue):
    from rq import SimpleWorker

    name = redis_queue.name
    queue.submit(TASK, 1, "yksi")
    queue.submit("tests.jobs.support.no_such_task")
    samples = scrape(client)
    assert value(samples, "eraati_redis_up") == 1
    assert value(samples, "eraati_rq_queue_length", queue=name) == 2
    assert value(samples, "eraati_rq_failed_jobs", queue=name) == 0
    assert value(samples, "eraati_rq_workers", queue=name) == 0

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    samples = scrape(client)
    assert value(samples, "eraati_rq_queue_length", queue=name) == 0
    assert value(samples, "eraati_rq_failed_jobs", queue=name) == 1


def test_redis_away_is_reported_not_an_error(client, allowed, configure):
    configure(REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens on port 9
    samples = scrape(client)
    assert value(samples, "eraati_redis_up") == 0
    assert not [n for n, _labels in samples if n.startswith("eraati_rq_")]


def test_exports_running_and_queued_are_read_from_the_database(client, db, allowed, open_topic):
    make_job(open_topic, state=JobState.RUNNING)
    make_job(open_topic, state=JobState.QUEUED)
    make_job(open_topic, state=JobState.QUEUED)
    make_job(open_topic, state=JobState.FAILED)
    db.session.commit()
    samples = scrape(client)
    assert value(samples, "eraati_exports_running") == 1
    assert value(samples, "eraati_exports_queued") == 2


def _mails(samples: dict) -> tuple[float, float]:
    return (
        value(samples, "eraati_emails_sent_total", stream="message"),
        value(samples, "eraati_emails_refused_total", stream="message", lasting="no"),
    )


def test_an_e_mail_the_smtp_server_takes_is_counted_as_sent(client, db, org, allowed, smtp):
    before = _mails(scrape(client))
    response = client.post(
        "/account/register",
        data={
            "email": "mittari@example.fi",
            "display_name": "Mikko Mittari",
            "password": "lumi-kettu-rautatie-9",
            "confirm": "lumi-kettu-rautatie-9",
            "locale": "fi",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 200
    assert [m["To"] for m in smtp.messages()] == ["mittari@example.fi"]
    after = _mails(scrape(client))
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)


def test_an_e_mail_the_server_does_not_take_is_counted_as_refused(
    app, client, resident, allowed, smtp
):
    before = _mails(scrape(client))
    smtp.stop()  # the fixture starts it again for the next test
    with app.test_request_context(), pytest.raises(OSError):
        mail.send_templated(
            "mittari@example.fi", "accounts/email/verify", "fi", user=resident, link="", hours=48
        )
    after = _mails(scrape(client))
    assert (after[0] - before[0], after[1] - before[1]) == (0, 1)


def test_a_failure_to_count_never_fails_what_is_counted(
    app, client, resident, allowed, smtp, monkeypatch
):
    """A message the server took is sent, and a page answered, whatever befalls the
    metrics (a folder gone under a worker)."""
    from eraati.core import metrics

    def broken(*_labels):
        raise FileNotFoundError("the metrics folder is gone")

    monkeypatch.setattr(metrics.EMAILS_SENT, "labels", broken)
    monkeypatch.setattr(metrics.REQUESTS, "labels", broken)
    with app.test_request_context():
        mail.send_templated(
            "mittari@example.fi", "accounts/email/verify", "fi", user=resident, link="", hours=48
        )
    assert [m["To"] for m in smtp.messages()] == ["mittari@example.fi"]
    assert client.get("/healthz").status_code == 200
