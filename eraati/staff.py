"""Loaders for staff routes: the organisation comes from the address and is checked
against the user's roles there (``permissions.require``); every object a staff route
touches is looked up *within* that organisation, so an id of another organisation's
topic or comment is a 404, never a way in.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from eraati.consultations.models import Comment, Topic
from eraati.extensions import db
from eraati.organisations.models import Organisation
from eraati.permissions import require


def staff_org(org_slug: str, action: str) -> Organisation:
    """The organisation of a staff address, if the user may do ``action`` there."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == org_slug))
    if org is None:
        abort(404)
    require(current_user, action, org)
    return org


def org_topic_or_404(org: Organisation, topic_id: int) -> Topic:
    topic = db.session.scalar(
        sa.select(Topic).where(Topic.id == topic_id, Topic.organisation_id == org.id)
    )
    if topic is None:
        abort(404)
    return topic


def org_comment_or_404(org: Organisation, comment_id: int) -> Comment:
    comment = db.session.scalar(
        sa.select(Comment)
        .join(Topic, Topic.id == Comment.topic_id)
        .where(Comment.id == comment_id, Topic.organisation_id == org.id)
    )
    if comment is None:
        abort(404)
    return comment
