"""The open-data API carries the map (issue 20): a topic's area and named places, and each
shown comment's place (a named place with its point, or a point of its own, WGS 84); a
comment without a place carries null. Reading them costs the same statements whatever the
number of places and located comments."""

from __future__ import annotations

from eraati.consultations.models import Comment, CommentStatus
from eraati.core.time import utcnow
from eraati.places.models import TopicPlace
from tests.api.support import API, get_json
from tests.consultations.topic_support import Browser


def _comment(db, topic_id, user, body, **where):
    row = Comment(topic_id=topic_id, author_id=user.id, body=body, created_at=utcnow(), **where)
    db.session.add(row)
    db.session.commit()
    return row


def test_the_topic_has_its_area_and_named_places(client, places, map_topic):
    _response, body = get_json(client, f"{API}/topics/{map_topic.id}")
    assert body["map"]["area"] == {"south": 63.55, "west": 27.17, "north": 63.57, "east": 27.21}
    assert body["map"]["places"] == [
        {"id": places[0].id, "names": {"fi": "Tori", "sv": "Torget"}, "lat": 63.5597,
         "lon": 27.1905},
        {"id": places[1].id, "names": {"fi": "Asema"}, "lat": 63.564, "lon": 27.183},
    ]  # fmt: skip
    assert body["parts"] == []


def test_a_topic_without_a_map_has_null(client, open_topic):
    _response, body = get_json(client, f"{API}/topics/{open_topic.id}")
    assert body["map"] is None


def test_each_shown_comment_carries_its_place(client, db, places, resident):
    topic_id = places[0].topic_id
    named = _comment(db, topic_id, resident, "Torilla", place_id=places[0].id)
    own = _comment(db, topic_id, resident, "Tässä", lat=63.5611, lon=27.2)
    none = _comment(db, topic_id, resident, "Ei paikkaa")
    hidden = _comment(
        db, topic_id, resident, "Piilossa", lat=63.56, lon=27.19, status=CommentStatus.HIDDEN
    )
    _response, body = get_json(client, f"{API}/topics/{topic_id}/comments")
    by_id = {c["id"]: c for c in body["data"]}
    assert by_id[named.id]["place"] == {
        "place_id": places[0].id, "names": {"fi": "Tori", "sv": "Torget"}, "lat": 63.5597,
        "lon": 27.1905,
    }  # fmt: skip
    assert by_id[own.id]["place"] == {"place_id": None, "names": None, "lat": 63.5611, "lon": 27.2}
    assert by_id[none.id]["place"] is None
    assert hidden.id not in by_id


def test_places_cost_the_same_statements_for_two_and_twelve(app, client, db, places, resident):
    topic_id = places[0].topic_id

    def statements(path):
        browser = Browser(app, client)
        assert browser.get(path).status_code == 200
        return browser.queries

    _comment(db, topic_id, resident, "Torilla", place_id=places[0].id)
    before = [
        statements(f"{API}/topics/{topic_id}"),
        statements(f"{API}/topics/{topic_id}/comments"),
    ]
    for i in range(10):
        db.session.add(
            TopicPlace(
                topic_id=topic_id, position=3 + i, name_fi=f"Paikka {i}", lat=63.56, lon=27.2
            )
        )
        db.session.flush()
    db.session.commit()
    extra = db.session.query(TopicPlace).filter_by(topic_id=topic_id).all()
    for place in extra:
        _comment(db, topic_id, resident, f"Paikalla {place.id}", place_id=place.id)
        _comment(db, topic_id, resident, "Pisteessä", lat=63.561, lon=27.19)
    after = [
        statements(f"{API}/topics/{topic_id}"),
        statements(f"{API}/topics/{topic_id}/comments"),
    ]
    assert before == after
