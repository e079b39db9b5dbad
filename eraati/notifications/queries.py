"""Read side of notifications."""

from __future__ import annotations

import sqlalchemy as sa
from wtforms import SelectChoice

from eraati.extensions import db
from eraati.organisations.models import Organisation


def organisation_choices(lang: str) -> list[SelectChoice]:
    """Every organisation, by name in ``lang``, for the subscriptions' checkboxes."""
    orgs = db.session.scalars(sa.select(Organisation)).all()
    named = sorted(((o.id, o.name(lang)) for o in orgs), key=lambda c: c[1].casefold())
    return [SelectChoice(org_id, name) for org_id, name in named]
