"""Signed, expiring links for e-mail verification and password reset.

Tokens are signed, not encrypted: they carry only ids and a fingerprint, never a
secret. ``now=`` moves the clock for signing and checking (tests need no sleeping).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

VERIFY_SALT = "verify-email"
RESET_SALT = "reset-password"


class TokenError(Exception):
    """The link is expired, tampered with, already used or for another address."""


def _serializer(salt: str, now: datetime | None) -> URLSafeTimedSerializer:
    key = current_app.config["SECRET_KEY"]
    if now is None:
        return URLSafeTimedSerializer(key, salt=salt)
    fixed = int(now.timestamp())

    class FixedClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return fixed

    return URLSafeTimedSerializer(key, salt=salt, signer=FixedClockSigner)


def _load(token: str, salt: str, max_age: int, now: datetime | None) -> dict[str, Any]:
    try:
        payload = _serializer(salt, now).loads(token, max_age=max_age)
    except BadData as exc:  # bad signature, expired, malformed
        raise TokenError(salt) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise TokenError(salt)
    return payload


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does, so a reset link works only once.

    A digest of the hash rather than part of it: the token is readable by anyone.
    """
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_verify_token(user_id: int, email: str, *, now: datetime | None = None) -> str:
    return _serializer(VERIFY_SALT, now).dumps({"uid": user_id, "email": email})


def read_verify_token(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, e-mail) of a valid verification link; else ``TokenError``."""
    max_age = current_app.config["VERIFY_TOKEN_MAX_AGE"]
    payload = _load(token, VERIFY_SALT, max_age, now)
    return payload["uid"], str(payload.get("email", ""))


def make_reset_token(user_id: int, password_hash: str, *, now: datetime | None = None) -> str:
    payload = {"uid": user_id, "fp": password_fingerprint(password_hash)}
    return _serializer(RESET_SALT, now).dumps(payload)


def read_reset_token(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, password fingerprint) of a valid reset link; else ``TokenError``."""
    max_age = current_app.config["RESET_TOKEN_MAX_AGE"]
    payload = _load(token, RESET_SALT, max_age, now)
    return payload["uid"], str(payload.get("fp", ""))
