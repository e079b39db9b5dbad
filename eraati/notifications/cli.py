"""The notifications' part of ``flask eraati tick``: record the reminders of topics that
close soon, send what is due (including what a stopped worker left claimed, once its
lease ran out) and the weekly digests."""

from __future__ import annotations

import click
from flask import current_app

from eraati.extensions import db
from eraati.jobs import queue
from eraati.notifications import reminders, sending


def tick_notifications() -> None:
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(
            "notifications: not sent; set ERAATI_PUBLIC_URL (the site's address) for the "
            "links in them"
        )
        return
    if reminded := reminders.record_due():
        click.echo(f"notifications: {reminded} reminder(s) of closing consultations")
    db.session.commit()
    if queue.backend(current_app) == "rq":
        queue.submit(sending.SEND_DUE)
        queue.submit(sending.SEND_DIGESTS)
        click.echo("notifications: handed to the workers")
        return
    sent, digests = sending.send_due(), sending.send_digests()
    click.echo(f"notifications: {sent} sent, {digests} weekly digest(s)")
