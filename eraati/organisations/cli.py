"""``flask eraati create-admin``: the first platform admin of an instance."""

from __future__ import annotations

import click

from eraati.cli import eraati_cli
from eraati.extensions import db


@eraati_cli.command("create-admin")
@click.option("--email", required=True, help="E-mail address of the platform admin.")
@click.option("--name", required=True, help="Name shown to other users.")
@click.option(
    "--password",
    default=None,
    help="Password of a new account (asked for, twice and hidden, when not given).",
)
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create a verified platform admin, or make an existing account one."""
    from eraati.accounts.queries import user_by_email
    from eraati.organisations import services

    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.ClickException("Give a valid e-mail address.")
    if not name.strip():
        raise click.ClickException("Give a name.")
    existing = user_by_email(email)
    if existing is None:
        if password is None:
            password = click.prompt(
                "Password", hide_input=True, confirmation_prompt="Password again"
            )
        try:
            services.check_password_rules(password, [email, name])
        except services.PasswordRejected as exc:
            raise click.ClickException(str(exc)) from exc
    elif password is not None:
        click.echo("The account already exists: its password is not changed.")
    try:
        user, created = services.make_platform_admin(email, name, password)
    except services.PasswordRejected as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if created:
        click.echo(f"Created the platform admin {user.email}.")
    else:
        click.echo(f"{user.email} is now a platform admin.")
