"""Account state changes. They flush, never commit: the view or command commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from eraati.accounts import passwords, tokens
from eraati.accounts.models import User
from eraati.accounts.queries import user_by_email
from eraati.audit.services import record
from eraati.consultations import tallies
from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentSource,
    CommentVote,
    Follow,
    Topic,
    TopicStance,
)
from eraati.consultations.participation import STANCE_COUNTERS, VOTE_COUNTERS
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db

# Shown as the author of a deleted user's comments (the CHECK constraint `has_author`
# needs an author or a nickname on web comments). The thread shows "Former user".
DELETED_USER_NICKNAME = "—"


class AccountError(Exception):
    """Base class of the account rules a view turns into a translated message."""


class InvalidLink(AccountError):
    """A verification or reset link that is expired, tampered with or already used."""


class WrongPassword(AccountError):
    """The current password given to confirm a change was not right."""


class AccountSuspended(AccountError):
    """The right password for a suspended account: its owner may be told why they cannot
    log in (nobody else learns anything from it)."""


class CannotSuspendSelf(AccountError):
    """A platform admin tried to suspend their own account."""


class SuspensionUnchanged(AccountError):
    """The account was already suspended (or already not suspended)."""


_dummy_hashes: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash with the current cost settings, checked when no account matches,
    so that an unknown address takes as long to refuse as a wrong password."""
    cfg = current_app.config
    key = (
        cfg.get("ARGON2_TIME_COST"),
        cfg.get("ARGON2_MEMORY_COST"),
        cfg.get("ARGON2_PARALLELISM"),
    )
    if key not in _dummy_hashes:
        _dummy_hashes[key] = passwords.hash_password("not a real password, only for timing")
    return _dummy_hashes[key]


class Registration(NamedTuple):
    """What a registration did; the visitor is told the same whatever it was."""

    user_id: int  # the new account, or the one the address already had
    created: bool  # False: the address had an account already
    repeated: bool  # the same form sent again (a double click): nobody needs telling


