"""Building the council report of a topic: ``build(topic, "pdf", "sv", out)``.

The report is made in three steps: the figures (``results.topic_figures``: a fixed number
of SQL aggregates, whatever the topic's size), the report model in the report's language
(``content.report_model``), and the file (``pdffile`` or ``docxfile``), which only lays
the model out. The optional appendix of every shown comment is streamed from the
database while the file is written: into the DOCX without holding it in memory; the PDF,
which WeasyPrint lays out whole, lists at most ``appendix.PDF_APPENDIX_MAX`` comments
and says where the rest are.

``build`` needs an application context, not a request: a background worker or the
command line can call it. Flask-Babel 4's ``force_locale`` keeps its state in ``g``,
which the application context provides, so every heading is in ``lang`` whatever
language the caller's request (if any) speaks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from flask_babel import force_locale

from eraati.consultations.models import Topic
from eraati.core.i18n import LANGUAGES
from eraati.core.time import local, utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation
from eraati.reports import appendix as appendix_rows
from eraati.reports import images
from eraati.reports.content import report_model
from eraati.reports.model import Logo, Report
from eraati.results.display import result_charts
from eraati.results.figures import topic_figures

REPORT_FORMATS = ("docx", "pdf")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Progress steps besides the appendix: the figures, the model, the layout, the file.
FIXED_STEPS = 4
# The file name's last word, in the report's language.
REPORT_WORD = {"fi": "raportti", "sv": "rapport", "en": "report"}
LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml")

Progress = Callable[[int], None]

# WeasyPrint and fontTools log every step at INFO (also while being imported): a
# command's progress bar says enough.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def no_progress(_steps: int) -> None:
    return None


def report_steps(topic: Topic, appendix: bool) -> int:
    """How many steps ``build`` reports through ``progress`` in total (no query). The PDF's
    appendix may stop early (``appendix.PDF_APPENDIX_MAX``): ``build`` then makes up the
    difference at the end."""
    return FIXED_STEPS + (appendix_rows.batches(topic) if appendix else 0)


def report_filename(topic: Topic, fmt: str, lang: str, now: datetime) -> str:
    """``<topic slug>-<date in Helsinki>-<report>.<fmt>``: kirjasto-2026-03-01-raportti.pdf."""
    slug = re.sub(r"[^a-z0-9-]+", "-", topic.slug.lower()).strip("-") or f"topic-{topic.id}"
    word = REPORT_WORD.get(lang, REPORT_WORD["en"])
    return f"{slug}-{local(now).date().isoformat()}-{word}.{fmt}"


class _Steps:
    """Passes progress on, never past ``total``; ``finish`` makes up the rest, so the sum
    is always exactly ``report_steps`` (the appendix may have changed meanwhile)."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total = total
        self.done = 0
        self.reserved = 0  # steps kept for the parts still to come
        self.progress = progress

    def __call__(self, steps: int = 1) -> None:
        steps = min(steps, self.total - self.done - self.reserved)
        if steps > 0:
            self.done += steps
            self.progress(steps)

    def finish(self) -> None:
        self.reserved = 0
        self(self.total - self.done)


_log = logging.getLogger(__name__)


def _logo(org: Organisation) -> Logo | None:
    """The organisation's logo (one query, only when there is one)."""
    if org.logo_type not in LOGO_TYPES:
        return None
    data = db.session.scalar(db.select(Organisation.logo).where(Organisation.id == org.id))
    if not data:
        return None
    if not images.usable_logo(data, org.logo_type):
        _log.warning("logo of organisation %s cannot be read: left out of the report", org.id)
        return None
    return Logo(data, org.logo_type)


def make_report(
    topic: Topic,
    lang: str,
    *,
    appendix: bool = False,
    appendix_limit: int | None = None,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> Report:
    """The report model in ``lang`` (call inside ``force_locale(lang)``)."""
    now = now or utcnow()
    figures = topic_figures(topic, locale=lang, now=now)
    progress(1)
    charts = result_charts(figures, prefix="figure-", standalone=True)
    entries = None
    if appendix:
        entries = appendix_rows.entries(
            topic, lang, topic.organisation.name(lang), limit=appendix_limit, progress=progress
        )
    report = report_model(
        topic,
        figures,
        charts,
        lang=lang,
        now=now,
        logo=_logo(topic.organisation),
        entries=entries,
        appendix_limit=appendix_limit,
    )
    progress(1)
    return report


def build(
    topic: Topic,
    fmt: str,
    lang: str,
    out: BinaryIO,
    *,
    appendix: bool = False,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> None:
    """Write the report of ``topic`` as ``fmt`` ("docx" or "pdf") in ``lang`` to ``out``."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"not a report format: {fmt!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"not a language: {lang!r}")
    from eraati.reports import docxfile, pdffile  # WeasyPrint takes a while to import

    steps = _Steps(report_steps(topic, appendix), progress)
    steps.reserved = 2  # the layout and the file
    with force_locale(lang):
        report = make_report(
            topic,
            lang,
            appendix=appendix,
            appendix_limit=appendix_rows.limit_for(fmt),
            now=now,
            progress=steps,
        )
        writer = pdffile.write if fmt == "pdf" else docxfile.write

        def layout_done() -> None:
            steps.reserved = 1
            steps(1)

        writer(report, out, layout_done)
    steps.finish()
