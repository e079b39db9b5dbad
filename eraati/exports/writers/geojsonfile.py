"""GeoJSON (RFC 7946): one Feature per exported comment that has a place on the topic's
map, its geometry a Point (WGS 84, longitude first): the comment's own point, else its
named place's. Properties: the comment's id, time (ISO 8601 UTC), place name, writer and
text, decided as in the other exports (pseudonyms, consenting writers' names where the
organisation allows, hidden texts only when the preparer chose so).

Written row by row from the comments table's stream (``rows.comments``), as the JSON file
is: memory stays the same whatever the number of comments."""

from __future__ import annotations

import json
from collections.abc import Iterator

from eraati.exports import cells
from eraati.exports.rows import Snapshot
from eraati.exports.tables import LocalTable, Words
from eraati.exports.writers import Progress, TextSink


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_geojson(
    snap: Snapshot, tables: tuple[LocalTable, ...], words: Words, progress: Progress
) -> Iterator[bytes]:
    (table,) = tables  # the comments
    keys = [c.key for c in table.columns]
    wanted = ("id", "created_at", "status", "hidden_reason", "author", "language", "text")
    at = {key: keys.index(key) for key in (*wanted, "map_place", "lat", "lon", "parent_id")}
    i_id, i_created, i_status = at["id"], at["created_at"], at["status"]
    i_reason = at["hidden_reason"]
    i_author, i_language, i_text = at["author"], at["language"], at["text"]
    i_place, i_lat, i_lon, i_parent = at["map_place"], at["lat"], at["lon"], at["parent_id"]
    iso = cells.iso_utc_text
    sink = TextSink(progress)
    out = sink.buffer
    head = {
        **({"notice": words.notice} if snap.hidden_texts else {}),
        "type": "FeatureCollection",
        "name": snap.title,
        "topic": {"id": snap.topic_id, "slug": snap.slug, "organisation": snap.organisation},
        "exported_at": cells.iso_moment(snap.exported_at),
    }
    out.write(_dumps(head)[:-1] + ',\n"features":[')
    separator = "\n"
    for row in table.source(snap):
        sink.row_done()
        lat, lon = row[i_lat], row[i_lon]
        if lat is None or lon is None:
            continue
        feature = {
            "type": "Feature",
            "id": row[i_id],
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "comment_id": row[i_id],
                "reply_to": row[i_parent],
                "created_at": iso(row[i_created]),
                "status": row[i_status],
                "hidden_reason": row[i_reason],
                "place": row[i_place],
                "author": row[i_author],
                "language": row[i_language],
                "text": row[i_text],
            },
        }
        out.write(separator)
        out.write(_dumps(feature))
        separator = ",\n"
        if sink.full:
            yield sink.take()
    out.write("\n]}\n")
    yield sink.take()
