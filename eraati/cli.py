"""The ``flask eraati`` command group; each domain's ``cli.py`` adds its commands."""

import click
from flask.cli import AppGroup

from config import EXAMPLE_CONTACT_EMAIL

eraati_cli = AppGroup("eraati", help="eRaati operator commands.")


def _warnings(config) -> list[str]:
    """The settings production should not leave at their defaults (docs/operating.md)."""
    out = []
    if not config.get("REDIS_URL"):
        out.append(
            "ERAATI_REDIS_URL is not set: rate limits are counted per web worker and the web "
            "process prepares files and sends results e-mails itself."
        )
    if not config.get("PUBLIC_URL"):
        out.append(
            "ERAATI_PUBLIC_URL is not set: e-mails sent by tick and the worker have no links."
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
    production should not leave at their defaults."""
    from flask import current_app

    config = current_app.config
    uri = config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
    click.echo(f"database: {uri}")
    click.echo(f"mail backend: {config['MAIL_BACKEND']}")
    click.echo(f"redis: {'set' if config.get('REDIS_URL') else 'not set'}")
    click.echo(f"public address: {config.get('PUBLIC_URL') or 'not set'}")
    click.echo(f"proxies trusted: {int(config.get('PROXY_HOPS') or 0)}")
    click.echo(f"contact e-mail: {config.get('CONTACT_EMAIL')}")
    for warning in _warnings(config):
        click.echo(f"warning: {warning}")
