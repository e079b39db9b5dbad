"""Charts as SVG, drawn on the server: no JavaScript, no web fonts, no stylesheet needed.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that lists the
values, a white background, and a ``viewBox`` with ``width="100%"``, so it shrinks to a
360 px phone and prints as it shows. Bars are dark blue on white (contrast 11.5:1),
text is near-black; no meaning rests on colour alone: every bar carries its label and
value as text. Pages put a data table beside each chart (the accessible equivalent).

Elements are built by ``_el``, which escapes every text and attribute (``Markup.format``);
no caller text reaches the SVG unescaped. ``standalone=True`` gives a document with a size
in pixels, for the report to embed or convert.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#4a4a4a"  # axis labels: 8.9:1
AXIS = "#5a6472"  # lines: 6:1
GRID = "#c8ced8"  # grid lines (decoration only)
BAR = "#003580"  # bars: 11.5:1
BACKGROUND = "#ffffff"
# Stance colours, each above 3:1 against white (WCAG 1.4.11) and named in the text too.
SUPPORT = "#1e6b34"  # 6.5:1
OPPOSE = "#a4262c"  # 7.3:1
NEUTRAL = "#5a6472"  # 6.0:1

WIDTH = 360  # user units: 1:1 on a 360 px phone, scaled to the container elsewhere
FONT_SIZE = 16
CHAR_WIDTH = 0.56  # average glyph width as a share of the font size (for wrapping)
DESC_ITEMS = 12  # values listed in <desc>; the table has all of them


@dataclass(frozen=True)
class Bar:
    """One value of a chart: its label, the value, how it is written, and a colour."""

    label: str
    value: int
    text: str | None = None  # the value as written beside the bar; default: the number
    colour: str = BAR

    @property
    def shown(self) -> str:
        return self.text if self.text is not None else str(self.value)


# --- building elements -----------------------------------------------------------------------


def _num(value: float) -> str:
    """Coordinates with at most one decimal (short output, stable in tests)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(attrs: dict[str, object]) -> Markup:
    out = Markup("")
    for name, value in attrs.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = _num(value)
        out += Markup(' {}="{}"').format(name, value)
    return out


def _el(tag: str, attrs: dict[str, object] | None = None, *children: object) -> Markup:
    """``<tag attrs>children</tag>``; plain strings among the children are escaped."""
    inner = Markup("").join(children)
    return Markup("<{0}{1}>{2}</{0}>").format(tag, _attrs(attrs or {}), inner)


def _text(x: float, y: float, content: str, **attrs: object) -> Markup:
    return _el("text", {"x": float(x), "y": float(y), **attrs}, content)


def _wrap(text: str, width: float, font_size: float, max_lines: int = 2) -> list[str]:
    """Split a label into lines that fit ``width``; an ellipsis ends a cut-off label."""
    per_line = max(8, int(width / (font_size * CHAR_WIDTH)))
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > per_line:  # a very long word: cut it
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: per_line - 1].rstrip() if len(last) >= per_line else last) + "…"
    return lines


def _describe(desc: str, bars: Sequence[Bar]) -> str:
    items = [f"{b.label}: {b.shown}" for b in bars[:DESC_ITEMS]]
    if len(bars) > DESC_ITEMS:
        items.append("…")
    listed = "; ".join(items)
    return f"{desc} {listed}".strip() if listed else desc


def _svg(
    chart_id: str, title: str, desc: str, height: float, body: Markup, *, standalone: bool
) -> Markup:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    size = (
        {"width": WIDTH * 2, "height": float(height * 2)}
        if standalone
        else {"width": "100%", "height": None}
    )
    svg = _el(
        "svg",
        {
            "xmlns": SVG_NS,
            "id": chart_id,
            "class": "chart",
            "viewBox": f"0 0 {WIDTH} {_num(height)}",
            **size,
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": FONT,
            "font-size": FONT_SIZE,
            "fill": INK,
        },
        _el("title", {"id": title_id}, title),
        _el("desc", {"id": desc_id}, desc),
        _el("rect", {"width": "100%", "height": "100%", "fill": BACKGROUND}),
        body,
    )
    if standalone:
        return Markup('<?xml version="1.0" encoding="UTF-8"?>\n') + svg
    return svg


# --- horizontal bars -------------------------------------------------------------------------

