"""``flask eraati backup PATH`` and ``flask eraati restore PATH --yes``."""

from __future__ import annotations

from pathlib import Path

import click

from eraati.backup import services
from eraati.cli import eraati_cli


def _described(summary: services.Summary) -> str:
    return (
        f"{summary.kind} database, migration {summary.revision or 'unknown'}, "
        f"{summary.tables} tables, {summary.rows} rows; file {summary.size:,} bytes"
    )


@eraati_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the whole service (the database, uploaded files included) to PATH."""
    try:
        summary = services.backup(path)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {summary.path}: {_described(summary)}.")


@eraati_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Yes, replace everything in the database.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace everything in the database with the backup at PATH.

    Stop the web and worker processes first; start them again afterwards."""
    if not yes:
        raise click.ClickException(
            "A restore replaces every row of the service's database with the backup's. "
            "Stop the web and worker processes, then run this again with --yes."
        )
    try:
        summary = services.restore(path)
    except services.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {summary.path}: {_described(summary)}.")
    head = _code_revision()
    if summary.revision != head:
        click.echo(
            f"The backup is at migration {summary.revision}, this code at {head}: run "
            "`flask --app wsgi db upgrade` before starting the service."
        )


def _code_revision() -> str | None:
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()
