"""The appendix: every shown comment and reply of a topic, in discussion order, streamed.

One query over a server-side cursor (``exports.rows.stream``, ``YIELD_PER`` rows at a
time): a topic with a hundred thousand comments is never held in memory as rows. Only
shown comments' texts are read (hidden ones, those waiting for review and deleted ones
never); a comment that is not shown but has a shown reply keeps its place as a line
saying why it is not shown, so that its replies stand under it and not under the comment
before. Writers appear as in the quotes: a pseudonym code or the channel, never a name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from eraati.accounts.services import DELETED_USER_NICKNAME
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.consultations.queries import stored_pseudonym
from eraati.core import pseudonyms
from eraati.exports.rows import stream
from eraati.reports.model import Entry, xml_safe
from eraati.reports.words import attribution, official_attribution
from eraati.results.queries import channel_of

# Why a comment with a shown reply is itself not shown (its line in the appendix).
_NOT_SHOWN = {
    CommentStatus.HIDDEN: lambda: _("Not shown: a moderator hid this comment."),
    CommentStatus.PENDING: lambda: _("Not shown: this comment is waiting for a moderator's check."),
    CommentStatus.DELETED: lambda: _("Not shown: the writer deleted this comment."),
}

# The progress bar moves once per this many comments of the appendix.
BATCH = 500
# WeasyPrint lays out a whole document in memory (some 0.1 MiB and 5 ms a comment): the
# PDF's appendix stops here (about 280 pages) and says so; the DOCX holds every comment.
PDF_APPENDIX_MAX = 5000


def limit_for(fmt: str | None) -> int | None:
    return PDF_APPENDIX_MAX if fmt == "pdf" else None


def batches(topic: Topic, limit: int | None = None) -> int:
    """Progress steps of the appendix (from the topic's counter of shown comments)."""
    count = max(topic.comment_count, 0)
    return math.ceil((count if limit is None else min(count, limit)) / BATCH)


def entries(
    topic: Topic,
    lang: str,
    org_name: str,
    *,
    secret: str | bytes | None = None,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Entry]:
    """The shown comments of ``topic`` (the first ``limit`` of them), each reply after the
    comment it answers, and a line without text for each comment that is not shown but
    has a shown reply; calls ``progress(1)`` after every ``BATCH`` shown comments (and
    once for the last, partial batch)."""
    parent, reply = aliased(Comment), aliased(Comment)
    shown = Comment.status == CommentStatus.VISIBLE
    # Comments not shown that a shown reply answers, or whose thread has one.
    answered = (
        sa.select(reply.parent_id)
        .where(reply.topic_id == topic.id, reply.status == CommentStatus.VISIBLE)
        .where(reply.parent_id.is_not(None))
        .union(
            sa.select(reply.root_id)
            .where(reply.topic_id == topic.id, reply.status == CommentStatus.VISIBLE)
            .where(reply.root_id.is_not(None))
        )
    )
    thread = sa.func.coalesce(Comment.root_id, Comment.id)
    stmt = (
        sa.select(
            Comment.id,
            Comment.parent_id,
            Comment.status,
            sa.case((shown, Comment.body), else_="").label("body"),  # never a hidden text
            Comment.language,
            Comment.source,
            Comment.author_id,
            Comment.nickname,
            Comment.created_at,
            Comment.received_on,
            Comment.is_official,
            Comment.agree_count,
            Comment.disagree_count,
            stored_pseudonym(Comment.participant_id).label("stored_pseudonym"),
            parent.status.label("parent_status"),
        )
        .outerjoin(parent, parent.id == Comment.parent_id)
        .where(Comment.topic_id == topic.id, sa.or_(shown, Comment.id.in_(answered)))
        .order_by(thread, Comment.parent_id.is_not(None), Comment.created_at, Comment.id)
        .limit(limit)
    )
    done = 0
    for row in stream(stmt):
        if row.status != CommentStatus.VISIBLE:
            why = _NOT_SHOWN.get(row.status, _NOT_SHOWN[CommentStatus.HIDDEN])
            yield Entry(
                number=f"#{row.id}",
                reply=row.parent_id is not None,
                attribution=why(),
                text="",
                shown=False,
            )
            continue
        if row.is_official:
            who = official_attribution(org_name, row.created_at, lang)
        else:
            registered = row.author_id is not None or row.nickname == DELETED_USER_NICKNAME
            author = row.author_id
            who = attribution(
                channel_of(row.source, registered),
                # The account's pseudonym, or the one kept when the personal data was removed.
                pseudonyms.person(topic.pseudonym_key, author, secret)
                if author is not None
                else row.stored_pseudonym,
                row.created_at,
                row.received_on,
                lang,
                agree=row.agree_count,
                disagree=row.disagree_count,
            )
        if row.parent_id is not None:
            if row.parent_status == CommentStatus.VISIBLE:
                who += " · " + _("a reply to #%(number)s", number=str(row.parent_id))
            else:
                who += " · " + _(
                    "a reply to #%(number)s, which is not shown", number=str(row.parent_id)
                )
        language = row.language or None
        yield Entry(
            number=f"#{row.id}",
            reply=row.parent_id is not None,
            attribution=who,
            text=xml_safe(row.body),
            lang=language if language and language != lang else None,
        )
        done += 1
        if progress and done % BATCH == 0:
            progress(1)
    if progress and done % BATCH:
        progress(1)
