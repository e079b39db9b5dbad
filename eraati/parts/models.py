"""Parts of a topic and their texts.

A comment on a part carries ``comments.part_id``; one on a paragraph also its number
(``comments.paragraph``, 1-based, counted in the topic's primary language by
``eraati.parts.paragraphs``) and the paragraph's text as it was (``paragraph_quote``), so
that editing the part later never changes what a resident quoted.

``comments.part_id`` has no ON DELETE action: a part that has comments cannot be deleted
(the staff page says so, and the database refuses too). Setting the column NULL instead
would move the comments into the general discussion with a paragraph number and quote
that point nowhere, misrepresenting what the residents commented on. A topic's deletion
still removes everything: its parts and comments go in the same statement, and the
check runs at its end.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.i18n import pick_translation
from eraati.core.time import utcnow
from eraati.extensions import db


class TopicPart(db.Model):
    __tablename__ = "topic_parts"
    __table_args__ = (
        # The order of a topic's parts, and the part's address (…/parts/<position>).
        sa.UniqueConstraint("topic_id", "position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1, 2, 3, ... without gaps (services keep it so)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    texts: Mapped[list[TopicPartText]] = relationship(
        back_populates="part", cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, locale: str, languages: list[str]) -> TopicPartText | None:
        return pick_translation(self.texts, locale, languages)

    def text_in(self, locale: str) -> TopicPartText | None:
        return next((t for t in self.texts if t.locale == locale), None)

    def __repr__(self) -> str:
        return f"<TopicPart {self.id} #{self.position} of {self.topic_id}>"


class TopicPartText(db.Model):
    __tablename__ = "topic_part_texts"
    __table_args__ = (sa.UniqueConstraint("part_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(sa.ForeignKey("topic_parts.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(5))
    title: Mapped[str] = mapped_column(sa.String(200))
    # Rich text like TopicTranslation.body: stored as written, sanitised on output
    # (eraati.core.sanitize.clean_rich) and split into paragraphs from the sanitised form.
    body: Mapped[str] = mapped_column(sa.Text, default="")

    part: Mapped[TopicPart] = relationship(back_populates="texts")
