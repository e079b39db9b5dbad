"""The map image of the results and the report: the area's outline, the named places
(numbered as in the table beside it) and the writers' own points, drawn as SVG on the
server. No background map: nothing is fetched from a tile server (the report is made
offline, and tiles' terms rarely allow printing them); the caption says so."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask_babel import gettext as _

from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.core.i18n import format_count
from eraati.extensions import db
from eraati.places import queries
from eraati.results import charts
from eraati.results.display import ChartTable, Row

MAX_OWN_POINTS = 2000  # drawn; the table counts them all
_PAD = 24.0


def _own_points(topic_id: int) -> list[tuple[float, float]]:
    return list(
        db.session.execute(
            sa.select(Comment.lat, Comment.lon)
            .where(
                Comment.topic_id == topic_id,
                Comment.status == CommentStatus.VISIBLE,
                Comment.lat.is_not(None),
            )
            .order_by(Comment.id)
            .limit(MAX_OWN_POINTS)
        ).tuples()
    )


def place_chart(
    topic: Topic, locale: str, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable | None:
    """Shown comments per named place, as a table and a map image; None: no map."""
    view = queries.map_view(topic)
    if view is None:
        return None
    counts = queries.counts_per_place(topic.id)
    own = _own_points(topic.id)
    area = view.area
    # An equirectangular view of the small area: a degree of longitude is cos(latitude)
    # of a degree of latitude, so the outline keeps its shape.
    middle = math.cos(math.radians((area.south + area.north) / 2))
    span_x = (area.east - area.west) * middle
    span_y = area.north - area.south
    inner = charts.WIDTH - 2 * _PAD
    height = max(120.0, min(480.0, inner * span_y / span_x + 2 * _PAD))
    scale = min(inner / span_x, (height - 2 * _PAD) / span_y)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (
            _PAD + (lon - area.west) * middle * scale,
            height - _PAD - (lat - area.south) * scale,
        )

    el = charts._el  # the results' own escaping element builder
    x0, y0 = xy(area.north, area.west)
    x1, y1 = xy(area.south, area.east)
    parts = [
        el(
            "rect",
            {
                "x": round(x0, 1),
                "y": round(y0, 1),
                "width": round(x1 - x0, 1),
                "height": round(y1 - y0, 1),
                "fill": "none",
                "stroke": charts.AXIS,
                "stroke-width": 2,
                "stroke-dasharray": "6 4",
            },
        ),
    ]
    for lat, lon in own:
        x, y = xy(lat, lon)
        parts.append(el("circle", {"cx": round(x, 1), "cy": round(y, 1), "r": 3,
                                   "fill": charts.OPPOSE, "fill-opacity": 0.7}))  # fmt: skip
    for n, place in enumerate(view.places, 1):
        x, y = xy(place.lat, place.lon)
        dot = {"cx": round(x, 1), "cy": round(y, 1), "r": 11, "fill": charts.BAR}
        parts.append(el("circle", {**dot, "stroke": "#ffffff", "stroke-width": 2}))
        parts.append(el("text", {"x": round(x, 1), "y": round(y + 4.5, 1), "fill": "#ffffff",
                                 "font-size": 12, "text-anchor": "middle",
                                 "font-weight": "bold"}, str(n)))  # fmt: skip
    key = f"{prefix}places"
    caption = _("Comments by place on the map")
    rows = [
        Row(
            f"{n}. {p.name(locale)}",
            (format_count(counts.get(p.id, 0)),),
            p.name_lang(locale) if p.name_lang(locale) != locale else None,
        )
        for n, p in enumerate(view.places, 1)
    ]
    desc = "; ".join(f"{r.label}: {r.cells[0]}" for r in rows)
    svg = charts._svg(
        key,
        caption,
        desc,
        height,
        charts.Markup("").join(parts),
        standalone=standalone,
    )
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=_("Place"),
        headings=(_("Comments"),),
        rows=rows,
        footer=Row(_("Points of the writers' own (red)"), (format_count(counts.get(None, 0)),)),
        svg=svg,
        note=_(
            "The image shows the outline of the consultation's area, the numbered places and "
            "the writers' own points, without a background map. Shown comments only."
        ),
    )
