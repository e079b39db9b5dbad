"""``flask eraati seed-demo``: demo data for trying eRaati."""

import os
import shlex

import click
from flask import current_app

from eraati.cli import eraati_cli
from eraati.extensions import db


@eraati_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
@click.option(
    "--comments",
    type=click.IntRange(min=0),
    default=0,
    help="Also fill the large topic iisalmi/suuri-kuuleminen to this many comments.",
)
@click.option(
    "--planted-groups",
    is_flag=True,
    help="Also add a closed topic whose 300 residents vote in three known opinion groups "
    "(iisalmi/keskustan-kehittaminen), with its groups computed.",
)
@click.option("--url", help="The address printed (default: the public address, ERAATI_PUBLIC_URL).")
@click.option(
    "--list", "list_all", is_flag=True, help="Only list every demo staff log-in; load nothing."
)
@click.option(
    "--load-into-production",
    is_flag=True,
    help="Load the demo accounts even under the production configuration (their password "
    "is public: anyone could log in as the demo staff).",
)
def seed_demo(
    if_empty: bool,
    comments: int,
    planted_groups: bool,
    url: str | None,
    list_all: bool,
    load_into_production: bool,
) -> None:
    """Load the demo organisations, people and topics (idempotent) and print the log-ins.
    Refused under the production configuration unless --load-into-production is given."""
    from eraati.consultations import demo

    url = url or current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000/"
    if list_all:
        _print_logins(demo.login_rows() + demo.staff_rows(), demo.PASSWORD, url)
        return
    if current_app.config.get("PRODUCTION") and not load_into_production:
        raise click.ClickException(
            "This is the production configuration (ERAATI_ENV is production or not set): the "
            "demo accounts' password is public, so anyone could log in as the demo staff. "
            "Nothing was loaded. For a demo server set ERAATI_ENV=development; to load the "
            "demo data here all the same, add --load-into-production."
        )
    if if_empty and demo.has_data():
        click.echo("The database already has data: demo data not loaded.")
    else:
        result = demo.seed()
        db.session.commit()
        click.echo(
            f"Demo data: {result.organisations} organisations, {result.users} people, "
            f"{result.topics} topics and {result.comments} comments added."
        )
    if comments:
        with click.progressbar(length=comments, label="Large topic") as bar:
            topic = demo.add_large_topic(comments, progress=bar.update)
        db.session.commit()
        click.echo(f"Large topic: {url.rstrip('/')}/{topic.organisation.slug}/{topic.slug}")
    if planted_groups:
        _planted_groups(url)
    _print_logins(
        demo.login_rows(),
        demo.PASSWORD,
        url,
        more=f"Staff of the other organisations: {list_command(url)}",
    )


def _planted_groups(url: str) -> None:
    """The topic with known opinion groups (``analysis.demo``), once, and its groups
    computed here (a command, not a request)."""
    import sqlalchemy as sa

    from eraati.analysis import runs
    from eraati.analysis.demo import SLUG, add_planted_topic
    from eraati.analysis.models import AnalysisKind
    from eraati.consultations.models import Topic
    from eraati.organisations.models import Organisation

    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "iisalmi"))
    if org is None:
        raise click.ClickException("The demo organisation iisalmi is missing: seed-demo first.")
    topic = db.session.scalar(
        sa.select(Topic).where(Topic.organisation_id == org.id, Topic.slug == SLUG)
    )
    if topic is None:
        topic = add_planted_topic(org).topic
        db.session.commit()
    if runs.request(topic.id, AnalysisKind.GROUPS, force=True):
        db.session.commit()
        runs.run(topic.id, AnalysisKind.GROUPS.value)
    click.echo(
        f"Topic with opinion groups: {url.rstrip('/')}/staff/{org.slug}/topics/{topic.id}/"
        "opinion-groups"
    )


def list_command(url: str) -> str:
    """The command that lists every demo log-in, as it works pasted in the project folder:
    the same environment (ERAATI_ENV) and address as this run."""
    env = os.environ.get("ERAATI_ENV")
    prefix = f"ERAATI_ENV={shlex.quote(env)} " if env else ""
    return f"{prefix}.venv/bin/flask --app wsgi eraati seed-demo --list --url {shlex.quote(url)}"


def _print_logins(
    rows: list[tuple[str, str]], password: str, url: str, more: str | None = None
) -> None:
    width = max(len(email) for email, _ in rows)
    click.echo("")
    click.echo(f"Log in at {url.rstrip('/')}/account/login with one of these demo accounts")
    click.echo(f"(the password of every demo account is: {password})")
    click.echo("")
    for email, label in rows:
        click.echo(f"  {email.ljust(width)}  {label}")
    if more:
        click.echo("")
        click.echo(more)
    click.echo("")
