"""State changes of topic maps, and the check of a comment's place. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eraati.consultations.models import Comment, Topic
from eraati.core.sanitize import clean_text
from eraati.extensions import db
from eraati.places.models import MAX_PLACES, TopicMap, TopicPlace, lat_ok, lon_ok
from eraati.places.queries import MapView


class PlaceError(Exception):
    """A place or point that cannot be used; ``reason`` names the rule for the message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CommentPlace:
    place_id: int | None = None
    lat: float | None = None
    lon: float | None = None


def _number(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise PlaceError("number") from None
    if number != number or number in (float("inf"), float("-inf")):  # NaN, infinities
        raise PlaceError("number")
    return number


def comment_place(view: MapView | None, place: str | None, lat, lon) -> CommentPlace:
    """What a comment form chose: a named place of this topic (its id), or a point of the
    writer's own inside the area, or nothing. A point wins over the list (a mouse user who
    clicked the map also left the list at "No place"); both given: the point, if valid."""
    lat_value, lon_value = _number(lat), _number(lon)
    if (lat_value is None) != (lon_value is None):
        raise PlaceError("half_point")
    if view is None:
        if place or lat_value is not None:
            raise PlaceError("no_map")
        return CommentPlace()
    if lat_value is not None:
        if not (lat_ok(lat_value) and lon_ok(lon_value)):
            raise PlaceError("range")
        if not view.area.contains(lat_value, lon_value):
            raise PlaceError("outside")
        return CommentPlace(lat=round(lat_value, 6), lon=round(lon_value, 6))
    if place:
        if not place.isdigit() or int(place) not in view.by_id:
            raise PlaceError("unknown_place")
        return CommentPlace(place_id=int(place))
    return CommentPlace()


# --- staff --------------------------------------------------------------------------------


def set_area(topic: Topic, south: float, west: float, north: float, east: float) -> TopicMap:
    """Give the topic a map (or move its area). Named places stay even if now outside: the
    staff page marks them."""
    if not (lat_ok(south) and lat_ok(north) and south < north):
        raise PlaceError("area_lat")
    if not (lon_ok(west) and lon_ok(east) and west < east):
        raise PlaceError("area_lon")
    area = db.session.get(TopicMap, topic.id)
    if area is None:
        area = TopicMap(topic_id=topic.id, south=south, west=west, north=north, east=east)
        db.session.add(area)
    else:
        area.south, area.west, area.north, area.east = south, west, north, east
    db.session.flush()
    return area


def remove_map(topic: Topic) -> bool:
    """The topic shows no map any more. Its named places and the comments' points are kept
    (the comments keep their words; staff may give the map back)."""
    area = db.session.get(TopicMap, topic.id)
    if area is None:
        return False
    db.session.delete(area)
    db.session.flush()
    return True


def _check_place(topic: Topic, lat: float, lon: float) -> None:
    if not (lat_ok(lat) and lon_ok(lon)):
        raise PlaceError("range")
    area = db.session.get(TopicMap, topic.id)
    if area is not None and not area.contains(lat, lon):
        raise PlaceError("outside")


def _names(names: dict[str, str | None]) -> dict[str, str | None]:
    cleaned = {k: (clean_text(v or "").strip() or None) for k, v in names.items()}
    if not cleaned.get("fi"):
        raise PlaceError("name")
    return {f"name_{k}": v for k, v in cleaned.items()}


def add_place(topic: Topic, names: dict[str, str | None], lat: float, lon: float) -> TopicPlace:
    _check_place(topic, lat, lon)
    count, last = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(TopicPlace.position)).where(
            TopicPlace.topic_id == topic.id
        )
    ).one()
    if count >= MAX_PLACES:
        raise PlaceError("too_many")
    place = TopicPlace(
        topic_id=topic.id, position=(last or 0) + 1, lat=lat, lon=lon, **_names(names)
    )
    db.session.add(place)
    db.session.flush()
    return place


def update_place(
    topic: Topic, place: TopicPlace, names: dict[str, str | None], lat: float, lon: float
) -> None:
    _check_place(topic, lat, lon)
    for key, value in _names(names).items():
        setattr(place, key, value)
    place.lat, place.lon = lat, lon
    db.session.flush()


def delete_place(topic: Topic, place: TopicPlace) -> None:
    """Comments at the place keep their words and the place's point as their own."""
    db.session.execute(
        sa.update(Comment)
        .where(Comment.place_id == place.id)
        .values(
            place_id=None,
            lat=sa.func.coalesce(Comment.lat, place.lat),
            lon=sa.func.coalesce(Comment.lon, place.lon),
        )
    )
    db.session.delete(place)
    db.session.flush()
