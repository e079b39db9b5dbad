"""The notifications' part of ``flask eraati tick``: record what the clock brings (the
reminders of topics that close soon, the opening of upcoming topics to those who asked to
be reminded, the daily note of the moderation queues), then send what is due (including
what a stopped worker left claimed, once its lease ran out) and the weekly digests."""

from __future__ import annotations

import click
from flask import current_app

from eraati.extensions import db
from eraati.jobs import queue
from eraati.notifications import announcements, reminders, sending, staff_queue


def tick_notifications() -> None:
    # Topic / organisation -> people recorded now (each only once: later ticks add none).
    openings = {k: n for k, n in announcements.record_openings().items() if n}
    notes = {k: n for k, n in staff_queue.record_queue_notes().items() if n}
    reminded = reminders.record_due()
    db.session.commit()
    if reminded:
        click.echo(f"notifications: {reminded} reminder(s) of closing consultations")
    if openings:
        click.echo(
            f"notifications: {sum(openings.values())} follower(s) to be told that "
            f"{len(openings)} topic(s) opened"
        )
    if notes:
        click.echo(
            f"notifications: {sum(notes.values())} moderator(s) to get the queue note of "
            f"{len(notes)} organisation(s)"
        )
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(
            "notifications: not sent; set ERAATI_PUBLIC_URL (the site's address) for the "
            "links in them"
        )
        return
    if queue.backend(current_app) == "rq":
        queue.submit(sending.SEND_DUE)
        queue.submit(sending.SEND_DIGESTS)
        click.echo("notifications: handed to the workers")
        return
    sent, digests = sending.send_due(), sending.send_digests()
    click.echo(f"notifications: {sent} sent, {digests} weekly digest(s)")
