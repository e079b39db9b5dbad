"""The ``flask eraati`` command group; each domain's ``cli.py`` adds its commands."""

import click
from flask.cli import AppGroup

from config import EXAMPLE_CONTACT_EMAIL
from eraati.extensions import db

eraati_cli = AppGroup("eraati", help="eRaati operator commands.")


class AmbiguousTopic(Exception):
    """A bare address that more than one organisation uses; ``args[0]``: their full
    references ("iisalmi/kirjasto", ...)."""


def find_topic(ref: str):
    """A topic by its id ("42"), by organisation and address ("iisalmi/kirjasto") or by its
    address alone ("kirjasto") when one organisation uses it (several: AmbiguousTopic)."""
    import sqlalchemy as sa

    from eraati.consultations.models import Topic
    from eraati.organisations.models import Organisation

    ref = ref.strip()
    if ref.isdigit():
        return db.session.get(Topic, int(ref))
    org_slug, has_org, slug = ref.rpartition("/")
    if has_org and not (org_slug and slug):
        return None
    stmt = sa.select(Topic, Organisation.slug).join(
        Organisation, Organisation.id == Topic.organisation_id
    )
    stmt = stmt.where(Topic.slug == slug)
    if has_org:
        stmt = stmt.where(Organisation.slug == org_slug)
    found = db.session.execute(stmt.order_by(Organisation.slug).limit(10)).all()
    if len(found) > 1:
        raise AmbiguousTopic([f"{org}/{slug}" for _topic, org in found])
    return found[0][0] if found else None


def topic_argument(ref: str):
    """The topic a command's TOPIC argument names (``find_topic``), or a usage error that
    says what to give instead."""
    try:
        topic = find_topic(ref)
    except AmbiguousTopic as exc:
        raise click.ClickException(
            f"Several organisations have a topic {ref!r}: give one of {', '.join(exc.args[0])}."
        ) from exc
    if topic is None:
        raise click.ClickException(
            f"No topic {ref!r}: give its id, ORGANISATION/ADDRESS or ADDRESS."
        )
    return topic


def _warnings(config) -> list[str]:
    """The settings production should not leave at their defaults (docs/operating.md)."""
    out = []
    if not config.get("REDIS_URL"):
        out.append(
            "ERAATI_REDIS_URL is not set: rate limits are counted per web worker and the web "
            "process prepares files and sends results e-mails itself."
        )
    if config.get("CONTACT_EMAIL") == EXAMPLE_CONTACT_EMAIL:
        out.append(
            "ERAATI_CONTACT_EMAIL is the example address: the accessibility statement and the "
            "terms page give it to residents."
        )
    if not int(config.get("PROXY_HOPS") or 0):
        out.append(
            "ERAATI_PROXY_HOPS is 0: right only if gunicorn faces the internet itself; behind a "
            "reverse proxy every resident would share the proxy's rate limits."
        )
    return out


@eraati_cli.command("check")
def check() -> None:
    """Print the configuration summary an operator needs (no secrets), and the settings
    production should not leave at their defaults. Fails without the public address: every
    link in an e-mail is made from it."""
    from flask import current_app

    from eraati.core import links, metrics

    config = current_app.config
    uri = config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
    click.echo(f"database: {uri}")
    click.echo(f"mail backend: {config['MAIL_BACKEND']}")
    click.echo(f"redis: {'set' if config.get('REDIS_URL') else 'not set'}")
    click.echo(f"public address: {config.get('PUBLIC_URL') or 'not set'}")
    hosts = config.get("TRUSTED_HOSTS")
    click.echo(f"hosts answered: {', '.join(hosts) if hosts else 'any (not production)'}")
    click.echo(f"proxies trusted: {int(config.get('PROXY_HOPS') or 0)}")
    click.echo(f"contact e-mail: {config.get('CONTACT_EMAIL')}")
    click.echo(f"log format: {config.get('LOG_FORMAT')}")
    networks = ", ".join(
        str(n) for n in metrics.allowed_networks(config.get("METRICS_ALLOWED_NETWORKS"))
    )
    click.echo(f"/metrics readable from: {networks or 'nowhere (404 to everyone)'}")
    for warning in _warnings(config):
        click.echo(f"warning: {warning}")
    if problem := links.problem(config.get("PUBLIC_URL")):
        raise click.ClickException(f"{problem}: e-mails could not link to the site.")
