"""The SVG charts: valid XML, titled and described, one bar per value, text escaped, and
each chart's table holding the same numbers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import pytest
from cairosvg import svg2png
from flask_babel import force_locale
from PIL import Image

from eraati.results import charts, display
from eraati.results.charts import Bar, bar_chart, column_chart, nice_ceiling
from eraati.results.data import PeriodCount, Timeline
from eraati.results.display import result_charts
from eraati.results.figures import Unit, topic_figures

NS = {"svg": charts.SVG_NS}


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    return root


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{{{charts.SVG_NS}}}rect") if r.get("class") == "bar"]


def check_accessible(root: ET.Element, title: str) -> None:
    """role=img, labelled by its own <title> and <desc>, scales to any width."""
    assert root.get("role") == "img"
    title_el = root.find("svg:title", NS)
    desc_el = root.find("svg:desc", NS)
    assert title_el is not None and title_el.text == title
    assert desc_el is not None and desc_el.text
    assert root.get("aria-labelledby") == f"{title_el.get('id')} {desc_el.get('id')}"
    assert root.get("width") == "100%" and root.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
    assert root.get("style") is None  # the CSP forbids inline styles


def test_a_bar_chart_has_one_bar_per_value_scaled_to_the_largest():
    bars = [Bar("Kyllä", 10), Bar("Ei", 5), Bar("En osaa sanoa", 0)]
    root = parse(bar_chart(bars, chart_id="c", title="Kysymys", desc="Vastaukset."))
    check_accessible(root, "Kysymys")
    rects = bars_of(root)
    assert [r.get("data-value") for r in rects] == ["10", "5", "0"]
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] > 0 and widths[1] == pytest.approx(widths[0] / 2, abs=0.1) and widths[2] == 0
    assert root.find("svg:desc", NS).text == "Vastaukset. Kyllä: 10; Ei: 5; En osaa sanoa: 0"
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{{{charts.SVG_NS}}}text"))
    assert "Kyllä" in texts and "En osaa sanoa" in texts and "10" in texts


def test_bar_labels_keep_clear_of_the_axis_line():
    """The label above each bar starts a gap right of the axis line (in the PDF they
    touched it): in the SVG's numbers and in the chart drawn as the DOCX draws it."""
    bars = [Bar("Verkossa, rekisteröityneenä", 4), Bar("Vastustus", 1), Bar("Tilaisuudessa", 0)]
    svg = str(bar_chart(bars, chart_id="c", title="T", desc="D", standalone=True))
    root = parse(svg)
    axis = next(root.iter(f"{{{charts.SVG_NS}}}line"))
    axis_x = float(axis.get("x1"))
    labels = [t for t in root.iter(f"{{{charts.SVG_NS}}}text") if t.get("class") == "bar-label"]
    starts = [float(e.get("x")) for t in labels for e in (t, *t)]
    assert len(labels) == 3 and min(starts) >= axis_x + 4
    # Drawn at 4 px a unit: no dark pixel of a label between the line's stroke (1 unit
    # wide) and 3.5 units right of the line.
    scale = 4
    image = Image.open(io.BytesIO(svg2png(bytestring=svg.encode(), output_width=360 * scale)))
    image = image.convert("L")
    line = round(axis_x * scale)
    for label in labels:
        baseline = float(label.get("y")) * scale
        top, bottom = round(baseline - charts.FONT_SIZE * 0.75 * scale), round(baseline)
        beside = range(line + 3, line + 14)
        near = [image.getpixel((x, y)) for y in range(top, bottom) for x in beside]
        assert min(near) > 200, label[0].text  # white: nothing dark beside the line


def test_a_fixed_scale_keeps_bars_short_when_few_chose_an_option():
    root = parse(bar_chart([Bar("A", 1)], chart_id="c", title="T", desc="D", max_value=4))
    full = parse(bar_chart([Bar("A", 4)], chart_id="c", title="T", desc="D", max_value=4))
    short, long = (float(bars_of(r)[0].get("width")) for r in (root, full))
    assert short == pytest.approx(long / 4, abs=0.1)


