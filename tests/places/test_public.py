"""The resident's side of a topic map: the page without JavaScript, the place list of the
comment form, a point of one's own, and the CSP of the map pages."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.consultations.models import Comment

TOPIC_URL = "/keitele/kirjaston-aukioloajat"


def _csp(response) -> dict[str, str]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def _comments(db):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Comment).order_by(Comment.id)))


def test_topic_page_shows_the_map_figure_and_place_list_without_javascript(
    client, login_as, resident, map_topic
):
    login_as(resident)
    response = client.get(TOPIC_URL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<figure class="topic-map"' in html
    # The caption is the text alternative: the places in words.
    assert '<li id="place-' in html and "Tori" in html and "Asema" in html
    # The comment form offers the named places and "No place".
    assert 'name="place"' in html
    assert '<option selected value="">' in html or '<option value="" selected>' in html
    assert "vendor/leaflet/leaflet.js" in html and "js/topic-map.js" in html
    assert "<script>" not in html


def test_map_page_csp_allows_the_tile_host_only_there(client, login_as, resident, map_topic, org):
    login_as(resident)
    assert _csp(client.get(TOPIC_URL))["img-src"] == "'self' data: https://tile.openstreetmap.org"
    # Other pages keep the strict policy.
    assert _csp(client.get("/"))["img-src"] == "'self' data:"
    assert _csp(client.get(TOPIC_URL))["script-src"] == "'self'"


def test_topic_without_map_has_no_map_and_strict_csp(
    client, login_as, resident, open_topic, org, db
):
    org.map_tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    org.map_attribution = "© OpenStreetMap"
    db.session.commit()
    login_as(resident)
    response = client.get(TOPIC_URL)
    html = response.get_data(as_text=True)
    assert "topic-map" not in html and 'name="place"' not in html
    assert _csp(response)["img-src"] == "'self' data:"


def test_no_tiles_configured_keeps_csp_strict_and_says_so(
    client, login_as, resident, map_topic, org, db
):
    org.map_tile_url = None
    db.session.commit()
    login_as(resident)
    response = client.get(TOPIC_URL)
    assert _csp(response)["img-src"] == "'self' data:"
    assert "ilman taustakarttaa" in response.get_data(as_text=True)  # "without a background map"


def test_comment_with_a_named_place_without_javascript(client, login_as, resident, places, db):
    login_as(resident)
    response = client.post(
        TOPIC_URL + "/comments",
        data={"body": "Suojatie puuttuu", "language": "fi", "place": str(places[1].id)},
    )
    assert response.status_code == 303
    (comment,) = _comments(db)
    assert (comment.place_id, comment.lat, comment.lon) == (places[1].id, None, None)
    html = client.get(TOPIC_URL).get_data(as_text=True)
    assert ">Asema<" in html  # the named place, linked to the map
    assert f"/keitele/kirjaston-aukioloajat/map?c={comment.id}" in html


def test_comment_with_no_place(client, login_as, resident, places, db):
    login_as(resident)
    response = client.post(
        TOPIC_URL + "/comments", data={"body": "Yleisesti hyvä", "language": "fi", "place": ""}
    )
    assert response.status_code == 303
    (comment,) = _comments(db)
    assert (comment.place_id, comment.lat, comment.lon) == (None, None, None)


def test_comment_with_a_point_of_ones_own(client, login_as, resident, places, db):
    login_as(resident)
    response = client.post(
        TOPIC_URL + "/comments",
        data={"body": "Tässä risteyksessä", "language": "fi", "lat": "63.5611", "lon": "27.2"},
    )
    assert response.status_code == 303
    (comment,) = _comments(db)
    assert (comment.place_id, comment.lat, comment.lon) == (None, 63.5611, 27.2)
    page = client.get(f"{TOPIC_URL}/map?c={comment.id}")
    assert page.status_code == 200
    assert "63" in page.get_data(as_text=True)


def test_place_of_another_topic_is_refused_and_the_text_kept(
    client, login_as, resident, places, db, org
):
    from tests import factories

    other = factories.make_topic(org, slug="toinen", title="Toinen")
    db.session.commit()
    login_as(resident)
    response = client.post(
        "/keitele/toinen/comments",
        data={"body": "Teksti säilyy", "language": "fi", "place": str(places[0].id)},
    )
    assert response.status_code == 422
    assert "Teksti säilyy" in response.get_data(as_text=True)
    assert _comments(db) == []
    assert other.id


def test_point_outside_the_area_is_refused_beside_the_field(client, login_as, resident, places, db):
    login_as(resident)
    for lat, lon in (("60.17", "24.94"), ("95", "27.19"), ("63.56", ""), ("nan", "27.19")):
        response = client.post(
            TOPIC_URL + "/comments",
            data={"body": "Kaukana", "language": "fi", "lat": lat, "lon": lon},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, (lat, lon)
        assert 'id="place-error"' in html
        assert "Kaukana" in html
    assert _comments(db) == []


def test_unknown_place_value_is_refused(client, login_as, resident, places, db):
    login_as(resident)
    response = client.post(
        TOPIC_URL + "/comments", data={"body": "X y", "language": "fi", "place": "999999"}
    )
    assert response.status_code == 422
    assert _comments(db) == []


def test_hidden_comment_is_not_shown_on_the_point_page(client, login_as, resident, places, db):
    from eraati.consultations.models import CommentStatus

    login_as(resident)
    client.post(
        TOPIC_URL + "/comments", data={"body": "Pois", "language": "fi", "place": str(places[0].id)}
    )
    (comment,) = _comments(db)
    comment.status = CommentStatus.HIDDEN
    db.session.commit()
    assert client.get(f"{TOPIC_URL}/map?c={comment.id}").status_code == 404


def test_admin_sets_the_tiles_and_the_topic_page_allows_that_host(
    client, login_as, org_admin, resident, map_topic, org, db
):
    from tests.organisations.test_settings import SETTINGS, _form

    login_as(org_admin)
    data = _form(
        org,
        map_tile_url="https://tiles.example.fi/kartta/{z}/{x}/{y}.png",
        map_attribution="© Iisalmen kaupunki",
    )
    assert client.post(SETTINGS, data=data).status_code == 303
    db.session.expire_all()
    assert org.map_tile_url == "https://tiles.example.fi/kartta/{z}/{x}/{y}.png"
    login_as(resident)
    response = client.get(TOPIC_URL)
    assert _csp(response)["img-src"] == "'self' data: https://tiles.example.fi"
    assert "© Iisalmen kaupunki" in response.get_data(as_text=True)


def test_allow_images_from_refuses_anything_but_an_origin():
    import pytest
    from flask import Response

    from eraati.core.security import allow_images_from

    for bad in ("https://a.fi; script-src *", "https://a.fi/path", "*", "http://a.fi"):
        with pytest.raises(ValueError):
            allow_images_from(Response(), bad)
