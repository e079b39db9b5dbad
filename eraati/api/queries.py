"""Read side of the open data API: what a visitor may see, and nothing else.

The API answers as a visitor without an account, whoever asks (its answers are cached
publicly): drafts never appear, whatever the session; a topic that opens later does, as
"upcoming", as on the site. Visibility is
the consultations' own rule (``consultations.queries`` in SQL, ``permissions.can`` for one
topic). Of the comments, only shown ones (``CommentStatus.VISIBLE``) appear: never those
waiting for review, hidden by a moderator or deleted by their writers.

Each loader costs a fixed number of SQL statements, however many rows it returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from eraati.consultations.models import (
    Comment,
    CommentStatus,
    Question,
    Theme,
    Topic,
    comment_themes,
)
from eraati.consultations.queries import StatusFilter, stored_pseudonym
from eraati.consultations.queries import _concerns as concerns
from eraati.consultations.queries import _status_clause as status_clause
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation
from eraati.parts import queries as parts_queries
from eraati.parts.models import TopicPart
from eraati.permissions import can
from eraati.places import queries as places_queries
from eraati.places.models import TopicPlace

# --- organisations ----------------------------------------------------------------------------


def organisations() -> list[Organisation]:
    """Every organisation with its member municipalities: two statements."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .options(selectinload(Organisation.members))
            .order_by(Organisation.slug)
        )
    )


def organisation(slug: str) -> Organisation | None:
    return db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.slug == slug)
        .options(selectinload(Organisation.members))
    )


# --- topics -----------------------------------------------------------------------------------


def topics(
    status: StatusFilter,
    now: datetime,
    *,
    org: Organisation | None = None,
    after_id: int | None = None,
    limit: int,
) -> list[Topic]:
    """Up to ``limit`` public topics in ``status`` with an id above ``after_id``, oldest
    first (an organisation's own topics and those concerning it). Three statements: the
    topics with their organisations, their texts, the organisations they concern."""
    stmt = sa.select(Topic).where(status_clause(status, now))
    if org is not None:
        stmt = stmt.where(concerns(org))
    if after_id is not None:
        stmt = stmt.where(Topic.id > after_id)
    stmt = (
        stmt.order_by(Topic.id)
        .limit(limit)
        .options(
            joinedload(Topic.organisation),
            selectinload(Topic.translations),
            selectinload(Topic.concerned_organisations),
            lazyload(Topic.questions),
        )
    )
    return list(db.session.scalars(stmt))


def _public(topic: Topic | None) -> Topic | None:
    """The topic if a visitor without an account may read it (``permissions``)."""
    return topic if topic is not None and can(None, "read_topic", topic) else None


def topic_with_details(topic_id: int) -> Topic | None:
    """A public topic with its texts, the organisations it concerns, its poll and its files
    (metadata only): two statements (the poll's questions and options come in one more)."""
    topic = (
        db.session.execute(
            sa.select(Topic)
            .where(Topic.id == topic_id)
            .options(
                joinedload(Topic.organisation),
                joinedload(Topic.translations),
                joinedload(Topic.concerned_organisations),
                joinedload(Topic.files),
                joinedload(Topic.map_area),
                selectinload(Topic.questions).joinedload(Question.options),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    return _public(topic)


def topic_only(topic_id: int) -> Topic | None:
    """A public topic with its organisation and nothing else: one statement."""
    topic = db.session.scalar(
        sa.select(Topic)
        .where(Topic.id == topic_id)
        .options(
            joinedload(Topic.organisation),
            lazyload(Topic.translations),
            lazyload(Topic.concerned_organisations),
            lazyload(Topic.questions),
        )
    )
    return _public(topic)


def topic_for_results(topic_id: int) -> Topic | None:
    """A public topic with its organisation and poll, as ``results.figures`` reads it."""
    topic = db.session.scalar(
        sa.select(Topic)
        .where(Topic.id == topic_id)
        .options(
            joinedload(Topic.organisation),
            lazyload(Topic.translations),
            lazyload(Topic.concerned_organisations),
            selectinload(Topic.questions).joinedload(Question.options),
        )
    )
    return _public(topic)


def themes(topic: Topic) -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(Theme.topic_id == topic.id)
            .order_by(Theme.position, Theme.id)
            .options(lazyload(Theme.topic))
        )
    )


def organisations_by_id(ids: list[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))
    return {o.id: o for o in rows}


def reasons_by_id(ids: list[int]) -> dict[int, ModerationReason]:
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(ModerationReason).where(ModerationReason.id.in_(ids)))
    return {r.id: r for r in rows}


