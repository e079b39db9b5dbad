"""Cursor pagination: every item exactly once, opaque cursors checked, and a page costs
the same number of SQL statements whatever its size."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from eraati.api import cursors
from eraati.consultations.models import CommentStatus
from eraati.core.time import utcnow
from tests import factories
from tests.api.support import API, get_json, shown_ids, walk
from tests.consultations.topic_support import Browser
from tests.results.support import add_comment


@pytest.fixture
def busy_topic(db, org):
    """38 shown comments (pairs written in the same microsecond), 5 hidden, 2 waiting."""
    topic = factories.make_topic(org, slug="vilkas")
    writer = factories.make_user("vilkas@example.fi")
    start = utcnow() - timedelta(days=2)
    for i in range(45):
        status = CommentStatus.VISIBLE
        if i % 9 == 4:
            status = CommentStatus.HIDDEN
        elif i % 15 == 7:
            status = CommentStatus.PENDING
        # Pairs share a moment: the id breaks the tie.
        moment = start + timedelta(minutes=i // 2)
        add_comment(topic, writer, f"Kommentti {i}", status=status, created_at=moment)
    db.session.commit()
    return topic


@pytest.mark.parametrize("limit", [1, 4, 10, 50, 100])
def test_a_cursor_walk_gives_every_shown_comment_once_in_order(client, busy_topic, limit):
    items = walk(client, f"{API}/topics/{busy_topic.id}/comments?limit={limit}")
    ids = [i["id"] for i in items]
    expected = shown_ids(busy_topic)
    assert len(expected) == 38
    assert ids == expected
    assert len(set(ids)) == len(ids)


def test_a_comment_written_during_the_walk_is_not_skipped(client, db, busy_topic):
    """A new comment is the newest: a walk in progress reaches it on its last page."""
    _first, body = get_json(client, f"{API}/topics/{busy_topic.id}/comments?limit=10")
    new = add_comment(busy_topic, None, "Uusi", nickname="Uusi", created_at=utcnow())
    db.session.commit()
    rest = walk(client, body["next"])
    ids = [i["id"] for i in body["data"] + rest]
    assert ids[-1] == new.id
    assert len(ids) == len(set(ids)) == 39


def test_the_next_page_is_also_in_the_link_header(client, busy_topic):
    response, body = get_json(client, f"{API}/topics/{busy_topic.id}/comments?limit=5")
    assert body["next"].startswith("http://localhost/api/v1/")
    assert f"cursor={body['next_cursor']}" in body["next"]
    assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
    last, body = get_json(client, f"{API}/topics/{busy_topic.id}/comments?limit=100")
    assert body["next"] is None and body["next_cursor"] is None
    assert "Link" not in last.headers


def test_the_topic_list_walks_every_topic_once(client, db, org):
    made = [factories.make_topic(org, slug=f"aihe-{i}").id for i in range(7)]
    db.session.commit()
    for limit in (1, 2, 3, 7, 8):
        assert [t["id"] for t in walk(client, f"{API}/topics?limit={limit}")] == made


def test_the_next_page_of_a_filtered_list_keeps_the_filter(client, db, org, other_org):
    mine = [factories.make_topic(org).id for _ in range(3)]
    factories.make_topic(other_org)
    factories.make_closed_topic(org)
    db.session.commit()
    items = walk(client, f"{API}/topics?organisation=keitele&status=open&limit=1")
    assert [t["id"] for t in items] == mine


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "zzz",
        "!!",
        "a" * 65,
        _b64("t:1"),  # a topic list's cursor
        _b64("c:1"),
        _b64("c:-5:3"),
        _b64("c:01:3"),
        _b64("c:1:2:3"),
        _b64("c:999999999999999999:1"),  # past the year 9999
        _b64("c:1:x"),
        "%00",
    ],
)
def test_a_bad_cursor_is_a_bad_request(client, busy_topic, cursor):
    response, body = get_json(client, f"{API}/topics/{busy_topic.id}/comments?cursor={cursor}")
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("cursor", [_b64("c:1:1"), _b64("x:1"), "dDox=", "dDo"])
def test_a_bad_topic_cursor_is_a_bad_request(client, org, cursor):
    response, body = get_json(client, f"{API}/topics?cursor={cursor}")
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "", "٣"])
def test_a_limit_outside_1_to_100_is_a_bad_request(client, busy_topic, limit):
    for path in (f"/topics/{busy_topic.id}/comments", "/topics"):
        response, body = get_json(client, f"{API}{path}?limit={limit}")
        assert response.status_code == 400
        assert body["error"]["code"] == "invalid_limit"


def test_a_bad_status_is_a_bad_request(client, org):
    response, body = get_json(client, f"{API}/topics?status=draft")
    assert response.status_code == 400
    assert body["error"]["code"] == "invalid_status"


def test_cursors_round_trip():
    moment = utcnow()
    assert cursors.parse_comment_cursor(cursors.comment_cursor(moment, 42)) == (moment, 42)
    assert cursors.parse_topic_cursor(cursors.topic_cursor(7)) == 7


# --- a page costs the same whatever its size -------------------------------------------------


def _statements(app, client, path: str) -> int:
    browser = Browser(app, client)
    response = browser.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return browser.queries


def _comments_world(db, org, rows: int):
    topic = factories.make_topic(org, slug=f"aihe-{rows}")
    theme_rows = [factories.make_user(f"k{rows}-{i}@example.fi") for i in range(3)]
    for i in range(rows):
        add_comment(topic, theme_rows[i % 3], f"Kommentti {i}")
    db.session.commit()
    return topic


def test_a_page_of_comments_costs_the_same_for_3_and_30(app, client, db, org):
    small, large = _comments_world(db, org, 3), _comments_world(db, org, 30)
    counts = [
        _statements(app, client, f"{API}/topics/{t.id}/comments?limit=50") for t in (small, large)
    ]
    assert counts[0] == counts[1]
    assert counts[0] <= 3


def test_a_page_of_topics_costs_the_same_for_3_and_30(app, client, db, org, other_org):
    for i in range(3):
        factories.make_topic(org, slug=f"pieni-{i}")
    db.session.commit()
    small = _statements(app, client, f"{API}/topics?organisation=keitele")
    for i in range(30):
        topic = factories.make_topic(other_org, slug=f"suuri-{i}", title_sv="Ämne")
        topic.concerned_organisations.append(org)
    db.session.commit()
    large = _statements(app, client, f"{API}/topics?organisation=vierema")
    assert small == large
    assert small <= 5


def test_topic_and_results_cost_a_fixed_number_of_statements(app, client, db, world):
    published = world.topics["published"]
    counts = {
        path: _statements(app, client, f"{API}{path}")
        for path in (
            "/organisations",
            f"/topics/{published.id}",
            f"/topics/{published.id}/results",
        )
    }
    assert counts["/organisations"] <= 2
    # The topic, its themes and its parts (none here; a map's places only with a map).
    assert counts[f"/topics/{published.id}"] <= 4
    assert counts[f"/topics/{published.id}/results"] <= 12
