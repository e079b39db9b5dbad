"""No personal data in the open data: no name, e-mail address or nickname anywhere, and
writers as pseudonyms that hold within one topic only."""

from __future__ import annotations

import pytest

from eraati.core import pseudonyms
from eraati.extensions import db
from tests.api.support import API, all_secrets, get_json, leaks, walk
from tests.results.support import add_comment


def _every_answer(client) -> list:
    """Every answer of the API about the data in the database (each list walked)."""
    responses = []

    def fetch(url: str):
        response = client.get(url)
        responses.append(response)
        return response.get_json()

    fetch(f"{API}/openapi.json")
    for org in fetch(f"{API}/organisations")["data"]:
        fetch(org["url"])
    url = f"{API}/topics?limit=3"
    topics = []
    while url:
        body = fetch(url)
        topics += body["data"]
        url = body["next"]
    assert topics
    for topic in topics:
        detail = fetch(topic["url"])
        url = detail["comments_url"] + "?limit=4"
        while url:
            url = fetch(url)["next"]
        if detail["results_url"]:
            fetch(detail["results_url"])
    return responses


def test_no_name_or_e_mail_address_in_any_answer(client, world):
    secrets = sorted(set(world.secrets) | set(all_secrets()))
    assert "Nimetön Nalle" in secrets and "aino@example.fi" in secrets
    responses = _every_answer(client)
    assert len(responses) > 15
    for response in responses:
        assert response.status_code == 200, response.request.path
        assert leaks(response.get_data(as_text=True), secrets) == [], response.request.path


def test_no_personal_data_in_the_demo_either(client, demo_data):
    secrets = all_secrets()
    assert len(secrets) > 20
    for response in _every_answer(client):
        assert response.status_code == 200, response.request.path
        assert leaks(response.get_data(as_text=True), secrets) == [], response.request.path


def test_the_leak_check_finds_a_name(client, world):
    """The check above can fail: a comment quoting a writer's name is found."""
    topic = world.topics["open"]
    comment = world.comments["open_shown"]
    comment.body = "Kerttu Kirjoittaja kirjoitti tämän."
    db.session.commit()
    response = client.get(f"{API}/topics/{topic.id}/comments")
    assert leaks(response.get_data(as_text=True), world.secrets) == ["Kerttu Kirjoittaja"]


def _by_id(client, topic) -> dict[int, dict]:
    return {c["id"]: c for c in walk(client, f"{API}/topics/{topic.id}/comments")}


def test_a_writer_has_one_pseudonym_per_topic(client, world):
    topic = world.topics["published"]
    c = {k.removeprefix("published_"): v for k, v in world.comments.items()}
    by_id = _by_id(client, topic)
    olli = by_id[c["olli"].id]["author"]
    assert olli == pseudonyms.person(topic.pseudonym_key, c["olli"].author_id)
    assert olli.startswith("P-") and len(olli) == 10
    # The same person's reply carries the same pseudonym, someone else's another.
    assert by_id[c["olli_reply"].id]["author"] == olli
    assert by_id[c["aino"].id]["author"] not in (olli, None)
    # Without an account: a pseudonym per comment, never the nickname.
    anon, anon_reply = by_id[c["anon"].id]["author"], by_id[c["anon_reply"].id]["author"]
    assert anon.startswith("A-") and anon_reply.startswith("A-") and anon != anon_reply
    assert by_id[c["paper"].id]["author"].startswith("A-")


def test_the_same_person_has_another_pseudonym_in_another_topic(client, world):
    writer_comments = (world.comments["open_shown"], world.comments["open_reply"])
    other = world.topics["past_deadline"]
    elsewhere = add_comment(other, writer_comments[0].author, "Toisaalla.")
    db.session.commit()
    here = _by_id(client, world.topics["open"])[writer_comments[0].id]["author"]
    there = _by_id(client, other)[elsewhere.id]["author"]
    assert here.startswith("P-") and there.startswith("P-")
    assert here != there


@pytest.mark.parametrize("path", ["/topics/{id}", "/topics/{id}/comments"])
def test_the_contact_person_and_staff_are_not_named(client, world, path):
    topic = world.topics["open"]
    response, _body = get_json(client, API + path.format(id=topic.id))
    assert response.status_code == 200
    assert (
        leaks(response.get_data(as_text=True), ["Salla", "salla.sisalto@keitele.fi", "contact"])
        == []
    )
