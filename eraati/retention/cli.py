"""``flask eraati retention [--dry-run]``: remove the personal data of the topics whose
retention time has passed, and the invitations nobody accepted that expired over a month
ago. ``flask eraati tick`` does the same (``tick_retention``)."""

from __future__ import annotations

from datetime import datetime

import click

from eraati.cli import eraati_cli
from eraati.extensions import db


def _ref(topic) -> str:
    return f"{topic.organisation.slug}/{topic.slug} (topic {topic.id})"


def run(*, dry_run: bool, now: datetime | None = None) -> int:
    """Anonymise (or, ``dry_run``, list) every due topic, one transaction per topic; the
    number of topics."""
    from eraati.retention import services

    due = services.due_topics(now)
    for item in due:
        topic = item.topic
        ref = _ref(topic)
        months = topic.organisation.retention_months
        when = (
            f"results published {topic.results_published_at:%Y-%m-%d}, kept {months} months, "
            f"due {item.due_at:%Y-%m-%d}"
        )
        if dry_run:
            plan = services.plan(topic)
            click.echo(f"would anonymise {ref}: {when}")
        else:
            plan = services.anonymise(topic, now=now)
            db.session.commit()
            if plan is None:  # another run was first
                continue
            click.echo(f"anonymised {ref}: {when}")
        for line in plan.lines():
            click.echo(f"  {line}")
    return len(due)


@eraati_cli.command("retention")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only list the topics whose personal data would be removed now, and what.",
)
def retention(dry_run: bool) -> None:
    """Remove the personal data of topics whose results were published longer ago than
    their organisation's retention time (the organisation's settings; 24 months by
    default), and invitations nobody accepted that expired over 30 days ago. Runs once
    per topic; flask eraati tick runs it too."""
    n = run(dry_run=dry_run)
    if not n:
        click.echo("No topic is due for the removal of personal data.")
    elif dry_run:
        click.echo(f"{n} topic(s) would be anonymised. Nothing was changed.")
    invitations(dry_run=dry_run)


def invitations(*, dry_run: bool, now: datetime | None = None) -> int:
    """Remove (or, ``dry_run``, count) the invitations nobody accepted that expired over
    ``coverage.INVITATION_GRACE`` ago; say so when there are any."""
    from eraati.retention import services

    if dry_run:
        n = services.unanswered_invitation_count(now=now)
        if n:
            click.echo(f"{n} invitation(s) that nobody accepted would be removed.")
        return n
    n = services.remove_unanswered_invitations(now=now)
    db.session.commit()
    if n:
        click.echo(f"{n} invitation(s) that nobody accepted removed.")
    return n


def tick_retention() -> None:
    """The retention part of ``flask eraati tick``: the due topics, the invitations
    nobody accepted that expired over a month ago, and the records of e-mails sent over
    ``coverage.NOTIFICATION_KEEP`` ago."""
    from eraati.retention import services

    if not run(dry_run=False):
        click.echo("Retention: no topic is due.")
    invitations(dry_run=False)
    n = services.remove_old_notifications()
    db.session.commit()
    if n:
        click.echo(f"{n} record(s) of e-mails sent over 90 days ago removed.")