def register_user(
    email: str,
    display_name: str,
    password: str,
    *,
    locale: str,
    home_municipality_code: str | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> Registration:
    """A new, unverified account, unless the address has one. The unique address decides
    (``INSERT ... ON CONFLICT DO NOTHING``, no look-up first), so two registrations at the
    same moment make one account; the second waits for the first to commit. ``token`` is
    the form's: the same form sent twice is ``repeated``."""
    email = email.strip().lower()
    password_hash = passwords.hash_password(password)  # also when taken: same time spent
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    new_id = db.session.execute(
        insert(User)
        .values(
            email=email,
            display_name=clean_text(display_name),
            password_hash=password_hash,
            locale=locale,
            home_municipality_code=home_municipality_code,
            created_at=now or utcnow(),
            session_version=1,
            registration_token=token,
        )
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    ).scalar()
    if new_id is not None:
        # Blocks a moderator made by this address before the account existed apply to it.
        # (Imported here: moderation builds on accounts, not the other way round.)
        from eraati.moderation.services.blocks import claim_address_blocks

        claim_address_blocks(db.session.get(User, new_id), now=now or utcnow())
        return Registration(new_id, created=True, repeated=False)
    owner_id, owner_token = db.session.execute(
        sa.select(User.id, User.registration_token).where(User.email == email)
    ).one()
    return Registration(owner_id, created=False, repeated=bool(token) and owner_token == token)


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """The user if the password is right; None for a wrong password or an unknown address.

    The caller shows one message for both, so nobody learns which addresses have
    accounts. The right password of a suspended account raises ``AccountSuspended``:
    whoever typed it has shown that the account is theirs.
    """
    user = user_by_email(email)
    if user is None:
        passwords.check_password(_dummy_hash(), password)
        return None
    if not passwords.check_password(user.password_hash, password):
        return None
    if user.is_suspended:
        raise AccountSuspended(user.id)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = now or utcnow()
    db.session.flush()
    return user


def verify_email(token: str, *, now: datetime | None = None) -> tuple[User, bool]:
    """Mark the address of a valid verification link as verified: (the user, whether this
    link confirmed it just now rather than before). Confirming is one conditional
    ``UPDATE``, so of two clicks at once only one is the first."""
    now = now or utcnow()
    try:
        user_id, email = tokens.read_verify_token(token, now=now)
    except tokens.TokenError as exc:
        raise InvalidLink(token) from exc
    user = db.session.get(User, user_id)
    if user is None or user.email != email:
        raise InvalidLink(token)
    confirmed = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.email_verified_at.is_(None))
        .values(email_verified_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if confirmed:
        db.session.expire(user, ["email_verified_at"])
    return user, confirmed == 1


def user_for_reset_link(token: str, *, now: datetime | None = None) -> User:
    """The user a reset link belongs to, if it is valid and not used yet."""
    try:
        user_id, fingerprint = tokens.read_reset_token(token, now=now)
    except tokens.TokenError as exc:
        raise InvalidLink(token) from exc
    user = db.session.get(User, user_id)
    if user is None or user.is_suspended:
        raise InvalidLink(token)
    if tokens.password_fingerprint(user.password_hash) != fingerprint:
        raise InvalidLink(token)  # already used: the password has changed since
    return user


def end_all_sessions(user: User) -> None:
    """Every session and remember cookie of the user stops working."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


SUSPENSION_REASON_MAX = 500


def suspend_user(user: User, reason: str, actor: Any, *, now: datetime | None = None) -> None:
    """The account can no longer log in, and its open sessions and remember cookies end
    at once (the session version moves on; ``auth.load_user`` also refuses a suspended
    account). Its staff roles stay in the database but act through no session."""
    now = now or utcnow()
    if user.id == getattr(actor, "id", None):
        raise CannotSuspendSelf(user.id)
    reason = clean_text(reason).strip()[:SUSPENSION_REASON_MAX]
    done = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.suspended_at.is_(None))
        .values(suspended_at=now, session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise SuspensionUnchanged(user.id)
    db.session.refresh(user, ["suspended_at", "session_version"])
    record(
        "user.suspend",
        organisation=None,
        target=user,
        target_label=user.display_name,
        reason=reason,
        actor=actor,
        now=now,
    )


def lift_suspension(user: User, actor: Any, *, now: datetime | None = None) -> None:
    """The account may log in again (its old sessions stay ended)."""
    now = now or utcnow()
    done = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.suspended_at.is_not(None))
        .values(suspended_at=None)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise SuspensionUnchanged(user.id)
    db.session.refresh(user, ["suspended_at"])
    record(
        "user.unsuspend",
        organisation=None,
        target=user,
        target_label=user.display_name,
        actor=actor,
        now=now,
    )


def reset_password(user: User, new_password: str, *, now: datetime | None = None) -> None:
    """Set a new password from a reset link: the link is then used up (the password
    fingerprint changes), all sessions end, and the address counts as verified."""
    user.password_hash = passwords.hash_password(new_password)
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    end_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not passwords.check_password(user.password_hash, current_password):
        raise WrongPassword(user.id)
    user.password_hash = passwords.hash_password(new_password)
    end_all_sessions(user)


def update_profile(
    user: User,
    *,
    display_name: str,
    home_municipality_code: str | None,
    locale: str,
    name_consent: bool | None = None,
) -> None:
    user.display_name = clean_text(display_name)
    user.home_municipality_code = home_municipality_code or None
    user.locale = locale
    if name_consent is not None:
        user.name_consent = bool(name_consent)
    db.session.flush()


def delete_account(user: User, password: str) -> None:
    """Delete the account; the user's comments stay in their threads without a name.

    Stances, votes, answers, flags and follows go by ON DELETE CASCADE, so the
    counters and poll tallies that count them are decremented first, in the same
    transaction, and the account leaves the stored opinion groups. The
    invitations to the account's address (or accepted by it) go too: they hold the
    address.
    """
    from eraati.analysis.opinion import forget_person  # analysis builds on accounts
    from eraati.organisations.models import Invitation  # organisations builds on accounts

    if not passwords.check_password(user.password_hash, password):
        raise WrongPassword(user.id)
    uid = user.id
    forget_person(uid)  # the stored opinion groups, while the votes still say where
    db.session.execute(
        sa.delete(Invitation).where(
            sa.or_(Invitation.email == user.email.strip().lower(), Invitation.accepted_by_id == uid)
        )
    )
    db.session.execute(
        sa.update(Comment)
        .where(Comment.author_id == uid, Comment.source == CommentSource.WEB)
        .values(nickname=DELETED_USER_NICKNAME)
    )
    for stance, name in STANCE_COUNTERS.items():
        mine = sa.select(TopicStance.topic_id).where(
            TopicStance.user_id == uid, TopicStance.stance == stance
        )
        _decrement(Topic, getattr(Topic, name), mine)
    _decrement(Topic, Topic.follower_count, sa.select(Follow.topic_id).where(Follow.user_id == uid))
    for value, name in VOTE_COUNTERS.items():
        mine = sa.select(CommentVote.comment_id).where(
            CommentVote.user_id == uid, CommentVote.value == value
        )
        _decrement(Comment, getattr(Comment, name), mine)
    flagged = sa.select(CommentFlag.comment_id).where(CommentFlag.user_id == uid)
    _decrement(Comment, Comment.flag_count, flagged, floor_at_zero=True)
    tallies.forget_person(uid)  # the poll tallies, while the answers still say what
    db.session.delete(user)
    db.session.flush()


def _decrement(model: Any, column: Any, ids: sa.Select, *, floor_at_zero: bool = False) -> None:
    """``UPDATE <model> SET column = column - 1 WHERE id IN (ids)``: one statement per
    counter; each row is in ``ids`` at most once (one stance/vote/follow per user)."""
    new_value = column - 1
    if floor_at_zero:  # flag counts may be reset by moderators while the rows stay
        new_value = sa.case((column > 0, column - 1), else_=0)
    values = {column.key: new_value}
    if model is Topic:
        values["updated_at"] = Topic.updated_at  # not an edit of the topic
    db.session.execute(
        sa.update(model).where(model.id.in_(ids)).values(values),
        execution_options={"synchronize_session": "fetch"},
    )