def test_hostile_labels_are_escaped_and_the_svg_stays_valid():
    evil = '<script>alert("x")</script> & "quotes"'
    svg = str(bar_chart([Bar(evil, 3)], chart_id="c", title=evil, desc=evil))
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == evil
    assert evil in "".join(root.itertext())


def test_long_labels_wrap_onto_two_lines_and_end_with_an_ellipsis():
    label = "Kirjaston aukioloaikojen pidentäminen iltaisin ja viikonloppuisin kaikissa " * 3
    root = parse(bar_chart([Bar(label, 1)], chart_id="c", title="T", desc="D"))
    spans = list(root.iter(f"{{{charts.SVG_NS}}}tspan"))
    assert len(spans) == 2
    assert spans[1].text.endswith("…")
    assert all(len(s.text) * charts.FONT_SIZE * charts.CHAR_WIDTH <= charts.WIDTH for s in spans)
    assert bars_of(root)[0].find("svg:title", NS).text.startswith(label.strip()[:40])


def test_a_column_chart_has_one_column_per_period_and_a_rounded_axis():
    columns = [Bar(f"{d}.3.2026", n) for d, n in enumerate([0, 3, 7, 1], start=1)]
    root = parse(
        column_chart(
            columns,
            chart_id="t",
            title="Päivittäin",
            desc="Yhteensä 11.",
            axis_labels=["1.3.", "2.3.", "3.3.", "4.3."],
        )
    )
    check_accessible(root, "Päivittäin")
    rects = bars_of(root)
    assert [int(r.get("data-value")) for r in rects] == [0, 3, 7, 1]
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] == 0 and heights[2] > heights[1] > heights[3] > 0
    axis = [t.text for t in root.iter(f"{{{charts.SVG_NS}}}text") if t.get("class") == "axis-label"]
    assert "10" in axis and "0" in axis  # the axis' top: 7 rounded up
    assert "1.3." in axis and "4.3." in axis
    assert root.find("svg:desc", NS).text == "Yhteensä 11."


