"""Read side of topic management: the staff topic list, preview, files.

Each loader costs a fixed number of queries, however many rows it returns.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload, selectinload, undefer

from eraati.consultations.models import Comment, CommentStatus, Question, Topic, TopicFile
from eraati.extensions import db
from eraati.organisations.models import Organisation


def org_topics(org: Organisation, page: int) -> Pagination:
    """Every topic of the organisation, drafts too, newest first: a count, the page and
    the topics' texts (three queries)."""
    stmt = (
        sa.select(Topic)
        .where(Topic.organisation_id == org.id)
        .order_by(Topic.created_at.desc(), Topic.id.desc())
        .options(
            selectinload(Topic.translations),
            lazyload(Topic.concerned_organisations),
            lazyload(Topic.questions),
        )
    )
    return db.paginate(
        stmt,
        page=page,
        per_page=current_app.config["TOPICS_PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )


def comment_figures(topic_ids: list[int]) -> dict[int, int]:
    """Comments waiting for a moderator, per topic, in one query."""
    if not topic_ids:
        return {}
    rows = db.session.execute(
        sa.select(Comment.topic_id, sa.func.count())
        .where(Comment.topic_id.in_(topic_ids), Comment.status == CommentStatus.PENDING)
        .group_by(Comment.topic_id)
    )
    return {topic_id: n for topic_id, n in rows}


def topic_by_preview_token(token: str) -> Topic | None:
    """The topic with this preview address, loaded as the topic page needs it."""
    if not token or len(token) > 64:
        return None
    return (
        db.session.execute(
            sa.select(Topic)
            .where(Topic.preview_token == token)
            .options(
                joinedload(Topic.organisation),
                joinedload(Topic.translations),
                joinedload(Topic.concerned_organisations),
                joinedload(Topic.files),
                selectinload(Topic.questions).joinedload(Question.options),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def file_with_topic(file_id: int) -> tuple[TopicFile, Topic] | None:
    """A file with its bytes and its topic (enough of it to decide who may read it)."""
    row = db.session.execute(
        sa.select(TopicFile, Topic)
        .join(Topic, Topic.id == TopicFile.topic_id)
        .where(TopicFile.id == file_id)
        .options(
            undefer(TopicFile.data),
            lazyload(Topic.translations),
            lazyload(Topic.concerned_organisations),
            lazyload(Topic.questions),
        )
    ).first()
    return (row[0], row[1]) if row else None
