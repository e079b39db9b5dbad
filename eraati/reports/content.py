"""What the report says: ``report_model`` turns a topic and its figures into the report
model (``model``): the title page, the note on how to read it, the numbered sections
(``sections``) and the appendix, in the current locale (``build`` forces the report's
language). Participants are pseudonyms or channels, never names or e-mail addresses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _

from eraati.consultations.models import Topic
from eraati.core.i18n import other_language
from eraati.core.time import local
from eraati.manage.display import topic_decision
from eraati.reports.model import (
    Appendix,
    Entry,
    Fact,
    KeyFigure,
    Logo,
    Para,
    Report,
    Running,
    TitlePage,
)
from eraati.reports.sections import numbered_sections, period
from eraati.reports.words import clean, day, foreign, join_list, moment
from eraati.results.data import ResultFigures
from eraati.results.display import ResultCharts, number


def _title_page(
    topic: Topic, figures: ResultFigures, lang: str, now: datetime, logo: Logo | None, kind: str
) -> TitlePage:
    org = topic.organisation
    text = topic.text(lang)
    decision = topic_decision(topic, lang)  # as the report's language version names them
    facts = []
    if decision.deciding_body:
        body = decision.deciding_body
        facts.append(Fact(_("Deciding body"), clean(body.text), body.lang))
    if topic.case_number:
        facts.append(Fact(_("Case number"), clean(topic.case_number)))
    if topic.decision_planned_on:
        facts.append(Fact(_("Planned decision date"), day(topic.decision_planned_on, lang)))
    if decision.contact_person:
        contact = decision.contact_person
        facts.append(Fact(_("Contact person"), clean(contact.text), contact.lang))
    facts.append(Fact(_("Consultation period"), period(topic, lang)))
    if topic.concerned_organisations:
        names = [o.name(lang) for o in topic.concerned_organisations]
        facts.append(Fact(_("Municipalities concerned"), join_list(names, lang)))
    facts.append(Fact(_("Date of the report"), moment(now, lang)))

    p = figures.participants
    key = [
        KeyFigure(number(p.registered), _("Registered people who took part")),
        KeyFigure(number(figures.comments_total), _("Comments and replies")),
    ]
    if figures.stances.enabled or figures.stances.total:
        key.append(KeyFigure(number(figures.stances.total), _("Stances on the proposal")))
    if figures.polls:
        key.append(KeyFigure(number(p.respondents), _("People who answered the poll")))
    interim = None
    if figures.interim:
        interim = _(
            "Interim report: the consultation is not closed yet, so the figures in this "
            "report will still change."
        )
    return TitlePage(
        organisation=org.name(lang),
        organisation_lang=other_language(
            {"fi": org.name_fi, "sv": org.name_sv, "en": org.name_en}, lang, org.language_list
        ),
        logo=logo,
        kind=kind,
        title=clean(text.title) if text else topic.slug,
        title_lang=foreign(text.locale, lang) if text else None,
        interim=interim,
        facts=facts,
        key_figures=key,
    )


def _reading_note(figures: ResultFigures) -> list[str]:
    note = [
        _(
            "This report sums up the feedback given in the consultation, for the body that "
            "makes the decision. The figures were read from the consultation's data when the "
            "report was made."
        ),
        _(
            "Only comments shown in the consultation are counted and quoted. Comments that a "
            "moderator hid are counted by reason in the moderation section; comments waiting "
            "for review are not counted."
        ),
        _(
            "Quotes are word for word. Participants are not named: a registered participant "
            "appears as a code such as P-1a2b3c4d, the same for one person throughout this "
            "report. Feedback given without an account, on paper or at an event is marked as "
            "such."
        ),
        _("Each chart comes with a table of the same numbers or a summary in words."),
    ]
    if figures.interim:
        note.insert(
            1,
            _(
                "The consultation is still open: this is an interim report, and the figures "
                "will change before it closes."
            ),
        )
    return note


def _appendix(topic: Topic, entries: Iterable[Entry], limit: int | None) -> Appendix:
    intro = [
        Para(
            _(
                "Every comment and reply shown in the consultation, in the order of the "
                "discussion: each reply follows the comment it answers. The number is "
                "the comment's number in the consultation's raw data. The texts of hidden "
                "comments and of comments waiting for review are not included; where a "
                "shown reply answers such a comment, a line in its place says why it is "
                "not shown."
            ),
            kind="note",
        )
    ]
    if limit is not None and topic.comment_count > limit:
        intro.append(
            Para(
                _(
                    "This file lists the first %(shown)s of the %(total)s shown comments. "
                    "All of them are in the appendix of the DOCX report and in the raw "
                    "data (XLSX, CSV, JSON).",
                    shown=number(limit),
                    total=number(topic.comment_count),
                ),
            )
        )
    return Appendix(
        title=_("Appendix: the shown comments"),
        intro=intro,
        entries=entries,
        empty=_("No comments are shown."),
    )


# --- the whole report --------------------------------------------------------------------------


def report_model(
    topic: Topic,
    figures: ResultFigures,
    charts: ResultCharts,
    *,
    lang: str,
    now: datetime,
    logo: Logo | None = None,
    entries: Iterable[Entry] | None = None,
    appendix_limit: int | None = None,
) -> Report:
    """The report of ``topic`` in the current locale (which ``build`` sets to ``lang``);
    ``entries`` (the appendix' comments) are read only while the file is written."""
    org_name = topic.organisation.name(lang)
    kind = _("Interim report") if figures.interim else _("Consultation report")
    title_page = _title_page(topic, figures, lang, now, logo, kind)

    sections = numbered_sections(topic, figures, charts, lang)

    appendix = None
    if entries is not None:
        appendix = _appendix(topic, entries, appendix_limit)

    reference = day(local(now).date(), lang)
    if topic.case_number:
        case = _("Case number %(number)s", number=clean(topic.case_number))
        reference = f"{case} · {reference}"
    return Report(
        lang=lang,
        made_at=now,
        document_title=f"{kind}: {title_page.title}",
        subject=_("Report on the consultation of %(org)s", org=org_name),
        author=org_name,
        keywords=[
            k for k in (topic.case_number, topic_decision(topic, lang).deciding_body.text) if k
        ],
        title_page=title_page,
        reading_title=_("How to read this report"),
        reading_note=_reading_note(figures),
        sections=sections,
        running=Running(
            organisation=org_name,
            kind=kind,
            title=title_page.title,
            reference=reference,
        ),
        appendix=appendix,
    )
