"""Read-side look-ups for accounts."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.extensions import db

# Finnish and Swedish put å, ä, ö after z (in that order); plain code points do not.
# "{", "|" and "}" follow "z" in code-point order.
_NORDIC_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def sort_key(name: str) -> str:
    return name.casefold().translate(_NORDIC_ORDER)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
