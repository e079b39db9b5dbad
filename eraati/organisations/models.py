from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.db import enum_column
from eraati.core.i18n import marked, other_language, pick_text
from eraati.core.security import tile_origin
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


# The member municipalities of a joint authority (kuntayhtymä).
organisation_members = sa.Table(
    "organisation_members",
    db.metadata,
    sa.Column(
        "authority_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("member_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


# The member municipalities of a joint authority as Statistics Finland codes (the reference
# list, eraati/organisations/municipalities.py), whether or not they have an organisation
# on the platform. ``organisation_members`` above links the authority to those members
# that do (notifications use it); a member's own organisation is the one whose
# ``municipality_code`` is the member's code. Residents' home municipalities
# (``users.home_municipality_code``) are broken down by this list in the results.
authority_members = sa.Table(
    "authority_members",
    db.metadata,
    sa.Column(
        "authority_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("municipality_code", sa.String(3), primary_key=True),
)


DEFAULT_RETENTION_MONTHS = 24
MAX_RETENTION_MONTHS = 120


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint("flag_threshold >= 1", name="flag_threshold_positive"),
        sa.CheckConstraint(
            f"retention_months BETWEEN 1 AND {MAX_RETENTION_MONTHS}",
            name="retention_months_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    name_fi: Mapped[str] = mapped_column(sa.String(160))
    name_sv: Mapped[str | None] = mapped_column(sa.String(160))
    name_en: Mapped[str | None] = mapped_column(sa.String(160))
    # Languages the organisation writes in, first is primary: "fi" or "fi,sv".
    languages: Mapped[str] = mapped_column(sa.String(20), default="fi")
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(40))
    website_url: Mapped[str | None] = mapped_column(sa.String(500))
    # The logo as uploaded (PNG, JPEG or SVG cleaned of scripts); loaded only when served.
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(sa.String(40))
    logo_updated_at: Mapped[datetime | None]
    # A comment with this many resident reports is hidden until a moderator looks at it.
    flag_threshold: Mapped[int] = mapped_column(default=3, server_default="3")
    # Exports may name authors who consented (User.name_consent); otherwise pseudonyms.
    names_in_exports: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The opinion groups of a topic are shown on its public results page once published
    # (staff see them always; eraati/analysis).
    opinion_groups_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A municipality's own Statistics Finland code (eraati/organisations/municipalities.py),
    # which links it to the joint authorities that list the code among their members and
    # to its residents (``users.home_municipality_code``). At most one organisation has a
    # code; joint authorities have none (they have member municipalities).
    municipality_code: Mapped[str | None] = mapped_column(sa.String(3), index=True, unique=True)
    # The public results page shows results by home municipality (small groups suppressed);
    # staff see them always.
    municipality_results_public: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    # A topic's personal data is removed this many months after its results are published
    # (eraati.retention, run by ``flask eraati tick``).
    retention_months: Mapped[int] = mapped_column(
        default=DEFAULT_RETENTION_MONTHS, server_default=str(DEFAULT_RETENTION_MONTHS)
    )
    # Sites allowed to show the organisation's consultation card in a frame (eraati.feeds):
    # a JSON list of https origins such as ["https://www.iisalmi.fi"]; None: no site.
    embed_origins: Mapped[str | None] = mapped_column(sa.Text)
    # Topic maps (eraati.places): the tile server's address template, https with {z}, {x}
    # and {y}, and the attribution its terms ask for. None: maps show no background tiles.
    map_tile_url: Mapped[str | None] = mapped_column(sa.String(500))
    map_attribution: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    members: Mapped[list[Organisation]] = relationship(
        secondary=organisation_members,
        primaryjoin=lambda: Organisation.id == organisation_members.c.authority_id,
        secondaryjoin=lambda: Organisation.id == organisation_members.c.member_id,
        lazy="select",
        order_by=lambda: Organisation.name_fi,
    )

    @property
    def language_list(self) -> list[str]:
        return [c for c in self.languages.split(",") if c]

    @property
    def embed_origin_list(self) -> list[str]:
        """The sites allowed to frame the consultation card (``embed_origins``)."""
        if not self.embed_origins:
            return []
        try:
            value = json.loads(self.embed_origins)
        except ValueError:
            return []
        return [o for o in value if isinstance(o, str)] if isinstance(value, list) else []

    def map_tile_origin(self, *, loopback_http: bool = False) -> str | None:
        """The tile server's origin, for the map pages' CSP; None: no tiles."""
        return tile_origin(self.map_tile_url, loopback_http=loopback_http)

    @property
    def primary_language(self) -> str:
        return self.language_list[0] if self.language_list else "fi"

    @property
    def names(self) -> dict[str, str | None]:
        return {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}

    def name(self, locale: str) -> str:
        return pick_text(self.names, locale, self.language_list)

    def name_lang(self, locale: str) -> str | None:
        """The language of ``name(locale)`` when it is not ``locale`` (its ``lang``)."""
        return other_language(self.names, locale, self.language_list)

    def marked_name(self, locale: str) -> Markup:
        """The name for a page in ``locale``: in ``<span lang="fi">`` when the organisation
        has no name in ``locale`` and the Finnish one is shown (WCAG 3.1.2)."""
        return marked(self.name(locale), self.name_lang(locale))

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


class Invitation(db.Model):
    """An e-mailed offer of a staff role; the link carries a signed id and expires."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))  # lower-case
    role: Mapped[Role] = mapped_column(enum_column(Role))
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(lazy="joined")
