"""What a test does when a service it needs (PostgreSQL, Chromium) is not there."""

from __future__ import annotations

import os

import pytest


def missing(message: str) -> None:
    """Under CI (``CI`` set) the test fails: CI must run every test. Elsewhere it skips,
    so that a developer without the service can still run the rest of the suite."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this: {message}", pytrace=False)
    pytest.skip(message)
