"""Time: stored in UTC, shown in Europe/Helsinki."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local(dt: datetime) -> datetime:
    return dt.astimezone(HELSINKI)
