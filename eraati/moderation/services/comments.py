"""Hide, restore and approve comments, one at a time or many at once.

A status change is one conditional UPDATE (``... WHERE status = <the status we saw>``):
when two moderators act on the same comment at once, the second finds no row to change
and gets ``CommentChangedError`` instead of counting the comment twice. The topic's
counters (``comment_count`` = visible, ``hidden_count`` = hidden) change in SQL in the
same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from eraati.audit.services import record_comment_act
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.moderation.services.common import (
    DETAILS_MAX,
    LANGUAGES,
    REASON_MAX,
    CommentChangedError,
    ReasonNotAvailableError,
)
from eraati.organisations.models import Organisation

_COUNTER = {CommentStatus.VISIBLE: "comment_count", CommentStatus.HIDDEN: "hidden_count"}


def _move_counters(topic_id: int, old: CommentStatus, new: CommentStatus) -> None:
    """One UPDATE of the topic's counters for a comment going from ``old`` to ``new``."""
    if old == new:
        return
    values: dict[str, Any] = {}
    if old in _COUNTER:
        values[_COUNTER[old]] = getattr(Topic, _COUNTER[old]) - 1
    if new in _COUNTER:
        values[_COUNTER[new]] = getattr(Topic, _COUNTER[new]) + 1
    if not values:  # pending <-> deleted: no counter of ours
        return
    # Leave updated_at alone: it records edits of the topic itself.
    db.session.execute(
        sa.update(Topic)
        .where(Topic.id == topic_id)
        .values(**values, updated_at=Topic.updated_at)
        .execution_options(synchronize_session=False)
    )


def _transition(comment: Comment, old: CommentStatus, values: dict[str, Any]) -> None:
    """Set ``values`` on the comment if it still has status ``old``; else CommentChangedError."""
    result = db.session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.status == old)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CommentChangedError(comment.id)
    for key, value in values.items():
        set_committed_value(comment, key, value)
    _move_counters(comment.topic_id, old, values.get("status", old))


def _audit(action: str, comment: Comment, actor: Any, now: datetime, **kw):
    record_comment_act(action, comment, actor=actor, now=now, **kw)


HIDEABLE = (CommentStatus.VISIBLE, CommentStatus.PENDING)


def public_reason(reason: ModerationReason, details: str | None, org: Organisation) -> str:
    """What the thread shows: the template in the organisation's first language, then the
    moderator's own words, if any."""
    text = reason.text(org.primary_language)
    details = clean_text(details or "")[:DETAILS_MAX]
    return (f"{text}: {details}" if details else text)[:REASON_MAX]


def reason_in(reason: ModerationReason, details: str | None, locale: str) -> str:
    """The same reason in a reader's language (the author's e-mail); free text as written."""
    details = clean_text(details or "")[:DETAILS_MAX]
    text = reason.text(locale)
    return f"{text}: {details}" if details else text


def hide_comment(
    comment: Comment,
    reason: ModerationReason,
    details: str | None,
    moderator: Any,
    *,
    note_lang: str | None = None,
    now: datetime | None = None,
) -> Comment:
    """Hide a visible or waiting comment with a public reason. The text is kept.

    ``note_lang``: the language the moderator wrote ``details`` in (the language of the
    pages they use), kept so that every page marks the note with it."""
    now = now or utcnow()
    org = comment.topic.organisation
    if reason.organisation_id != org.id or not reason.active:
        raise ReasonNotAvailableError(reason.id)
    if comment.status not in HIDEABLE:
        raise CommentChangedError(comment.id)
    old = comment.status
    text = public_reason(reason, details, org)
    note_lang = note_lang if note_lang in LANGUAGES and clean_text(details or "") else None
    _transition(
        comment,
        old,
        {
            "status": CommentStatus.HIDDEN,
            "hidden_at": now,
            "hidden_by_id": moderator.id,
            "hidden_reason_id": reason.id,
            "hidden_reason": text,
            "hidden_note_lang": note_lang,
            "reviewed_at": now,
            "reviewed_by_id": moderator.id,
        },
    )
    _audit(
        "comment.hide",
        comment,
        moderator,
        now,
        reason=text,
        details={"reason_id": reason.id, "was": old.value, "note_lang": note_lang},
    )
    return comment


def restore_comment(comment: Comment, moderator: Any, *, now: datetime | None = None) -> Comment:
    """Show a hidden comment again; the audit log keeps who hid it and why."""
    now = now or utcnow()
    if comment.status != CommentStatus.HIDDEN:
        raise CommentChangedError(comment.id)
    previous = {
        "hidden_reason": comment.hidden_reason,
        "hidden_reason_id": comment.hidden_reason_id,
        "hidden_note_lang": comment.hidden_note_lang,
        "hidden_by_id": comment.hidden_by_id,
        "hidden_at": comment.hidden_at.isoformat() if comment.hidden_at else None,
    }
    _transition(
        comment,
        CommentStatus.HIDDEN,
        {
            "status": CommentStatus.VISIBLE,
            "hidden_at": None,
            "hidden_by_id": None,
            "hidden_reason_id": None,
            "hidden_reason": None,
            "hidden_note_lang": None,
            "reviewed_at": now,
            "reviewed_by_id": moderator.id,
        },
    )
    _audit(
        "comment.restore",
        comment,
        moderator,
        now,
        reason=previous["hidden_reason"],
        details={"previous": previous},
    )
    return comment


def approve_comment(comment: Comment, moderator: Any, *, now: datetime | None = None) -> Comment:
    """Publish a waiting comment, or keep a reported visible one as it is (marks it reviewed,
    so it leaves the list of reported comments until someone reports it again)."""
    now = now or utcnow()
    old = comment.status
    if old not in (CommentStatus.PENDING, CommentStatus.VISIBLE):
        raise CommentChangedError(comment.id)
    _transition(
        comment,
        old,
        {"status": CommentStatus.VISIBLE, "reviewed_at": now, "reviewed_by_id": moderator.id},
    )
    _audit(
        "comment.approve",
        comment,
        moderator,
        now,
        details={"was": old.value, "auto_hidden": comment.auto_hidden_at is not None},
    )
    return comment


@dataclass
class BulkResult:
    done: list[Comment]
    skipped: list[Comment]


def bulk(
    comments: list[Comment],
    action: str,
    moderator: Any,
    *,
    reason: ModerationReason | None = None,
    details: str | None = None,
    note_lang: str | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Approve or hide many comments; those this act does not fit are skipped, not failed."""
    now = now or utcnow()
    result = BulkResult([], [])
    for comment in comments:
        try:
            if action == "hide":
                if reason is None:
                    raise ReasonNotAvailableError(None)
                hide_comment(comment, reason, details, moderator, note_lang=note_lang, now=now)
            elif action == "approve":
                approve_comment(comment, moderator, now=now)
            else:
                raise ValueError(action)
        except CommentChangedError:
            result.skipped.append(comment)
        else:
            result.done.append(comment)
    return result
