"""Handing a job to a worker. ``JOBS_BACKEND``:

- ``rq`` (``auto`` with ``REDIS_URL`` set, the production setting): the RQ queue
  ``JOBS_QUEUE``; ``flask eraati worker`` runs the jobs (``worker.perform``).
- ``local`` (``auto`` without Redis): one thread of the web process, jobs one at a time, so
  that ``make run`` needs nothing else. A job of a stopped process stays queued or
  running until ``flask eraati tick`` gives up on it.
- ``inline``: in the request itself (the tests' default).
"""

from __future__ import annotations

import functools
import logging
import threading
from concurrent import futures

from flask import Flask, current_app

from eraati.jobs.models import ExportJob

log = logging.getLogger(__name__)

PERFORM = "eraati.jobs.worker.perform"


class QueueUnavailable(Exception):
    """Redis did not take the job."""


def backend(app: Flask) -> str:
    choice = app.config.get("JOBS_BACKEND") or "auto"
    if choice == "auto":
        return "rq" if app.config.get("REDIS_URL") else "local"
    if choice not in ("rq", "local", "inline"):
        raise RuntimeError(f"JOBS_BACKEND must be auto, rq, local or inline, not {choice!r}")
    return choice


def enqueue(job: ExportJob) -> None:
    """Hand ``job`` (committed, queued) to a worker; returns at once except when inline."""
    app = current_app._get_current_object()
    kind = backend(app)
    if kind == "rq":
        _enqueue_rq(app, job.id)
    elif kind == "local":
        _submit_local(app, job.id)
    else:
        from eraati.jobs.services import run

        run(job.id)


# --- RQ ---------------------------------------------------------------------------------------


@functools.cache
def _redis(url: str):
    from redis import Redis

    return Redis.from_url(url)


def rq_queue(app: Flask | None = None):
    """The RQ queue of exports (``JOBS_QUEUE`` on ``REDIS_URL``)."""
    from rq import Queue

    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    return Queue(app.config["JOBS_QUEUE"], connection=_redis(url))


def _enqueue_rq(app: Flask, job_id: int) -> None:
    from redis.exceptions import RedisError

    try:
        rq_queue(app).enqueue(
            PERFORM,
            job_id,
            job_timeout=app.config["JOBS_TIMEOUT"],
            result_ttl=0,  # the row is the result
            failure_ttl=7 * 24 * 60 * 60,
            description=f"export job {job_id}",
        )
    except RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc


# --- the local worker -------------------------------------------------------------------------

_lock = threading.Lock()
_executor: futures.ThreadPoolExecutor | None = None
_pending: set[futures.Future] = set()


def _submit_local(app: Flask, job_id: int) -> None:
    global _executor
    with _lock:
        if _executor is None:
            _executor = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="eraati-job")
        future = _executor.submit(_run_local, app, job_id)
        _pending.add(future)
    future.add_done_callback(_pending.discard)


def _run_local(app: Flask, job_id: int) -> None:
    from eraati.jobs.services import run

    with app.app_context():
        try:
            run(job_id)
        except Exception:  # a thread's boundary: nobody else would see it
            log.exception("export job %s: the local worker failed", job_id)


def wait_local(timeout: float | None = None) -> bool:
    """Wait for the local worker's jobs (tests; a clean shutdown). True when all ended."""
    with _lock:
        waiting = list(_pending)
    _done, not_done = futures.wait(waiting, timeout=timeout)
    return not not_done
