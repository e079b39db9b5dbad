"""``/healthz`` for load balancers and monitoring: JSON in every state, never a page."""

from __future__ import annotations

import pytest

from config import ProductionConfig, TestingConfig
from eraati import create_app
from eraati.extensions import db as _db


def _json(response) -> dict:
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    assert "<html" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_a_working_site_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert _json(response) == {"status": "ok"}


@pytest.fixture
def database_gone(tmp_path):
    """The app with a database it cannot open (as when the server is down)."""
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3"
    )
    yield app
    with app.app_context():
        _db.engine.dispose()


def test_without_the_database_it_answers_503_in_json(database_gone):
    response = database_gone.test_client().get("/healthz")
    assert response.status_code == 503
    assert _json(response) == {"status": "unavailable", "database": "down"}
    # The pages themselves still get the calm error page.
    page = database_gone.test_client().get("/")
    assert page.status_code == 503 and "<html" in page.get_data(as_text=True)


def test_a_wrong_method_is_answered_in_json(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert _json(response) == {"status": "error", "code": 405}


def test_an_unknown_host_in_production_is_answered_in_json(database_url):
    app = create_app(
        ProductionConfig,
        SECRET_KEY="s" * 48,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_URL="https://eraati.example.fi/",
    )
    try:
        response = app.test_client().get("/healthz", base_url="http://10.0.0.5:8000")
        assert response.status_code == 400
        assert _json(response) == {"status": "error", "code": 400}
    finally:
        with app.app_context():
            _db.engine.dispose()
