from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.db import enum_column
from eraati.core.i18n import pick_text
from eraati.core.time import utcnow
from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.accounts.models import User


class OrganisationKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    JOINT_AUTHORITY = "joint_authority"


class Role(enum.StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    PREPARER = "preparer"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    name_fi: Mapped[str] = mapped_column(sa.String(160))
    name_sv: Mapped[str | None] = mapped_column(sa.String(160))
    name_en: Mapped[str | None] = mapped_column(sa.String(160))
    # Languages the organisation writes in, first is primary: "fi" or "fi,sv".
    languages: Mapped[str] = mapped_column(sa.String(20), default="fi")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def primary_language(self) -> str:
        return self.language_list[0] if self.language_list else "fi"

    def name(self, locale: str) -> str:
        texts = {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}
        return pick_text(texts, locale, self.language_list)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Membership(db.Model):
    """A staff role of a user in one organisation; roles never reach other organisations."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")
