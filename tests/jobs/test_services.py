"""The job's life: queued -> running -> done (or failed with a reason), once only; the
progress bar; the clock's tidying."""

from __future__ import annotations

import io
import logging
import os
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.exports import services as exports
from eraati.extensions import db
from eraati.jobs import labels, services
from eraati.jobs.models import ExportJob, JobState
from eraati.jobs.worker import perform
from tests.jobs.support import fresh, make_done_job, make_job, stored_path

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _files(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# --- start ----------------------------------------------------------------------------------------


def test_start_commits_a_queued_job_and_its_audit_row_then_hands_it_on(
    db, world, preparer, jobs_backend, redis_queue
):
    job = services.start(world.topic, "pdf", "sv", appendix=True, user=preparer, now=T0)
    db.session.rollback()  # what start() wrote is committed, not just flushed
    job = fresh(job.id)
    assert job.state == JobState.QUEUED
    assert len(job.token) == 43 and job.token.replace("-", "").replace("_", "").isalnum()
    assert (job.organisation_id, job.topic_id, job.requested_by_id) == (
        world.org.id,
        world.topic.id,
        preparer.id,
    )
    assert (job.format, job.language, job.options) == ("pdf", "sv", {"appendix": True})
    assert job.created_at == T0 and job.started_at is None
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.start"))
    assert (event.actor_id, event.organisation_id) == (preparer.id, world.org.id)
    assert (event.target_type, event.target_id) == ("Topic", world.topic.id)
    assert event.details == {"format": "pdf", "language": "sv", "job": job.id, "appendix": True}
    (queued,) = redis_queue.get_jobs()
    assert queued.func_name == "eraati.jobs.worker.perform"
    assert queued.args == (job.id,)


def test_a_workbook_has_no_appendix_option(db, world, preparer):
    job = services.start(world.topic, "xlsx", "fi", appendix=True, user=preparer)
    assert fresh(job.id).options == {}


def test_start_refuses_a_format_that_is_not_a_job(db, world, preparer):
    with pytest.raises(ValueError, match="csv"):
        services.start(world.topic, "csv", "fi", user=preparer)
    assert db.session.scalars(sa.select(ExportJob)).all() == []


def test_when_redis_does_not_answer_the_job_fails_at_once(db, world, preparer, jobs_backend):
    jobs_backend("rq", REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    job = services.start(world.topic, "xlsx", "fi", user=preparer, now=T0)
    job = fresh(job.id)
    assert (job.state, job.error, job.finished_at) == (JobState.FAILED, "queue_unavailable", T0)


# --- run: the state machine -----------------------------------------------------------------------


def test_run_writes_the_workbook_and_marks_the_job_done(db, world, preparer, export_dir):
    job = make_job(world.topic, preparer, "xlsx", lang="sv")
    db.session.commit()
    assert services.run(job.id, now=T0) is True
    job = fresh(job.id)
    assert job.state == JobState.DONE
    assert (job.started_at, job.finished_at) == (T0, T0)
    assert job.expires_at == T0 + timedelta(days=7)
    assert job.stored_name == f"{job.token}.xlsx"
    assert job.filename == "kirjaston-aukioloajat-2026-03-02.xlsx"
    assert job.error is None
    assert _files(export_dir) == [job.stored_name]  # no .part left behind
    data = stored_path(job).read_bytes()
    assert job.size_bytes == len(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[0] == "Kommentarer"  # headings in the job's language
    total = exports.row_count(world.topic, "xlsx")
    assert job.progress_total == job.progress_done == total > 0


def test_run_writes_the_report_with_its_appendix(db, world, preparer, export_dir):
    from pypdf import PdfReader

    from eraati.reports.build import report_steps

    world.topic.comment_count = 6  # the appendix's progress steps come from the counter
    job = make_job(world.topic, preparer, "pdf", lang="fi", options={"appendix": True})
    db.session.commit()
    assert services.run(job.id, now=T0) is True
    job = fresh(job.id)
    assert job.state == JobState.DONE, job.error
    assert job.filename == "kirjaston-aukioloajat-2026-03-02-raportti.pdf"
    assert job.progress_done == job.progress_total == report_steps(world.topic, True) > 4
    reader = PdfReader(io.BytesIO(stored_path(job).read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "tapahtuma palaute" in text  # only the appendix has every comment


def test_run_writes_the_word_report_in_swedish(db, world, preparer, export_dir):
    import docx

    job = make_job(world.topic, preparer, "docx", lang="sv")
    db.session.commit()
    assert services.run(job.id, now=T0) is True
    job = fresh(job.id)
    assert job.state == JobState.DONE, job.error
    assert job.filename == "kirjaston-aukioloajat-2026-03-02-rapport.docx"
    document = docx.Document(str(stored_path(job)))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    text = "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    assert "Hörande" in text or "hörande" in text  # in Swedish
    assert "tapahtuma palaute" not in text  # no appendix asked for
    assert job.size_bytes == stored_path(job).stat().st_size


def test_a_job_runs_once(db, world, preparer, export_dir):
    job = make_job(world.topic, preparer)
    db.session.commit()
    assert services.run(job.id, now=T0) is True
    first = fresh(job.id)
    written = stored_path(first).stat().st_mtime_ns
    # The same id handed out again (RQ retried it, two workers got it): nothing happens.
    assert services.run(job.id, now=T0 + timedelta(minutes=5)) is False
    again = fresh(job.id)
    assert (again.state, again.finished_at) == (JobState.DONE, T0)
    assert stored_path(again).stat().st_mtime_ns == written
    assert _files(export_dir) == [first.stored_name]


def test_a_job_another_worker_is_running_is_left_alone(db, world, preparer, export_dir):
    job = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=T0)
    db.session.commit()
    assert services.run(job.id) is False
    job = fresh(job.id)
    assert (job.state, job.started_at, job.stored_name) == (JobState.RUNNING, T0, None)
    assert _files(export_dir) == []


def test_an_unknown_job_id_does_nothing(db, world, preparer, export_dir):
    assert services.run(987654) is False
    assert _files(export_dir) == []


def test_a_failure_is_a_reason_code_in_the_row_and_a_traceback_in_the_log(
    db, app, world, preparer, tmp_path, caplog
):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    app.config["EXPORT_DIR"] = str(blocker)  # the file cannot be written there
    job = make_job(world.topic, preparer)
    db.session.commit()
    with caplog.at_level(logging.ERROR, logger="eraati.jobs.services"):
        assert services.run(job.id, now=T0) is True
    job = fresh(job.id)
    assert (job.state, job.error, job.finished_at) == (JobState.FAILED, "error", T0)
    assert job.stored_name is None and job.expires_at is None
    (logged,) = [r for r in caplog.records if r.exc_info]
    assert f"export job {job.id}" in logged.getMessage()
    assert "Traceback" not in (job.error or "")


def test_reason_codes():
    from rq.timeouts import JobTimeoutException

    assert services._reason(OSError(28, "No space left on device")) == "no_space"
    assert services._reason(JobTimeoutException("too long")) == "timeout"
    assert services._reason(KeyError("x")) == "error"
    # Every code has its text on the pages.
    assert set(labels.REASON_TEXTS) == set(services.REASONS)


def test_perform_runs_the_job_in_a_context_of_its_own(db, world, preparer, export_dir):
    job = make_job(world.topic, preparer)
    db.session.commit()
    assert perform(job.id) is True
    assert fresh(job.id).state == JobState.DONE


# --- progress -------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress_in_database(job_id: int) -> int:
    with db.engine.connect() as conn:  # another connection: only committed values
        return conn.scalar(sa.select(ExportJob.progress_done).where(ExportJob.id == job_id))


def test_progress_is_written_at_most_every_half_second(db, world, preparer):
    job = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=T0)
    job.progress_total = 5000
    db.session.commit()
    clock = Clock()
    progress = services.Progress(job.id, 5000, interval=0.5, clock=clock)
    seen = []
    for step, elapsed in ((1000, 0.1), (1000, 0.3), (1000, 0.2), (1000, 0.1), (1000, 0.5)):
        clock.now += elapsed
        progress(step)
        seen.append(_progress_in_database(job.id))
    assert seen == [0, 0, 3000, 3000, 5000]


def test_progress_commits_apart_from_the_session(db, world, preparer):
    """The export streams rows from a cursor in the session's transaction: the progress
    must not commit (or roll back with) that transaction."""
    job = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=T0)
    job.progress_total = 10
    db.session.commit()
    db.session.scalar(sa.select(ExportJob.state).where(ExportJob.id == job.id))  # a transaction
    progress = services.Progress(job.id, 10, interval=0)
    progress(4)
    assert _progress_in_database(job.id) == 4
    db.session.rollback()
    assert _progress_in_database(job.id) == 4


def test_progress_never_passes_the_total_nor_touches_a_finished_job(db, world, preparer):
    job = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=T0)
    job.progress_total = 10
    db.session.commit()
    progress = services.Progress(job.id, 10, interval=0)
    progress(25)
    assert _progress_in_database(job.id) == 10
    db.session.execute(
        sa.update(ExportJob).where(ExportJob.id == job.id).values(state=JobState.FAILED)
    )
    db.session.commit()
    progress(1)
    assert _progress_in_database(job.id) == 10


def test_progress_moves_while_a_workbook_is_written(db, app, world, preparer, export_dir):
    from sqlalchemy import event

    app.config["JOBS_PROGRESS_SECONDS"] = 0  # write every step
    written = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE export_jobs SET progress_done"):
            written.append(parameters)

    job = make_job(world.topic, preparer)
    db.session.commit()
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        services.run(job.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
        app.config["JOBS_PROGRESS_SECONDS"] = 0.5
    assert len(written) >= 2  # one per sheet with counted rows, at least
    assert fresh(job.id).state == JobState.DONE


# --- tidy (flask eraati tick) ---------------------------------------------------------------------


def test_tidy_gives_up_on_jobs_a_stopped_worker_left_behind(db, world, preparer, export_dir):
    hours = lambda n: T0 - timedelta(hours=n)  # noqa: E731
    lost_running = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=hours(2))
    lost_queued = make_job(world.topic, preparer, created_at=hours(2))
    busy = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=hours(0.5))
    waiting = make_job(world.topic, preparer, created_at=hours(0.5))
    done = make_done_job(world.topic, preparer, finished_at=hours(3))
    db.session.commit()
    export_dir.joinpath(f"{lost_running.token}.xlsx.part").write_bytes(b"half")
    export_dir.joinpath(f"{busy.token}.xlsx.part").write_bytes(b"half")

    tidied = services.tidy(now=T0)
    db.session.commit()

    assert (tidied.interrupted, tidied.removed) == (2, 0)
    for job in (lost_running, lost_queued):
        job = fresh(job.id)
        assert (job.state, job.error, job.finished_at) == (JobState.FAILED, "interrupted", T0)
    assert fresh(busy.id).state == JobState.RUNNING
    assert fresh(waiting.id).state == JobState.QUEUED
    assert fresh(done.id).state == JobState.DONE
    assert _files(export_dir) == sorted([f"{busy.token}.xlsx.part", done.stored_name])
    # The lost job's worker, should it come back, finds nothing to do.
    assert services.run(lost_queued.id) is False


