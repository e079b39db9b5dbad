"""``flask eraati export TOPIC --format ... --output PATH``: the same files as the
downloads page, for operators and scripts."""

from __future__ import annotations

import os
import sys

import click

from eraati.cli import eraati_cli
from eraati.core.i18n import LANGUAGES
from eraati.extensions import db

FORMAT_CHOICES = ("csv", "csv-excel", "xlsx", "json", "polis", "docx", "pdf")


def find_topic(ref: str):
    """A topic by its id ("42") or by organisation and address ("iisalmi/kirjasto")."""
    import sqlalchemy as sa

    from eraati.consultations.models import Topic
    from eraati.organisations.models import Organisation

    ref = ref.strip()
    if ref.isdigit():
        return db.session.get(Topic, int(ref))
    org_slug, _, slug = ref.partition("/")
    if not org_slug or not slug:
        return None
    return db.session.scalar(
        sa.select(Topic)
        .join(Organisation, Organisation.id == Topic.organisation_id)
        .where(Organisation.slug == org_slug, Topic.slug == slug)
    )


@eraati_cli.command("export")
@click.argument("topic_ref", metavar="TOPIC")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    required=True,
    help="File format.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of the column headings [default: the organisation's main language].",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="File to write (replaced if it exists).",
)
def export(topic_ref: str, fmt: str, lang: str | None, output: str) -> None:
    """Write the raw data of TOPIC (its id, or ORGANISATION/ADDRESS) to a file."""
    from eraati.audit.services import SYSTEM
    from eraati.exports import services
    from eraati.exports.formats import NOT_YET

    if fmt in NOT_YET:
        click.echo(f"Error: the {fmt} report is not available yet.", err=True)
        sys.exit(2)
    topic = find_topic(topic_ref)
    if topic is None:
        raise click.ClickException(f"No topic {topic_ref!r}: give its id or ORGANISATION/ADDRESS.")
    lang = lang or topic.organisation.primary_language
    total = services.row_count(topic, fmt)
    services.record_download(topic, fmt, lang, via="cli", actor=SYSTEM)
    db.session.commit()
    partial = f"{output}.part"
    with click.progressbar(length=total, label="Rows", file=sys.stderr) as bar:
        result = services.prepare(topic, fmt, lang, progress=bar.update)
        try:
            with open(partial, "wb") as fh:
                for piece in result.chunks:
                    fh.write(piece)
            os.replace(partial, output)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    click.echo(f"Wrote {output} ({fmt}, {total} rows).")
