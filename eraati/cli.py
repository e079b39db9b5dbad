"""The ``flask eraati`` command group; each domain's ``cli.py`` adds its commands."""

import click
from flask.cli import AppGroup

eraati_cli = AppGroup("eraati", help="eRaati operator commands.")


@eraati_cli.command("check")
def check() -> None:
    """Print the configuration summary an operator needs (no secrets)."""
    from flask import current_app

    uri = current_app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1]
    click.echo(f"database: {uri}")
    click.echo(f"mail backend: {current_app.config['MAIL_BACKEND']}")
