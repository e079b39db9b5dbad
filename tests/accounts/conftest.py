"""Fixtures for the account tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def rate_limit(app):
    """``rate_limit("LOGIN_RATE_LIMIT", "3 per minute")`` for one test."""
    saved = {}

    def _set(name: str, value: str) -> None:
        saved.setdefault(name, app.config[name])
        app.config[name] = value

    yield _set
    app.config.update(saved)
