"""The numbered sections of the report, made from the topic and its figures.

Every number comes from ``results.figures.topic_figures`` (SQL aggregates) and every chart
and its table from ``results.display.result_charts``: the report shows what the results
page shows, in the current locale (``build`` forces the report's language).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from eraati.analysis.suggestions import stored_keywords
from eraati.consultations.models import Phase, Topic
from eraati.core.time import local
from eraati.manage.display import language_label, topic_results
from eraati.places.chart import place_chart
from eraati.reports.events import event_blocks
from eraati.reports.images import SIDE_BY_SIDE_ROWS
from eraati.reports.model import (
    Block,
    Fact,
    Facts,
    Figure,
    Para,
    Quote,
    Section,
    Subheading,
    Table,
    xml_safe,
)
from eraati.reports.parts import part_blocks
from eraati.reports.words import (
    clean,
    day,
    foreign,
    join_list,
    moment,
    official_attribution,
    paras,
    quote,
)
from eraati.results.background import BackgroundResults, Breakdown
from eraati.results.data import ResultFigures
from eraati.results.display import ChartTable, ResultCharts, Row, number
from eraati.results.municipalities import MunicipalityResults, results_by_group
from eraati.results.opinion import GroupsView, Said, groups_view, keyword_line
from eraati.results.queries import open_answers

# A timeline of this many days or weeks or more prints as a chart with a summary in words
# instead of its table (which, with its footer, would no longer fit beside the chart).
TIMELINE_TABLE_MAX = SIDE_BY_SIDE_ROWS


class Numbers:
    """Figures and tables are numbered through the report: "Kuvio 3.", "Taulukko 1."."""

    def __init__(self) -> None:
        self.figures = 0
        self.tables = 0

    def figure(self, chart: ChartTable, **kw) -> Figure:
        self.figures += 1
        return Figure(_("Figure %(number)d.", number=self.figures), chart, **kw)

    def table(self, caption: str, headings: tuple[str, ...], rows, footer) -> Table:
        self.tables += 1
        return Table(_("Table %(number)d.", number=self.tables), caption, headings, rows, footer)


OPEN_ANSWERS_QUOTED = 30  # per open question, the newest; the raw data has every one


def _open_answers(topic: Topic, charts: ResultCharts, lang: str) -> list[Block]:
    """Each open question: how many answered, and its newest answers word for word (the
    ones a moderator hid are left out). One query, none without open questions."""
    if not charts.open_questions:
        return []
    answers = open_answers(topic, visible_only=True)
    blocks: list[Block] = []
    for q in charts.open_questions:
        blocks.append(
            Subheading(
                q.text,
                lang=q.lang,
                meta=ngettext("%(num)d answer", "%(num)d answers", q.respondents),
            )
        )
        mine = [a for a in answers if a.question_id == q.question_id][:OPEN_ANSWERS_QUOTED]
        if not mine:
            blocks.append(Para(_("No written answers to show."), kind="empty"))
            continue
        blocks.extend(
            Quote(text=xml_safe(a.text), attribution=moment(a.updated_at, lang)) for a in mine
        )
        blocks.append(
            Para(
                _(
                    "The newest answers, word for word; answers hidden by a moderator are "
                    "left out. The raw data has every answer."
                ),
                kind="note",
            )
        )
    return blocks


def status(topic: Topic, figures: ResultFigures, lang: str) -> str:
    phase = figures.phase
    if phase == Phase.PUBLISHED and topic.results_published_at:
        published = local(topic.results_published_at).date()
        return _("Results published on %(date)s", date=day(published, lang))
    return {
        Phase.DRAFT: _("Draft"),
        Phase.UPCOMING: _("Not open yet"),
        Phase.OPEN: _("Open"),
        Phase.CLOSED: _("Closed"),
        Phase.PUBLISHED: _("Results published"),
    }[phase]


def period(topic: Topic, lang: str) -> str:
    """From the opening to the deadline, or to the moment an admin closed the consultation
    early, with the planned deadline."""
    if topic.closed_at is not None and topic.closed_at <= topic.opens_at:
        return _(
            "closed on %(date)s before it opened (planned %(start)s – %(planned)s)",
            date=moment(topic.closed_at, lang),
            start=moment(topic.opens_at, lang),
            planned=moment(topic.closes_at, lang),
        )
    if topic.closed_early:
        return _(
            "%(start)s – %(end)s (closed early; the planned deadline was %(planned)s)",
            start=moment(topic.opens_at, lang),
            end=moment(topic.ends_at, lang),
            planned=moment(topic.closes_at, lang),
        )
    return f"{moment(topic.opens_at, lang)} – {moment(topic.closes_at, lang)}"


def _about(topic: Topic, figures: ResultFigures, lang: str) -> list[Block]:
    text = topic.text(lang)
    blocks: list[Block] = []
    if text and clean(text.summary):
        blocks.append(Para(clean(text.summary), lang=foreign(text.locale, lang)))
    ways = [_("comments and replies"), _("votes on comments (agree or disagree)")]
    if topic.stances_enabled:
        ways.append(_("stances on the proposal"))
    if topic.questions:
        n = len(topic.questions)
        ways.append(ngettext("a poll of %(num)d question", "a poll of %(num)d questions", n))
    p = figures.participants
    if p.paper_comments or p.event_comments:
        ways.append(_("feedback on paper or at events, entered by staff"))
    languages = sorted({t.locale for t in topic.translations}, key=["fi", "sv", "en"].index)
    facts = [
        Fact(_("Open for comments"), period(topic, lang)),
        Fact(_("Status"), status(topic, figures, lang)),
        Fact(_("Ways to take part"), join_list(ways, lang)),
        Fact(
            _("Commenting without an account"),
            _("Allowed") if topic.allow_anonymous else _("Not allowed"),
        ),
        Fact(
            _("Moderation"),
            _("Comments were checked before they were shown (pre-moderation).")
            if topic.premoderated
            else _("Comments were shown at once and moderated afterwards."),
        ),
        Fact(
            _("Languages of the consultation"),
            join_list([language_label(c) for c in languages], lang),
        ),
    ]
    blocks.append(Facts(facts))
    blocks.extend(event_blocks(topic, lang))
    return blocks


def _participation(figures: ResultFigures, charts: ResultCharts, numbers: Numbers) -> list[Block]:
    p = figures.participants
    blocks: list[Block] = [
        Facts(
            [
                Fact(_("Registered people who took part"), number(p.registered)),
                Fact(_("… who commented"), number(p.commenters)),
                Fact(_("… who voted on comments"), number(p.voters)),
                Fact(_("… who took a stance"), number(p.stance_takers)),
                Fact(_("… who answered the poll"), number(p.respondents)),
                Fact(_("Comments and replies without an account"), number(p.anonymous_comments)),
                Fact(_("Feedback on paper"), number(p.paper_comments)),
                Fact(_("Feedback at events"), number(p.event_comments)),
            ]
        ),
        Para(
            _(
                "A registered person is counted once, however many ways they took part. "
                "Comments without an account and feedback on paper or at events cannot be "
                "tied to a person, so they are counted as comments."
            ),
            kind="note",
        ),
        numbers.figure(charts.participation),
    ]
    if charts.municipalities:
        blocks.append(numbers.figure(charts.municipalities))
    timeline = figures.timeline
    if len(timeline.periods) < TIMELINE_TABLE_MAX:
        blocks.append(numbers.figure(charts.timeline))
    else:
        rows = charts.timeline.rows
        busiest = max(zip(timeline.periods, rows, strict=True), key=lambda pr: pr[0].count)[1]
        summary = _(
            "From %(start)s to %(end)s: %(total)s comments and replies in total.",
            start=rows[0].label,
            end=rows[-1].label,
            total=number(timeline.total),
        )
        if timeline.total:
            summary += " " + _(
                "The most: %(count)s, %(period)s.", count=busiest.cells[0], period=busiest.label
            )
        blocks.append(numbers.figure(charts.timeline, table=False, summary=summary))
    return blocks


def _campaigns(topic: Topic, figures: ResultFigures) -> list[Block]:
    """ "Campaign texts": how many comments were one shared text (``analysis.campaigns``),
    each still counted above as a resident's comment. Nothing when never computed."""
    from eraati.analysis.campaigns import report_figures

    found = report_figures(topic.id, figures.comments_total)
    if found is None:
        return []
    if found.groups:
        text = ngettext(
            "Of %(total)s comments, %(count)s were one shared text.",
            "Of %(total)s comments, %(count)s were one of %(num)d shared texts (the largest "
            "shared by %(largest)s comments).",
            found.groups,
            total=number(found.comments),
            count=number(found.in_groups),
            largest=number(found.largest),
        )
    else:
        text = _("No text was shared by several comments.")
    return [
        Subheading(_("Campaign texts")),
        Para(
            text
            + " "
            + _(
                "Each of them is counted in this report as one resident's comment. Comments "
                "are one shared text when their words are the same, or nearly the same, "
                "whatever their case and punctuation."
            )
        ),
    ]


