"""Builders and addresses for the export-job tests."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from eraati.consultations.models import Topic
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs.models import ExportJob, JobState


def make_job(
    topic: Topic,
    user=None,
    fmt: str = "xlsx",
    *,
    lang: str = "fi",
    state: JobState = JobState.QUEUED,
    created_at: datetime | None = None,
    started_at: datetime | None = None,
    options: dict | None = None,
) -> ExportJob:
    job = ExportJob(
        token=secrets.token_urlsafe(32),
        organisation_id=topic.organisation_id,
        topic_id=topic.id,
        requested_by_id=getattr(user, "id", None),
        format=fmt,
        language=lang,
        options=options or {},
        state=state,
        created_at=created_at or utcnow(),
        started_at=started_at,
    )
    db.session.add(job)
    db.session.flush()
    return job


def make_done_job(
    topic: Topic,
    user=None,
    fmt: str = "xlsx",
    *,
    data: bytes = b"PK\x03\x04 a workbook",
    finished_at: datetime | None = None,
    lang: str = "fi",
) -> ExportJob:
    """A finished job with its file in EXPORT_DIR."""
    finished_at = finished_at or utcnow()
    job = make_job(topic, user, fmt, lang=lang, state=JobState.DONE, started_at=finished_at)
    job.stored_name = f"{job.token}.{fmt}"
    job.filename = f"{topic.slug}-raportti.{fmt}"
    job.size_bytes = len(data)
    job.finished_at = finished_at
    job.expires_at = finished_at + timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    job.progress_total = job.progress_done = 10
    path = stored_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    db.session.flush()
    return job


def stored_path(job: ExportJob) -> Path:
    return Path(current_app.config["EXPORT_DIR"]) / job.stored_name


def fresh(job_id: int) -> ExportJob:
    """The row as the database has it now (the worker wrote it in another session)."""
    db.session.expire_all()
    return db.session.scalar(sa.select(ExportJob).where(ExportJob.id == job_id))


def jobs_of(topic: Topic) -> list[ExportJob]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(ExportJob).where(ExportJob.topic_id == topic.id).order_by(ExportJob.id)
        )
    )


def start_path(topic: Topic, org_slug: str | None = None) -> str:
    return f"/staff/{org_slug or topic.organisation.slug}/topics/{topic.id}/exports/jobs"


def job_path(job: ExportJob, suffix: str = "", *, org_slug: str | None = None) -> str:
    slug = org_slug or job.topic.organisation.slug
    return f"/staff/{slug}/exports/jobs/{job.token}{suffix}"


# --- a task for queue.submit (a module of its own: pytest imports the test modules under
# names of their own, and the task is found by its import path) -----------------------------

TASK = "tests.jobs.support.remember"
DONE: list[tuple] = []


def remember(number: int, word: str) -> None:
    """The task: what it was given, and the name of the application it ran in."""
    from flask import current_app, has_app_context

    DONE.append((number, word, has_app_context() and current_app.name))
