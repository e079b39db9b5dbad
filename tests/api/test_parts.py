"""A comment on a part of a draft carries in the API the part (its number and titles),
the paragraph and the paragraph's text as quoted (issue 20 A); other comments carry
nulls, and a page of part comments costs the same statements whatever its size."""

from __future__ import annotations

from tests import factories
from tests.api.support import API, get_json
from tests.consultations.topic_support import Browser, make_comment
from tests.parts.support import make_parts


def test_a_paragraph_comment_carries_its_part_paragraph_and_quote(client, db, org):
    org.languages = "fi,sv"
    topic = factories.make_topic(org, slug="strategia")
    parts = make_parts(topic, 2, sv=True)
    on_paragraph = make_comment(
        topic, None, "Kappaleesta", nickname="Lukija", part_id=parts[1].id, paragraph=2,
        paragraph_quote="Toinen kappale kertoo tavoitteen.",
    )  # fmt: skip
    on_part = make_comment(topic, None, "Osasta", nickname="Lukija", part_id=parts[0].id)
    whole = make_comment(topic, None, "Koko aiheesta", nickname="Lukija")
    db.session.commit()
    _response, body = get_json(client, f"{API}/topics/{topic.id}/comments")
    by_id = {c["id"]: c for c in body["data"]}
    assert by_id[on_paragraph.id]["part"] == {"number": 2, "title": {"fi": "Osa 2", "sv": "Del 2"}}
    assert by_id[on_paragraph.id]["paragraph"] == 2
    assert by_id[on_paragraph.id]["paragraph_quote"] == "Toinen kappale kertoo tavoitteen."
    assert by_id[on_part.id]["part"]["number"] == 1
    assert (by_id[on_part.id]["paragraph"], by_id[on_part.id]["paragraph_quote"]) == (None, None)
    assert (by_id[whole.id]["part"], by_id[whole.id]["paragraph"]) == (None, None)
    assert by_id[whole.id]["paragraph_quote"] is None


def test_a_page_of_part_comments_costs_the_same_for_3_and_30(app, client, db, org):
    def topic_with(rows: int) -> int:
        topic = factories.make_topic(org, slug=f"osat-{rows}")
        parts = make_parts(topic, 3)
        for i in range(rows):
            make_comment(topic, None, f"Kommentti {i}", nickname="Lukija",
                         part_id=parts[i % 3].id, paragraph=i % 4 or None)  # fmt: skip
        db.session.commit()
        return topic.id

    counts = []
    for topic_id in (topic_with(3), topic_with(30)):
        browser = Browser(app, client)
        assert browser.get(f"{API}/topics/{topic_id}/comments?limit=50").status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


def test_the_topic_lists_its_parts_in_order_with_their_texts(app, client, db, org):
    org.languages = "fi,sv"
    topic = factories.make_topic(org, slug="strategia-osat")
    make_parts(topic, 2, sv=True)
    db.session.commit()
    _response, body = get_json(client, f"{API}/topics/{topic.id}")
    assert [p["number"] for p in body["parts"]] == [1, 2]
    assert body["parts"][1]["title"] == {"fi": "Osa 2", "sv": "Del 2"}
    assert set(body["parts"][0]["bodies_html"]) == {"fi", "sv"}
    assert "<p>" in body["parts"][0]["bodies_html"]["fi"]
    assert body["parts"][1]["html_url"].endswith(f"/{org.slug}/strategia-osat/parts/2")
    browser = Browser(app, client)
    assert browser.get(f"{API}/topics/{topic.id}").status_code == 200
    with_two = browser.queries
    make_parts(topic, 3)
    db.session.commit()
    assert browser.get(f"{API}/topics/{topic.id}").status_code == 200
    assert browser.queries == with_two
