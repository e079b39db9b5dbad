"""Account e-mails, in the recipient's language, with links to the site's public address
(in that language, too: ``?lang=``).

Each is a background task (``jobs.queue.submit``, by import path, given an id or an address
and never a password), handed over after the commit: nobody is mailed about a change that
failed, and the request answers at once, in the same time whether or not the address has
an account (registration and "forgot password" must not tell).
"""

from __future__ import annotations

from flask import current_app

from eraati.accounts import tokens
from eraati.accounts.models import User
from eraati.accounts.queries import user_by_email
from eraati.accounts.services import Registration
from eraati.core.links import public_url
from eraati.core.mail import mail_language, send_templated
from eraati.extensions import db
from eraati.jobs import queue

SEND_VERIFICATION = "eraati.accounts.mails.send_verification"
SEND_PASSWORD_RESET = "eraati.accounts.mails.send_password_reset"  # noqa: S105 - a task
SEND_REGISTRATION_ATTEMPT = "eraati.accounts.mails.send_registration_attempt"


# --- what views ask for --------------------------------------------------------------------


def after_registration(registration: Registration) -> None:
    """The new account's confirmation link, or a word to the owner of a taken address;
    nothing for the same form sent again."""
    if registration.repeated:
        return
    task = SEND_VERIFICATION if registration.created else SEND_REGISTRATION_ATTEMPT
    queue.submit(task, registration.user_id)


def verification_requested(user_id: int) -> None:
    queue.submit(SEND_VERIFICATION, user_id)


def password_reset_requested(email: str) -> None:
    """Whatever the address: the worker finds out whether it has an account."""
    queue.submit(SEND_PASSWORD_RESET, email.strip().lower())


# --- the tasks -------------------------------------------------------------------------------


def _hours(config_key: str) -> int:
    return max(1, current_app.config[config_key] // 3600)


def send_verification(user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is not None and not user.is_verified:
        mail_verification(user)


def mail_verification(user: User) -> None:
    """The confirmation link of ``user`` (anything with id, email, locale, display_name)."""
    token = tokens.make_verify_token(user.id, user.email)
    send_templated(
        user.email,
        "accounts/email/verify",
        user.locale,
        user=user,
        link=public_url("accounts.verify_email", token=token, lang=mail_language(user.locale)),
        hours=_hours("VERIFY_TOKEN_MAX_AGE"),
    )


def send_password_reset(email: str) -> None:
    """A reset link if the address has an account that is not suspended; else nothing."""
    user = user_by_email(email)
    if user is None or user.is_suspended:
        return
    token = tokens.make_reset_token(user.id, user.password_hash)
    send_templated(
        user.email,
        "accounts/email/reset_password",
        user.locale,
        user=user,
        link=public_url("accounts.reset_password", token=token, lang=mail_language(user.locale)),
        hours=_hours("RESET_TOKEN_MAX_AGE"),
    )


def send_registration_attempt(user_id: int) -> None:
    """Someone tried to register with an address that already has an account."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    send_templated(
        user.email,
        "accounts/email/registration_attempt",
        user.locale,
        user=user,
        login_link=public_url("accounts.login", lang=mail_language(user.locale)),
        reset_link=public_url("accounts.forgot_password", lang=mail_language(user.locale)),
    )
