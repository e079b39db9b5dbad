"""The benchmark baselines exist only when asked for, and the no-op POST checks CSRF."""

from __future__ import annotations

import re

from config import TestingConfig
from eraati import create_app


def test_benchmark_routes_are_off_by_default(client):
    assert client.get("/_bench/hello").status_code == 404
    assert client.post("/_bench/noop").status_code in (404, 405)


def test_noop_post_needs_the_csrf_token_from_the_hello_page(database_url):
    app = create_app(
        TestingConfig,
        BENCHMARK_ROUTES=True,
        WTF_CSRF_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=database_url,
    )
    client = app.test_client()
    page = client.get("/_bench/hello")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
    assert client.post("/_bench/noop").status_code == 400  # no token: refused
    assert client.post("/_bench/noop", data={"csrf_token": token}).status_code == 204