_PAD = 8.0
_LABEL_GAP = 6.0  # between the axis line and a label's first letter
_LINE = 19.0  # label line height
_BAR_HEIGHT = 22.0
_GAP = 14.0


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    max_value: int | None = None,
    standalone: bool = False,
) -> Markup:
    """Horizontal bars, the label above each bar (full width for long labels on a phone,
    clear of the axis line) and the value after it. ``max_value`` fixes the scale (e.g. a
    question's respondents); by default the largest value fills the width. One
    ``rect.bar`` per value, also for 0."""
    longest = max((len(b.shown) for b in bars), default=1)
    value_room = longest * FONT_SIZE * CHAR_WIDTH + 2 * _PAD
    track = WIDTH - 2 * _PAD - value_room
    top = max(max_value or 0, max((b.value for b in bars), default=0), 1)
    rows = []
    y = _PAD
    for i, b in enumerate(bars):
        lines = _wrap(b.label, WIDTH - 2 * _PAD - _LABEL_GAP, FONT_SIZE)
        label_x = _PAD + _LABEL_GAP  # the axis line runs down at _PAD
        label = _el(
            "text",
            {"x": label_x, "y": y + _LINE - 4, "class": "bar-label"},
            *(
                _el("tspan", {"x": label_x, "dy": (0 if n == 0 else _LINE)}, line)
                for n, line in enumerate(lines)
            ),
        )
        y += _LINE * len(lines) + 2
        length = track * b.value / top
        rect = _el(
            "rect",
            {
                "class": "bar",
                "x": _PAD,
                "y": y,
                "width": float(length),
                "height": _BAR_HEIGHT,
                "fill": b.colour,
                "data-value": b.value,
            },
            _el("title", {}, f"{b.label}: {b.shown}"),
        )
        value = _text(
            _PAD + length + 6,
            y + _BAR_HEIGHT / 2 + FONT_SIZE * 0.35,
            b.shown,
            class_="bar-value",
            font_weight="700",
        )
        rows.append(_el("g", {"class": "bar-row", "data-index": i}, label, rect, value))
        y += _BAR_HEIGHT + _GAP
    axis = _el(
        "line",
        {"x1": _PAD, "x2": _PAD, "y1": _PAD, "y2": max(y - _GAP, _PAD + 1), "stroke": AXIS},
    )
    if not bars:
        y += _LINE
    height = y - _GAP + _PAD if bars else y + _PAD
    body = _el("g", {"class": "bars"}, *rows) + axis
    return _svg(chart_id, title, _describe(desc, bars), height, body, standalone=standalone)


# --- columns over time -----------------------------------------------------------------------

_LEFT = 44.0
_RIGHT = 12.0
_TOP = 14.0
_PLOT_HEIGHT = 150.0
_BOTTOM = 46.0
_AXIS_FONT = 14


def nice_ceiling(value: int) -> int:
    """The next of 1, 2, 5, 10, 20, 50, ... at or above ``value`` (the y axis' top)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def column_chart(
    columns: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    axis_labels: Sequence[str] | None = None,
    number: Callable[[int], str] = str,
    standalone: bool = False,
) -> Markup:
    """Columns in time order, a y axis from 0 with three grid lines, and x labels under
    the first, middle and last column (``axis_labels``: short labels, one per column; the
    columns' own labels are the long form in each column's tooltip). ``number`` writes the
    y axis' values ("20 000"). ``desc`` is used as it is: a long series is better summed
    up by the caller than listed."""
    n = len(columns)
    top = nice_ceiling(max((c.value for c in columns), default=0))
    plot_width = WIDTH - _LEFT - _RIGHT
    slot = plot_width / max(n, 1)
    width = max(slot * 0.7, 1.0) if n else 0
    base = _TOP + _PLOT_HEIGHT
    parts = []
    for fraction in (0, 0.5, 1):
        level = top * fraction
        if fraction == 0.5 and level != int(level):
            continue
        y = base - _PLOT_HEIGHT * fraction
        parts.append(
            _el(
                "line",
                {
                    "x1": _LEFT,
                    "x2": WIDTH - _RIGHT,
                    "y1": y,
                    "y2": y,
                    "stroke": AXIS if fraction == 0 else GRID,
                },
            )
        )
        parts.append(
            _text(
                _LEFT - 6,
                y + _AXIS_FONT * 0.35,
                number(int(level)),
                text_anchor="end",
                font_size=_AXIS_FONT,
                fill=MUTED,
                class_="axis-label",
            )
        )
    bars = []
    for i, c in enumerate(columns):
        height = _PLOT_HEIGHT * c.value / top
        x = _LEFT + slot * i + (slot - width) / 2
        bars.append(
            _el(
                "rect",
                {
                    "class": "bar",
                    "x": float(x),
                    "y": float(base - height),
                    "width": float(width),
                    "height": float(height),
                    "fill": c.colour,
                    "data-value": c.value,
                },
                _el("title", {}, f"{c.label}: {c.shown}"),
            )
        )
    labels = list(axis_labels) if axis_labels is not None else [c.label for c in columns]
    marks = sorted({0, (n - 1) // 2, n - 1}) if n else []
    if n == 2:
        marks = [0, 1]
    for i in marks:
        x = _LEFT + slot * i + slot / 2
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        if anchor == "start":
            x = _LEFT + slot * i + (slot - width) / 2
        elif anchor == "end":
            x = _LEFT + slot * i + (slot + width) / 2
        parts.append(
            _text(
                x,
                base + 20,
                labels[i],
                text_anchor=anchor,
                font_size=_AXIS_FONT,
                fill=MUTED,
                class_="axis-label",
            )
        )
    body = _el("g", {"class": "axes"}, *parts) + _el("g", {"class": "bars"}, *bars)
    height = base + _BOTTOM - 14
    return _svg(chart_id, title, desc, height, body, standalone=standalone)
