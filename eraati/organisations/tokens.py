"""Signed, expiring invitation links.

The token carries only the invitation's id; the row says who was invited, to what, and
whether the invitation is still good (not revoked, not used). ``now=`` moves the clock for
signing and checking, so tests need no sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

INVITATION_SALT = "invitation"
DEFAULT_MAX_AGE = 60 * 60 * 24 * 7  # seven days


class InvitationTokenError(Exception):
    """The link was tampered with or is not an invitation link."""


class InvitationTokenExpired(InvitationTokenError):
    """The link is genuine but older than the configured maximum age."""


def max_age() -> int:
    """Seconds an invitation is valid (config ``INVITATION_MAX_AGE``)."""
    return int(current_app.config.get("INVITATION_MAX_AGE", DEFAULT_MAX_AGE))


def lifetime() -> timedelta:
    return timedelta(seconds=max_age())


def _serializer(now: datetime | None) -> URLSafeTimedSerializer:
    key = current_app.config["SECRET_KEY"]
    if now is None:
        return URLSafeTimedSerializer(key, salt=INVITATION_SALT)
    fixed = int(now.timestamp())

    class FixedClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return fixed

    return URLSafeTimedSerializer(key, salt=INVITATION_SALT, signer=FixedClockSigner)


def make_invitation_token(invitation_id: int, *, now: datetime | None = None) -> str:
    return _serializer(now).dumps({"iid": invitation_id})


def read_invitation_token(token: str, *, now: datetime | None = None) -> int:
    """The invitation id of a valid link; else ``InvitationTokenError`` (or its subclass
    ``InvitationTokenExpired`` for a genuine link that is too old)."""
    try:
        payload = _serializer(now).loads(token, max_age=max_age())
    except SignatureExpired as exc:
        raise InvitationTokenExpired(token) from exc
    except BadData as exc:
        raise InvitationTokenError(token) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("iid"), int):
        raise InvitationTokenError(token)
    return payload["iid"]
