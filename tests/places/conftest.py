from __future__ import annotations

import pytest

from eraati.places.models import TopicMap, TopicPlace

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.fixture
def map_topic(db, org, open_topic):
    """The open topic with a map around Iisalmi's centre and two named places."""
    org.map_tile_url = OSM
    org.map_attribution = "© OpenStreetMap contributors"
    db.session.add(
        TopicMap(topic_id=open_topic.id, south=63.55, west=27.17, north=63.57, east=27.21)
    )
    db.session.add_all(
        [
            TopicPlace(
                topic_id=open_topic.id,
                position=1,
                name_fi="Tori",
                name_sv="Torget",
                lat=63.5597,
                lon=27.1905,
            ),
            TopicPlace(
                topic_id=open_topic.id, position=2, name_fi="Asema", lat=63.5640, lon=27.1830
            ),
        ]
    )
    db.session.commit()
    return open_topic


@pytest.fixture
def places(db, map_topic):
    import sqlalchemy as sa

    return list(
        db.session.scalars(
            sa.select(TopicPlace)
            .where(TopicPlace.topic_id == map_topic.id)
            .order_by(TopicPlace.position)
        )
    )
