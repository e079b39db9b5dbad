"""What an RQ worker calls: ``perform(job_id)`` runs one export job in an app context.

``flask eraati worker`` already has the application; a plain ``rq worker eraati-exports``
(started outside Flask) builds it once per process with ``create_app()`` (``ERAATI_ENV``
and the usual environment variables).
"""

from __future__ import annotations

import functools

from flask import Flask, current_app, has_app_context


@functools.cache
def _worker_app() -> Flask:
    from eraati import create_app

    return create_app()


def perform(job_id: int) -> bool:
    app = current_app._get_current_object() if has_app_context() else _worker_app()
    # A context of its own: a fresh database session, removed when the job ends.
    with app.app_context():
        from eraati.jobs.services import run

        return run(job_id)
