"""The opinion groups of a topic as the pages and the report show them: a map of the
participants drawn on the server (SVG, each group its own colour *and* shape, with a
legend, a title and a description), the table of the groups' sizes, and each group's
representative comments (and the words that stand out in what it agrees with), the
consensus and the divisive comments quoted with their shares.

Made from the stored result (``analysis.opinion.stored_groups``) and one query for the
quoted comments' texts: the number of statements does not grow with the groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from eraati.analysis.groups import Result, Statement
from eraati.analysis.opinion import StoredGroups, group_letter, quoted, stored_groups
from eraati.results import charts
from eraati.results.charts import _el, _svg, _text
from eraati.results.display import ChartTable, Row, number, percent

# One colour and one shape per group (WCAG 1.4.1: not colour alone); every colour has a
# contrast of at least 4.5:1 on white (3:1 is needed for graphics).
STYLES = (
    ("#003580", "circle"),  # blue 11.5:1
    ("#b34700", "square"),  # orange-brown 5.2:1
    ("#1e6b34", "triangle"),  # green 6.5:1
    ("#7a1f7a", "diamond"),  # purple 9.1:1
    ("#5a4a00", "cross"),  # olive 8.6:1
)
#: Divisive comments shown at most (the most divisive first).
MAX_DIVISIVE = 5
#: The map draws at most this many people (a fixed sample, each group in its share).
MAX_POINTS = 1500
_PLOT = 300.0  # the plot's height in user units (the width is charts.WIDTH)
_PAD = 12.0
_LEGEND_LINE = 24.0


def _marker(shape: str, x: float, y: float, r: float = 3.6) -> Markup:
    if shape == "circle":
        return _el("circle", {"cx": x, "cy": y, "r": r})
    if shape == "square":
        s = r * 0.9
        return _el("rect", {"x": x - s, "y": y - s, "width": 2 * s, "height": 2 * s})
    if shape == "triangle":
        top, base = y - r * 1.15, y + r * 0.8
        d = f"M{x:.1f} {top:.1f}L{x + r:.1f} {base:.1f}L{x - r:.1f} {base:.1f}Z"
    elif shape == "diamond":
        top, bottom = y - r * 1.2, y + r * 1.2
        d = f"M{x:.1f} {top:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {bottom:.1f}L{x - r:.1f} {y:.1f}Z"
    else:  # a cross (plus sign), drawn as one filled outline
        a, b = r * 0.4, r * 1.1
        d = (
            f"M{x - a:.1f} {y - b:.1f}h{2 * a:.1f}v{b - a:.1f}h{b - a:.1f}v{2 * a:.1f}"
            f"h{a - b:.1f}v{b - a:.1f}h{-2 * a:.1f}v{a - b:.1f}h{a - b:.1f}v{-2 * a:.1f}"
            f"h{b - a:.1f}Z"
        )
    return _el("path", {"d": d})


def _sample(labels: np.ndarray) -> np.ndarray:
    """The indexes drawn: everyone up to ``MAX_POINTS``, else a fixed sample."""
    n = len(labels)
    if n <= MAX_POINTS:
        return np.arange(n)
    rng = np.random.default_rng(0)
    return np.sort(rng.choice(n, size=MAX_POINTS, replace=False))


def group_name(group_id: int) -> str:
    return _("Group %(letter)s", letter=group_letter(group_id))


def group_map(result: Result, chart_id: str = "opinion-map", *, standalone: bool = False) -> Markup:
    """The map of the analysed participants, each group in its colour and shape."""
    groups = result.groups
    drawn = _sample(result.labels)
    points = result.points[drawn]
    labels = result.labels[drawn]
    width = charts.WIDTH
    if len(points):
        lo, hi = points.min(axis=0), points.max(axis=0)
    else:
        lo, hi = np.zeros(2), np.ones(2)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    x = _PAD + (points[:, 0] - lo[0]) / span[0] * (width - 2 * _PAD)
    y = _PAD + (hi[1] - points[:, 1]) / span[1] * (_PLOT - 2 * _PAD)
    body = [
        _el(
            "rect",
            {
                "x": 0.5,
                "y": 0.5,
                "width": width - 1,
                "height": _PLOT - 1,
                "fill": "none",
                "stroke": charts.GRID,
            },
        )
    ]
    for g in groups:
        colour, shape = STYLES[g.id % len(STYLES)]
        mine = labels == g.id
        body.append(
            _el(
                "g",
                {"fill": colour, "stroke": "#ffffff", "stroke-width": 0.6, "aria-hidden": "true"},
                *(_marker(shape, float(a), float(b)) for a, b in zip(x[mine], y[mine])),  # noqa: B905
            )
        )
    top = _PLOT + 10
    for i, g in enumerate(groups):
        colour, shape = STYLES[g.id % len(STYLES)]
        line_y = top + i * _LEGEND_LINE + _LEGEND_LINE / 2
        body.append(_el("g", {"fill": colour}, _marker(shape, _PAD + 6, line_y, r=6)))
        body.append(
            _text(
                _PAD + 20,
                line_y + 5.5,
                _legend(g.id, g.size, result.participants),
            )
        )
    height = top + len(groups) * _LEGEND_LINE + 6
    title = _("Map of the opinion groups")
    desc = _(
        "Each mark is one person who voted on at least %(min)d comments: people who voted "
        "alike are near each other. %(groups)s",
        min=result.min_votes,
        groups=" ".join(_legend(g.id, g.size, result.participants) + "." for g in groups),
    )
    if len(drawn) < result.participants:
        desc += " " + _("The map shows a sample of %(shown)s people.", shown=number(len(drawn)))
    return _svg(chart_id, title, desc, height, Markup("").join(body), standalone=standalone)


def _legend(group_id: int, size: int, total: int) -> str:
    return _(
        "%(group)s: %(people)s (%(share)s)",
        group=group_name(group_id),
        people=ngettext("%(num)d person", "%(num)d people", size),
        share=percent(size / total if total else 0),
    )


def groups_chart(result: Result, *, standalone: bool = False) -> ChartTable:
    """The map and the table of the groups (group, people, share of those analysed)."""
    rows = [
        Row(
            group_name(g.id),
            (number(g.size), percent(g.size / result.participants if result.participants else 0)),
        )
        for g in result.groups
    ]
    return ChartTable(
        key="opinion-groups",
        caption=_("The groups by size"),
        label_heading=_("Group"),
        headings=(_("People"), _("Share")),
        rows=rows,
        svg=group_map(result, standalone=standalone),
        footer=Row(_("In the groups in total"), (number(result.participants), percent(1.0))),
    )


@dataclass(frozen=True)
class Said:
    """A quoted statement: the comment's text (None when it is no longer shown) and the
    sentence of its shares."""

    comment_id: int
    text: str | None
    lang: str | None
    shares: str
    direction: str


@dataclass(frozen=True)
class GroupCard:
    id: int
    name: str
    colour: str
    shape: str
    size: int
    share: str
    statements: list[Said]
    # The words of the comments the group agrees with more than the others (lemmas in the
    # comments' languages); empty when none stand out or the result predates them.
    keywords: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GroupsView:
    stored: StoredGroups
    result: Result | None = None
    chart: ChartTable | None = None
    cards: list[GroupCard] = field(default_factory=list)
    consensus: list[Said] = field(default_factory=list)
    divisive: list[Said] = field(default_factory=list)

    @property
    def computed_at(self) -> datetime | None:
        return self.stored.computed_at


def keyword_line(words: list[str]) -> str:
    """The sentence of a group's keywords, for its card and the report."""
    return _("Words that stand out: %(words)s", words=", ".join(words))


