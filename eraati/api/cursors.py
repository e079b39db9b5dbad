"""Opaque cursors of the API's lists: the sort key of the last row given, base64url-encoded.

A cursor is ``base64url("<kind>:<number>:<number>...")`` without padding: ``t:<id>`` for
topics, ``c:<created_at µs>:<id>`` for comments. A cursor is not secret, only opaque: a
client passes it back unchanged. Anything that does not decode to the expected kind and
shape is ``BadCursor`` (the view answers 400), never a first page in disguise.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_LENGTH = 64
_NUMBER = r"(0|[1-9][0-9]{0,17})"


class BadCursor(ValueError):
    """The cursor was not made by this API for this list."""


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")


def _decode(cursor: str, kind: str, parts: int) -> list[int]:
    if not cursor or len(cursor) > _MAX_LENGTH or not re.fullmatch(r"[A-Za-z0-9_-]+", cursor):
        raise BadCursor(cursor)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    match = re.fullmatch(re.escape(kind) + (":" + _NUMBER) * parts, text)
    if match is None:
        raise BadCursor(cursor)
    return [int(n) for n in match.groups()]


def topic_cursor(topic_id: int) -> str:
    return _encode(f"t:{topic_id}")


def parse_topic_cursor(cursor: str) -> int:
    (topic_id,) = _decode(cursor, "t", 1)
    return topic_id


def comment_cursor(created_at: datetime, comment_id: int) -> str:
    micros = (created_at - _EPOCH) // timedelta(microseconds=1)
    return _encode(f"c:{micros}:{comment_id}")


def parse_comment_cursor(cursor: str) -> tuple[datetime, int]:
    micros, comment_id = _decode(cursor, "c", 2)
    try:
        created_at = _EPOCH + timedelta(microseconds=micros)
    except OverflowError as exc:
        raise BadCursor(cursor) from exc
    return created_at, comment_id
