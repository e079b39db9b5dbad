"""Handing a job to a worker. ``JOBS_BACKEND``:

- ``rq`` (``auto`` with ``REDIS_URL`` set, the production setting): the RQ queue
  ``JOBS_QUEUE``; ``flask eraati worker`` runs the jobs (``worker.perform``).
- ``local`` (``auto`` without Redis): one thread of the web process, jobs one at a time, so
  that ``make run`` needs nothing else. A job of a stopped process stays queued or
  running until ``flask eraati tick`` gives up on it.
- ``inline``: in the request itself (the tests' default).

``enqueue`` hands over an export job (a row of ``export_jobs``); ``submit`` any other
short piece of background work, named by the import path of its function (the e-mails
to a topic's followers), the same three ways; ``send_mail`` one e-mail.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from concurrent import futures
from typing import Any

from flask import Flask, current_app, g, has_request_context

from eraati.core import logs
from eraati.core.mail import DELIVER
from eraati.jobs.models import ExportJob

log = logging.getLogger(__name__)

PERFORM = "eraati.jobs.worker.perform"
PERFORM_TASK = "eraati.jobs.worker.perform_task"
RUN_EXPORT = "eraati.jobs.services.run"


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
        _enqueue_rq(app, PERFORM, (job.id,), f"export job {job.id}")
    elif kind == "local":
        _submit_local(app, RUN_EXPORT, job.id)
    else:
        call(RUN_EXPORT, job.id)


def submit(task: str, *args: Any) -> None:
    """Run ``task(*args)`` (``task``: the import path of a function) in a worker, with an
    application context; at once when inline. Without Redis at hand the local worker
    takes it, so that the work is done late rather than not at all."""
    app = current_app._get_current_object()
    kind = backend(app)
    if kind == "rq":
        try:
            _enqueue_rq(app, PERFORM_TASK, (task, *args), task)
            return
        except QueueUnavailable:
            log.exception("%s: Redis did not take it; the local worker runs it", task)
            kind = "local"
    if kind == "local":
        _submit_local(app, task, *args)
    else:
        call(task, *args)


def send_mail(to: str, template: str, locale: str, **context: Any) -> None:
    """Send an e-mail later (``core.mail.send_templated`` in a worker): the request that
    asks for it does not wait for the mail server. Call it after the commit, so that
    nobody is told of a change that failed. ``context`` holds plain values (text,
    numbers, dates), as RQ stores it: work out in the request whatever needs its rows."""
    submit(DELIVER, to, template, locale, context)


def call(task: str, *args: Any) -> Any:
    """``task(*args)``, ``task`` given as "package.module.function".

    Run inline inside a request, a task is a worker's work: on SQLite its transactions
    begin as a worker's do (``eraati._sqlite_begin``), not with the request's write lock,
    which would keep out its own progress writes on a second connection."""
    module, _, name = task.rpartition(".")
    function = getattr(importlib.import_module(module), name)
    if not has_request_context():
        return function(*args)
    outer = g.get("worker_transactions", False)
    g.worker_transactions = True
    try:
        return function(*args)
    finally:
        g.worker_transactions = outer


# --- RQ ---------------------------------------------------------------------------------------


# A Redis that does not take a connection (a stopped host) or does not answer (paused,
# swamped) must not hold a resident's request: the enqueue fails soon and the job says
# "unavailable". The worker's own connection waits for jobs with a blocking read that
# lasts minutes, so it gets the connect timeout alone.
CONNECT_TIMEOUT_SECONDS = 2.0
WEB_READ_TIMEOUT_SECONDS = 5.0


@functools.cache
def _redis(url: str, read_timeout: float | None):
    from redis import Redis

    return Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=read_timeout
    )


def rq_queue(app: Flask | None = None, *, worker: bool = False):
    """The RQ queue of exports (``JOBS_QUEUE`` on ``REDIS_URL``); ``worker``: for the
    worker's blocking wait (no read timeout)."""
    from rq import Queue

    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    read_timeout = None if worker else WEB_READ_TIMEOUT_SECONDS
    return Queue(app.config["JOBS_QUEUE"], connection=_redis(url, read_timeout))


def _enqueue_rq(app: Flask, function: str, args: tuple, description: str) -> None:
    """``function(*args)`` on the RQ queue; nothing is kept of its result (an export's row
    is its result; a task's work is in the database)."""
    from redis.exceptions import RedisError

    rid = logs.request_id()  # the job's log lines carry it (``worker``)
    try:
        rq_queue(app).enqueue(
            function,
            *args,
            job_timeout=app.config["JOBS_TIMEOUT"],
            result_ttl=0,
            failure_ttl=7 * 24 * 60 * 60,
            description=description,
            meta={"request_id": rid} if rid else None,
        )
    except RedisError as exc:
        raise QueueUnavailable(str(exc)) from exc


# --- the local worker -------------------------------------------------------------------------

_lock = threading.Lock()
_executor: futures.ThreadPoolExecutor | None = None
_pending: set[futures.Future] = set()


def _submit_local(app: Flask, task: str, *args: Any) -> None:
    global _executor
    with _lock:
        if _executor is None:
            _executor = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="eraati-job")
        future = _executor.submit(_run_local, app, task, args, logs.request_id())
        _pending.add(future)
    future.add_done_callback(_pending.discard)


def _run_local(app: Flask, task: str, args: tuple, rid: str | None = None) -> None:
    with app.app_context(), logs.job_request_id(rid):
        try:
            call(task, *args)
        except Exception:  # a thread's boundary: nobody else would see it
            log.exception("%s%r: the local worker failed", task, args)


def wait_local(timeout: float | None = None) -> bool:
    """Wait for the local worker's jobs (tests; a clean shutdown). True when all ended."""
    with _lock:
        waiting = list(_pending)
    _done, not_done = futures.wait(waiting, timeout=timeout)
    return not not_done
