"""The results' charts with their data tables, in the current language.

``result_charts(figures)`` turns ``ResultFigures`` into pairs of an SVG chart and the table
of the same numbers (caption, column headings, rows), built from the same values so the
two cannot disagree. The words come from gettext in the current locale: a page gets the
reader's; the report wraps the call in ``flask_babel.force_locale("sv")`` for Swedish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel import dates, numbers
from flask_babel import gettext as _
from markupsafe import Markup

from eraati.consultations.models import SCALE_MAX, SCALE_MIN
from eraati.core.i18n import day_and_month, format_count, format_locale, short_date
from eraati.results import charts
from eraati.results.charts import Bar
from eraati.results.figures import PUBLIC_MIN_GROUP, Channel, ResultFigures, Unit


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]
    lang: str | None = None  # the label's language, when it is not the reader's


@dataclass(frozen=True)
class ChartTable:
    """A chart and the table beside it: ``rows`` hold exactly the chart's values."""

    key: str  # also the chart's id on the page
    caption: str
    label_heading: str
    headings: tuple[str, ...]
    rows: list[Row]
    svg: Markup
    footer: Row | None = None
    note: str | None = None
    caption_lang: str | None = None  # the caption's language, when it is not the reader's
    charted: int = 0  # which of the rows' cells the chart draws


@dataclass(frozen=True)
class ResultCharts:
    participation: ChartTable  # comments and replies by channel
    municipalities: ChartTable | None
    timeline: ChartTable
    stances: ChartTable | None  # None: the topic asked for no stances
    polls: list[ChartTable] = field(default_factory=list)
    open_questions: list = field(default_factory=list)  # QuestionResults of open questions
    themes: ChartTable | None = None  # None: no themes


number = format_count


def percent(share: float) -> str:
    return numbers.format_percent(share, locale=format_locale())


def channel_name(channel: Channel) -> str:
    return {
        Channel.REGISTERED: _("On the web, registered"),
        Channel.ANONYMOUS: _("On the web, without an account"),
        Channel.PAPER: _("On paper"),
        Channel.EVENT: _("At an event"),
    }[channel]


def _period(day: date, unit: Unit, *, short: bool = False) -> str:
    loc = format_locale()
    if unit == Unit.WEEK:
        week = day.isocalendar().week
        if short:
            return _("wk %(week)d", week=week)
        return _(
            "Week %(week)d (from %(date)s)",
            week=week,
            date=short_date(day, loc),
        )
    if short:
        return day_and_month(day, loc)
    return dates.format_date(day, "medium", locale=loc)


def _chart_id(prefix: str, key: str) -> str:
    return f"{prefix}{key}" if prefix else key


def participation_chart(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable:
    key = _chart_id(prefix, "channels")
    caption = _("Comments and replies by channel")
    bars = [Bar(channel_name(c.channel), c.total, number(c.total)) for c in figures.channels]
    rows = [
        Row(channel_name(c.channel), (number(c.comments), number(c.replies), number(c.total)))
        for c in figures.channels
    ]
    total_comments = sum(c.comments for c in figures.channels)
    total_replies = sum(c.replies for c in figures.channels)
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=_("Channel"),
        headings=(_("Comments"), _("Replies"), _("Together")),
        rows=rows,
        footer=Row(
            _("All channels"),
            (number(total_comments), number(total_replies), number(figures.comments_total)),
        ),
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=caption,
            desc=_("Shown comments and replies together, by how they were given."),
        ),
        note=_("Official replies of the organisation are not counted here."),
        charted=2,
    )


def municipality_chart(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable | None:
    if not figures.municipalities:
        return None
    key = _chart_id(prefix, "municipalities")
    caption = _("Registered commenters by home municipality")
    other = _("Other municipalities or not given") if figures.public else _("Not given")
    names = [m.name if m.organisation_id is not None else other for m in figures.municipalities]
    bars = [
        Bar(name, m.people, number(m.people))
        for name, m in zip(names, figures.municipalities, strict=True)
    ]
    rows = [
        Row(name, (number(m.people), number(m.comments)), m.lang)
        for name, m in zip(names, figures.municipalities, strict=True)
    ]
    note = _("The home municipality is the one people give in their account settings.")
    if figures.public:
        note += " " + _(
            "Municipalities with fewer than %(num)d commenters are counted with those "
            "who did not give one.",
            num=PUBLIC_MIN_GROUP,
        )
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=_("Home municipality"),
        headings=(_("People"), _("Comments and replies")),
        rows=rows,
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=caption,
            desc=_("Registered people who wrote shown comments, by home municipality."),
        ),
        note=note,
    )


