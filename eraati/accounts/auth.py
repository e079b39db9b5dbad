"""Flask-Login glue. The session id carries a version: bumping it ends every session, and
a suspended account has no session at all."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from eraati.accounts.models import User
from eraati.core.i18n import lazy_gettext as _l
from eraati.extensions import db, login_manager

# Flashed when a page needs logging in; translated when flashed (not at import time).
login_manager.login_message = _l("Please log in to see this page.")
login_manager.localize_callback = str


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        uid, version = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    # One query: the staff roles come along (permissions look at them on most pages).
    user = db.session.execute(_user_statement(), {"uid": uid}).unique().scalar_one_or_none()
    if user is None or user.session_version != version or user.is_suspended:
        return None  # a suspended account's sessions end at once, staff roles with them
    return user


@functools.cache
def _user_statement() -> sa.Select:
    """Built once: building it again on every request cost more than running it."""
    return (
        sa.select(User).where(User.id == sa.bindparam("uid")).options(joinedload(User.memberships))
    )
