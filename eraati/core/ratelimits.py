"""Rate limits that a view checks itself, where a refusal must be more than a bare 429:
failed log-ins (``accounts.throttle``), registrations (``accounts.views.register``) and
residents' writes (``consultations.views.limits``).

A setting is a ladder of limits in Flask-Limiter's notation, e.g.
``LOGIN_ACCOUNT_LIMIT = "5 per minute;10 per 15 minutes;50 per day"``: once the first
step is full the wait is short, once a longer one is full it is longer. The counters live
where Flask-Limiter keeps its own, in a ``limits`` storage made from the same settings
(``RATELIMIT_STORAGE_URI``: ``memory://`` in one process, Redis shared by all workers;
``RATELIMIT_STORAGE_OPTIONS``), as fixed windows that start at the first act: one counter
per step, cheap to keep for every resident (moving windows keep a timestamp per act, and
the memory storage copies them all every 10 ms). ``RATELIMIT_ENABLED = False`` turns them
off with Flask-Limiter's.

If the storage cannot be reached, the counting goes on in this process's memory, and the
storage is tried again after ``STORAGE_RETRY_SECONDS`` (the failure and the recovery are
logged): an outage of Redis must neither stop residents from logging in or voting (no
error page) nor lift the limits on a script guessing passwords meanwhile. Each worker
process counts on its own then, so the limits are as many times looser as there are
workers, and what was counted in memory is not carried over to Redis. Flask-Limiter's
own limits do the same (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app
from flask_babel import ngettext
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

EXTENSION = "eraati.ratelimits"
# While the storage is away, it is tried again this often (one failed try per period).
STORAGE_RETRY_SECONDS = 30


@dataclass
class _Counters:
    source: tuple[str, str]
    shared: FixedWindowRateLimiter  # in the configured storage
    local: FixedWindowRateLimiter  # in this process's memory, while that storage is away
    retry_at: float | None = None  # away: when to try it again (time.monotonic())


def _counters() -> _Counters:
    """The counters of this app's configured storage, made on first use (and again when a
    test points the settings at another storage: the Redis tests)."""
    config = current_app.config
    source = (config["RATELIMIT_STORAGE_URI"], repr(config.get("RATELIMIT_STORAGE_OPTIONS")))
    made = current_app.extensions.get(EXTENSION)
    if made is None or made.source != source:
        options = {**(config.get("RATELIMIT_STORAGE_OPTIONS") or {}), "wrap_exceptions": True}
        storage = storage_from_string(config["RATELIMIT_STORAGE_URI"], **options)
        made = current_app.extensions[EXTENSION] = _Counters(
            source, FixedWindowRateLimiter(storage), FixedWindowRateLimiter(MemoryStorage())
        )
    return made


T = TypeVar("T")


def _count(act: Callable[[FixedWindowRateLimiter], T]) -> T:
    """``act`` on the configured storage's counters; on this process's own while it is
    away (tried again every ``STORAGE_RETRY_SECONDS``)."""
    counters = _counters()
    now = time.monotonic()
    if counters.retry_at is None or now >= counters.retry_at:
        try:
            result = act(counters.shared)
        except StorageError as error:
            if counters.retry_at is None:
                current_app.logger.error(
                    "rate limit storage unavailable, counting in this process: %s", error
                )
            counters.retry_at = now + STORAGE_RETRY_SECONDS
        else:
            if counters.retry_at is not None:
                current_app.logger.warning("rate limit storage available again")
                counters.retry_at = None
            return result
    return act(counters.local)


def storage() -> Storage:
    return _counters().shared.storage


def reset() -> None:
    """Forget every counter of the configured storage and of this process (tests; for
    Redis: those under the storage's key prefix only)."""
    counters = _counters()
    counters.local.storage.reset()
    counters.retry_at = None
    storage().reset()


@functools.lru_cache(maxsize=64)
def _parse(value: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(value))


def ladder(setting: str) -> tuple[RateLimitItem, ...]:
    """The limits of a setting; none when it is empty or limits are turned off."""
    config = current_app.config
    value = config.get(setting)
    if not value or not config.get("RATELIMIT_ENABLED", True):
        return ()
    return _parse(value)


def _identifiers(setting: str, key: str) -> tuple[str, str]:
    return (setting.lower(), key)


def _wait(counter: FixedWindowRateLimiter, items, ids) -> int:
    """Seconds until every full limit of ``items`` has room again (0: none is full)."""
    full = [item for item in items if not counter.test(item, *ids)]
    if not full:
        return 0
    reset = max(counter.get_window_stats(item, *ids).reset_time for item in full)
    return max(1, math.ceil(reset - time.time()))


def hit(setting: str, key: str) -> int:
    """Count one act of ``key`` (an account, an address) under ``setting``.

    Returns 0 when the act may go on, else the seconds to wait. The act is counted in every
    limit, also when one of them refuses it: someone who keeps trying while they should
    wait fills the longer limits, and their wait grows."""
    items = ladder(setting)
    if not items:
        return 0
    ids = _identifiers(setting, key)

    def act(counter: FixedWindowRateLimiter) -> int:
        if all([counter.hit(item, *ids) for item in items]):
            return 0
        return _wait(counter, items, ids)

    return _count(act)


def wait(setting: str, key: str) -> int:
    """Seconds ``key`` must wait before its next act under ``setting`` (0: none), without
    counting anything."""
    items = ladder(setting)
    if not items:
        return 0
    ids = _identifiers(setting, key)
    return _count(lambda counter: _wait(counter, items, ids))


def wait_phrase(seconds: int) -> str:
    """How long to wait, for a sentence: "in 3 minutes", "in 2 hours" (rounded up)."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return ngettext("in %(num)d minute", "in %(num)d minutes", minutes)
    hours = math.ceil(minutes / 60)
    return ngettext("in %(num)d hour", "in %(num)d hours", hours)
