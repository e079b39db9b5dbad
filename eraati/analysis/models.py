"""A topic's computed analyses: one row per topic and kind (opinion groups, campaigns,
suggested themes), holding the last result and the state of the next computation.

An analysis is computed by a background job (``runs.py``), never in a request: the page
shows the last result with its time, and "being computed" while a job is queued or
running. ``inputs_at`` is the time of the newest input the result includes (the last
vote, comment or tag), so that a change after it asks for a new computation.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.db import enum_column
from eraati.extensions import db


class AnalysisKind(enum.StrEnum):
    GROUPS = "groups"  # opinion groups from the votes on comments
    CAMPAIGNS = "campaigns"  # comments sharing one text
    THEMES = "themes"  # suggested themes for untagged comments


class TopicAnalysis(db.Model):
    __tablename__ = "topic_analyses"
    __table_args__ = (sa.UniqueConstraint("topic_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    kind: Mapped[AnalysisKind] = mapped_column(enum_column(AnalysisKind))
    # A computation was asked for and has not started (a job is queued).
    requested_at: Mapped[datetime | None]
    # A worker is computing since (NULL when none is).
    started_at: Mapped[datetime | None]
    # The stored result: when it was computed, and the newest input it includes.
    computed_at: Mapped[datetime | None]
    inputs_at: Mapped[datetime | None]
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    # The last computation failed: when, and a reason code (never a traceback).
    failed_at: Mapped[datetime | None]
    failure: Mapped[str | None] = mapped_column(sa.String(200))

    @property
    def pending(self) -> bool:
        """A computation is queued or running: the page says "being computed"."""
        return self.requested_at is not None or self.started_at is not None
