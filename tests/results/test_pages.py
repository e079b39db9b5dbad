"""The results pages: what they show, in which language, to whom, at what cost."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from eraati.consultations.models import CommentSource, CommentStatus, TopicStatus
from eraati.core.time import utcnow
from eraati.extensions import db
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.page_support import read
from tests.results.support import (
    add_comment,
    days_ago,
    html,
    public_url,
    staff_url,
    tables,
    tag,
    visible_text,
    vote,
)

# --- the staff page --------------------------------------------------------------------------


@pytest.fixture
def staff_page(client, login_as, world):
    choose_language(client, "en")
    login_as(world.users["staff"])
    response = client.get(staff_url(world.topic))
    assert response.status_code == 200
    return html(response)


def test_the_tables_hold_the_topics_numbers(staff_page):
    t = tables(staff_page)
    assert t["Comments and replies by channel"] == [
        ["Channel", "Comments", "Replies", "Together"],
        ["On the web, registered", "3", "1", "4"],
        ["On the web, without an account", "1", "1", "2"],
        ["On paper", "1", "0", "1"],
        ["At an event", "1", "0", "1"],
        ["All channels", "6", "2", "8"],
    ]
    assert t["Registered commenters by home municipality"][1:] == [
        ["Tervo", "1", "2"],
        ["Keitele", "1", "1"],
        ["Not given", "1", "1"],
    ]
    assert t["Stances on the proposal"][1:] == [
        ["Support", "2", "67%"],
        ["Oppose", "1", "33%"],
        ["Neutral", "0", "0%"],
        ["Together", "3", "100%"],
    ]
    assert t["Which option?"][1:] == [
        ["Kyllä", "1", "50%"],
        ["Ei", "1", "50%"],
        ["En osaa sanoa", "0", "0%"],
        ["People who answered", "2", ""],
    ]
    assert t["Comments by theme"][1:] == [
        ["Aukioloajat", "3"],
        ["Kokoelmat", "2"],
        ["Pysäköinti", "0"],
        ["Without a theme", "4"],
    ]
    assert t["Hidden comments by reason"][1:] == [
        ["Loukkaava", "1"],
        ["Other reasons", "1"],
        ["Hidden in total", "2"],
        ["Waiting for review", "2"],
    ]
    assert t["Comments and replies per day"][-1] == ["Together", "8"]


def test_the_moderation_note_reads_naturally_in_every_language(client, login_as, world):
    login_as(world.users["staff"])
    expected = {
        "en": "Comments waiting for review are those a moderator has not checked yet.",
        "fi": "Tarkistusta odottaviksi lasketaan kommentit, joita moderaattori ei ole vielä",
        "sv": "Som väntande på granskning räknas kommentarer som en moderator ännu inte",
    }
    for lang, words in expected.items():
        choose_language(client, lang)
        assert words in visible_text(html(client.get(staff_url(world.topic)))), lang


def test_each_chart_is_inline_svg_beside_its_table(staff_page):
    page = read(staff_page)
    blocks = [e for e in page.find("div") if e.attrs.get("class") == "result-chart"]
    assert len(blocks) == 7  # channels, municipalities, timeline, stances, 2 questions, themes
    for block in blocks:
        kinds = [c.tag for c in block.children]
        assert kinds[:2] == ["div", "div"]
        svg_holder, table_holder = block.children[:2]
        assert [c.tag for c in svg_holder.children] == ["svg"]
        assert [c.tag for c in table_holder.children] == ["table"]
    for svg in re.findall(r"<svg.*?</svg>", staff_page, re.S):
        root = ET.fromstring(svg)  # noqa: S314 - our own output
        assert root.get("role") == "img"
    assert "<script" not in staff_page


def test_the_staff_page_shows_participation_quotes_pseudonyms_and_replies(world, staff_page):
    text = visible_text(staff_page)
    assert re.search(r"Registered people who took part 4 ", text)
    assert "Kirjasto auki myös sunnuntaisin." in text  # a quote, word for word
    assert re.search(r"Participant P-[0-9a-f]{8}", text)
    assert "Feedback given at an event" in text
    assert "Selvitämme uutuuksien hankintaa." in text  # the official reply
    assert "Reply from Keitele" in text
    assert "Interim" not in text  # the topic has closed


def test_no_name_or_email_of_a_participant_appears(client, login_as, world):
    login_as(world.users["staff"])
    staff_page = html(client.get(staff_url(world.topic)))
    world.topic.status = TopicStatus.PUBLISHED
    db.session.commit()
    public_page = html(client.get(public_url(world.topic)))
    for page in (staff_page, public_page):
        main = page.split("<main", 1)[1]  # the header names the signed-in staff member
        for secret in world.secrets:
            assert secret not in main, secret
        assert "@" not in visible_text(page)


def test_an_open_topic_is_marked_interim(client, login_as, db, org, moderator):
    topic = factories.make_topic(org, title="Auki", with_poll=True)
    add_comment(topic, moderator, "Ensimmäinen")
    db.session.commit()
    choose_language(client, "en")
    login_as(moderator)
    page = html(client.get(staff_url(topic)))
    assert "Interim figures." in page
    assert 'class="notice result-interim" role="note"' in page


def _grow(world, start: int, stop: int) -> None:
    """Comments ``start..stop-1`` of every kind: registered ones from two homes, tagged,
    some key, with votes and official replies; anonymous, paper, hidden and waiting ones."""
    topic, org = world.topic, world.org
    tervo = factories.make_org(f"koti{start}", f"Koti {start}")
    for n in range(start, stop):
        author = factories.make_user(f"k{n}@example.fi", name=f"Kirjoittaja {n}")
        factories.set_home(author, tervo if n % 2 else org)
        comment = add_comment(topic, author, f"Kommentti {n}", agree_count=n, is_key=n % 3 == 0)
        tag(comment, world.themes["hours" if n % 2 else "books"])
        vote(comment, world.users["sanna"])
        if n % 4 == 0:
            add_comment(
                topic, world.users["staff"], f"Vastaus {n}", parent=comment, is_official=True
            )
        if n % 5 == 0:
            add_comment(topic, None, f"Nimetön {n}", nickname=f"Nimimerkki {n}")
            add_comment(
                topic,
                None,
                f"Paperi {n}",
                source=CommentSource.PAPER,
                received_on=days_ago(n % 20).date(),
            )
            add_comment(
                topic,
                author,
                f"Piilotettu {n}",
                status=CommentStatus.HIDDEN,
                hidden_reason_id=world.reason.id,
                hidden_at=utcnow(),
            )
            add_comment(topic, author, f"Odottaa {n}", status=CommentStatus.PENDING)
    db.session.commit()


def test_the_staff_page_costs_the_same_queries_for_5_and_50_comments(browser, login_as, world):
    login_as(world.users["staff"])
    counts = []
    for start, stop in ((0, 5), (5, 50)):
        _grow(world, start, stop)
        response = browser.get(staff_url(world.topic))
        assert response.status_code == 200
        assert f"Kommentti {stop - 1}" in html(response)  # the most agreed: a quote
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


def test_the_public_page_costs_the_same_queries_for_5_and_50_comments(browser, db, world):
    world.topic.status = TopicStatus.PUBLISHED
    db.session.commit()
    counts = []
    for start, stop in ((0, 5), (5, 50)):
        _grow(world, start, stop)
        assert browser.get(public_url(world.topic)).status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


# --- the public page -------------------------------------------------------------------------


def test_the_public_page_is_not_found_before_publication(client, db, world):
    assert client.get(public_url(world.topic)).status_code == 404  # closed
    world.topic.status = TopicStatus.OPEN
    world.topic.closes_at = utcnow().replace(year=utcnow().year + 1)
    db.session.commit()
    assert client.get(public_url(world.topic)).status_code == 404  # open
    world.topic.status = TopicStatus.DRAFT
    db.session.commit()
    assert client.get(public_url(world.topic)).status_code == 404  # draft


def test_the_public_page_after_publication(client, published_world):
    choose_language(client, "en")
    response = client.get(public_url(published_world.topic))
    assert response.status_code == 200
    page = html(response)
    t = tables(page)
    assert t["Comments and replies by channel"][-1] == ["All channels", "6", "2", "8"]
    # Small municipalities merged: nobody's home can be told from the page.
    assert t["Registered commenters by home municipality"][1:] == [
        ["Other municipalities or not given", "3", "4"]
    ]
    text = visible_text(page)
    assert "Kirjasto auki myös sunnuntaisin." in text
    assert not re.search(r"Participant P-[0-9a-f]{8}", text)  # no pseudonyms in public
    assert "Registered participant" in text
    assert t["Hidden comments by reason"][-1] == ["Waiting for review", "2"]


def test_the_public_page_starts_with_the_decision(client, db, published_world):
    # Followers arrive here from the results e-mail: what was decided is on this page.
    topic = published_world.topic
    text = topic.text("fi")
    text.decision_outcome = "Kunnanhallitus päätti pitää kirjaston auki sunnuntaisin."
    text.feedback_use = "Aukioloajat valittiin kyselyn vastausten mukaan."
    topic.minutes_url = "https://example.fi/poytakirja"
    db.session.commit()
    choose_language(client, "en")
    page = html(client.get(public_url(topic)))
    decision = page.split('aria-labelledby="decision-title"')[1].split("</section>")[0]
    assert '<h2 id="decision-title">The decision</h2>' in decision
    assert "Kunnanhallitus päätti pitää kirjaston auki sunnuntaisin." in decision
    assert "Aukioloajat valittiin kyselyn vastausten mukaan." in decision
    assert 'href="https://example.fi/poytakirja"' in decision
    assert page.index("decision-title") < page.index("Comments and replies by channel")


def test_the_public_page_without_a_decision_text_has_no_empty_section(client, published_world):
    page = html(client.get(public_url(published_world.topic)))
    assert "decision-title" not in page


def test_an_unknown_topic_or_organisation_is_not_found(client, published_world):
    assert client.get("/keitele/ei-ole/results").status_code == 404
    assert client.get(f"/ei-ole/{published_world.topic.slug}/results").status_code == 404


# --- languages -------------------------------------------------------------------------------

ENGLISH_ONLY = [
    "Participation",
    "Comments and replies by channel",
    "Registered people who took part",
    "On the web, registered",
    "Stances on the proposal",
    "Comments by theme",
    "Key comments",
    "Official replies",
    "Hidden comments by reason",
    "Results and figures",
    "On this page",
]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pages_speak_each_language(client, login_as, db, world, lang):
    choose_language(client, lang)
    login_as(world.users["staff"])
    staff_page = html(client.get(staff_url(world.topic)))
    world.topic.status = TopicStatus.PUBLISHED
    db.session.commit()
    public_page = html(client.get(public_url(world.topic)))
    for page in (staff_page, public_page):
        assert f'<html lang="{lang}">' in page
        text = visible_text(page)
        for english in ENGLISH_ONLY:
            if english == "Results and figures" and page is public_page:
                continue
            if lang == "en":
                assert english in text, english
            else:
                assert english not in text, (lang, english)
    if lang == "fi":
        assert "Osallistuja " in visible_text(staff_page)
        assert "Kommentit ja vastaukset kanavittain" in visible_text(staff_page)
    if lang == "sv":
        assert "Deltagare " in visible_text(staff_page)
