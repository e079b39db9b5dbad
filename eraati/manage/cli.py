"""``flask eraati tick``: the clock's work, for cron (every few minutes is fine)."""

import click

from eraati.cli import eraati_cli
from eraati.extensions import db


@eraati_cli.command("tick")
def tick() -> None:
    """Close open topics whose deadline has passed (idempotent), tidy the export jobs,
    remove the personal data of topics past their retention
    time, and say what was done."""
    from eraati.manage import services

    closed = services.close_due_topics()
    lines = [
        f"closed: {t.organisation.slug}/{t.slug} (topic {t.id}, "
        f"deadline {t.closes_at:%Y-%m-%d %H:%M} UTC)"
        for t in closed
    ]
    db.session.commit()
    for line in lines:
        click.echo(line)
    click.echo(f"{len(closed)} topic(s) closed." if closed else "Nothing to close.")
    from eraati.jobs.cli import tick_jobs

    tick_jobs()  # interrupted export jobs, expired files
    from eraati.retention.cli import tick_retention

    tick_retention()  # personal data of topics past their retention time
    from eraati.analysis.cli import tick_analyses

    tick_analyses()  # opinion groups, campaigns, suggested themes of changed topics
    from eraati.notifications.cli import tick_notifications

    tick_notifications()  # e-mails due (results too), and those a stopped worker left
