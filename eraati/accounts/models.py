from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.core.time import utcnow
from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.organisations.models import Membership, Organisation, Role


def address_hint(email: str) -> str:
    """What staff pages and the audit log show of an address instead of the address:
    "m…@example.fi" (blocks made by address, invitations)."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local[:1]}…@{domain}"[:254] if local else "…"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    locale: Mapped[str] = mapped_column(sa.String(5), default="fi")
    # The resident's home municipality if they told it: a Statistics Finland code, "other"
    # (elsewhere or outside Finland) or None (not told). Results of joint authorities are
    # broken down by it (eraati/results/municipalities.py). Their home organisation is the
    # one whose ``municipality_code`` is this code (``organisations.queries.home_of``):
    # its new consultations are announced to them, and its statistics count them.
    home_municipality_code: Mapped[str | None] = mapped_column(sa.String(5))
    email_verified_at: Mapped[datetime | None]
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    suspended_at: Mapped[datetime | None]
    # Organisation id (as text) -> ISO end of an active block from that organisation's
    # topics. A copy of the open rows of ``user_blocks`` (moderation), rewritten in the same
    # transaction, so that permission checks need no query of their own.
    org_blocks: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    # Bumped at log-out and password change: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    # The resident allows their display name in organisations' data exports (off: pseudonym).
    name_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # The registration form's own token: the same form sent twice (a double click) finds
    # the account its first sending made, and nobody is mailed about the second.
    registration_token: Mapped[str | None] = mapped_column(sa.String(32))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    def block_ends(self, organisation_id: int, now: datetime) -> datetime | None:
        """The end of this user's block from the organisation's topics, if one is on."""
        until = (self.org_blocks or {}).get(str(organisation_id))
        if until is None:
            return None
        ends = datetime.fromisoformat(until)
        return ends if ends > now else None

    def blocked_in(self, organisation_id: int, now: datetime) -> bool:
        return self.block_ends(organisation_id, now) is not None

    def roles_in(self, organisation: Organisation | None) -> set[Role]:
        if organisation is None:
            return set()
        return {m.role for m in self.memberships if m.organisation_id == organisation.id}

    def __repr__(self) -> str:
        return f"<User {self.id}>"
