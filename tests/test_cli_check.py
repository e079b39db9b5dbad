"""``flask eraati check``: the operator's pre-flight, without secrets, with a warning for
each setting production should not leave at its default."""

from __future__ import annotations


def _check(app, **config) -> str:
    saved = {key: app.config.get(key) for key in config}
    app.config.update(config)
    try:
        result = app.test_cli_runner().invoke(args=["eraati", "check"])
    finally:
        app.config.update(saved)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_defaults_get_a_warning_each(app):
    out = _check(app, REDIS_URL=None, PUBLIC_URL=None, PROXY_HOPS=0)
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 4
    for setting in (
        "ERAATI_REDIS_URL",
        "ERAATI_PUBLIC_URL",
        "ERAATI_CONTACT_EMAIL",
        "ERAATI_PROXY_HOPS",
    ):
        assert any(setting in w for w in warnings), setting


def test_a_production_setup_passes_without_warnings_and_shows_no_secrets(app):
    out = _check(
        app,
        REDIS_URL="redis://:salainen@127.0.0.1:6379/0",
        PUBLIC_URL="https://eraati.example.fi/",
        PROXY_HOPS=1,
        CONTACT_EMAIL="palaute@iisalmi.fi",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://eraati:salasana@db.example.fi/eraati",
    )
    assert "warning:" not in out
    assert "database: db.example.fi/eraati" in out
    assert "salasana" not in out and "salainen" not in out
    assert "contact e-mail: palaute@iisalmi.fi" in out
