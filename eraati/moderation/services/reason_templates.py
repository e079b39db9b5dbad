"""The organisation's reason templates for hiding comments: add, edit, (de)activate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eraati.audit.services import record
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.moderation.reasons import create_default_reasons
from eraati.moderation.services.common import LANGUAGES, REASON_TEXT_MAX
from eraati.organisations.models import Organisation


def _clean_texts(texts: Mapping[str, str | None]) -> dict[str, str]:
    out = {}
    for code in LANGUAGES:
        value = clean_text(texts.get(code) or "")[:REASON_TEXT_MAX]
        if value:
            out[code] = value
    return out


def add_reason(
    org: Organisation, texts: Mapping[str, str | None], actor: Any, *, now: datetime | None = None
) -> ModerationReason:
    now = now or utcnow()
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(ModerationReason.position), -1)).where(
            ModerationReason.organisation_id == org.id
        )
    )
    reason = ModerationReason(
        organisation=org, texts=_clean_texts(texts), position=position + 1, created_at=now
    )
    db.session.add(reason)
    db.session.flush()
    _audit_reason("reason.create", reason, org, actor, now, {"texts": reason.texts})
    return reason


def add_default_reasons(
    org: Organisation, actor: Any, *, now: datetime | None = None
) -> list[ModerationReason]:
    now = now or utcnow()
    reasons = create_default_reasons(org)
    for reason in reasons:
        _audit_reason("reason.create", reason, org, actor, now, {"texts": reason.texts})
    return reasons


def edit_reason(
    reason: ModerationReason,
    texts: Mapping[str, str | None],
    actor: Any,
    *,
    now: datetime | None = None,
) -> ModerationReason:
    """New wording; comments hidden earlier keep the words they were hidden with."""
    now = now or utcnow()
    before = dict(reason.texts or {})
    reason.texts = _clean_texts(texts)  # a new dict: SQLAlchemy sees the change
    db.session.flush()
    details = {"before": before, "texts": reason.texts}
    _audit_reason("reason.edit", reason, reason.organisation, actor, now, details)
    return reason


def set_reason_active(
    reason: ModerationReason, active: bool, actor: Any, *, now: datetime | None = None
) -> ModerationReason:
    now = now or utcnow()
    reason.active = active
    db.session.flush()
    _audit_reason("reason.edit", reason, reason.organisation, actor, now, {"active": active})
    return reason


def _audit_reason(action, reason, org, actor, now, details) -> None:
    record(
        action,
        organisation=org,
        target=reason,
        target_label=reason.text(org.primary_language),
        details={"reason_id": reason.id, **details},
        actor=actor,
        now=now,
    )