def _themes(
    figures: ResultFigures,
    charts: ResultCharts,
    numbers: Numbers,
    lang: str,
    groups: bool,
    keywords: dict[int, list[str]] | None = None,
) -> list[Block]:
    """``keywords``: each theme's keywords (``analysis.suggestions.stored_keywords``)."""
    keywords = keywords or {}
    blocks: list[Block] = []
    if charts.themes:
        blocks.append(numbers.figure(charts.themes))
        blocks.append(
            Para(_("For each theme, the comments most readers agreed with, word for word."))
        )
        for t in figures.themes:
            blocks.append(
                Subheading(
                    t.name,
                    lang=t.lang,
                    meta=ngettext("%(num)d comment", "%(num)d comments", t.count),
                )
            )
            if keywords.get(t.theme_id):
                words = ", ".join(keywords[t.theme_id])
                blocks.append(Para(_("Keywords: %(words)s", words=words), kind="note"))
            if t.quotes:
                blocks.extend(quote(q, lang) for q in t.quotes)
            else:
                blocks.append(Para(_("No shown comments have this theme."), kind="empty"))
    else:
        blocks.append(
            Para(_("The moderators have not grouped the comments into themes."), kind="empty")
        )
    if not groups:  # else their own section follows
        blocks.append(
            Para(_("Opinion groups are not available for this consultation."), kind="note")
        )
    return blocks


