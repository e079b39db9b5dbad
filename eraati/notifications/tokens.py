"""The signed token of an unsubscribe link: whose, and what to stop (a kind, or the
weekly digest). It does not expire: the link in an old message keeps working, and it can
do nothing but turn one kind of e-mail off."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from eraati.notifications.models import Kind

SALT = "unsubscribe"
DIGEST = "digest"


class TokenError(Exception):
    pass


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe(user_id: int, what: str) -> str:
    return _serializer().dumps([user_id, str(what)])


def read(token: str) -> tuple[int, str]:
    """(user id, kind value or ``DIGEST``); ``TokenError`` for anything else."""
    try:
        user_id, what = _serializer().loads(token)
    except (BadData, TypeError, ValueError) as exc:
        raise TokenError from exc
    if not isinstance(user_id, int) or what not in {*(k.value for k in Kind), DIGEST}:
        raise TokenError
    return user_id, what
