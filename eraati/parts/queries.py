"""Reading a topic's parts and the counts of their comments."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import abort

from eraati.consultations.models import Comment, CommentStatus, Topic, TopicFile
from eraati.extensions import db
from eraati.parts.models import TopicPart


def parts_of(topic_id: int) -> list[TopicPart]:
    """The topic's parts in order, with their texts (two queries; one when it has none)."""
    return list(
        db.session.scalars(
            sa.select(TopicPart).where(TopicPart.topic_id == topic_id).order_by(TopicPart.position)
        )
    )


def part_at(parts: list[TopicPart], position: int) -> TopicPart:
    part = next((p for p in parts if p.position == position), None)
    if part is None:
        abort(404)
    return part


def part_comment_counts(topic_id: int) -> dict[int, int]:
    """``{part id: its shown comments, replies included}`` of the topic, in one query."""
    rows = db.session.execute(
        sa.select(Comment.part_id, sa.func.count())
        .where(
            Comment.topic_id == topic_id,
            Comment.part_id.is_not(None),
            Comment.status == CommentStatus.VISIBLE,
        )
        .group_by(Comment.part_id)
    )
    return dict(rows.tuples().all())


def part_comment_count(part_id: int) -> int:
    """The part's shown comments, replies included (``ix_comments_part_status_paragraph``:
    the other parts' comments are not read)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Comment.part_id == part_id, Comment.status == CommentStatus.VISIBLE
            )
        )
        or 0
    )


def paragraph_counts(part_id: int) -> dict[int, int]:
    """``{paragraph number: its shown comments}`` of one part, in one grouped query."""
    rows = db.session.execute(
        sa.select(Comment.paragraph, sa.func.count())
        .where(
            Comment.part_id == part_id,
            Comment.paragraph.is_not(None),
            Comment.status == CommentStatus.VISIBLE,
        )
        .group_by(Comment.paragraph)
    )
    return dict(rows.tuples().all())


def part_files(part_id: int) -> list[TopicFile]:
    return list(
        db.session.scalars(
            sa.select(TopicFile)
            .where(TopicFile.part_id == part_id)
            .order_by(TopicFile.position, TopicFile.id)
        )
    )


def has_comments(part_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Comment.part_id == part_id))) or False


def position_of(part_id: int) -> int | None:
    return db.session.scalar(sa.select(TopicPart.position).where(TopicPart.id == part_id))


def topic_has_parts(topic: Topic) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(TopicPart.topic_id == topic.id))))


def parts_by_id(part_ids: Iterable[int | None]) -> dict[int, tuple[TopicPart, Topic]]:
    """``{part id: (part, its topic)}`` with the parts' texts and the topics' organisations
    (two statements; none without ids): what a list of comments from several parts and
    topics shows of their parts."""
    ids = sorted({i for i in part_ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(TopicPart, Topic)
        .join(Topic, Topic.id == TopicPart.topic_id)
        .where(TopicPart.id.in_(ids))
    )
    return {part.id: (part, topic) for part, topic in rows.tuples()}
