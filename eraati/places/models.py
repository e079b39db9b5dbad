from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.consultations.models import Topic

# The languages a place's name is written in, in this order.
PLACE_LANGUAGES = ("fi", "sv", "en")
MAX_PLACES = 50


def lat_ok(value: float | None) -> bool:
    return value is not None and -90.0 <= value <= 90.0


def lon_ok(value: float | None) -> bool:
    return value is not None and -180.0 <= value <= 180.0


class TopicMap(db.Model):
    """A topic's map: the area it concerns, a bounding box in WGS 84 degrees. A topic with
    a row here shows a map; the points of its comments must lie inside the area."""

    __tablename__ = "topic_maps"
    __table_args__ = (
        sa.CheckConstraint(
            "south >= -90 AND north <= 90 AND south < north", name="latitudes_in_order"
        ),
        sa.CheckConstraint(
            "west >= -180 AND east <= 180 AND west < east", name="longitudes_in_order"
        ),
    )

    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    south: Mapped[float] = mapped_column(sa.Float)
    west: Mapped[float] = mapped_column(sa.Float)
    north: Mapped[float] = mapped_column(sa.Float)
    east: Mapped[float] = mapped_column(sa.Float)

    topic: Mapped[Topic] = relationship()

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]], as Leaflet takes them."""
        return [[self.south, self.west], [self.north, self.east]]

    def geojson_polygon(self) -> dict:
        """The area as a GeoJSON Polygon (longitude first, the ring closed, counter-clockwise)."""
        ring = [
            [self.west, self.south],
            [self.east, self.south],
            [self.east, self.north],
            [self.west, self.north],
            [self.west, self.south],
        ]
        return {"type": "Polygon", "coordinates": [ring]}


class TopicPlace(db.Model):
    """A named place of a topic's map ("Kirkkokadun ja Savonkadun risteys"), in the order
    staff gave: the list residents choose from without a map."""

    __tablename__ = "topic_places"
    __table_args__ = (
        sa.CheckConstraint("lat >= -90 AND lat <= 90", name="lat_range"),
        sa.CheckConstraint("lon >= -180 AND lon <= 180", name="lon_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    name_fi: Mapped[str] = mapped_column(sa.String(120))
    name_sv: Mapped[str | None] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    lat: Mapped[float] = mapped_column(sa.Float)
    lon: Mapped[float] = mapped_column(sa.Float)

    topic: Mapped[Topic] = relationship()

    def name(self, locale: str) -> str:
        """The name in ``locale``, else in Finnish (always given)."""
        return getattr(self, f"name_{locale}", None) or self.name_fi

    def name_lang(self, locale: str) -> str:
        """The language the name is shown in (for lang="..." when it fell back)."""
        return locale if getattr(self, f"name_{locale}", None) else "fi"

    def __repr__(self) -> str:
        return f"<TopicPlace {self.id} of {self.topic_id}>"
