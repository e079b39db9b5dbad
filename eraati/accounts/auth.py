"""Flask-Login glue. The session id carries a version: bumping it ends every session."""

from __future__ import annotations

from eraati.accounts.models import User
from eraati.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        uid, version = (int(part) for part in user_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version:
        return None
    return user
