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
off with Flask-Limiter's. If the storage cannot be reached, the request goes on
unlimited and the failure is logged: an outage of Redis must not stop residents from
logging in or voting.
"""

from __future__ import annotations

import functools
import math
import time

from flask import current_app
from flask_babel import ngettext
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

EXTENSION = "eraati.ratelimits"


def _counter() -> FixedWindowRateLimiter:
    """The counters of this app's configured storage, made on first use (and again when a
    test points the settings at another storage: the Redis tests)."""
    config = current_app.config
    source = (config["RATELIMIT_STORAGE_URI"], repr(config.get("RATELIMIT_STORAGE_OPTIONS")))
    made = current_app.extensions.get(EXTENSION)
    if made is None or made[0] != source:
        options = {**(config.get("RATELIMIT_STORAGE_OPTIONS") or {}), "wrap_exceptions": True}
        storage = storage_from_string(config["RATELIMIT_STORAGE_URI"], **options)
        made = current_app.extensions[EXTENSION] = (source, FixedWindowRateLimiter(storage))
    return made[1]


def storage() -> Storage:
    return _counter().storage


def reset() -> None:
    """Forget every counter of the configured storage (tests; for Redis: those under the
    storage's key prefix only)."""
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


def _logged(error: StorageError) -> int:
    current_app.logger.error("rate limit storage unavailable, not limiting: %s", error)
    return 0


def hit(setting: str, key: str) -> int:
    """Count one act of ``key`` (an account, an address) under ``setting``.

    Returns 0 when the act may go on, else the seconds to wait. The act is counted in every
    limit, also when one of them refuses it: someone who keeps trying while they should
    wait fills the longer limits, and their wait grows."""
    items = ladder(setting)
    if not items:
        return 0
    ids = _identifiers(setting, key)
    counter = _counter()
    try:
        if all([counter.hit(item, *ids) for item in items]):
            return 0
        return _wait(counter, items, ids)
    except StorageError as error:
        return _logged(error)


def wait(setting: str, key: str) -> int:
    """Seconds ``key`` must wait before its next act under ``setting`` (0: none), without
    counting anything."""
    items = ladder(setting)
    if not items:
        return 0
    try:
        return _wait(_counter(), items, _identifiers(setting, key))
    except StorageError as error:
        return _logged(error)


def wait_phrase(seconds: int) -> str:
    """How long to wait, for a sentence: "in 3 minutes", "in 2 hours" (rounded up)."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return ngettext("in %(num)d minute", "in %(num)d minutes", minutes)
    hours = math.ceil(minutes / 60)
    return ngettext("in %(num)d hour", "in %(num)d hours", hours)