def _opinion_groups(groups: GroupsView, numbers: Numbers, lang: str) -> list[Block]:
    """The map and table of the groups, what sets each apart, where they agree and
    differ, and the method with its limits in plain words."""
    r = groups.result
    blocks: list[Block] = [
        Para(
            _(
                "People who voted alike on the comments form a group. The groups show which "
                "views go together and where people agree across them."
            )
        ),
        numbers.figure(groups.chart),
    ]

    def quoted(s: Said) -> Block:
        if s.text is None:
            return Para(_("This comment is no longer shown.") + " " + s.shares, kind="empty")
        return Quote(text=xml_safe(s.text), attribution=s.shares, lang=s.lang)

    blocks.append(Subheading(_("What sets each group apart")))
    for card in groups.cards:
        blocks.append(
            Subheading(
                card.name,
                meta=ngettext("%(num)d person", "%(num)d people", card.size) + f", {card.share}",
            )
        )
        if card.keywords:
            blocks.append(Para(keyword_line(card.keywords), kind="note"))
        if card.statements:
            blocks.extend(quoted(s) for s in card.statements)
        else:
            blocks.append(
                Para(_("No comment sets this group clearly apart from the others."), kind="empty")
            )
    blocks.append(Subheading(_("Where the groups agree")))
    if groups.consensus:
        blocks.extend(quoted(s) for s in groups.consensus)
    else:
        blocks.append(Para(_("No comment has a clear majority in every group."), kind="empty"))
    blocks.append(Subheading(_("Where the groups differ most")))
    if groups.divisive:
        blocks.extend(quoted(s) for s in groups.divisive)
    else:
        blocks.append(Para(_("No comment divides the groups clearly."), kind="empty"))
    blocks.append(Subheading(_("How the groups were formed")))
    blocks.append(
        Para(
            _(
                "%(voters)s people voted on the comments. The %(people)s of them who voted on "
                "at least %(min)d comments are in the groups; the others voted too little to "
                "be placed.",
                voters=number(r.voters),
                people=number(r.participants),
                min=r.min_votes,
            )
        )
    )
    blocks.append(
        Para(
            _(
                "A computer grouped people by how alike they voted (the same method as the "
                "Polis service). The map shows the two directions in which the votes differ "
                "most."
            )
        )
    )
    blocks.append(
        Para(
            _(
                "The groups are not a vote and not a result of the consultation. They are not "
                "representative of all residents: only those who chose to take part voted. The "
                "groups are anonymous: the service shows no one who is in which group."
            )
        )
    )
    if groups.computed_at:
        blocks.append(
            Para(_("Computed %(moment)s.", moment=moment(groups.computed_at, lang)), kind="note")
        )
    return blocks


def _official(figures: ResultFigures, org_name: str, lang: str) -> list[Block]:
    if not figures.official_replies:
        return [Para(_("The organisation has not written official replies."), kind="empty")]
    blocks: list[Block] = []
    for r in figures.official_replies:
        if r.parent:
            blocks.append(quote(r.parent, lang, kind="replied"))
        else:
            blocks.append(Para(_("The comment replied to is no longer shown."), kind="empty"))
        blocks.append(
            Quote(
                text=xml_safe(r.body),
                attribution=official_attribution(org_name, r.created_at, lang),
                lang=foreign(r.lang, lang),
                kind="official",
            )
        )
    return blocks


