"""The exports carry the comments' places: lat/lon (WGS 84) and the place's name in the
comment tables, and the GeoJSON file has one Point feature per located comment."""

from __future__ import annotations

import csv
import io
import json

from eraati.consultations.models import Comment, CommentStatus
from eraati.core.time import utcnow
from eraati.exports import services


def _comments(db, places, resident):
    topic_id = places[0].topic_id
    now = utcnow()
    rows = {
        "named": Comment(
            topic_id=topic_id,
            author_id=resident.id,
            body="Torilla",
            place_id=places[0].id,
            created_at=now,
        ),
        "own": Comment(
            topic_id=topic_id,
            author_id=resident.id,
            body="Tässä",
            lat=63.5611,
            lon=27.2,
            created_at=now,
        ),
        "none": Comment(
            topic_id=topic_id, author_id=resident.id, body="Ei paikkaa", created_at=now
        ),
        "hidden": Comment(
            topic_id=topic_id,
            author_id=resident.id,
            body="Salainen",
            lat=63.56,
            lon=27.19,
            status=CommentStatus.HIDDEN,
            hidden_at=now,
            hidden_reason="Loukkaava",
            created_at=now,
        ),
        "pending": Comment(
            topic_id=topic_id,
            author_id=resident.id,
            body="Odottaa",
            lat=63.56,
            lon=27.19,
            status=CommentStatus.PENDING,
            created_at=now,
        ),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


def _export(topic, fmt, **kw) -> bytes:
    return b"".join(services.prepare(topic, fmt, "fi", **kw).chunks)


def test_csv_has_place_and_coordinates(db, places, resident):
    rows = _comments(db, places, resident)
    data = _export(places[0].topic, "csv").decode("utf-8")
    records = {int(next(iter(r.values()))): r for r in csv.DictReader(io.StringIO(data))}
    named, own, none = records[rows["named"].id], records[rows["own"].id], records[rows["none"].id]
    # The map's three columns, before the three of a draft's part (eraati.parts).
    values = lambda r: list(r.values())[-6:-3]  # noqa: E731
    assert values(named) == ["Tori", "63.5597", "27.1905"]
    assert values(own) == ["", "63.5611", "27.2"]
    assert values(none) == ["", "", ""]


def test_excel_csv_writes_decimal_commas(db, places, resident):
    rows = _comments(db, places, resident)
    data = _export(places[0].topic, "csv-excel").decode("utf-8-sig")
    line = next(line for line in data.splitlines() if line.startswith(f"{rows['own'].id};"))
    assert line.endswith(";63,561100;27,200000;;;")  # then the part's three, empty


def test_geojson_is_valid_with_one_point_feature_per_located_comment(
    db, places, resident, client, login_as, preparer, org
):
    rows = _comments(db, places, resident)
    topic = places[0].topic
    login_as(preparer)
    response = client.get(f"/staff/{org.slug}/topics/{topic.id}/exports/geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    document = json.loads(response.get_data())
    assert document["type"] == "FeatureCollection"
    features = document["features"]
    # Shown and hidden comments with a place, as in the other exports; none without one,
    # none waiting for review.
    assert sorted(f["properties"]["comment_id"] for f in features) == sorted(
        [rows["named"].id, rows["own"].id, rows["hidden"].id]
    )
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) >= {"comment_id", "created_at", "place", "text"}
        assert feature["properties"]["created_at"].endswith("Z")
    by_id = {f["properties"]["comment_id"]: f for f in features}
    named = by_id[rows["named"].id]
    assert named["geometry"]["coordinates"] == [27.1905, 63.5597]  # longitude first
    assert named["properties"]["place"] == "Tori"
    assert named["properties"]["text"] == "Torilla"
    assert named["properties"]["author"].startswith("P-")  # a pseudonym, never the e-mail
    assert resident.email not in response.get_data(as_text=True)
    # The hidden comment's text is left out unless the preparer chose to include it.
    assert by_id[rows["hidden"].id]["properties"]["text"] != "Salainen"


def test_geojson_is_streamed_in_pieces(db, places, resident):
    _comments(db, places, resident)
    chunks = services.prepare(places[0].topic, "geojson", "fi").chunks
    assert not isinstance(chunks, (bytes, list))  # a generator: nothing built whole
    assert json.loads(b"".join(chunks))["type"] == "FeatureCollection"


def test_results_page_shows_comments_per_place_with_the_map_image(
    db, places, resident, client, login_as, moderator, org
):
    rows = _comments(db, places, resident)
    topic = places[0].topic
    login_as(moderator)
    html = client.get(f"/staff/{org.slug}/topics/{topic.id}/results-overview").get_data(
        as_text=True
    )
    assert 'id="places"' in html
    assert 'id="chart-places"' in html  # the SVG image
    assert "1. Tori" in html and "2. Asema" in html
    assert rows["named"].id


def test_report_has_the_places_figure_with_its_image_in_docx_and_pdf(db, places, resident):
    import zipfile

    from flask_babel import force_locale

    from eraati.reports import build

    _comments(db, places, resident)
    topic = places[0].topic
    with force_locale("fi"):
        report = build.make_report(topic, "fi")
    (section,) = [s for s in report.sections if s.key == "places"]
    (figure,) = section.blocks
    assert [r.label for r in figure.chart.rows] == ["1. Tori", "2. Asema"]
    assert [r.cells for r in figure.chart.rows] == [("1",), ("0",)]
    assert figure.chart.footer.cells == ("1",)  # the writer's own point (the shown one)
    docx = io.BytesIO()
    build.build(topic, "docx", "fi", docx)
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
        assert "1. Tori" in z.read("word/document.xml").decode()
    pdf = io.BytesIO()
    build.build(topic, "pdf", "fi", pdf)
    assert pdf.getvalue().startswith(b"%PDF")
