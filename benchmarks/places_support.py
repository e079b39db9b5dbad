"""F3's data and runs: a topic on a map with located comments, and its GeoJSON export in
fresh processes (``exports_child --what geojson``).

The topic ``bench-f3-<n>`` is a traffic plan like the demo's (``eraati.places.demo``): the
demo's map area of Iisalmi's centre, its eight named places, and ``n`` comments, every one
with a place: the even ones at a named place (``place_id``, no point of their own), the odd
ones at a point of their own inside the area (``lat``/``lon``, six decimals as the form
stores them). A tenth of them are replies, one in 40 hidden by a moderator. Comments go in
as the export topics' do (``exports_support``: COPY on PostgreSQL, one ``executemany`` on
SQLite, in one transaction); counters are recounted.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from benchmarks import data
from benchmarks import exports_support as es

COLUMNS = (
    "id",
    "topic_id",
    "parent_id",
    "root_id",
    "author_id",
    "body",
    "language",
    "status",
    "source",
    "created_at",
    "hidden_at",
    "hidden_reason",
    "place_id",
    "lat",
    "lon",
)


@dataclass(frozen=True)
class MapTopic:
    topic: data.BenchTopic
    comments: int
    at_named: int  # comments at a named place
    own_points: int  # comments at a point of their own
    places: int
    seed_seconds: float


def _rows(topic, first_id: int, count: int, authors, place_ids, area, now):
    from eraati.consultations import demo_content

    rng = random.Random(f"f3/{topic.id}/{count}")  # noqa: S311 - test data
    south, west, north, east = area
    start = topic.opens_at
    span = (now - timedelta(minutes=5) - start).total_seconds()
    roots: list[int] = []
    for i in range(count):
        cid = first_id + i
        created = start + timedelta(seconds=span * (i + 1) / (count + 1))
        parent = rng.choice(roots[-2000:]) if i % 10 == 9 and roots else None
        if parent is None:
            roots.append(cid)
        hidden = i % 40 == 11
        place_id = lat = lon = None
        if i % 2 == 0:
            place_id = place_ids[(i // 2) % len(place_ids)]
        else:
            lat = round(rng.uniform(south, north), 6)
            lon = round(rng.uniform(west, east), 6)
        body = " ".join(
            (
                rng.choice(demo_content.LARGE_OPENINGS),
                rng.choice(demo_content.LARGE_SUBJECTS) + ".",
                rng.choice(demo_content.LARGE_SENTENCES),
                f"(#{i})",
            )
        )
        yield (
            cid,
            topic.id,
            parent,
            parent,
            authors[i % len(authors)],
            body,
            "fi",
            "hidden" if hidden else "visible",
            "web",
            created,
            created + timedelta(hours=1) if hidden else None,
            es.HIDDEN_REASON if hidden else None,
            place_id,
            lat,
            lon,
        )


def seed_topic(app, key: str, comments: int, log=print) -> MapTopic:
    """The topic ``bench-<key>`` with its map, named places and ``comments`` located
    comments (see the module's docstring)."""
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Comment, Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.places import demo as places_demo
    from eraati.places.models import TopicMap, TopicPlace

    t = time.monotonic()
    topic = data.new_topic(app, key)
    authors = data.resident_ids(app)
    with app.app_context():
        have = db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.topic_id == topic.id)
        )
        if have:
            raise RuntimeError(f"topic {topic.path} already has {have} comments")
        row = db.session.get(Topic, topic.id)
        south, west, north, east = places_demo.AREA
        db.session.add(TopicMap(topic_id=topic.id, south=south, west=west, north=north, east=east))
        places = [
            TopicPlace(
                topic_id=topic.id, position=n, name_fi=fi, name_sv=sv, name_en=en, lat=lat, lon=lon
            )
            for n, (fi, sv, en, lat, lon) in enumerate(places_demo.PLACES, start=1)
        ]
        db.session.add_all(places)
        db.session.flush()
        place_ids = [p.id for p in places]
        first = (db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
        conn = db.session.connection()
        es._bulk(
            conn,
            "comments",
            COLUMNS,
            _rows(row, first, comments, authors, place_ids, places_demo.AREA, utcnow()),
        )
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                    "(SELECT max(id) FROM comments))"
                )
            )
        recount([topic.id])
        db.session.commit()
    data.analyze(app)
    seconds = time.monotonic() - t
    log(f"  F3 data {topic.path}: {comments:,} located comments in {seconds:.1f} s")
    at_named = (comments + 1) // 2
    return MapTopic(
        topic, comments, at_named, comments - at_named, len(place_ids), round(seconds, 1)
    )


def label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def topic(ctx, comments: int) -> MapTopic:
    """The map topic with ``comments`` located comments of this database, seeded on first
    use."""
    key = f"f3_topic_{comments}"
    if key not in ctx.cache:
        got = seed_topic(ctx.app, f"f3-{label(comments)}", comments, ctx.log)
        ctx.timings[f"F3 seed {label(comments)}_s"] = got.seed_seconds
        ctx.cache[key] = got
    return ctx.cache[key]


def run(ctx, comments: int) -> dict:
    """One GeoJSON export of the topic with ``comments`` located comments, in a fresh
    process: seconds, bytes, peak RSS (``VmHWM`` reset before the export), features."""
    t = topic(ctx, comments)
    r = es.run_child(ctx, t.topic.id, "geojson", f"f3 {label(comments)}")
    ctx.log(
        f"    geojson @ {label(comments)}: {r['seconds']:.2f} s, {r['bytes'] / 1e6:.1f} MB, "
        f"peak RSS {r['peak_rss_mib']:.0f} MiB (start {r['rss_start_mib']:.0f}), "
        f"{r['features']:,} features"
    )
    return r
