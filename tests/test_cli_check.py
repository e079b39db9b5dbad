"""``flask eraati check``: the operator's pre-flight, without secrets, with a warning for
each setting production should not leave at its default, and a failure without the
public address (every link in an e-mail is made from it)."""

from __future__ import annotations


def _check(app, **config):
    saved = {key: app.config.get(key) for key in config}
    app.config.update(config)
    try:
        return app.test_cli_runner().invoke(args=["eraati", "check"])
    finally:
        app.config.update(saved)


def test_the_defaults_get_a_warning_each(app):
    result = _check(app, REDIS_URL=None, PROXY_HOPS=0)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3
    for setting in ("ERAATI_REDIS_URL", "ERAATI_CONTACT_EMAIL", "ERAATI_PROXY_HOPS"):
        assert any(setting in w for w in warnings), setting


def test_without_the_public_address_the_check_fails(app):
    missing = _check(app, PUBLIC_URL=None)
    assert missing.exit_code == 1
    assert "ERAATI_PUBLIC_URL is not set" in missing.output
    assert "public address: not set" in missing.output
    wrong = _check(app, PUBLIC_URL="eraati.example.fi")  # no scheme: no link could work
    assert wrong.exit_code == 1
    assert "is not an address such as https://eraati.example.fi/" in wrong.output


def test_a_production_setup_passes_without_warnings_and_shows_no_secrets(app):
    result = _check(
        app,
        REDIS_URL="redis://:salainen@127.0.0.1:6379/0",
        PUBLIC_URL="https://eraati.example.fi/",
        TRUSTED_HOSTS=["eraati.example.fi"],
        PROXY_HOPS=1,
        CONTACT_EMAIL="palaute@iisalmi.fi",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://eraati:salasana@db.example.fi/eraati",
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "warning:" not in out
    assert "database: db.example.fi/eraati" in out
    assert "public address: https://eraati.example.fi/" in out
    assert "hosts answered: eraati.example.fi" in out
    assert "salasana" not in out and "salainen" not in out
    assert "contact e-mail: palaute@iisalmi.fi" in out


def test_it_tells_the_log_format_and_who_reads_the_metrics(app):
    closed = _check(app, LOG_FORMAT="json", METRICS_ALLOWED_NETWORKS="")
    assert "log format: json" in closed.output
    assert "/metrics readable from: nowhere (404 to everyone)" in closed.output
    opened = _check(app, METRICS_ALLOWED_NETWORKS="127.0.0.1/32,10.0.0.0/8")
    assert "/metrics readable from: 127.0.0.1/32, 10.0.0.0/8" in opened.output