def _representative(s: Statement) -> str:
    values = {"in": percent(s.share_in), "out": percent(s.share_out)}
    if s.direction == "agree":
        return _("In this group %(in)s agree, among the others %(out)s.", **values)
    return _("In this group %(in)s disagree, among the others %(out)s.", **values)


def _consensus(s: Statement) -> str:
    values = {"all": percent(s.share_in), "lowest": percent(s.share_out)}
    if s.direction == "agree":
        return _(
            "%(all)s of the people in the groups agree; in every group at least %(lowest)s.",
            **values,
        )
    return _(
        "%(all)s of the people in the groups disagree; in every group at least %(lowest)s.",
        **values,
    )


def _divisive(s: Statement) -> str:
    return _(
        "Agreement differs between the groups from %(low)s to %(high)s.",
        low=percent(s.share_out),
        high=percent(s.share_in),
    )


def groups_view(topic_id: int, *, standalone: bool = False) -> GroupsView:
    """Everything the groups section needs, in two queries."""
    stored = stored_groups(topic_id)
    result = stored.result
    if result is None or not result.groups:
        return GroupsView(stored, result)
    texts = quoted(stored.comment_ids())

    def said(s: Statement, shares: str) -> Said:
        q = texts.get(s.comment_id)
        body, lang = (q.body, q.language) if q else (None, None)
        return Said(s.comment_id, body, lang, shares, s.direction)

    cards = [
        GroupCard(
            id=g.id,
            name=group_name(g.id),
            colour=STYLES[g.id % len(STYLES)][0],
            shape=STYLES[g.id % len(STYLES)][1],
            size=g.size,
            share=percent(g.size / result.participants if result.participants else 0),
            # Agreements first, as Polis shows them; each kind best first.
            statements=[
                said(s, _representative(s))
                for s in sorted(g.representative, key=lambda s: s.direction != "agree")
            ],
            keywords=list(g.keywords),
        )
        for g in result.groups
    ]
    return GroupsView(
        stored,
        result,
        groups_chart(result, standalone=standalone),
        cards,
        [said(s, _consensus(s)) for s in result.consensus],
        [said(s, _divisive(s)) for s in result.divisive[:MAX_DIVISIVE]],
    )
