"""Read side of topic maps: one statement each, whatever the number of comments."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.extensions import db
from eraati.places.models import TopicMap, TopicPlace


@dataclass
class MapView:
    """What a page needs to show a topic's map: the area, the named places in order, and
    the organisation's tiles (no template: no background map)."""

    area: TopicMap
    places: list[TopicPlace]
    tile_url: str | None = None
    attribution: str | None = None
    tile_origin: str | None = None
    by_id: dict[int, TopicPlace] = field(default_factory=dict)

    def place(self, place_id: int | None) -> TopicPlace | None:
        return self.by_id.get(place_id) if place_id is not None else None


def places_of(topic_id: int) -> list[TopicPlace]:
    return list(
        db.session.scalars(
            sa.select(TopicPlace)
            .where(TopicPlace.topic_id == topic_id)
            .order_by(TopicPlace.position, TopicPlace.id)
        )
    )


def map_view(topic: Topic) -> MapView | None:
    """The topic's map, or None when it has none (two statements)."""
    area = topic.map_area  # read with the topic where the page loaded it so
    if area is None:
        return None
    places = places_of(topic.id)
    org = topic.organisation
    origin = org.map_tile_origin(loopback_http=current_app.config.get("MAP_TILES_LOOPBACK_HTTP"))
    return MapView(
        area=area,
        places=places,
        tile_url=org.map_tile_url if origin else None,
        attribution=org.map_attribution if origin else None,
        tile_origin=origin,
        by_id={p.id: p for p in places},
    )


def place_of_topic(topic: Topic, place_id: int) -> TopicPlace | None:
    return db.session.scalar(
        sa.select(TopicPlace).where(TopicPlace.id == place_id, TopicPlace.topic_id == topic.id)
    )


def located_comments(topic: Topic, *, place_id: int | None = None, limit: int = 500):
    """The topic's comments with a place or a point (any status but deleted), newest first,
    with their place's row: one statement. ``place_id``: only those at that named place."""
    stmt = (
        sa.select(Comment, TopicPlace)
        .outerjoin(TopicPlace, TopicPlace.id == Comment.place_id)
        .where(
            Comment.topic_id == topic.id,
            Comment.deleted_at.is_(None),
            sa.or_(Comment.place_id.is_not(None), Comment.lat.is_not(None)),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    if place_id is not None:
        stmt = stmt.where(Comment.place_id == place_id)
    return list(db.session.execute(stmt))


def counts_per_place(topic_id: int, *, statuses=(CommentStatus.VISIBLE,)) -> dict[int | None, int]:
    """Comments per named place (key None: a point of the writer's own), shown comments only
    unless told: one grouped statement."""
    rows = db.session.execute(
        sa.select(Comment.place_id, sa.func.count())
        .where(
            Comment.topic_id == topic_id,
            Comment.status.in_(list(statuses)),
            sa.or_(Comment.place_id.is_not(None), Comment.lat.is_not(None)),
        )
        .group_by(Comment.place_id)
    )
    return {place_id: n for place_id, n in rows}
