"""Read-side look-ups for accounts."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.extensions import db
from eraati.organisations.models import Organisation, OrganisationKind

# Finnish and Swedish put å, ä, ö after z (in that order); plain code points do not.
# "{", "|" and "}" follow "z" in code-point order.
_NORDIC_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def sort_key(name: str) -> str:
    return name.casefold().translate(_NORDIC_ORDER)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def municipality_choices(locale: str) -> list[tuple[int, str]]:
    """Municipalities as (id, name in ``locale``), in that language's alphabetical order."""
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.MUNICIPALITY)
    ).all()
    named = [(org.id, org.name(locale)) for org in rows]
    return sorted(named, key=lambda pair: sort_key(pair[1]))
