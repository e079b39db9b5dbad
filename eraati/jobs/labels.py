"""What the pages say about a job: its format, its state, why it failed."""

from __future__ import annotations

from datetime import datetime

from eraati.core.i18n import lazy_gettext as _l
from eraati.jobs import services
from eraati.jobs.models import ExportJob, JobState

EXPIRED = "expired"  # shown, not stored: a done job whose file is gone or past its date

FORMAT_LABELS = {
    "xlsx": _l("Excel workbook (XLSX)"),
    "docx": _l("Council report (DOCX)"),
    "pdf": _l("Council report (PDF)"),
}
STATE_LABELS = {
    JobState.QUEUED: _l("Waiting"),
    JobState.RUNNING: _l("Being prepared"),
    JobState.DONE: _l("Ready"),
    EXPIRED: _l("Expired"),
    JobState.FAILED: _l("Failed"),
}
REASON_TEXTS = {
    services.INTERRUPTED: _l(
        "Preparing the file was interrupted, for example because the server was restarted. "
        "Please prepare it again."
    ),
    services.QUEUE_UNAVAILABLE: _l(
        "The service that prepares files could not be reached. Please try again in a moment."
    ),
    services.TIMED_OUT: _l("Preparing the file took too long and was stopped."),
    services.NO_SPACE: _l(
        "The server ran out of disk space while preparing the file. "
        "Please tell the administrator of the service."
    ),
    services.ERROR: _l(
        "Something went wrong while preparing the file. The error was recorded for the "
        "administrator of the service. Please try again."
    ),
}


def shown_state(job: ExportJob, now: datetime) -> str:
    if job.state == JobState.DONE and (
        job.stored_name is None or job.expires_at is None or job.expires_at <= now
    ):
        return EXPIRED
    return str(job.state)


def reason_text(job: ExportJob):
    return REASON_TEXTS.get(job.error or "", REASON_TEXTS[services.ERROR])


def percent(job: ExportJob) -> int | None:
    """How far the job is, 0-100; None while the total is not known."""
    if job.state == JobState.DONE:
        return 100
    if not job.progress_total:
        return None
    return min(100, job.progress_done * 100 // job.progress_total)
