from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.time import utcnow
from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.consultations.models import Topic

# The languages spoken at an event, in this order.
EVENT_LANGUAGES = ("fi", "sv", "en")


class TopicEvent(db.Model):
    """An event of a topic: when, where, what happens there, in which languages, and how
    accessible the place is. The texts are written once, in the language the staff choose
    (a place's name and address are not translated)."""

    __tablename__ = "topic_events"
    __table_args__ = (
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(sa.String(200))
    street_address: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # Postal code and municipality, free text: "74640 Keitele".
    municipality: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Codes of EVENT_LANGUAGES, space-separated in that order: "fi sv".
    languages: Mapped[str] = mapped_column(sa.String(20), default="fi", server_default="fi")
    accessibility: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    topic: Mapped[Topic] = relationship()

    @property
    def language_list(self) -> list[str]:
        chosen = set((self.languages or "").split())
        return [code for code in EVENT_LANGUAGES if code in chosen]

    @property
    def address(self) -> str:
        """Street address, postal code and municipality on one line."""
        return ", ".join(p for p in (self.street_address, self.municipality) if p)

    def is_past(self, now: datetime) -> bool:
        return (self.ends_at or self.starts_at) < now

    def __repr__(self) -> str:
        return f"<TopicEvent {self.id} of topic {self.topic_id}>"
