"""Loading jobs for the staff pages, always within the organisation of the address."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from eraati.consultations.models import Topic
from eraati.extensions import db
from eraati.jobs.models import ExportJob
from eraati.organisations.models import Organisation

RECENT = 10


def org_job_or_404(org: Organisation, token: str) -> ExportJob:
    """The job of ``token`` if it, and its topic, belong to ``org``: one query."""
    job = db.session.scalar(
        sa.select(ExportJob)
        .join(Topic, Topic.id == ExportJob.topic_id)
        .where(
            ExportJob.token == token,
            ExportJob.organisation_id == org.id,
            Topic.organisation_id == org.id,
        )
        .options(joinedload(ExportJob.requested_by))
    )
    if job is None:
        abort(404)
    return job


def recent(topic: Topic, limit: int = RECENT) -> list[ExportJob]:
    """The topic's latest jobs with who asked for them: one query, whatever the count."""
    return list(
        db.session.scalars(
            sa.select(ExportJob)
            .where(ExportJob.topic_id == topic.id)
            .options(joinedload(ExportJob.requested_by))
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
            .limit(limit)
        )
    )
