"""Fixtures for the organisation tests: a platform admin, another organisation's admin,
a browser that counts queries, re-authentication."""

from __future__ import annotations

import pytest

from tests import factories
from tests.organisations.support import reauthenticated


@pytest.fixture
def platform_admin(db):
    user = factories.make_user("alusta@eraati.fi", name="Pia Platform")
    user.is_platform_admin = True
    db.session.commit()
    return user


@pytest.fixture
def fresh(client):
    """The signed-in user has just confirmed their password (role changes allowed)."""

    def _fresh(seconds_ago: int = 0) -> None:
        reauthenticated(client, seconds_ago=seconds_ago)

    return _fresh
