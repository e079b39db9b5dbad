"""Application-wide behaviour: configuration, error pages, headers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import DEV_SECRET, ProductionConfig, TestingConfig
from eraati import create_app


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/eraati")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_default_secret(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/eraati")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SECRET_KEY=DEV_SECRET)


def test_production_refuses_to_start_without_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_uses_psycopg3_and_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/eraati")
    app = create_app(
        ProductionConfig,
        SECRET_KEY="x" * 40,
        SQLALCHEMY_DATABASE_URI="postgresql://u@db/eraati",
        PUBLIC_URL="https://eraati.example.fi/",
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


def test_not_found_page_is_translated_and_calm(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "sv"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert '<html lang="sv"' in body
    assert "Sidan hittades inte" in body


def test_unexpected_error_shows_page_without_traceback(database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)

    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "<h1>" in body


def test_security_headers_forbid_inline_scripts(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_language_switch_remembers_choice_and_stays_on_site(client):
    response = client.post("/language", data={"lang": "sv", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="sv"' in page


def test_post_without_csrf_token_is_refused(client, csrf_enabled):
    response = client.post("/language", data={"lang": "sv", "next": "/"})
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert '<html lang="sv"' not in client.get("/").get_data(as_text=True)


def test_without_eraati_env_the_app_is_production_and_refuses_defaults(monkeypatch):
    """Secure by default: a server started without ERAATI_ENV does not run on dev settings."""
    for name in ("ERAATI_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="ERAATI_ENV=development"):
        create_app()


def test_postgresql_connections_turn_the_jit_compiler_off(app, db):
    from eraati import _postgresql_options

    merged = _postgresql_options({"pool_pre_ping": True, "connect_args": {"options": "-c x=1"}})
    assert merged == {"pool_pre_ping": True, "connect_args": {"options": "-c x=1 -c jit=off"}}
    if db.engine.dialect.name == "postgresql":  # the suite's PostgreSQL run checks the server
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
