"""Blocks: keep a person from taking part in one organisation's topics for a while.

``UserBlock`` rows are the record; ``User.org_blocks`` is the copy the permission rules
read, rewritten in the same transaction from the open rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from eraati.accounts.models import User
from eraati.audit.services import record
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.models import UserBlock
from eraati.moderation.services.common import (
    BLOCK_DAYS_MAX,
    BLOCK_REASON_MAX,
    AlreadyBlockedError,
    BlockNotActiveError,
    CannotBlockStaffError,
)
from eraati.organisations.models import Organisation


def active_block(org: Organisation, user: User, now: datetime) -> UserBlock | None:
    return db.session.scalar(
        sa.select(UserBlock)
        .where(
            UserBlock.organisation_id == org.id,
            UserBlock.user_id == user.id,
            UserBlock.lifted_at.is_(None),
            UserBlock.ends_at > now,
        )
        .order_by(UserBlock.ends_at.desc())
        .limit(1)
    )


def _locked_user(user_id: int) -> User:
    """The user's row, locked until the commit (PostgreSQL), so that two organisations
    blocking the same person at once cannot overwrite each other's ``org_blocks``."""
    return db.session.scalars(
        sa.select(User)
        .where(User.id == user_id)
        .options(lazyload(User.home_organisation))  # no outer join: FOR UPDATE refuses it
        .with_for_update(of=User)
        .execution_options(populate_existing=True)
    ).one()


def _rewrite_block_cache(user: User, now: datetime) -> None:
    """``User.org_blocks`` from the open rows of ``user_blocks`` (a new dict, so that
    SQLAlchemy writes it)."""
    rows = db.session.execute(
        sa.select(UserBlock.organisation_id, sa.func.max(UserBlock.ends_at))
        .where(
            UserBlock.user_id == user.id,
            UserBlock.lifted_at.is_(None),
            UserBlock.ends_at > now,
        )
        .group_by(UserBlock.organisation_id)
    ).all()
    user.org_blocks = {str(org_id): ends_at.isoformat() for org_id, ends_at in rows}
    db.session.flush()


def block_user(
    org: Organisation,
    user: User,
    days: int,
    reason: str,
    moderator: Any,
    *,
    now: datetime | None = None,
) -> UserBlock:
    """Keep ``user`` from commenting, voting and answering in ``org``'s topics for ``days``."""
    now = now or utcnow()
    if not 1 <= days <= BLOCK_DAYS_MAX:
        raise ValueError(days)
    if user.id == getattr(moderator, "id", None) or user.roles_in(org):
        raise CannotBlockStaffError(user.id)
    user = _locked_user(user.id)
    existing = active_block(org, user, now)
    if existing is not None:
        raise AlreadyBlockedError(existing)
    reason = clean_text(reason)[:BLOCK_REASON_MAX]
    block = UserBlock(
        organisation_id=org.id,
        user_id=user.id,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        reason=reason,
        created_by_id=getattr(moderator, "id", None),
    )
    db.session.add(block)
    db.session.flush()
    _rewrite_block_cache(user, now)
    record(
        "user.block",
        organisation=org,
        target=user,
        target_label=user.display_name,
        reason=reason,
        details={"block_id": block.id, "days": days, "ends_at": block.ends_at.isoformat()},
        actor=moderator,
        now=now,
    )
    return block


def lift_block(block: UserBlock, moderator: Any, *, now: datetime | None = None) -> UserBlock:
    now = now or utcnow()
    user = _locked_user(block.user_id)
    result = db.session.execute(
        sa.update(UserBlock)
        .where(UserBlock.id == block.id, UserBlock.lifted_at.is_(None), UserBlock.ends_at > now)
        .values(lifted_at=now, lifted_by_id=getattr(moderator, "id", None))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise BlockNotActiveError(block.id)
    set_committed_value(block, "lifted_at", now)
    set_committed_value(block, "lifted_by_id", getattr(moderator, "id", None))
    _rewrite_block_cache(user, now)
    record(
        "user.unblock",
        organisation=block.organisation_id,
        target=user,
        target_label=user.display_name,
        reason=block.reason,
        details={"block_id": block.id, "ends_at": block.ends_at.isoformat()},
        actor=moderator,
        now=now,
    )
    return block
