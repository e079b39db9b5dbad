"""The report as PDF: ``templates/reports/report.html`` and its print stylesheet, laid out
by WeasyPrint. Charts go in as the results' SVG; nothing is fetched from anywhere (the
only addresses WeasyPrint may open are ``data:`` ones inside the document)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from flask import render_template
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from eraati.reports import images
from eraati.reports.model import Report, paragraphs

STYLESHEET = Path(__file__).resolve().parents[2] / "templates" / "reports" / "report.css"


def html(report: Report) -> str:
    """The report as one HTML document (the appendix is read from the database here)."""
    return render_template(
        "reports/report.html",
        report=report,
        place=images.place,
        data_uri=images.data_uri,
        paragraphs=paragraphs,
    )


def write(report: Report, out: BinaryIO, layout_done: Callable[[], None]) -> None:
    fetcher = URLFetcher(allowed_protocols=("data",))
    document = HTML(string=html(report), url_fetcher=fetcher).render(
        stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)], pdf_tags=True
    )
    layout_done()
    document.write_pdf(out, pdf_tags=True)