def timeline_chart(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable:
    key = _chart_id(prefix, "timeline")
    timeline = figures.timeline
    unit = timeline.unit
    if unit == Unit.WEEK:
        caption, heading = _("Comments and replies per week"), _("Week")
    else:
        caption, heading = _("Comments and replies per day"), _("Day")
    bars = [Bar(_period(p.start, unit), p.count, number(p.count)) for p in timeline.periods]
    desc = _(
        "Shown comments and replies by the day they were given, from %(start)s to "
        "%(end)s: %(total)s in total.",
        start=bars[0].label,
        end=bars[-1].label,
        total=number(timeline.total),
    )
    if timeline.total:
        busiest = max(bars, key=lambda b: b.value)
        desc += " " + _(
            "The most: %(count)s, %(period)s.", count=busiest.shown, period=busiest.label
        )
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=heading,
        headings=(_("Comments and replies"),),
        rows=[Row(b.label, (b.shown,)) for b in bars],
        footer=Row(_("Together"), (number(timeline.total),)),
        svg=charts.column_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=caption,
            desc=desc,
            axis_labels=[_period(p.start, unit, short=True) for p in timeline.periods],
            number=number,
        ),
        note=_("Feedback on paper and at events is counted on the day it was received."),
    )


def stance_chart(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable | None:
    s = figures.stances
    if not s.enabled and not s.total:
        return None
    key = _chart_id(prefix, "stances")
    caption = _("Stances on the proposal")
    values = [
        (_("Support"), s.support, charts.SUPPORT),
        (_("Oppose"), s.oppose, charts.OPPOSE),
        (_("Neutral"), s.neutral, charts.NEUTRAL),
    ]
    bars = [
        Bar(label, n, f"{number(n)} ({percent(s.percent(n))})", colour)
        for label, n, colour in values
    ]
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=_("Stance"),
        headings=(_("People"), _("Share")),
        rows=[Row(label, (number(n), percent(s.percent(n)))) for label, n, _c in values],
        footer=Row(_("Together"), (number(s.total), percent(1.0 if s.total else 0.0))),
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=caption,
            desc=_("How many registered people support, oppose or are neutral."),
        ),
    )


def decimal(value: float | None) -> str:
    """A mean or median as the reader's language writes it, one decimal: "3,4"."""
    if value is None:
        return "–"
    return numbers.format_decimal(value, format="0.0", locale=format_locale())


def _answers_chart(
    q,
    key: str,
    standalone: bool,
    items: list[tuple[str, int, float, str | None]],
    *,
    label_heading: str,
    desc: str,
    note: str | None,
) -> ChartTable:
    """A choice or scale question's chart and table: ``items`` are (label, answers, share
    of the respondents, the label's language), one bar and one row each."""
    bars = [Bar(label, n, f"{number(n)} ({percent(share)})") for label, n, share, _l in items]
    return ChartTable(
        key=key,
        caption=q.text,
        label_heading=label_heading,
        headings=(_("Answers"), _("Share of respondents")),
        rows=[Row(label, (number(n), percent(share)), lang) for label, n, share, lang in items],
        footer=Row(_("People who answered"), (number(q.respondents), "")),
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=q.text,
            desc=desc,
            max_value=q.respondents,
        ),
        note=note,
        caption_lang=q.lang,
    )


