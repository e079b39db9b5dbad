"""What an RQ worker calls: ``perform(job_id)`` runs one export job in an app context,
``perform_task(task, *args)`` any other background work (``queue.submit``).

``flask eraati worker`` already has the application; a plain ``rq worker eraati-exports``
(started outside Flask) builds it once per process with ``create_app()`` (``ERAATI_ENV``
and the usual environment variables).
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Flask, current_app, has_app_context

from eraati.core import logs


@functools.cache
def _worker_app() -> Flask:
    from eraati import create_app

    return create_app()


def _request_id() -> str | None:
    """The id of the request that enqueued the running RQ job (``queue._enqueue_rq``)."""
    from rq import get_current_job

    job = get_current_job()
    return (job.meta or {}).get("request_id") if job is not None else None


def perform(job_id: int) -> bool:
    app = current_app._get_current_object() if has_app_context() else _worker_app()
    # A context of its own: a fresh database session, removed when the job ends.
    with app.app_context(), logs.job_request_id(_request_id()):
        from eraati.jobs.services import run

        return run(job_id)


def perform_task(task: str, *args: Any) -> Any:
    """Any other background work (``queue.submit``): ``task(*args)`` in an app context."""
    app = current_app._get_current_object() if has_app_context() else _worker_app()
    with app.app_context(), logs.job_request_id(_request_id()):
        from eraati.jobs.queue import call

        return call(task, *args)
