"""Places on a map in a real browser: Iisalmi's traffic plan with the map drawn by Leaflet
on tiles from a stub on 127.0.0.1 (one PNG for every tile), a point clicked on the map and
a named place chosen without JavaScript, the moderators' map; axe on each page, and
screenshots (desktop, a 390 px phone). Nothing may leave 127.0.0.1: every other request
is refused and counted."""

from __future__ import annotations

import http.server
import io
import threading
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image

from eraati.consultations.models import Comment, Topic
from eraati.organisations.models import Organisation
from eraati.places.demo import ORG, TOPIC
from tests.browser.checks import DESKTOP, NO_JS, Mode

PHONE_390 = Mode("phone-390", 390, 844)


def _tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 236, 214)).save(out, "PNG")
    return out.getvalue()


class _Tiles(http.server.BaseHTTPRequestHandler):
    png = _tile_png()
    served: list[str] = []

    def do_GET(self):
        _Tiles.served.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.png)))
        self.end_headers()
        self.wfile.write(self.png)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def tile_stub(app_side):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    with app_side.session() as session:
        session.execute(
            sa.update(Organisation)
            .where(Organisation.slug == ORG)
            .values(map_tile_url=url, map_attribution="Testiruudut")
        )
        session.commit()
    yield url
    with app_side.session() as session:
        session.execute(
            sa.update(Organisation).where(Organisation.slug == ORG).values(map_tile_url=None)
        )
        session.commit()
    server.shutdown()


@pytest.fixture
def outside(open_site):
    """Opens sites whose requests outside 127.0.0.1 are refused and recorded."""
    refused: list[str] = []

    def _open(mode: Mode, **kw):
        site = open_site(mode, start=None, **kw)

        def guard(route):
            if urlsplit(route.request.url).hostname != "127.0.0.1":
                refused.append(route.request.url)
                return route.abort()
            return route.continue_()

        site.context.route("**/*", guard)
        site.open("/", name=None)
        return site

    _open.refused = refused
    return _open


def _topic_path() -> str:
    return f"/{ORG}/{TOPIC}"


def _wait_for_map(site) -> None:
    site.page.locator(".leaflet-container").first.wait_for()
    site.page.locator("img.leaflet-tile-loaded").first.wait_for()


def test_a_resident_clicks_a_point_on_the_map_and_comments(outside, tile_stub, app_side):
    site = outside(DESKTOP)
    site.log_in("asukas", name=None)
    site.open(_topic_path(), name="map-topic")
    _wait_for_map(site)
    # The page's text alternative lists the places.
    caption = site.page.locator("figure.topic-map figcaption")
    assert "Kauppatori" in caption.inner_text()
    site.page.screenshot(path=str(site_screens() / "map-topic-desktop.png"), full_page=False)
    canvas = site.page.locator("#map .leaflet-container")
    canvas.scroll_into_view_if_needed()
    errors: list[str] = []
    site.page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Inside the area's outline (the first shape drawn), near its south-west corner, away
    # from the named places.
    area = site.page.locator("#map .leaflet-overlay-pane path").first.bounding_box()
    site.page.mouse.click(area["x"] + area["width"] * 0.15, area["y"] + area["height"] * 0.85)
    assert errors == []
    form = site.page.locator("#comment-form")
    assert form.locator("input[name=lat]").input_value() != ""
    assert form.locator("[data-point-chosen]").is_visible()
    assert form.locator("[data-point-clear]").is_visible()
    site.check("map-point-chosen")
    site.page.screenshot(path=str(site_screens() / "map-point-chosen.png"), full_page=False)
    text = "Tässä kohdassa kaipaan suojatietä (selaintesti)."
    site.type_into(site.field("Your comment", within=form), text)
    site.press(site.button("Send comment", within=form), "map-commented")
    with app_side.session() as session:
        comment = session.scalar(sa.select(Comment).where(Comment.body == text))
        assert comment is not None and comment.lat is not None and comment.place_id is None
        topic = session.get(Topic, comment.topic_id)
        assert topic.slug == TOPIC
    assert _Tiles.served, "the tiles came from the stub"
    assert outside.refused == []
    site.done()


def test_the_topic_map_on_a_390_px_phone(outside, tile_stub):
    site = outside(PHONE_390)
    site.open(_topic_path(), name="map-topic-phone")
    _wait_for_map(site)
    site.page.locator("#map").scroll_into_view_if_needed()
    site.page.screenshot(path=str(site_screens() / "map-topic-phone-390.png"), full_page=False)
    assert outside.refused == []
    site.done()


def test_without_javascript_a_named_place_is_chosen_from_the_list(outside, tile_stub, app_side):
    site = outside(NO_JS)
    site.log_in("asukas", name=None)
    site.open(_topic_path(), name="map-topic-nojs")
    form = site.page.locator("#comment-form")
    site.select(site.field("Place (optional)", within=form), "Kauppatori")
    text = "Torin pyörätelineet ovat aina täynnä (ilman JavaScriptiä)."
    site.type_into(site.field("Your comment", within=form), text)
    site.press(site.button("Send comment", within=form), "map-commented-nojs")
    with app_side.session() as session:
        comment = session.scalar(sa.select(Comment).where(Comment.body == text))
        assert (comment.place_id, comment.lat) == (2, None), (comment.place_id, comment.lat)
    article = site.page.locator("article.comment", has_text=text)
    assert "Kauppatori" in article.locator(".comment-place").inner_text()
    assert outside.refused == []
    site.done()


def test_the_moderators_map(outside, tile_stub, app_side):
    with app_side.session() as session:
        topic_id = session.scalar(sa.select(Topic.id).where(Topic.slug == TOPIC))
    site = outside(DESKTOP)
    site.log_in("moderaattori_iisalmi", name=None)
    site.open(f"/staff/{ORG}/topics/{topic_id}/map/comments", name="map-moderator")
    _wait_for_map(site)
    assert site.page.locator("table.data-table tbody tr").count() >= 10
    site.page.screenshot(path=str(site_screens() / "map-moderator.png"), full_page=True)
    assert outside.refused == []
    site.done()


def site_screens():
    from tests.browser.checks import SCREENSHOTS

    folder = SCREENSHOTS / "map"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_an_admin_adds_a_place_by_clicking_the_map(outside, tile_stub, app_side):
    from eraati.places.models import TopicPlace

    with app_side.session() as session:
        topic_id = session.scalar(sa.select(Topic.id).where(Topic.slug == TOPIC))
    site = outside(DESKTOP)
    site.log_in("paakayttaja", name=None)
    site.open(f"/staff/{ORG}/topics/{topic_id}/map", name="map-staff")
    _wait_for_map(site)
    area = site.page.locator("#preview-title ~ figure .leaflet-overlay-pane path").first
    box = area.bounding_box()
    site.page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.15)
    form = site.page.locator("#add-place-form")
    assert form.locator("input[name=lat]").input_value().startswith("63.5")
    site.type_into(site.field("Name in Finnish", within=form), "Pohjoisen kulma (selaintesti)")
    site.page.screenshot(path=str(site_screens() / "map-staff.png"), full_page=True)
    site.press(site.button("Add the place", within=form), "map-place-added")
    with app_side.session() as session:
        place = session.scalar(
            sa.select(TopicPlace).where(TopicPlace.name_fi == "Pohjoisen kulma (selaintesti)")
        )
        assert place is not None and 63.548 <= place.lat <= 63.570
    assert outside.refused == []
    site.done()
