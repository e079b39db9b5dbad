"""Flask-Login glue. The session id carries a version: bumping it ends every session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from eraati.accounts.models import User
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
    user = db.session.get(User, uid)
    if user is None or user.session_version != version:
        return None
    return user
