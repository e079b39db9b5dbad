"""``flask eraati worker``: runs the export jobs of the RQ queue (Redis configured).

Without Redis the web process runs them itself and no worker is needed. The jobs'
part of ``flask eraati tick`` is ``tick_jobs()``.
"""

from __future__ import annotations

import click
from flask import current_app

from eraati.cli import eraati_cli
from eraati.extensions import db


@eraati_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
def worker(burst: bool) -> None:
    """Run export jobs (XLSX, reports) from the Redis queue until stopped."""
    from rq import SimpleWorker

    from eraati.jobs.queue import rq_queue

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "REDIS_URL is not set: give the Redis address in ERAATI_REDIS_URL "
            "(redis://host:6379/0). Without Redis the web server prepares exports itself "
            "and no worker is needed."
        )
    queue = rq_queue(worker=True)
    click.echo(f"Waiting for export jobs on {queue.name!r} (stop with Ctrl+C).")
    # In this process: the application and its database pool are built once.
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


def tick_jobs() -> None:
    """The jobs' part of ``flask eraati tick``: lost jobs failed, old files removed."""
    from eraati.jobs.services import tidy

    tidied = tidy()
    db.session.commit()
    click.echo(str(tidied))
