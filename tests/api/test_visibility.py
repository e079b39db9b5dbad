"""The API shows what a visitor without an account sees, and nothing else: no drafts, no
comment that is not shown, no results before publication. A topic that opens later is
listed as "upcoming", as the site shows it, with no comments."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Theme, Topic, TopicStatus
from eraati.core.time import utcnow
from eraati.extensions import db
from tests.api.support import API, get_json, shown_ids, walk
from tests.results.support import EXPECTED


def _topic_ids(client, query: str = "") -> set[int]:
    return {t["id"] for t in walk(client, f"{API}/topics{query}")}


def _ids(world, *keys: str) -> set[int]:
    return {world.topics[k].id for k in keys}


def test_the_topic_list_has_every_public_topic_and_no_other(client, world):
    assert _topic_ids(client) == _ids(world, *world.public)
    assert _topic_ids(client, "?status=all") == _ids(world, *world.public)


@pytest.mark.parametrize(
    ("status", "keys"),
    [
        ("open", {"open", "authority_open"}),
        ("closed", {"closed_early", "past_deadline"}),
        ("published", {"published"}),
        ("upcoming", {"upcoming"}),
    ],
)
def test_the_status_filter_follows_the_clock(client, world, status, keys):
    items = walk(client, f"{API}/topics?status={status}")
    assert {t["id"] for t in items} == _ids(world, *keys)
    assert {t["status"] for t in items} == {status}


def test_an_organisation_filter_includes_topics_that_concern_it(client, world):
    keitele = _topic_ids(client, "?organisation=keitele")
    assert keitele == _ids(world, *world.public)  # its own and the joint authority's
    authority = _topic_ids(client, "?organisation=ylasavon-sote")
    assert authority == _ids(world, "authority_open")


def test_an_upcoming_topic_is_readable_as_on_the_site(client, world):
    upcoming = world.topics["upcoming"]
    response, body = get_json(client, f"{API}/topics/{upcoming.id}")
    assert response.status_code == 200
    assert body["status"] == "upcoming"
    assert body["opens_at"].startswith(upcoming.opens_at.strftime("%Y-%m-%dT%H:%M"))
    # Shown comments as on its page (only a topic moved to open later can have any).
    response, comments = get_json(client, f"{API}/topics/{upcoming.id}/comments")
    assert response.status_code == 200
    assert [c["id"] for c in comments["data"]] == shown_ids(upcoming)
    response, _body = get_json(client, f"{API}/topics/{upcoming.id}/results")
    assert response.status_code == 404  # no results before publication


@pytest.mark.parametrize("key", ["draft", "authority_draft"])
@pytest.mark.parametrize("suffix", ["", "/comments", "/results"])
def test_an_invisible_topic_is_not_found_at_any_address(client, world, key, suffix):
    response, body = get_json(client, f"{API}/topics/{world.topics[key].id}{suffix}")
    assert response.status_code == 404
    assert body == {"error": {"code": "not_found", "message": "No published topic has this id."}}


def test_staff_signed_in_get_no_more_than_a_visitor(client, login_as, world, org_admin):
    """Answers are cached publicly: a session must never widen them."""
    login_as(org_admin)
    assert _topic_ids(client) == _ids(world, *world.public)
    response, _body = get_json(client, f"{API}/topics/{world.topics['draft'].id}")
    assert response.status_code == 404
    # Nor does a signed-in request get a cookie back with a publicly cacheable answer.
    response = client.get(f"{API}/topics/{world.topics['open'].id}")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers


def test_a_draft_becomes_visible_once_opened(client, db, world):
    draft = world.topics["draft"]
    assert client.get(f"{API}/topics/{draft.id}").status_code == 404
    draft.status = TopicStatus.OPEN
    db.session.commit()
    response, body = get_json(client, f"{API}/topics/{draft.id}")
    assert response.status_code == 200
    assert body["status"] == "open"
    assert body["titles"] == {"fi": "Salainen luonnos"}


def test_only_shown_comments_are_given(client, world):
    topic = world.topics["open"]
    items = walk(client, f"{API}/topics/{topic.id}/comments")
    c = world.comments
    assert [i["id"] for i in items] == [c["open_shown"].id, c["open_reply"].id]
    assert items[1]["parent_id"] == c["open_shown"].id
    bodies = {i["body"] for i in items}
    assert bodies == {"Näkyvä kommentti.", "Vastaus itselleni."}


def test_the_published_topics_comments_are_exactly_its_shown_ones(client, world):
    topic = world.topics["published"]
    items = walk(client, f"{API}/topics/{topic.id}/comments")
    assert [i["id"] for i in items] == shown_ids(topic)
    never = {"hidden_reason", "hidden_other", "deleted", "eero_waiting", "anon_waiting"}
    assert not {world.comments[f"published_{k}"].id for k in never} & {i["id"] for i in items}


def test_a_comment_carries_its_channel_votes_and_themes(client, world):
    topic = world.topics["published"]
    by_id = {i["id"]: i for i in walk(client, f"{API}/topics/{topic.id}/comments")}
    c = {k.removeprefix("published_"): v for k, v in world.comments.items()}
    aino = by_id[c["aino"].id]
    assert aino["votes"] == {"agree": 5, "disagree": 0, "pass": 0}
    assert aino["is_key"] is True
    assert aino["channel"] == "registered"
    assert by_id[c["olli"].id]["themes"] == sorted(t.id for t in _themes(world, "hours", "books"))
    assert by_id[c["anon"].id]["channel"] == "anonymous"
    paper = by_id[c["paper"].id]
    assert paper["channel"] == "paper"
    assert paper["received_on"] == c["paper"].received_on.isoformat()
    assert by_id[c["event"].id]["channel"] == "event"
    official = by_id[c["official"].id]
    assert official["is_official"] is True
    assert official["author"] is None
    assert official["parent_id"] == c["olli"].id
    assert aino["created_at"].endswith("Z")


def _themes(world, *keys):
    names = {"hours": "Aukioloajat", "books": "Kokoelmat", "empty": "Pysäköinti"}
    themes = db.session.scalars(
        sa.select(Theme).where(Theme.topic_id == world.topics["published"].id)
    )
    by_name = {t.texts["fi"]: t for t in themes}
    return [by_name[names[k]] for k in keys]


def test_results_wait_for_publication(client, world):
    for key in ("open", "closed_early", "past_deadline"):
        response, body = get_json(client, f"{API}/topics/{world.topics[key].id}/results")
        assert response.status_code == 404
        assert body["error"]["code"] == "results_not_published"


def test_published_results_are_the_public_figures(client, world):
    topic = world.topics["published"]
    response, body = get_json(client, f"{API}/topics/{topic.id}/results")
    assert response.status_code == 200
    assert body["participants"]["registered"] == EXPECTED["registered"]
    assert body["participants"]["poll_respondents"] == EXPECTED["respondents"]
    channels = {c["channel"]: (c["comments"], c["replies"]) for c in body["channels"]}
    assert channels == EXPECTED["channels"]
    stances = body["stances"]
    assert (stances["support"], stances["oppose"], stances["neutral"]) == EXPECTED["stances"]
    themes = [(t["names"]["fi"], t["comments"]) for t in body["themes"]]
    assert themes == EXPECTED["themes"]
    assert body["themes"][0]["names"] == {"fi": "Aukioloajat", "sv": "Öppettider"}
    assert body["untagged_comments"] == EXPECTED["untagged"]
    assert body["moderation"]["waiting"] == EXPECTED["waiting"]
    hidden = [
        (h["reason"]["fi"] if h["reason"] else None, h["count"])
        for h in body["moderation"]["hidden"]
    ]
    assert hidden == EXPECTED["hidden"]
    poll = [[(o["count"], o["share"]) for o in q["options"]] for q in body["poll"]]
    assert poll == EXPECTED["poll"]
    assert body["poll"][0]["texts"]["sv"] == "Vilket alternativ?"
    # Fewer than five people per municipality: all counted together, none named.
    assert body["municipalities"] == [
        {"organisation": None, "names": None, "people": 3, "comments": 4}
    ]


def test_the_topic_gives_its_decision_context_and_texts_in_every_language(client, world):
    topic = world.topics["open"]
    response, body = get_json(client, f"{API}/topics/{topic.id}")
    assert response.status_code == 200
    assert body["titles"] == {"fi": "Avoin aihe", "sv": "Öppet ämne"}
    assert body["bodies_html"] == {"fi": "<p>Kuvaus</p>", "sv": "<p>Text</p>"}
    assert body["decision"] == {
        "deciding_body": "Kunnanhallitus",  # in the organisation's first language
        "deciding_bodies": {"fi": "Kunnanhallitus", "sv": "Kommunstyrelsen"},
        "case_number": topic.case_number,
        "planned_on": None,
    }
    assert body["results"] is None
    assert body["results_url"] is None
    assert body["comments_url"].endswith(f"/api/v1/topics/{topic.id}/comments")
    assert body["counts"]["comments"] == topic.comment_count


def test_a_published_topic_gives_what_was_decided(client, db, world):
    topic = world.topics["published"]
    text = topic.translations[0]
    text.decision_outcome = "Aukioloa jatketaan."
    text.moderator_summary = "Sunnuntai toivottiin."
    topic.decided_on = utcnow().date()
    db.session.commit()
    _response, body = get_json(client, f"{API}/topics/{topic.id}")
    assert body["status"] == "published"
    assert body["results"]["decision_outcome"] == {"fi": "Aukioloa jatketaan."}
    assert body["results"]["moderator_summary"] == {"fi": "Sunnuntai toivottiin."}
    assert body["results"]["decided_on"] == topic.decided_on.isoformat()
    assert body["results_url"].endswith(f"/api/v1/topics/{topic.id}/results")


def test_organisations_are_listed_with_their_members(client, world):
    response, body = get_json(client, f"{API}/organisations")
    assert response.status_code == 200
    by_slug = {o["slug"]: o for o in body["data"]}
    assert set(by_slug) == {"keitele", "tervo", "ylasavon-sote"}
    assert by_slug["ylasavon-sote"]["kind"] == "joint_authority"
    assert by_slug["ylasavon-sote"]["members"] == ["keitele"]
    _response, one = get_json(client, f"{API}/organisations/keitele")
    assert one == by_slug["keitele"]
    response, missing = get_json(client, f"{API}/organisations/ei-ole")
    assert response.status_code == 404
    assert missing["error"]["code"] == "not_found"


def test_an_unknown_organisation_filter_is_a_bad_request(client, world):
    response, body = get_json(client, f"{API}/topics?organisation=ei-ole")
    assert response.status_code == 400
    assert body["error"]["code"] == "unknown_organisation"


def test_a_poll_option_chosen_only_on_its_own_says_so(client, demo_data):
    sote = db.session.scalar(sa.select(Topic).filter_by(slug="terveysasemien-aukioloajat"))
    _response, body = get_json(client, f"{API}/topics/{sote.id}")
    single, multiple = body["poll"]
    assert [o["exclusive"] for o in single["options"]] == [False] * 4
    assert [(o["texts"]["en"], o["exclusive"]) for o in multiple["options"]] == [
        ("Video appointment", False),
        ("Chat", False),
        ("Telephone appointment", False),
        ("None of these", True),
    ]
