"""Read side of topic management: the staff topic list, preview, files, followers.

Each loader costs a fixed number of queries, however many rows it returns.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload, selectinload, undefer

from eraati.accounts.models import User
from eraati.consultations.models import Comment, CommentStatus, Follow, Question, Topic, TopicFile
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


def _to_tell(topic_id: int) -> list[sa.ColumnElement[bool]]:
    """The follows whose follower is still to be told that the results are out: a
    confirmed address, and not told yet."""
    return [
        Follow.topic_id == topic_id,
        Follow.told_at.is_(None),
        User.email_verified_at.is_not(None),
    ]


def follower_count(topic_id: int) -> int:
    """How many followers are still to be told (``followers_to_tell``)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Follow).join(User).where(*_to_tell(topic_id))
    )


def followers_to_tell(topic_id: int, *, after: int = 0, limit: int = 100) -> list[tuple[int, User]]:
    """(follow id, follower) of the next ``limit`` followers still to be told, by follow
    id after ``after``: the sender reads a batch, tells each and marks them as it goes."""
    stmt = (
        sa.select(Follow.id, User)
        .select_from(User)
        .join(Follow, Follow.user_id == User.id)
        .where(*_to_tell(topic_id), Follow.id > after)
        .order_by(Follow.id)
        .limit(limit)
        .options(lazyload(User.memberships), lazyload(User.home_organisation))
    )
    return [(follow_id, user) for follow_id, user in db.session.execute(stmt)]


def topics_with_followers_to_tell(
    published_after: datetime, published_before: datetime
) -> list[int]:
    """Topics whose results were published between the two moments and that still have
    followers to tell."""
    return list(
        db.session.scalars(
            sa.select(Topic.id)
            .where(
                Topic.results_published_at.is_not(None),
                Topic.results_published_at > published_after,
                Topic.results_published_at < published_before,
                sa.exists().where(Follow.user_id == User.id, *_to_tell(Topic.id)),
            )
            .order_by(Topic.id)
        )
    )
