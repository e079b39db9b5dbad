"""Benchmark F3's wiring (GeoJSON export of located comments), without timing anything:
the scenario is registered, the bulk seed writes the map topic its docstring describes,
and the child process exports it with one Feature per comment, counted as the scenario
counts them."""

from __future__ import annotations

import json
import secrets
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from benchmarks import exports_child as child
from benchmarks import places_support as ps
from benchmarks.scenarios import load_all
from eraati.consultations import counters
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.places import demo as places_demo
from eraati.places.models import TopicMap, TopicPlace

COMMENTS = 301


@pytest.fixture
def seeded(app, db, bench_people):
    """The benchmark organisation and demo residents, then a seeded map topic."""
    made = ps.seed_topic(app, "f3-test", COMMENTS, log=lambda _m: None)
    db.session.remove()  # the seed wrote through its own sessions
    return made


def test_f3_is_registered_and_measured_without_a_server():
    scenarios = load_all()
    assert [k for k in scenarios if k.startswith("F")][-1] == "F3"
    assert scenarios["F3"].needs_server is False


def test_the_seed_writes_the_map_topic_it_describes(seeded, db):
    topic_id = seeded.topic.id
    where = Comment.topic_id == topic_id

    def count(*conditions) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*conditions))

    area = db.session.get(TopicMap, topic_id)
    assert (area.south, area.west, area.north, area.east) == places_demo.AREA
    places = db.session.scalars(sa.select(TopicPlace).where(TopicPlace.topic_id == topic_id)).all()
    assert len(places) == seeded.places == len(places_demo.PLACES)
    assert seeded.comments == count(where) == COMMENTS
    named = count(where, Comment.place_id.in_([p.id for p in places]), Comment.lat.is_(None))
    own = count(where, Comment.place_id.is_(None), Comment.lat.is_not(None))
    assert (named, own) == (seeded.at_named, seeded.own_points) == (151, 150)
    points = db.session.execute(sa.select(Comment.lat, Comment.lon).where(where)).all()
    assert all(area.contains(lat, lon) for lat, lon in points if lat is not None)
    assert count(where, Comment.parent_id.is_not(None)) == COMMENTS // 10
    assert count(where, Comment.status == CommentStatus.HIDDEN) == (COMMENTS + 28) // 40
    assert [m for m in counters.mismatches() if m[0] == "comments" or m[1] == topic_id] == []


def test_the_geojson_export_has_one_feature_per_comment_and_the_count_sees_them(
    seeded, db, tmp_path
):
    topic = db.session.get(Topic, seeded.topic.id)
    out = tmp_path / "map.geojson"
    child.run_export(topic, "geojson", "fi", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["features"]) == COMMENTS
    assert child.count_features(out) == COMMENTS
    area = db.session.get(TopicMap, seeded.topic.id)
    assert all(area.contains(*reversed(f["geometry"]["coordinates"])) for f in doc["features"])
    assert sum(1 for f in doc["features"] if f["properties"]["place"]) == seeded.at_named


def test_a_child_process_exports_the_map_topic(seeded, app, tmp_path):
    """The command line the scenario runs (``places_support.run``), for real."""
    ctx = SimpleNamespace(
        app=app,
        cache={f"f3_topic_{COMMENTS}": seeded},
        workdir=tmp_path,
        kind="test",
        secret=secrets.token_urlsafe(48),
        db=SimpleNamespace(url=app.config["SQLALCHEMY_DATABASE_URI"]),
        timings={},
        log=lambda _m: None,
    )
    got = ps.run(ctx, COMMENTS)
    assert got["what"] == "geojson" and got["features"] == COMMENTS
    assert got["bytes"] > 0 and got["peak_rss_mib"] >= got["rss_start_mib"] > 0
    assert got["rows_fetched"] >= COMMENTS
    assert list(tmp_path.iterdir()) == []  # the output file is removed
