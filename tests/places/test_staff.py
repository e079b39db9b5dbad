"""Staff edit a topic's map area and named places; moderators see located comments. Each
organisation sees only its own topics' maps."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.consultations.models import Comment
from eraati.places.models import TopicMap, TopicPlace
from tests import factories


def _url(org, topic, tail=""):
    return f"/staff/{org.slug}/topics/{topic.id}/map{tail}"


def _places(db, topic):
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(TopicPlace)
            .where(TopicPlace.topic_id == topic.id)
            .order_by(TopicPlace.position)
        )
    )


def test_preparer_gives_a_topic_a_map_and_places(client, login_as, preparer, org, open_topic, db):
    login_as(preparer)
    assert client.get(_url(org, open_topic)).status_code == 200
    response = client.post(
        _url(org, open_topic, "/area"),
        data={"south": "63,55", "west": "27.17", "north": "63.57", "east": "27.21"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    area = db.session.get(TopicMap, open_topic.id)
    assert (area.south, area.west, area.north, area.east) == (63.55, 27.17, 63.57, 27.21)
    response = client.post(
        _url(org, open_topic, "/places"),
        data={"name_fi": "Tori", "name_sv": "Torget", "lat": "63.5597", "lon": "27.1905"},
    )
    assert response.status_code == 303
    (place,) = _places(db, open_topic)
    assert (place.name_fi, place.name_sv, place.name_en, place.lat) == (
        "Tori",
        "Torget",
        None,
        63.5597,
    )
    response = client.post(
        _url(org, open_topic, f"/places/{place.id}/edit"),
        data={"name_fi": "Kauppatori", "lat": "63.56", "lon": "27.19"},
    )
    assert response.status_code == 303
    (place,) = _places(db, open_topic)
    assert (place.name_fi, place.name_sv) == ("Kauppatori", None)


def test_bad_area_and_place_are_refused_beside_the_field_with_input_kept(
    client, login_as, org_admin, org, map_topic, db
):
    login_as(org_admin)
    response = client.post(
        _url(org, map_topic, "/area"),
        data={"south": "63.6", "west": "27.17", "north": "63.5", "east": "27.21"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="north-error"' in html and 'value="63.6"' in html
    db.session.expire_all()
    assert db.session.get(TopicMap, map_topic.id).south == 63.55
    # Outside the area; not a number; no Finnish name.
    for data, error in (
        ({"name_fi": "Helsinki", "lat": "60.17", "lon": "24.94"}, "lat-error"),
        ({"name_fi": "X", "lat": "pohjoinen", "lon": "27.19"}, "lat-error"),
        ({"name_fi": "", "lat": "63.56", "lon": "27.19"}, "name_fi-error"),
        ({"name_fi": "X", "lat": "63.56", "lon": "181"}, "lon-error"),
    ):
        response = client.post(_url(org, map_topic, "/places"), data=data)
        assert response.status_code == 422, data
        assert f'id="{error}"' in response.get_data(as_text=True), data
    assert len(_places(db, map_topic)) == 2


def test_removing_a_place_keeps_its_comments_at_its_point(
    client, login_as, org_admin, org, places, resident, db
):
    comment = Comment(
        topic_id=places[0].topic_id, author_id=resident.id, body="Torilla", place_id=places[0].id
    )
    db.session.add(comment)
    db.session.commit()
    login_as(org_admin)
    response = client.post(_url(org, places[0].topic, f"/places/{places[0].id}/delete"))
    assert response.status_code == 303
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert (comment.place_id, comment.lat, comment.lon) == (None, 63.5597, 27.1905)
    assert db.session.get(TopicPlace, places[0].id) is None


def test_remove_map_keeps_places(client, login_as, org_admin, org, map_topic, db):
    login_as(org_admin)
    assert client.post(_url(org, map_topic, "/remove")).status_code == 303
    db.session.expire_all()
    assert db.session.get(TopicMap, map_topic.id) is None
    assert len(_places(db, map_topic)) == 2


def test_moderator_sees_located_comments_filtered_by_place(
    client, login_as, moderator, org, places, resident, db
):
    topic_id = places[0].topic_id
    db.session.add_all(
        [
            Comment(
                topic_id=topic_id, author_id=resident.id, body="Torin kohta", place_id=places[0].id
            ),
            Comment(
                topic_id=topic_id, author_id=resident.id, body="Aseman kohta", place_id=places[1].id
            ),
            Comment(
                topic_id=topic_id, author_id=resident.id, body="Oma piste", lat=63.561, lon=27.2
            ),
            Comment(topic_id=topic_id, author_id=resident.id, body="Ei paikkaa"),
        ]
    )
    db.session.commit()
    login_as(moderator)
    topic = places[0].topic
    html = client.get(_url(org, topic, "/comments")).get_data(as_text=True)
    assert "Torin kohta" in html and "Aseman kohta" in html and "Oma piste" in html
    assert "Ei paikkaa" not in html
    html = client.get(_url(org, topic, f"/comments?place={places[1].id}")).get_data(as_text=True)
    assert "Aseman kohta" in html and "Torin kohta" not in html and "Oma piste" not in html


def test_other_organisation_cannot_touch_the_map(
    client, login_as, other_org, map_topic, places, org, db
):
    outsider = factories.make_user("kaikki@vierema.fi", org=other_org, roles=("admin",))
    db.session.commit()
    login_as(outsider)
    assert client.get(_url(org, map_topic)).status_code == 403
    # Keitele's topic and place in Vieremä's address: not found.
    assert client.get(_url(other_org, map_topic)).status_code == 404
    response = client.post(_url(other_org, map_topic, f"/places/{places[0].id}/delete"))
    assert response.status_code == 404
    own_topic = factories.make_topic(other_org, slug="oma", title="Oma")
    db.session.commit()
    response = client.post(
        _url(other_org, own_topic, f"/places/{places[0].id}/edit"),
        data={"name_fi": "Kaapattu", "lat": "63.56", "lon": "27.19"},
    )
    assert response.status_code == 404
    assert [p.name_fi for p in _places(db, map_topic)] == ["Tori", "Asema"]


def test_moderator_map_makes_a_constant_number_of_statements(
    app, client, login_as, moderator, org, places, resident, db
):
    from sqlalchemy import event

    def count(n: int) -> int:
        for i in range(n):
            db.session.add(
                Comment(
                    topic_id=places[0].topic_id,
                    author_id=resident.id,
                    body=f"Kommentti {i}",
                    place_id=places[i % 2].id,
                )
            )
        db.session.commit()
        statements = []

        def listen(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert client.get(_url(org, places[0].topic, "/comments")).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return len(statements)

    login_as(moderator)
    assert count(3) == count(30)
