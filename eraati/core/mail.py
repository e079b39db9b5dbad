"""E-mail in the recipient's language: SMTP in production, the log in development,
an in-memory outbox (``mail.outbox``) in tests."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage


def send_templated(to: str, template: str, locale: str, **context) -> None:
    """Render ``templates/<template>.txt``; its first line is the subject."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"{template}.txt", **context)
    subject, _, body = text.partition("\n")
    EmailMessage(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        to=[to],
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
    ).send()
