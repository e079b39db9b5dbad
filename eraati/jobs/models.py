"""Background export jobs: the XLSX workbook and the DOCX and PDF council reports.

A job row is its persisted state. The request that starts a job commits a ``queued``
row and returns at once; a worker (RQ with Redis configured, else a local thread) moves
it to ``running``, then ``done`` with its file, or ``failed`` with a reason code. The
file is kept for ``EXPORT_KEEP_DAYS`` days (``expires_at``), then removed by
``flask eraati tick``.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.db import enum_column
from eraati.core.time import utcnow
from eraati.extensions import db


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob(db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (
        sa.Index("ix_export_jobs_topic_created", "topic_id", "created_at"),
        sa.Index("ix_export_jobs_expires", "expires_at"),
        sa.CheckConstraint("progress_done >= 0", name="progress_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unguessable id in addresses and in the queue; access is still checked per request.
    token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    format: Mapped[str] = mapped_column(sa.String(16))  # xlsx, docx, pdf
    language: Mapped[str] = mapped_column(sa.String(5))
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {"appendix": true}
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(sa.String(200))  # a reason code, never a traceback
    filename: Mapped[str | None] = mapped_column(sa.String(200))  # offered to the browser
    stored_name: Mapped[str | None] = mapped_column(sa.String(200))  # under EXPORT_DIR
    size_bytes: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    topic = relationship("Topic", lazy="joined", innerjoin=True)
    requested_by = relationship("User")

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
