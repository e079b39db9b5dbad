"""Write to the audit log, in the same transaction as the act it records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import current_user

from eraati.audit.models import AuditEvent
from eraati.core.time import utcnow
from eraati.extensions import db


class _System:
    """The actor of acts nobody took by hand: ``flask eraati tick``, hiding on reports."""

    id = None
    display_name = "system"


SYSTEM = _System()


def record(
    action: str,
    *,
    organisation: Any | None,
    target: Any | None = None,
    target_label: str | None = None,
    reason: str | None = None,
    details: dict | None = None,
    actor: Any | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """One staff act: ``action`` is a short code ("comment.hide", "role.grant", ...).

    ``target`` is any model object with an ``id`` (its class name is kept); the caller
    commits. ``actor`` defaults to the signed-in user, or the system when nobody is signed
    in; pass ``SYSTEM`` for an automatic act inside a person's request."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        organisation_id=getattr(organisation, "id", organisation),
        actor_id=getattr(actor, "id", None),
        actor_name=(actor.display_name if actor is not None else "system")[:254],
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        target_label=(target_label or None) and target_label[:200],
        reason=(reason or None) and reason[:1000],
        details=details or {},
        created_at=now or utcnow(),
    )
    db.session.add(event)
    return event


def record_comment_act(
    action: str,
    comment: Any,
    *,
    reason: str | None = None,
    details: dict | None = None,
    actor: Any | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """A staff act on a comment (``comment.hide``, ``paper.add``, ...), named by the
    comment's id and its topic (the title in the organisation's first language), never by
    its text or its writer's nickname. The log is kept for ever and retention never removes
    it, so a comment hidden because it names a neighbour's illness must not stay readable
    here; the log's page links the id to the comment's moderation page, which shows the
    text while it exists."""
    topic = comment.topic
    text = topic.text(topic.organisation.primary_language)
    return record(
        action,
        organisation=topic.organisation_id,
        target=comment,
        target_label=text.title if text else f"#{topic.id}",
        reason=reason,
        details={"comment_id": comment.id, "topic_id": comment.topic_id, **(details or {})},
        actor=actor,
        now=now,
    )
