"""What a test does when a service it needs (PostgreSQL, Redis, Chromium) is not there."""

from __future__ import annotations

import os

import pytest


def missing(message: str) -> None:
    """Under CI (``CI`` set) the test fails: CI must run every test. Elsewhere it skips,
    so that a developer without the service can still run the rest of the suite."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this: {message}", pytrace=False)
    pytest.skip(message)


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"  # tests use keys and queues of their own


def need_redis(url: str = REDIS_TEST_URL) -> None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as exc:
        missing(f"Redis at {url} ({exc})")
