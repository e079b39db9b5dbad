"""``flask eraati export TOPIC --format ... --output PATH``: the same files as the
downloads page, for operators and scripts."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import BinaryIO

import click

from eraati.cli import eraati_cli, topic_argument
from eraati.core.i18n import LANGUAGES
from eraati.extensions import db

FORMAT_CHOICES = (
    "csv",
    "csv-excel",
    "csv-answers-excel",
    "xlsx",
    "json",
    "geojson",
    "polis",
    "docx",
    "pdf",
)


@eraati_cli.command("export")
@click.argument("topic_ref", metavar="TOPIC")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    required=True,
    help="File format: raw data, or the council report (docx, pdf).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the headings or the report [default: the organisation's main language].",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="File to write (replaced if it exists).",
)
@click.option(
    "--appendix",
    is_flag=True,
    help="Reports only: add every shown comment as an appendix.",
)
@click.option(
    "--include-hidden-text",
    "hidden_texts",
    is_flag=True,
    help="Raw data only: include the texts of comments hidden by a moderator (left out "
    "otherwise; the file then says so on its first line, and the audit log records it).",
)
def export(
    topic_ref: str, fmt: str, lang: str | None, output: str, appendix: bool, hidden_texts: bool
) -> None:
    """Write the raw data or the council report of TOPIC to a file. TOPIC is its id,
    ORGANISATION/ADDRESS, or its ADDRESS alone when one organisation uses it."""
    from eraati.audit.services import SYSTEM
    from eraati.exports import services
    from eraati.exports.formats import FORMATS
    from eraati.reports.build import REPORT_FORMATS

    if appendix and fmt not in REPORT_FORMATS:
        raise click.UsageError("--appendix is only for the docx and pdf reports.")
    if hidden_texts and fmt in REPORT_FORMATS:
        raise click.UsageError(
            "--include-hidden-text is only for the raw data: reports never hold hidden texts."
        )
    topic = topic_argument(topic_ref)
    if fmt not in REPORT_FORMATS and not FORMATS[fmt].offered(topic):
        raise click.UsageError(f"{fmt} is only for a topic that has a map; this one has none.")
    lang = lang or topic.organisation.primary_language
    if fmt in REPORT_FORMATS:
        _report(topic, fmt, lang, output, appendix)
        return
    total = services.row_count(topic, fmt)
    services.record_download(topic, fmt, lang, via="cli", hidden_texts=hidden_texts, actor=SYSTEM)
    db.session.commit()
    with click.progressbar(length=total, label="Rows", file=sys.stderr) as bar:
        result = services.prepare(topic, fmt, lang, hidden_texts=hidden_texts, progress=bar.update)
        _write(output, lambda fh: fh.writelines(result.chunks))
    hidden = (
        "the texts of hidden comments included"
        if hidden_texts
        else "the texts of hidden comments left out"
    )
    click.echo(f"Wrote {output} ({fmt}, {total} rows, {hidden}).")


def _write(output: str, write: Callable[[BinaryIO], None]) -> None:
    """Write to ``<output>.part``, then put it in place: no half-written file is left."""
    partial = f"{output}.part"
    try:
        with open(partial, "wb") as fh:
            write(fh)
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _report(topic, fmt: str, lang: str, output: str, appendix: bool) -> None:
    from eraati.audit.services import SYSTEM
    from eraati.exports import services
    from eraati.reports.build import build, report_steps

    total = report_steps(topic, appendix)
    services.record_download(topic, fmt, lang, via="cli", actor=SYSTEM)
    db.session.commit()
    with click.progressbar(length=total, label="Report", file=sys.stderr) as bar:
        _write(
            output,
            lambda fh: build(topic, fmt, lang, fh, appendix=appendix, progress=bar.update),
        )
    extra = ", with the appendix of comments" if appendix else ""
    click.echo(f"Wrote {output} ({fmt} report in {lang}{extra}).")
