"""A moderator's decision on a suggested theme (``analysis.suggestions``): accepted (the
comment was tagged with it, through ``services.set_comment_themes``) or rejected (it is
never suggested for that comment again). One decision per comment and theme.

Who decided is not stored here: the audit log has it (``comment.tag`` for an accepted
suggestion, ``theme.suggestion_reject`` for rejected ones), so this table holds nobody's
personal data and retention has nothing to clear in it.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eraati.core.db import enum_column
from eraati.core.time import utcnow
from eraati.extensions import db


class Decision(enum.StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SuggestionDecision(db.Model):
    __tablename__ = "theme_suggestion_decisions"
    __table_args__ = (sa.UniqueConstraint("comment_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    # The confidence the suggestion had when it was decided (how good suggestions were).
    confidence: Mapped[float | None]
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
