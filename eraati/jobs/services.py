"""Export jobs: starting one, the worker's body, and tidying up after them.

``start`` runs in the request: it commits a ``queued`` row (the worker must see it) and
hands the id to the queue. ``run`` runs in a worker: it claims the row (one conditional
``UPDATE``, so a job handed out twice runs once), writes the file under ``EXPORT_DIR``
and marks the row ``done`` or ``failed`` with a reason code. ``tidy`` is the clock's part
(``flask eraati tick``): jobs a stopped worker left behind, and files past their date.

While the file is written its rows come from a server-side cursor inside the session's
transaction, so the progress bar is written through a connection of its own
(``db.engine.begin()``): committing the session there would close the cursor on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from eraati.audit.services import record
from eraati.consultations.models import Topic
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs.models import ExportJob, JobState

log = logging.getLogger(__name__)

XLSX = "xlsx"
REPORTS = ("docx", "pdf")
JOB_FORMATS = (XLSX, *REPORTS)
SUFFIXES = {"xlsx": ".xlsx", "docx": ".docx", "pdf": ".pdf"}

# Why a job failed (ExportJob.error); the pages translate each code.
INTERRUPTED = "interrupted"  # the worker stopped before it finished (found by tidy)
QUEUE_UNAVAILABLE = "queue_unavailable"  # Redis did not take the job
TIMED_OUT = "timeout"  # RQ stopped a job that ran too long
NO_SPACE = "no_space"  # the disk was full
ERROR = "error"  # anything else; the traceback is in the log
REASONS = (INTERRUPTED, QUEUE_UNAVAILABLE, TIMED_OUT, NO_SPACE, ERROR)


def export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def _title(topic: Topic) -> str:
    text = topic.text(topic.organisation.primary_language)
    return text.title if text else f"#{topic.id}"


# --- the request ------------------------------------------------------------------------------


def start(
    topic: Topic,
    fmt: str,
    lang: str,
    *,
    appendix: bool = False,
    hidden_texts: bool = False,
    user,
    now: datetime | None = None,
) -> ExportJob:
    """Queue the file ``fmt`` of ``topic`` and return at once. ``hidden_texts`` (the
    workbook only) puts hidden comments' texts in it, as the preparer chose.

    Unlike other services this one commits: the worker, in another process or thread, must
    find the row before it is handed the id. The audit row goes in the same transaction."""
    from eraati.jobs import queue

    if fmt not in JOB_FORMATS:
        raise ValueError(f"not a job format: {fmt!r}")
    now = now or utcnow()
    options: dict[str, bool] = {}
    if fmt in REPORTS:
        options["appendix"] = bool(appendix)
    elif hidden_texts:
        options["hidden_texts"] = True
    job = ExportJob(
        token=secrets.token_urlsafe(32),
        organisation_id=topic.organisation_id,
        topic_id=topic.id,
        requested_by_id=user.id,
        format=fmt,
        language=lang,
        options=options,
        state=JobState.QUEUED,
        created_at=now,
    )
    db.session.add(job)
    db.session.flush()
    record(
        "export.start",
        organisation=topic.organisation_id,
        target=topic,
        target_label=_title(topic),
        details={"format": fmt, "language": lang, "job": job.id, **options},
        actor=user,
        now=now,
    )
    db.session.commit()
    try:
        queue.enqueue(job)
    except queue.QueueUnavailable:
        log.exception("export job %s: the queue did not take it", job.id)
        _fail(job.id, QUEUE_UNAVAILABLE, now, states=(JobState.QUEUED,))
    return job


# --- the worker -------------------------------------------------------------------------------


class Progress:
    """Counts rows (or report steps) and writes the count at most every ``interval``
    seconds, in a short transaction of its own. ``clock`` is for tests."""

    def __init__(
        self,
        job_id: int,
        total: int,
        *,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.total = total
        self.done = 0
        self.interval = interval
        self.clock = clock
        self.written_at = clock()

    def __call__(self, steps: int) -> None:
        self.done += steps
        moment = self.clock()
        if moment - self.written_at >= self.interval:
            self.written_at = moment
            self.write()

    def write(self) -> None:
        with db.engine.begin() as conn:
            conn.execute(
                sa.update(ExportJob)
                .where(ExportJob.id == self.job_id, ExportJob.state == JobState.RUNNING)
                .values(progress_done=min(self.done, self.total))
            )


def run(job_id: int, *, now: datetime | None = None) -> bool:
    """The worker's body: claim job ``job_id``, write its file, record the outcome.
    False when the job was not waiting (already run, running elsewhere, or gone)."""
    started = now or utcnow()
    claimed = db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=started)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        log.info("export job %s: not waiting, nothing to do", job_id)
        return False

    job = db.session.get(ExportJob, job_id)
    what = f"export job {job_id} ({job.format} of topic {job.topic_id})"
    directory = export_dir()
    stored_name = f"{job.token}{SUFFIXES[job.format]}"
    part = directory / f"{stored_name}.part"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        filename = _write(job, part, started)
        size = part.stat().st_size
        os.replace(part, directory / stored_name)
    except Exception as exc:  # the worker's boundary: log it, keep a code
        log.exception("%s failed", what)
        db.session.rollback()
        with contextlib.suppress(OSError):  # the directory itself may be what failed
            part.unlink(missing_ok=True)
        _fail(job_id, _reason(exc), now or utcnow())
        return True

    finished = now or utcnow()
    done = db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.state == JobState.RUNNING)
        .values(
            state=JobState.DONE,
            progress_done=ExportJob.progress_total,
            filename=filename,
            stored_name=stored_name,
            size_bytes=size,
            finished_at=finished,
            expires_at=finished + timedelta(days=current_app.config["EXPORT_KEEP_DAYS"]),
        )
    ).rowcount
    db.session.commit()
    if done != 1:  # tidy() gave up on it meanwhile: its file is nobody's
        (directory / stored_name).unlink(missing_ok=True)
    return True


def _write(job: ExportJob, path: Path, now: datetime) -> str:
    """Write the file of ``job`` to ``path``; its name for the browser."""
    topic = job.topic
    interval = current_app.config["JOBS_PROGRESS_SECONDS"]
    if job.format == XLSX:
        from eraati.exports import services as exports

        total = exports.row_count(topic, XLSX)
        progress = _begin(job, total, interval)
        export = exports.prepare(
            topic,
            XLSX,
            job.language,
            hidden_texts=bool(job.options.get("hidden_texts")),
            now=now,
            progress=progress,
        )
        with path.open("wb") as fh:
            for piece in export.chunks:
                fh.write(piece)
        return export.filename

    from eraati.reports.build import build, report_filename, report_steps

    appendix = bool(job.options.get("appendix"))
    progress = _begin(job, report_steps(topic, appendix), interval)
    with path.open("wb") as fh:
        build(topic, job.format, job.language, fh, appendix=appendix, now=now, progress=progress)
    return report_filename(topic, job.format, job.language, now)


def _begin(job: ExportJob, total: int, interval: float) -> Progress:
    """Record the total before the rows start to stream (the session may commit here)."""
    job.progress_total = total
    db.session.commit()
    return Progress(job.id, total, interval=interval)


def _reason(exc: BaseException) -> str:
    from rq.timeouts import JobTimeoutException

    if isinstance(exc, JobTimeoutException):
        return TIMED_OUT
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC
        return NO_SPACE
    return ERROR


def _fail(
    job_id: int,
    reason: str,
    now: datetime,
    *,
    states: tuple[JobState, ...] = (JobState.RUNNING,),
) -> None:
    db.session.execute(
        sa.update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.state.in_(states))
        .values(state=JobState.FAILED, error=reason, finished_at=now)
    )
    db.session.commit()


# --- the clock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tidied:
    interrupted: int
    removed: int

    def __str__(self) -> str:
        return f"export jobs: {self.interrupted} interrupted, {self.removed} file(s) removed."


def tidy(*, now: datetime | None = None) -> Tidied:
    """Give up on jobs queued or running for longer than ``JOBS_STALE_AFTER`` seconds
    (a worker stopped: failed, "interrupted"), and remove files past ``expires_at`` (the
    rows stay; pages show them as expired). Flushes; the caller commits."""
    now = now or utcnow()
    config = current_app.config
    cutoff = now - timedelta(seconds=config["JOBS_STALE_AFTER"])
    stale = sa.or_(
        sa.and_(ExportJob.state == JobState.QUEUED, ExportJob.created_at < cutoff),
        sa.and_(ExportJob.state == JobState.RUNNING, ExportJob.started_at < cutoff),
    )
    lost = db.session.execute(sa.select(ExportJob.id, ExportJob.token).where(stale)).all()
    if lost:
        db.session.execute(
            sa.update(ExportJob)
            .where(ExportJob.id.in_([row.id for row in lost]), stale)
            .values(state=JobState.FAILED, error=INTERRUPTED, finished_at=now)
        )
    directory = export_dir()
    for row in lost:
        for suffix in SUFFIXES.values():
            (directory / f"{row.token}{suffix}.part").unlink(missing_ok=True)

    expired = db.session.execute(
        sa.select(ExportJob.id, ExportJob.stored_name).where(
            ExportJob.stored_name.is_not(None), ExportJob.expires_at <= now
        )
    ).all()
    for row in expired:
        (directory / row.stored_name).unlink(missing_ok=True)
    if expired:
        db.session.execute(
            sa.update(ExportJob)
            .where(ExportJob.id.in_([row.id for row in expired]))
            .values(stored_name=None)
        )
    removed = len(expired) + _sweep(directory, now - timedelta(days=config["EXPORT_KEEP_DAYS"] + 1))
    db.session.flush()
    return Tidied(interrupted=len(lost), removed=removed)


def _sweep(directory: Path, before: datetime) -> int:
    """Files no row points at any more (their topic was deleted) outlive no job: any file
    older than the keeping time and a day goes."""
    if not directory.is_dir():
        return 0
    removed = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < before.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