def _moderation(figures: ResultFigures, numbers: Numbers) -> list[Block]:
    m = figures.moderation
    rows = [
        Row(r.text if r.reason_id is not None else _("Other reasons"), (number(r.count),), r.lang)
        for r in m.hidden
    ]
    if not rows:
        rows = [Row(_("No comments have been hidden."), ("",))]
    table = numbers.table(
        _("Hidden comments by reason"),
        (_("Reason for hiding"), _("Comments")),
        rows,
        [
            Row(_("Hidden in total"), (number(m.hidden_total),)),
            Row(_("Waiting for review"), (number(m.waiting),)),
        ],
    )
    return [
        table,
        Para(
            _(
                "Moderators hide comments that break the discussion rules; a hidden comment "
                "keeps its place in the discussion with the reason shown. Waiting for review "
                "are comments a moderator has not checked yet."
            ),
            kind="note",
        ),
    ]


def _decision(topic: Topic, lang: str) -> list[Block]:
    """What was decided and how the feedback was used, once the results are published."""
    results = topic_results(topic, lang)
    blocks: list[Block] = []
    facts = []
    if topic.decided_on:
        facts.append(Fact(_("Date of the decision"), day(topic.decided_on, lang)))
    if topic.minutes_url:
        facts.append(Fact(_("Minutes of the decision"), clean(topic.minutes_url)))
    if facts:
        blocks.append(Facts(facts))
    if results.outcome:
        blocks.append(Subheading(_("What was decided")))
        blocks.extend(paras(results.outcome, ""))
    if results.feedback_use:
        blocks.append(Subheading(_("How the feedback was used")))
        blocks.extend(paras(results.feedback_use, ""))
    return blocks


# --- results by home municipality (joint authorities) -----------------------------------------


def _by_municipality(results: MunicipalityResults, numbers: Numbers) -> list[Block]:
    """The tables of the results page's "by home municipality" section, suppressed alike."""

    def cell(value: int | None) -> str:
        return _("hidden") if value is None else number(value)

    def rows(table, cats) -> list[Row]:
        return [
            Row(results.label(r.group), (cell(r.total), *(cell(r.cells[c]) for c in cats)))
            for r in table.rows
        ]

    blocks: list[Block] = [
        Para(
            _(
                "Participants could tell the municipality they live in. The member "
                "municipalities are shown one by one; “another municipality” includes those "
                "outside Finland."
            )
        ),
        _suppression_note(results.minimum),
    ]
    first = (_("Home municipality"), _("People"))
    if results.stances is not None:
        blocks.append(Para(_by_account(), kind="note"))
        blocks.append(
            numbers.table(
                _("Stances by home municipality"),
                (*first, _("Support"), _("Neutral"), _("Oppose")),
                rows(results.stances, results.stances.categories),
                [],
            )
        )
    if results.survey_asks:
        blocks.append(Para(_by_survey(), kind="note"))
        for b in results.survey.breakdowns if results.survey else []:
            blocks.extend(_breakdown(b, numbers))
    elif results.polls:
        blocks.append(Para(_by_account(), kind="note"))
    for poll in results.polls:
        blocks.append(
            numbers.table(
                _("Answers by home municipality: %(question)s", question=poll.text),
                (*first, *(text for _id, text in poll.options)),
                rows(poll.table, poll.table.categories),
                [],
            )
        )
    blocks.append(Para(_by_account(), kind="note"))
    blocks.append(
        numbers.table(
            _("Registered commenters by home municipality"),
            (*first, _("Comments and replies")),
            [
                Row(
                    results.label(r.group),
                    (cell(r.total), cell(results.comment_counts[r.group])),
                )
                for r in results.comments.rows
            ],
            [],
        )
    )
    return blocks


def _by_account() -> str:
    return _("By the home municipality people have told in their account.")


def _by_survey() -> str:
    return _(
        "The survey asked the home municipality itself, so its answers are broken down by "
        "what each respondent said on the survey form, not by their account. Stances and "
        "comments are broken down by the home municipality in people's accounts: a person "
        "may be in another group there, or among those who did not tell."
    )


# --- results by background (a survey's background questions) ---------------------------------


