"""The background work's metrics, read when Prometheus asks (``core.metrics.on_scrape``):
the RQ queue's length, its failed jobs and its workers (only with ``REDIS_URL``; absent
without Redis, ``eraati_redis_up 0`` while Redis does not answer), and the export jobs
queued and running (from ``export_jobs``, whichever process runs them)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy.exc import SQLAlchemyError

from eraati.extensions import db
from eraati.jobs.models import ExportJob, JobState

log = logging.getLogger(__name__)


def collect(app: Flask) -> Iterator[Metric]:
    yield from _queue(app)
    yield from _exports()


@functools.cache
def _scrape_redis(url: str):
    """A client of its own with short timeouts: a Redis that hangs must not hang the scrape."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def _queue(app: Flask) -> Iterator[Metric]:
    url = app.config.get("REDIS_URL")
    if not url:
        return
    from redis.exceptions import RedisError
    from rq import Queue, Worker

    name = app.config["JOBS_QUEUE"]
    up = GaugeMetricFamily("eraati_redis_up", "1 when Redis answered this scrape, else 0.")
    try:
        connection = _scrape_redis(url)
        queue = Queue(name, connection=connection)
        length = queue.count
        failed = queue.failed_job_registry.count
        workers = Worker.count(queue=queue)
    except RedisError as exc:
        log.warning("metrics: Redis did not answer (%s)", type(exc).__name__)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    for metric, text, value in (
        ("eraati_rq_queue_length", "Jobs waiting in the RQ queue.", length),
        ("eraati_rq_failed_jobs", "Jobs in the RQ queue's failed job registry.", failed),
        ("eraati_rq_workers", "RQ workers listening on the queue.", workers),
    ):
        family = GaugeMetricFamily(metric, text, labels=["queue"])
        family.add_metric([name], value)
        yield family


def _exports() -> Iterator[Metric]:
    try:
        rows = db.session.execute(
            sa.select(ExportJob.state, sa.func.count())
            .where(ExportJob.state.in_([JobState.QUEUED, JobState.RUNNING]))
            .group_by(ExportJob.state)
        ).all()
        db.session.rollback()  # ends the read; nothing else in this request uses it
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
        return
    counts = {state: n for state, n in rows}
    yield GaugeMetricFamily(
        "eraati_exports_running",
        "Export jobs (XLSX, council reports) being prepared now.",
        value=counts.get(JobState.RUNNING, 0),
    )
    yield GaugeMetricFamily(
        "eraati_exports_queued",
        "Export jobs waiting for a worker.",
        value=counts.get(JobState.QUEUED, 0),
    )
