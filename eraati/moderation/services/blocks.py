"""Blocks: keep a person from taking part in one organisation's topics for a while.

``UserBlock`` rows are the record; ``User.org_blocks`` is the copy the permission rules
read, rewritten in the same transaction from the open rows.

A moderator blocks a person from one of their comments (``block_user``: the writer, whose
address the moderator never sees) or by an e-mail address (``block_address``). The
address form must not tell whether the address has an account, so it records the same
kind of row either way: the address as a keyed hash, shown by a masked hint. An account
registered with the address later takes the open blocks over (``claim_address_blocks``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from eraati.accounts.models import User, address_hint
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


def address_hash(email: str) -> str:
    """The address as blocks keep it: an HMAC under the app's secret key, so that the
    table holds no readable address of someone who may have no account."""
    key = current_app.config["SECRET_KEY"].encode()
    message = ("user-block:" + email.strip().lower()).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _open(now: datetime):
    return (UserBlock.lifted_at.is_(None), UserBlock.ends_at > now)


def active_block(
    org: Organisation, user: User | None, now: datetime, *, email_hash: str | None = None
) -> UserBlock | None:
    """The open block of ``org`` on the user or on the hashed address, if any."""
    whom = []
    if user is not None:
        whom.append(UserBlock.user_id == user.id)
    if email_hash is not None:
        whom.append(UserBlock.email_hash == email_hash)
    return db.session.scalar(
        sa.select(UserBlock)
        .where(UserBlock.organisation_id == org.id, sa.or_(*whom), *_open(now))
        .order_by(UserBlock.ends_at.desc())
        .limit(1)
    )


def _locked_user(user_id: int) -> User:
    """The user's row, locked until the commit (PostgreSQL), so that two organisations
    blocking the same person at once cannot overwrite each other's ``org_blocks``."""
    return db.session.scalars(
        sa.select(User)
        .where(User.id == user_id)
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


def block_address(
    org: Organisation,
    email: str,
    days: int,
    reason: str,
    moderator: Any,
    *,
    now: datetime | None = None,
) -> UserBlock:
    """Block whoever has or gets an account with ``email`` (the moderator's form by
    address). The row, the audit entry and what the moderator sees are the same whether
    or not an account has the address; the account's owner, if any, is told by e-mail by
    the caller (``block.user``). Staff of the organisation cannot be blocked (the
    moderator may learn that much: staff are no secret inside their organisation)."""
    now = now or utcnow()
    if not 1 <= days <= BLOCK_DAYS_MAX:
        raise ValueError(days)
    email = email.strip().lower()
    digest = address_hash(email)
    user = db.session.scalar(sa.select(User.id).where(User.email == email))
    if user is not None:
        user = _locked_user(user)
        if user.id == getattr(moderator, "id", None) or user.roles_in(org):
            raise CannotBlockStaffError(user.id)
    # Only an open block of the same address refuses a new one (the list shows it). A
    # block of the account made from a comment does not: refusing would tell that the
    # address belongs to someone blocked; the two rows simply both count.
    existing = active_block(org, None, now, email_hash=digest)
    if existing is not None:
        raise AlreadyBlockedError(existing)
    reason = clean_text(reason)[:BLOCK_REASON_MAX]
    hint = address_hint(email)
    block = UserBlock(
        organisation_id=org.id,
        user_id=user.id if user is not None else None,
        email_hash=digest,
        email_hint=hint,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        reason=reason,
        created_by_id=getattr(moderator, "id", None),
    )
    db.session.add(block)
    db.session.flush()
    if user is not None:
        _rewrite_block_cache(user, now)
    record(
        "user.block",
        organisation=org,
        target=block,  # not the account: the log must not tell either
        target_label=hint,
        reason=reason,
        details={"block_id": block.id, "days": days, "ends_at": block.ends_at.isoformat()},
        actor=moderator,
        now=now,
    )
    return block


def claim_address_blocks(user: User, *, now: datetime | None = None) -> int:
    """A new account takes over the blocks made by its address before it existed; the
    number of blocks still open. Called by registration, in its transaction."""
    now = now or utcnow()
    db.session.execute(
        sa.update(UserBlock)
        .where(UserBlock.email_hash == address_hash(user.email), UserBlock.user_id.is_(None))
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    _rewrite_block_cache(user, now)
    return len(user.org_blocks)


def lift_block(block: UserBlock, moderator: Any, *, now: datetime | None = None) -> UserBlock:
    now = now or utcnow()
    user = _locked_user(block.user_id) if block.user_id is not None else None
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
    if user is not None:
        _rewrite_block_cache(user, now)
    by_address = block.email_hash is not None
    record(
        "user.unblock",
        organisation=block.organisation_id,
        target=block if by_address else user,
        target_label=block.person_label,
        reason=block.reason,
        details={"block_id": block.id, "ends_at": block.ends_at.isoformat()},
        actor=moderator,
        now=now,
    )
    return block