def test_files_are_kept_seven_days_then_removed_and_the_row_stays(db, world, preparer, export_dir):
    job = make_done_job(world.topic, preparer, finished_at=T0)
    db.session.commit()
    services.tidy(now=T0 + timedelta(days=6, hours=23))
    db.session.commit()
    assert stored_path(fresh(job.id)).is_file()
    assert labels.shown_state(fresh(job.id), T0 + timedelta(days=6)) == "done"

    tidied = services.tidy(now=T0 + timedelta(days=7))
    db.session.commit()
    assert tidied.removed == 1
    job = fresh(job.id)
    assert job.state == JobState.DONE and job.stored_name is None
    assert job.filename and job.size_bytes  # what it was stays in the list
    assert _files(export_dir) == []
    assert labels.shown_state(job, T0 + timedelta(days=7)) == "expired"
    assert services.tidy(now=T0 + timedelta(days=8)).removed == 0  # once


def test_tidy_sweeps_old_files_no_job_points_at(db, world, export_dir):
    export_dir.mkdir(parents=True)
    old = export_dir / "orphan-of-a-deleted-topic.pdf"
    new = export_dir / "orphan-of-today.pdf"
    for path in (old, new):
        path.write_bytes(b"%PDF")
    week_ago = (T0 - timedelta(days=9)).timestamp()
    os.utime(old, (week_ago, week_ago))
    os.utime(new, (T0.timestamp(), T0.timestamp()))
    assert services.tidy(now=T0).removed == 1
    assert _files(export_dir) == [new.name]
