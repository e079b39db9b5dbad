"""What happened, turned into notifications (``services.record``): called by the views
of other packages before their commit; they call ``sending.kick()`` after it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eraati.consultations.models import Comment
from eraati.notifications import services
from eraati.notifications.models import Kind


def comment_shown(comment: Comment, *, now: datetime | None = None) -> int:
    """A comment is visible for the first time: if it replies to someone's comment, they
    hear of it (``OFFICIAL_REPLY`` when the organisation wrote it), unless they wrote it
    themselves. The number of people recorded (0 or 1)."""
    if comment.parent_id is None:
        return 0
    parent_writer = sa.select(Comment.author_id).where(
        Comment.id == comment.parent_id, Comment.author_id.is_not(None)
    )
    if comment.author_id is not None and not comment.is_official:
        parent_writer = parent_writer.where(Comment.author_id != comment.author_id)
    return services.record(
        Kind.OFFICIAL_REPLY if comment.is_official else Kind.REPLY,
        f"c{comment.id}",
        parent_writer,
        topic_id=comment.topic_id,
        comment_id=comment.id,
        now=now,
    )


def comment_approved(comment: Comment, *, now: datetime | None = None) -> int:
    """A comment that waited for review was published by a moderator: its registered
    writer hears of it (``PUBLISHED``), and, as for any comment shown for the first time,
    the writer of the comment it replies to (``comment_shown``). The number recorded."""
    told = comment_shown(comment, now=now)
    if comment.author_id is None or comment.is_official:
        return told  # anonymous, paper and event feedback: nobody to tell
    return told + services.record(
        Kind.PUBLISHED,
        f"c{comment.id}",
        [comment.author_id],
        topic_id=comment.topic_id,
        comment_id=comment.id,
        now=now,
    )
