"""Moderation: the organisation's reason templates and blocks of users."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.i18n import other_language, pick_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation


class ModerationReason(db.Model):
    """A reason a moderator picks when hiding a comment; ``texts`` is per language."""

    __tablename__ = "moderation_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    texts: Mapped[dict] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def text(self, locale: str) -> str:
        return pick_text(self.texts, locale, self.organisation.language_list)

    def text_lang(self, locale: str) -> str | None:
        """The language of ``text(locale)`` when it is not ``locale`` (its ``lang``)."""
        return other_language(self.texts, locale, self.organisation.language_list)


class UserBlock(db.Model):
    """A user may not take part in an organisation's topics until ``ends_at``.

    ``User.org_blocks`` holds a copy of the open blocks for permission checks; services
    that add or lift a block rewrite it in the same transaction.

    A block made by e-mail address keeps the address as a keyed hash (``email_hash``) and
    a masked hint to show, never the address: the form answers the same whether or not
    the address has an account, and the block applies to an account registered with the
    address later (``user_id`` is then filled in)."""

    __tablename__ = "user_blocks"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        sa.CheckConstraint("user_id IS NOT NULL OR email_hash IS NOT NULL", name="has_person"),
        sa.Index("ix_user_blocks_org_user", "organisation_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Blocks made by address: HMAC of the lower-case address, and e.g. "m…@example.fi".
    email_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    email_hint: Mapped[str | None] = mapped_column(sa.String(254))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    @property
    def person_label(self) -> str:
        """Who the staff's pages name: the hint of the address for a block made by
        address (so the list never tells whether it has an account), else the name."""
        if self.email_hint:
            return self.email_hint
        return self.user.display_name if self.user is not None else ""
