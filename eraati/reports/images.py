"""The report's pictures: the results' SVG charts sized for A4, as SVG (PDF) or PNG (DOCX).

Every chart is printed at one scale, so that its text is about the size of the report's
small print (the charts are drawn 360 units wide with 16-unit text, for phones), and no
taller than ``CHART_MAX_HEIGHT_MM``. Both files use ``layout`` to decide whether a chart's
table stands beside it or under it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from cairosvg import url as cairosvg_url
from cairosvg.surface import PNGSurface
from markupsafe import escape

from eraati.core.images import readable_image
from eraati.reports.model import Figure
from eraati.results import charts

CHART_WIDTH_MM = 72.0  # chart text at about 9 pt
CHART_MAX_HEIGHT_MM = 190.0
PRINT_DPI = 300
# A table with more rows than this goes under its chart, at full width.
SIDE_BY_SIDE_ROWS = 10
# The report's own fonts (present here, metric-compatible with Arial elsewhere).
PRINT_FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"

_SIZE = re.compile(r'(<svg\b[^>]*?\s)width="([\d.]+)"([^>]*?\s)height="([\d.]+)"')


@dataclass(frozen=True)
class Placed:
    """A chart as printed: its SVG, in the report's font and sized in millimetres (so the
    PDF needs no style attribute), and that size."""

    svg: str
    width_mm: float
    height_mm: float
    side_by_side: bool  # the table beside the chart (else under it)


def place(figure: Figure) -> Placed:
    svg = str(figure.chart.svg).replace(str(escape(charts.FONT)), str(escape(PRINT_FONT)))
    match = _SIZE.search(svg)
    width, height = (float(match[2]), float(match[4])) if match else (720.0, 360.0)
    width_mm = CHART_WIDTH_MM
    height_mm = width_mm * height / width
    if height_mm > CHART_MAX_HEIGHT_MM:
        width_mm *= CHART_MAX_HEIGHT_MM / height_mm
        height_mm = CHART_MAX_HEIGHT_MM
    if match:
        sized = f'{match[1]}width="{width_mm:.1f}mm"{match[3]}height="{height_mm:.1f}mm"'
        svg = svg[: match.start()] + sized + svg[match.end() :]
    rows = len(figure.chart.rows) + (1 if figure.chart.footer else 0)
    return Placed(svg, width_mm, height_mm, figure.table and rows <= SIDE_BY_SIDE_ROWS)


def data_uri(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def png(svg: str | bytes, width_mm: float, dpi: int = PRINT_DPI) -> bytes:
    """An SVG drawing as PNG at print resolution. What the drawing links to is drawn only
    when it is inside it (a ``data:`` address): a logo cannot make the server read a file
    or fetch an address."""
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    pixels = max(1, round(width_mm / 25.4 * dpi))
    return PNGSurface.convert(
        bytestring=data,
        output_width=pixels,
        background_color="white",
        url_fetcher=cairosvg_url.safe_fetch,
    )


def usable_logo(data: bytes, mimetype: str) -> bool:
    """Whether a stored logo can be drawn: a PNG or JPEG that decodes whole, an SVG that
    cairosvg draws. One that cannot (a truncated file, an SVG that is not XML) is left out
    of the report instead of failing it."""
    if mimetype == "image/svg+xml":
        try:
            png(data, 10, dpi=72)
        except Exception:  # cairosvg raises XML, value and OS errors alike
            return False
        return True
    return readable_image(data)