# --- comments ---------------------------------------------------------------------------------


def _theme_ids() -> sa.ScalarSelect:
    """The ids of a comment's themes as "3,1,2" (order is free)."""
    return (
        sa.select(sa.func.aggregate_strings(sa.cast(comment_themes.c.theme_id, sa.String), ","))
        .where(comment_themes.c.comment_id == Comment.id)
        .scalar_subquery()
    )


COMMENT_COLUMNS = (
    Comment.id,
    Comment.parent_id,
    Comment.author_id,
    Comment.nickname,
    Comment.body,
    Comment.language,
    Comment.source,
    Comment.created_at,
    Comment.edited_at,
    Comment.received_on,
    Comment.is_official,
    Comment.is_key,
    Comment.agree_count,
    Comment.disagree_count,
    Comment.pass_count,
    # The part of a draft it is on (eraati.parts), its paragraph and the paragraph's text.
    Comment.part_id,
    Comment.paragraph,
    Comment.paragraph_quote,
    # Where on the topic's map (eraati.places): a named place, or a point of its own.
    Comment.place_id,
    Comment.lat,
    Comment.lon,
    # The pseudonym kept for the writer once the topic's personal data was removed.
    stored_pseudonym(Comment.participant_id).label("stored_pseudonym"),
)


def comments(topic: Topic, *, after: tuple[datetime, int] | None, limit: int) -> list[Any]:
    """Up to ``limit`` shown comments and replies of the topic, oldest first, continuing
    after the key ``(created_at, id)`` of the last one already given: one statement
    whatever the page (keyset pagination, never an offset)."""
    stmt = sa.select(*COMMENT_COLUMNS, _theme_ids().label("theme_ids")).where(
        Comment.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE
    )
    if after is not None:
        created_at, comment_id = after
        stmt = stmt.where(
            sa.tuple_(Comment.created_at, Comment.id)
            > sa.tuple_(
                sa.bindparam(None, created_at, type_=Comment.created_at.type),
                sa.bindparam(None, comment_id, type_=Comment.id.type),
            )
        )
    stmt = stmt.order_by(Comment.created_at, Comment.id).limit(limit)
    return list(db.session.execute(stmt))


def comment_parts(topic: Topic, rows: list[Any]) -> dict[int, TopicPart]:
    """``{part id: part}`` of the topic, with the parts' texts, when a comment of ``rows``
    is on a part (two statements), else nothing is read."""
    if not any(r.part_id for r in rows):
        return {}
    return {p.id: p for p in parts_queries.parts_of(topic.id)}


def comment_places(topic: Topic, rows: list[Any]) -> dict[int, TopicPlace]:
    """``{place id: named place}`` of the topic when a comment of ``rows`` is at one (one
    statement), else nothing is read."""
    if not any(r.place_id for r in rows):
        return {}
    return {p.id: p for p in places_queries.places_of(topic.id)}


def parts_and_places(topic: Topic) -> tuple[list[TopicPart], list[TopicPlace]]:
    """The topic's parts with their texts (one statement, two when it has parts) and, when
    it has a map, its named places (one more)."""
    places = places_queries.places_of(topic.id) if topic.map_area is not None else []
    return parts_queries.parts_of(topic.id), places