@pytest.mark.parametrize(("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (51, 100)])
def test_nice_ceiling(value, top):
    assert nice_ceiling(value) == top


def test_standalone_charts_are_documents_with_a_pixel_size():
    svg = str(bar_chart([Bar("A", 1)], chart_id="c", title="T", desc="D", standalone=True))
    assert svg.startswith("<?xml")
    root = ET.fromstring(svg.split("\n", 1)[1])  # noqa: S314 - our own output
    assert root.get("width") == str(2 * charts.WIDTH) and float(root.get("height")) > 0


def _table_values(ct) -> list[tuple[str, tuple[str, ...]]]:
    return [(row.label, row.cells) for row in ct.rows]


def test_every_chart_of_a_topic_matches_its_table(app, world):
    figures = topic_figures(world.topic)
    with app.test_request_context(), force_locale("fi"):
        built = result_charts(figures)
    tables = [
        built.participation,
        built.municipalities,
        built.timeline,
        built.stances,
        built.themes,
        *built.polls,
    ]
    assert all(t is not None for t in tables)
    for ct in tables:
        root = parse(ct.svg)
        check_accessible(root, ct.caption)
        rects = bars_of(root)
        assert len(rects) == len(ct.rows), ct.key
        for rect, row in zip(rects, ct.rows, strict=True):
            assert rect.find("svg:title", NS).text.startswith(
                f"{row.label}: {row.cells[ct.charted]}"
            )
        assert root.get("id") == ct.key
    # The numbers themselves.
    assert _table_values(built.participation)[0][1] == ("3", "1", "4")
    assert built.participation.footer.cells == ("6", "2", "8")
    assert [r.cells for r in built.stances.rows] == [
        ("2", "67\xa0%"),
        ("1", "33\xa0%"),
        ("0", "0\xa0%"),
    ]
    assert [r.cells for r in built.polls[1].rows] == [
        ("2", "100\xa0%"),
        ("1", "50\xa0%"),
        ("0", "0\xa0%"),
    ]
    assert built.polls[1].note and not built.polls[0].note  # shares over 100 % explained
    assert [r.label for r in built.themes.rows] == ["Aukioloajat", "Kokoelmat", "Pysäköinti"]
    assert built.themes.footer.cells == ("4",)
    assert built.timeline.footer.cells == ("8",)


def test_no_stance_chart_when_the_topic_asks_for_none(app, db, world):
    world.topic.stances_enabled = False
    world.topic.support_count = world.topic.oppose_count = world.topic.neutral_count = 0
    db.session.commit()
    with app.test_request_context():
        assert result_charts(topic_figures(world.topic)).stances is None


def test_the_charts_speak_the_locale_they_are_made_in(app, world):
    """The report makes Swedish charts with force_locale, without a request."""
    figures = topic_figures(world.topic, locale="sv")
    with force_locale("sv"):
        built = result_charts(figures, standalone=True)
    assert built.stances.caption == "Ställningstaganden till förslaget"
    assert "Öppettider" in str(built.themes.svg)
    assert str(built.stances.svg).startswith("<?xml")


@pytest.mark.parametrize(
    ("lang", "axis", "week"),
    [
        ("sv", "24.11.", "Vecka 48 (från 24.11.2026)"),
        ("fi", "24.11.", "Viikko 48 (alkaen 24.11.2026)"),
        ("en", "24/11", "Week 48 (from 24/11/2026)"),
    ],
)
def test_chart_dates_are_written_as_each_language_writes_them(app, lang, axis, week):
    """Finland-Swedish writes numeric dates as Finnish does (CLDR's Swedish: 24/11, 2026-11-24)."""
    day = date(2026, 11, 24)
    with force_locale(lang):
        assert display._period(day, Unit.DAY, short=True) == axis
        assert display._period(day, Unit.WEEK) == week


@pytest.mark.parametrize(
    ("lang", "top"), [("fi", "20\u00a0000"), ("sv", "20\u00a0000"), ("en", "20,000")]
)
def test_the_timeline_axis_writes_big_numbers_by_the_language(app, lang, top):
    periods = [PeriodCount(date(2026, 11, 23), 12000), PeriodCount(date(2026, 11, 24), 9000)]
    figures = SimpleNamespace(timeline=Timeline(Unit.DAY, periods))
    with force_locale(lang):
        chart = display.timeline_chart(figures)
    axis = [
        t.text
        for t in parse(chart.svg).iter(f"{{{charts.SVG_NS}}}text")
        if t.get("class") == "axis-label"
    ]
    assert top in axis  # the axis' top: 12 000 rounded up
    assert chart.footer.cells == ("21,000" if lang == "en" else "21\u00a0000",)


def test_the_swedish_timeline_axis_has_finnish_style_dates(app, world):
    figures = topic_figures(world.topic, locale="sv")
    with force_locale("sv"):
        chart = result_charts(figures, standalone=True).timeline
    root = parse(chart.svg)
    axis = [t.text for t in root.iter(f"{{{charts.SVG_NS}}}text") if t.get("class") == "axis-label"]
    days = [f"{p.start.day}.{p.start.month}." for p in figures.timeline.periods]
    assert figures.timeline.unit == Unit.DAY and days[0] in axis and days[-1] in axis
    assert not any("/" in label for label in axis)


def _contrast(colour: str, background: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_contrast_on_the_white_background():
    assert charts.BACKGROUND == "#ffffff"
    for text in (charts.INK, charts.MUTED):  # text: 4.5:1
        assert _contrast(text) >= 4.5
    for graphic in (charts.BAR, charts.SUPPORT, charts.OPPOSE, charts.NEUTRAL, charts.AXIS):
        assert _contrast(graphic) >= 3  # graphical objects: 3:1 (WCAG 1.4.11)