def _breakdown(b: Breakdown, numbers: Numbers) -> list[Block]:
    """One background breakdown's table (and its note), as on the results page."""
    blocks: list[Block] = [
        numbers.table(
            b.caption,
            (b.group_heading, *b.headings),
            [Row(r.label, tuple(c.text for c in r.cells)) for r in b.rows],
            [],
        )
    ]
    if b.note:
        blocks.append(Para(b.note, kind="note"))
    return blocks


def _suppression_note(minimum: int) -> Para:
    """What the tables by group hide and why (by home municipality, by background)."""
    return Para(
        _(
            "To protect privacy, no number of fewer than %(min)d people is shown, and "
            "some other numbers are hidden too so that the hidden ones cannot be worked "
            "out from the totals.",
            min=minimum,
        ),
        kind="note",
    )


def _by_background(results: BackgroundResults, numbers: Numbers) -> list[Block]:
    """The tables of the results page's "by background" section, suppressed alike."""
    blocks: list[Block] = [
        Para(
            _(
                "Respondents could answer optional background questions. “Not told” are "
                "those who chose not to say or skipped them. Open answers are not broken down."
            )
        ),
        _suppression_note(results.minimum),
    ]
    if results.municipality_elsewhere:
        blocks.append(
            Para(
                _(
                    "The answers by the home municipality told on the survey form are in the "
                    "section “Results by home municipality”."
                ),
                kind="note",
            )
        )
    for dim in results.dimensions:
        blocks.append(Subheading(dim.title))
        for b in dim.breakdowns:
            blocks.extend(_breakdown(b, numbers))
    return blocks


# --- all of them ------------------------------------------------------------------------------


def numbered_sections(
    topic: Topic, figures: ResultFigures, charts: ResultCharts, lang: str
) -> list[Section]:
    """The sections in their order, numbered; sections without content (no stances asked,
    no poll, no published decision) are left out."""
    org_name = topic.organisation.name(lang)
    numbers = Numbers()
    parts: list[tuple[str, str, list[Block]]] = [
        ("consultation", _("The consultation"), _about(topic, figures, lang)),
        (
            "summary",
            _("The moderators' summary"),
            paras(
                topic_results(topic, lang).moderator_summary,
                _("The moderators have not written a summary."),
            ),
        ),
        (
            "participation",
            _("Participation"),
            _participation(figures, charts, numbers) + _campaigns(topic, figures),
        ),
    ]
    place_figure = place_chart(topic, lang, "figure-", standalone=True)
    if place_figure is not None:
        parts.append(("places", _("Places on the map"), [numbers.figure(place_figure)]))
    if part_blocks_ := part_blocks(topic, lang, numbers):
        parts.append(("parts", _("Comments by part and paragraph"), part_blocks_))
    if charts.stances:
        parts.append(("stances", _("Stances"), [numbers.figure(charts.stances)]))
    if charts.polls or charts.open_questions:
        poll_blocks: list[Block] = [numbers.figure(ct) for ct in charts.polls]
        parts.append(("poll", _("Poll"), poll_blocks + _open_answers(topic, charts, lang)))
    by_municipality, by_background = results_by_group(topic, lang)
    if by_municipality is not None:
        parts.append(
            (
                "by-municipality",
                _("Results by home municipality"),
                _by_municipality(by_municipality, numbers),
            )
        )
    if by_background is not None:
        parts.append(
            ("by-background", _("Results by background"), _by_background(by_background, numbers))
        )
    keywords = stored_keywords(topic.id)
    groups = groups_view(topic.id, standalone=True)
    shown = groups.chart is not None
    parts.append(("themes", _("Themes"), _themes(figures, charts, numbers, lang, shown, keywords)))
    if shown:
        parts.append(
            ("opinion-groups", _("Opinion groups"), _opinion_groups(groups, numbers, lang))
        )
    key_blocks: list[Block] = (
        [Para(_("Comments the moderators marked as the most important for the decision."))]
        + [quote(q, lang) for q in figures.key_comments]
        if figures.key_comments
        else [Para(_("No comments have been marked as key comments."), kind="empty")]
    )
    parts.append(("key-comments", _("Key comments"), key_blocks))
    parts.append(("official-replies", _("Official replies"), _official(figures, org_name, lang)))
    parts.append(("moderation", _("Moderation"), _moderation(figures, numbers)))
    if figures.phase == Phase.PUBLISHED:
        decision = _decision(topic, lang)
        if decision:
            parts.append(("decision", _("The decision and how the feedback was used"), decision))
    return [Section(n, key, title, blocks) for n, (key, title, blocks) in enumerate(parts, 1)]
