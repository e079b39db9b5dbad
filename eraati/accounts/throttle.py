"""Log-in limits that stop attackers, not residents: OWASP's "Slow Down Online Guessing
Attacks with Device Cookies".

A browser that has logged in to an account gets a signed device cookie for it. Its wrong
passwords for that account count per device (``LOGIN_DEVICE_LIMIT``), so nobody else's
failures ever lock it out. Every other client is unknown: its wrong passwords count per
account (``LOGIN_ACCOUNT_LIMIT``) and per address (``LOGIN_ADDRESS_LIMIT``), and when
either is full, unknown clients wait (429 with ``Retry-After``). Only failures and
refused attempts count, so thirty residents logging in at a library's digital-help
evening use up nothing; a script that keeps trying while it should wait fills the longer
steps of each ladder, and its wait grows (``core.ratelimits``).

The cookie holds, per account, a keyed digest of the e-mail address (not the address
itself: the cookie stays on shared computers) and a random nonce, signed with
``SECRET_KEY``; one browser remembers the last few accounts logged in on it. Only the
account pages (``/account/``) get it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import Response, after_this_request, current_app, request, url_for
from itsdangerous import BadData, URLSafeSerializer

from eraati.core import ratelimits

DEVICE_COOKIE = "eraati_device"
DEVICE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
DEVICE_SALT = "eraati-device-cookie"
REMEMBERED_ACCOUNTS = 5  # per browser: a family's shared tablet, a cottage's computer

DEVICE = "LOGIN_DEVICE_LIMIT"
ACCOUNT = "LOGIN_ACCOUNT_LIMIT"
ADDRESS = "LOGIN_ADDRESS_LIMIT"


@dataclass(frozen=True)
class Attempt:
    """What one log-in attempt counts against: ``(setting, key)`` pairs."""

    counts: tuple[tuple[str, str], ...]


def account_key(email: str) -> str:
    """The account's name in counters and device cookies: a digest keyed with the secret,
    so that neither Redis nor a cookie shows the e-mail address."""
    secret = current_app.config["SECRET_KEY"].encode()
    login = email.strip().lower().encode()
    return hmac.new(secret, b"login:" + login, hashlib.sha256).hexdigest()[:32]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _devices() -> list[tuple[str, str]]:
    """The (account, nonce) pairs of this browser's valid device cookie, newest first."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        entries = _serializer().loads(value)
    except BadData:  # tampered with, or signed with another secret
        return []
    if not isinstance(entries, list):
        return []
    return [
        (e[0], e[1])
        for e in entries
        if isinstance(e, list) and len(e) == 2 and all(isinstance(s, str) and s for s in e)
    ]


def attempt(email: str) -> Attempt:
    """The counters of a log-in to ``email`` from this request's client."""
    account = account_key(email)
    nonce = next((n for a, n in _devices() if a == account), None)
    if nonce is not None:
        return Attempt(((DEVICE, f"device:{nonce}"),))
    address = request.remote_addr or "unknown"
    return Attempt(((ACCOUNT, f"account:{account}"), (ADDRESS, f"address:{address}")))


def refused(attempt: Attempt) -> int:
    """Seconds this client must wait before its password is checked; 0: check it now.
    A refused attempt counts too (see ``core.ratelimits.hit``)."""
    if not any(ratelimits.wait(setting, key) for setting, key in attempt.counts):
        return 0
    return max(ratelimits.hit(setting, key) for setting, key in attempt.counts)


def failed(attempt: Attempt) -> None:
    """Count a wrong password (or an unknown address: the same to the counters)."""
    for setting, key in attempt.counts:
        ratelimits.hit(setting, key)


def trust_this_device(email: str) -> None:
    """After a log-in with the right password: the response gives this browser a new
    device cookie for the account, keeping those of the other accounts used on it."""
    account = account_key(email)
    kept = [[a, n] for a, n in _devices() if a != account]
    entries = [[account, secrets.token_urlsafe(16)], *kept][:REMEMBERED_ACCOUNTS]

    @after_this_request
    def _set_cookie(response: Response) -> Response:
        response.set_cookie(
            DEVICE_COOKIE,
            _serializer().dumps(entries),
            max_age=DEVICE_COOKIE_MAX_AGE,
            # Sent to the account pages only: the log-in reads it, and a new or changed
            # password (/account/password...) must see the other accounts it keeps.
            path=url_for("accounts.login").removesuffix("login"),
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
        return response
