"""E-mail in the recipient's language: SMTP in production, the log in development,
an in-memory outbox (``mail.outbox``) in tests.

A request does not talk to the mail server itself: it hands the message to the job queue
(``jobs.queue.send_mail``, which runs ``deliver`` in a worker), so a slow server never
makes anyone wait.
"""

from __future__ import annotations

import logging
import smtplib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage

from eraati.core import metrics

log = logging.getLogger(__name__)


def mail_language(locale: str | None) -> str:
    """The language a message for ``locale`` is written in. Its links to pages carry it
    (``?lang=``), so they open in the language the reader was written to."""
    return locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def send_templated(to: str, template: str, locale: str, **context) -> None:
    """Render ``templates/<template>.txt``; its first line is the subject."""
    with force_locale(mail_language(locale)):
        text = render_template(f"{template}.txt", **context)
    subject, _, body = text.partition("\n")
    message = EmailMessage(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        to=[to],
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    try:
        message.send()
    except Exception as exc:
        metrics.email_refused("message", lasting=refused_for_good(exc))
        raise
    metrics.email_sent("message")
    log.info("e-mail %s sent", template)  # the template's name: never the address


DELIVER = "eraati.core.mail.deliver"


def deliver(to: str, template: str, locale: str, context: dict) -> None:
    """``send_templated`` as a background task (``jobs.queue.send_mail``)."""
    send_templated(to, template, locale, **context)


def refused_for_good(exc: Exception) -> bool:
    """A mail server's permanent refusal of the address (5xx): trying again cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500
