"""HTTP behaviour of the API: ETags and 304, caching and CORS headers, JSON errors for
every failure (404, 405, 400, 429), and the documentation page in three languages."""

from __future__ import annotations

import pytest
import schemathesis
from sqlalchemy.exc import OperationalError

from eraati.api import openapi, views
from eraati.extensions import db
from tests.api.support import API, get_json

PATHS = [
    "/organisations",
    "/organisations/keitele",
    "/topics",
    "/topics/{id}",
    "/topics/{id}/comments",
    "/topics/{id}/results",
    "/openapi.json",
]


def _path(world, template: str) -> str:
    return API + template.format(id=world.topics["published"].id)


@pytest.mark.parametrize("template", PATHS)
def test_every_answer_has_an_etag_and_a_matching_copy_gives_304(client, world, template):
    path = _path(world, template)
    response = client.get(path)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_the_etag_changes_with_the_data(client, world):
    topic = world.topics["open"]
    path = f"{API}/topics/{topic.id}"
    first = client.get(path).headers["ETag"]
    assert client.get(path).headers["ETag"] == first  # the same data, the same tag
    topic.comment_count += 1
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first
    assert changed.get_json()["counts"]["comments"] == topic.comment_count


def test_head_answers_like_get_without_a_body(client, world):
    path = _path(world, "/topics/{id}")
    head = client.head(path)
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["ETag"] == client.get(path).headers["ETag"]


def test_a_cors_preflight_allows_reading_only(client, world):
    response = client.options(
        f"{API}/topics",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_every_api_route_is_read_only(app):
    """No form posts under /api: nothing there may change state (nor needs a CSRF token)."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert len(rules) >= 9
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("template", ["/topics", "/topics/{id}", "/topics/{id}/comments", "/"])
def test_other_methods_are_405_in_json(client, csrf_enabled, world, method, template):
    response = client.open(_path(world, template), method=method, data={"a": "b"})
    assert response.status_code == 405
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v2/topics",
        "/api/v1/topics/abc",
        "/api/v1/topics/999999/comments/1",
        "/api/v1/topics/",
        "/api/v1/organisations/ei-ole",
        "/api/v1/topics/999999",
        "/api/v1/topics/66699805722891780096/comments",  # past any id (found by schemathesis)
    ],
)
def test_unknown_addresses_are_404_in_json(client, world, path):
    response, body = get_json(client, path)
    assert response.status_code == 404
    assert body["error"]["code"] == "not_found"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_rate_limit_answers_429_in_json(client, world):
    """120 requests a minute per address; the 121st is refused until the minute is over."""
    for n in range(120):
        response = client.get(f"{API}/organisations")
        assert response.status_code == 200, n
    assert response.headers["X-RateLimit-Remaining"] == "0"
    refused = client.get(f"{API}/topics")  # the limit is shared by the whole API
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    # Another address has its own limit.
    other = client.get(f"{API}/topics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_the_api_does_not_set_a_session_cookie(client, world):
    response = client.get(_path(world, "/topics/{id}"))
    assert "Set-Cookie" not in response.headers


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response, document = get_json(client, f"{API}/openapi.json")
    assert response.status_code == 200
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "/api/v1"}]
    schemathesis.openapi.from_dict(document).validate()  # raises when it is not
    assert set(document["paths"]) == {
        "/organisations",
        "/organisations/{slug}",
        "/topics",
        "/topics/{topic_id}",
        "/topics/{topic_id}/comments",
        "/topics/{topic_id}/results",
    }


def test_the_document_is_a_fresh_copy_each_time():
    first = openapi.document()
    first["paths"].clear()
    assert openapi.document()["paths"]


@pytest.mark.parametrize(
    ("lang", "heading", "phrase"),
    [
        ("fi", "Avoimen datan rajapinta", "Ei henkilötietoja"),
        ("sv", "Gränssnitt för öppna data", "Inga personuppgifter"),
        ("en", "Open data API", "No personal data"),
    ],
)
def test_the_documentation_page_speaks_three_languages(client, lang, heading, phrase):
    response = client.get(f"{API}/", headers={"Accept-Language": lang})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert phrase in page
    assert "http://localhost/api/v1" in page
    assert 'href="/api/v1/openapi.json"' in page


@pytest.mark.parametrize("path", ["/api", "/api/"])
def test_the_api_root_leads_to_the_documentation(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/api/v1/"


def test_an_unexpected_error_is_json_too(app):
    """The app's own handlers answer with HTML pages; under /api the answer stays JSON."""
    with app.test_request_context(f"{API}/topics"):
        response = views.unexpected(RuntimeError("boom"))
        assert response.status_code == 500
        assert response.get_json()["error"]["code"] == "server_error"
        assert "boom" not in response.get_data(as_text=True)
        down = views.database_down(OperationalError("SELECT 1", {}, Exception("gone")))
        assert down.status_code == 503
        assert down.get_json()["error"]["code"] == "unavailable"