def _scale_chart(q, key: str, standalone: bool) -> ChartTable:
    def label(v: int) -> str:
        end = q.low_label if v == SCALE_MIN else q.high_label if v == SCALE_MAX else ""
        return f"{v} – {end}" if end else str(v)

    return _answers_chart(
        q,
        key,
        standalone,
        [(label(c.value), c.count, c.share, None) for c in q.scale],
        label_heading=_("Value"),
        desc=_(
            "Answers to the question by value from 1 to 5. People who answered: %(num)s.",
            num=number(q.respondents),
        ),
        note=_(
            "Mean %(mean)s, median %(median)s (1 = %(low)s, 5 = %(high)s).",
            mean=decimal(q.mean),
            median=decimal(q.median),
            low=q.low_label,
            high=q.high_label,
        ),
    )


def _choice_chart(q, key: str, standalone: bool) -> ChartTable:
    note = None
    if q.multiple:
        note = _(
            "Each person could choose more than one option: the shares may add up to "
            "more than %(percent)s.",
            percent=percent(1.0),
        )
    return _answers_chart(
        q,
        key,
        standalone,
        [(o.text, o.count, o.share, o.lang) for o in q.options],
        label_heading=_("Option"),
        desc=_(
            "Answers to the question by option. People who answered: %(num)s.",
            num=number(q.respondents),
        ),
        note=note,
    )


def _ranking_chart(q, key: str, standalone: bool) -> ChartTable:
    bars = [Bar(o.text, o.count, f"{number(o.count)} ({percent(o.share)})") for o in q.options]
    return ChartTable(
        key=key,
        caption=q.text,
        label_heading=_("Option"),
        headings=(_("Average place"), _("First place")),
        rows=[
            Row(o.text, (decimal(o.mean_rank), f"{number(o.count)} ({percent(o.share)})"), o.lang)
            for o in q.options
        ],
        footer=Row(_("People who answered"), (number(q.respondents), "")),
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=q.text,
            desc=_(
                "How many people put each option first. People who answered: %(num)s.",
                num=number(q.respondents),
            ),
            max_value=q.respondents,
        ),
        note=_(
            "Each person put all the options in order. The options are listed by their average "
            "place (1 = most important; a smaller average is a higher place); the chart shows "
            "how many put each option first."
        ),
        caption_lang=q.lang,
        charted=1,
    )


def poll_charts(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> list[ChartTable]:
    """A chart and table for each question with figures (open questions have none: their
    number of answers is in ``open_questions``)."""
    out = []
    for n, q in enumerate(figures.polls, start=1):
        key = _chart_id(prefix, f"poll-{n}")
        if q.kind == "open":
            continue
        if q.kind == "scale":
            out.append(_scale_chart(q, key, standalone))
            continue
        if q.kind == "ranking":
            out.append(_ranking_chart(q, key, standalone))
            continue
        out.append(_choice_chart(q, key, standalone))
    return out


def theme_chart(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ChartTable | None:
    if not figures.themes:
        return None
    key = _chart_id(prefix, "themes")
    caption = _("Comments by theme")
    bars = [Bar(t.name, t.count, number(t.count)) for t in figures.themes]
    return ChartTable(
        key=key,
        caption=caption,
        label_heading=_("Theme"),
        headings=(_("Comments and replies"),),
        rows=[Row(t.name, (number(t.count),), t.lang) for t in figures.themes],
        footer=Row(_("Without a theme"), (number(figures.untagged),)),
        svg=charts.bar_chart(
            bars,
            chart_id=key,
            standalone=standalone,
            title=caption,
            desc=_("Shown comments and replies the moderators tagged with each theme."),
        ),
        note=_(
            "A comment can have several themes, so the counts may add up to more than the comments."
        ),
    )


def result_charts(
    figures: ResultFigures, prefix: str = "chart-", *, standalone: bool = False
) -> ResultCharts:
    """Every chart of the results, with its table, in the current language;
    ``standalone=True`` gives SVG documents with a size in pixels (for the report)."""
    kw = {"standalone": standalone}
    return ResultCharts(
        participation=participation_chart(figures, prefix, **kw),
        municipalities=municipality_chart(figures, prefix, **kw),
        timeline=timeline_chart(figures, prefix, **kw),
        stances=stance_chart(figures, prefix, **kw),
        polls=poll_charts(figures, prefix, **kw),
        open_questions=[q for q in figures.polls if q.kind == "open"],
        themes=theme_chart(figures, prefix, **kw),
    )
