"""Account e-mails, in the recipient's language, with links to the site's public address.

Views send them after the commit, so nobody is mailed about a change that failed.
"""

from __future__ import annotations

from flask import current_app

from eraati.accounts import tokens
from eraati.accounts.models import User
from eraati.core.links import public_url
from eraati.core.mail import send_templated


def _hours(config_key: str) -> int:
    return max(1, current_app.config[config_key] // 3600)


def send_verification(user: User) -> None:
    token = tokens.make_verify_token(user.id, user.email)
    send_templated(
        user.email,
        "accounts/email/verify",
        user.locale,
        user=user,
        link=public_url("accounts.verify_email", token=token),
        hours=_hours("VERIFY_TOKEN_MAX_AGE"),
    )


def send_password_reset(user: User) -> None:
    token = tokens.make_reset_token(user.id, user.password_hash)
    send_templated(
        user.email,
        "accounts/email/reset_password",
        user.locale,
        user=user,
        link=public_url("accounts.reset_password", token=token),
        hours=_hours("RESET_TOKEN_MAX_AGE"),
    )


def send_registration_attempt(user: User) -> None:
    """Someone tried to register with an address that already has an account."""
    send_templated(
        user.email,
        "accounts/email/registration_attempt",
        user.locale,
        user=user,
        login_link=public_url("accounts.login"),
        reset_link=public_url("accounts.forgot_password"),
    )
