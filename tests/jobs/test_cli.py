"""``flask eraati worker`` and the jobs' part of ``flask eraati tick``."""

from __future__ import annotations

from datetime import timedelta

from eraati.core.time import utcnow
from eraati.jobs import services
from eraati.jobs.models import JobState
from tests.jobs.support import fresh, make_done_job, make_job, stored_path


def test_the_worker_needs_redis(runner, jobs_backend):
    jobs_backend("auto", REDIS_URL=None)
    result = runner.invoke(args=["eraati", "worker", "--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output
    assert "ERAATI_REDIS_URL" in result.output


def test_the_worker_runs_the_queued_jobs(db, runner, world, preparer, redis_queue):
    first = services.start(world.topic, "xlsx", "fi", user=preparer)
    second = services.start(world.topic, "xlsx", "en", user=preparer)
    assert redis_queue.count == 2
    result = runner.invoke(args=["eraati", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "Waiting for export jobs" in result.output
    for job in (first, second):
        job = fresh(job.id)
        assert job.state == JobState.DONE, job.error
        assert stored_path(job).is_file()
    assert redis_queue.count == 0


def test_tick_jobs_reports_what_it_did(db, app, world, preparer, export_dir):
    from eraati.jobs.cli import tick_jobs

    long_ago = utcnow() - timedelta(days=8)
    lost = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=long_ago)
    old = make_done_job(world.topic, preparer, finished_at=long_ago)
    db.session.commit()
    path = stored_path(old)

    @app.cli.command("tick-jobs-test")
    def command():
        tick_jobs()

    try:
        result = app.test_cli_runner().invoke(args=["tick-jobs-test"])
    finally:
        app.cli.commands.pop("tick-jobs-test")
    assert result.output == "export jobs: 1 interrupted, 1 file(s) removed.\n"
    db.session.rollback()
    assert fresh(lost.id).error == "interrupted"  # committed
    assert not path.exists()
