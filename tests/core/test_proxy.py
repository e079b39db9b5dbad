"""Behind a reverse proxy (ERAATI_PROXY_HOPS): rate limits count per resident's address,
not per the proxy's; without it the forwarded headers are ignored, so nobody can pretend
to be another address."""

from __future__ import annotations

import pytest
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import TestingConfig
from eraati import create_app
from tests import factories

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
PROXY = {"REMOTE_ADDR": "10.0.0.2"}


def _seen_by(app) -> str:
    app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
    return app.test_client().get("/_seen", headers=FORWARDED, environ_base=PROXY).text


@pytest.mark.parametrize(("hops", "seen"), [(1, "203.0.113.7 https"), (0, "10.0.0.2 http")])
def test_the_client_address_is_the_forwarded_one_only_behind_trusted_proxies(hops, seen):
    assert _seen_by(create_app(TestingConfig, PROXY_HOPS=hops)) == seen


def test_anonymous_comment_limits_count_each_forwarded_address(
    app, client, db, org, monkeypatch, rate_limit
):
    anonymous_topic = factories.make_topic(org, slug="avoin", allow_anonymous=True)
    db.session.commit()
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1))
    rate_limit("ANONYMOUS_COMMENT_ADDRESS_LIMIT", "1 per 10 minutes")
    path = f"/{anonymous_topic.organisation.slug}/{anonymous_topic.slug}/comments"

    def post(address: str) -> int:
        return client.post(
            path,
            data={"body": f"Terveisiä {address}", "nickname": "Nimi"},
            headers={"X-Forwarded-For": address},
            environ_base=PROXY,
        ).status_code

    assert post("203.0.113.7") == 303
    assert post("203.0.113.8") == 303  # another resident behind the same proxy
    assert post("203.0.113.7") == 429
