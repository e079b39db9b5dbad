"""What residents may and may not do, checked over HTTP as a browser would.

The front page across organisations, stable addresses, the deadline on the topic page,
sanitised rich text against the usual tricks, closed topics being read-only (notice,
edit, reply, delete), and votes, stances and poll answers needing an account even where
anonymous comments are allowed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from eraati.consultations.models import (
    Answer,
    Comment,
    CommentStatus,
    CommentVote,
    TopicStance,
    TopicStatus,
)
from eraati.core.time import HELSINKI, local, utcnow
from tests import factories
from tests.consultations.topic_support import Browser, choose_language, count, make_comment
from tests.consultations.topic_support import topic_path as path

EN = {"Accept-Language": "en"}


@pytest.fixture
def browser(app, client):
    choose_language(client, "en")
    return Browser(app, client)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _topic_links(page: str) -> list[str]:
    return re.findall(r'<h2 id="topic-\d+-title"[^>]*>\s*<a href="([^"]+)"', page)


# --- front page and addresses ------------------------------------------------------------------


def test_front_page_lists_open_topics_of_every_organisation_latest_deadline_first(
    db, browser, org, other_org
):
    sote = factories.make_org("sote", "Ylä-Savon SOTE")
    factories.make_topic(org, slug="kolme", closes_in=timedelta(days=3))
    factories.make_topic(other_org, slug="kolmekymmenta", closes_in=timedelta(days=30))
    factories.make_topic(sote, slug="kymmenen", closes_in=timedelta(days=10))
    factories.make_topic(org, slug="mennyt", opens_in=timedelta(days=-9), closes_in=-timedelta(1))
    db.session.commit()

    page = _text(browser.get("/"))

    assert _topic_links(page) == ["/vierema/kolmekymmenta", "/sote/kymmenen", "/keitele/kolme"]


def test_topic_address_is_made_of_slugs_and_survives_a_new_title(db, browser, org):
    topic = factories.make_topic(org, slug="uimahallin-aukiolo", title="Uimahallin aukiolo")
    db.session.commit()
    assert _topic_links(_text(browser.get("/"))) == ["/keitele/uimahallin-aukiolo"]

    topic.translations[0].title = "Uimahallin aukioloajat 2027"
    db.session.commit()

    response = browser.get("/keitele/uimahallin-aukiolo")
    assert response.status_code == 200
    assert "Uimahallin aukioloajat 2027" in _text(response)
    assert _topic_links(_text(browser.get("/keitele"))) == ["/keitele/uimahallin-aukiolo"]


# --- topic page --------------------------------------------------------------------------------


def test_topic_page_shows_the_deadline_without_decision_details(db, browser, org):
    topic = factories.make_topic(org, slug="lyhyt", closes_in=timedelta(days=5), deciding_body="")
    topic.case_number = None
    db.session.commit()
    page = _text(browser.get(path(topic)))
    header = re.search(r'<header class="topic-header">.*?</header>', page, re.S).group(0)
    assert f'<time datetime="{topic.closes_at.isoformat()}">' in header


@pytest.mark.parametrize(
    "trick",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">linkki</a>',
        '<a href="JaVaScRiPt:alert(1)">linkki</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
        '<p style="position:fixed">teksti</p>',
        '<form action="https://evil.example"><button>OK</button></form>',
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_organisation_text_is_sanitised(db, browser, org, trick):
    topic = factories.make_topic(org, slug="kuvaus")
    topic.translations[0].body = f"<p>Alku</p>{trick}<p>Loppu</p>"
    db.session.commit()
    page = _text(browser.get(path(topic)))
    content = re.search(r'<div class="topic-content readable"[^>]*>.*?</div>', page, re.S).group(0)
    assert "<p>Alku</p>" in content and "<p>Loppu</p>" in content
    for bad in ("<img", "onerror", "javascript:", "<iframe", "<style", "<svg", "onload", "style="):
        assert bad not in content.lower(), bad
    assert "<form" not in content and "<script" not in content


def test_most_agreed_order_is_not_the_age_order(db, browser, open_topic, resident):
    old = make_comment(open_topic, resident, "vanha", age=timedelta(hours=3), agree_count=1)
    liked = make_comment(open_topic, resident, "pidetty", age=timedelta(hours=2), agree_count=7)
    new = make_comment(open_topic, resident, "uusi", age=timedelta(hours=1), agree_count=2)
    db.session.commit()

    def order(query: str) -> list[int]:
        page = _text(browser.get(path(open_topic) + query))
        return [int(i) for i in re.findall(r'<article id="c(\d+)"', page)]

    assert order("?sort=agreed") == [liked.id, new.id, old.id]
    assert order("?sort=oldest") == [old.id, liked.id, new.id]
    assert order("") == [new.id, liked.id, old.id]


# --- closed topics -----------------------------------------------------------------------------


def test_topic_closed_early_says_so(db, browser, org):
    topic = factories.make_topic(org, slug="keskeytetty", status=TopicStatus.CLOSED)
    db.session.commit()
    page = _text(browser.get(path(topic)))
    assert "This consultation has been closed; comments and votes are no longer accepted." in page
    assert 'id="comment-form"' not in page and 'name="stance"' not in page


def test_closed_topic_refuses_edit_and_reply(
    db, browser, login_as, closed_topic, resident, other_resident
):
    fresh = make_comment(closed_topic, resident, "Tuore", age=timedelta(minutes=1))
    theirs = make_comment(closed_topic, other_resident, "Toisen")
    db.session.commit()
    login_as(resident)

    page = _text(browser.get(path(closed_topic)))
    assert f"/comments/{fresh.id}/edit" not in page
    assert "reply_to=" not in page and 'name="body"' not in page

    edit = browser.post(path(closed_topic, f"/comments/{fresh.id}/edit"), data={"body": "Muutos"})
    assert edit.status_code == 303
    reply = browser.post(
        path(closed_topic, "/comments"),
        data={"body": "Vastaus", "parent_id": str(theirs.id), "submission_token": "a" * 32},
    )
    assert reply.status_code == 303
    assert db.session.get(Comment, fresh.id).body == "Tuore"
    assert count(Comment) == 2


def test_closed_topic_refuses_deleting_a_comment(db, browser, login_as, closed_topic, resident):
    comment = make_comment(closed_topic, resident, "Jää arkistoon")
    db.session.commit()
    login_as(resident)
    page = _text(browser.get(path(closed_topic)))
    browser.post(path(closed_topic, f"/comments/{comment.id}/delete"))
    assert f"/comments/{comment.id}/delete" not in page
    comment = db.session.get(Comment, comment.id)
    assert (comment.status, comment.body) == (CommentStatus.VISIBLE, "Jää arkistoon")


# --- an account for votes, stances and poll answers ---------------------------------------------


def test_anonymous_topic_still_needs_an_account_to_vote_take_a_stand_or_answer(
    db, browser, org, other_resident
):
    topic = factories.make_topic(org, slug="avoin", allow_anonymous=True, with_poll=True)
    comment = make_comment(topic, other_resident)
    db.session.commit()
    single, multiple = topic.questions

    page = _text(browser.get(path(topic)))
    assert 'name="nickname"' in page  # anonymous comments are welcome here ...
    assert 'name="stance"' not in page and 'name="value"' not in page  # ... votes are not
    assert not re.search(r'name="q\d+"', page)

    for url, data in [
        (path(topic, f"/comments/{comment.id}/vote"), {"value": "agree"}),
        (path(topic, "/stance"), {"stance": "support"}),
        (
            path(topic, "/poll"),
            {f"q{single.id}": single.options[0].id, f"q{multiple.id}": multiple.options[0].id},
        ),
    ]:
        response = browser.post(url, data=data)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/account/login"), url
    assert count(CommentVote) == count(TopicStance) == count(Answer) == 0


# --- upcoming topics ---------------------------------------------------------------------------


@pytest.fixture
def upcoming_topic(db, org):
    topic = factories.make_topic(
        org,
        slug="tuleva",
        title="Tuleva kuuleminen",
        opens_in=timedelta(days=5),
        closes_in=timedelta(days=30),
        allow_anonymous=True,
        with_poll=True,
    )
    db.session.commit()
    return topic


def test_an_upcoming_topic_has_a_public_page_with_its_texts_and_opening_time(
    db, browser, upcoming_topic
):
    response = browser.get(path(upcoming_topic))  # a visitor: no log-in redirect, no 403
    assert response.status_code == 200
    page = " ".join(_text(response).split())
    assert "Tuleva kuuleminen" in page and "<p>Kuvaus</p>" in page  # the texts
    assert "The decision this consultation prepares" in page and "Kunnanhallitus" in page
    opens = upcoming_topic.opens_at.isoformat()
    assert f'<strong>Opens <time datetime="{opens}">' in page
    assert "Only the organisation's staff can see this page" not in page
    assert 'id="write"' not in page and 'name="nickname"' not in page  # nothing to send yet
    assert 'name="stance"' not in page and not re.search(r'name="q\d+"', page)
    assert 'class="badge">Not open yet</span>' in page
    # Listed where people look for it: the organisation's page and the front page's filter.
    for listing in ("/keitele?status=upcoming", "/?status=upcoming", "/?status=all"):
        assert path(upcoming_topic) in _text(browser.get(listing)), listing


def _visible(page: str) -> str:
    """The page's text without tags; only ASCII white space is squeezed (a no-break space
    is part of what the reader sees)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize(
    ("lang", "status"),
    [
        ("fi", "Avautuu 12.1.{year}\u00a0klo\u00a09.00"),
        ("sv", "Öppnas 12.1.{year}\u00a0kl.\u00a09.00"),
        ("en", "Opens 12 Jan {year}\u00a0at\u00a09.00"),
    ],
)
def test_an_upcoming_topic_says_when_it_opens_the_same_in_the_lists_and_on_its_page(
    db, browser, client, upcoming_topic, lang, status
):
    year = local(utcnow()).year + 1  # always ahead: 9.00 in Helsinki on 12 January
    upcoming_topic.opens_at = datetime(year, 1, 12, 9, 0, tzinfo=HELSINKI).astimezone(UTC)
    upcoming_topic.closes_at = upcoming_topic.opens_at + timedelta(days=30)
    db.session.commit()
    choose_language(client, lang)
    expected = status.format(year=year)

    page = _visible(_text(browser.get(path(upcoming_topic))))
    assert f"{expected}." in page  # the notice at the top of the page
    for listing in ("/?status=upcoming", "/keitele?status=upcoming"):
        card = _visible(_text(browser.get(listing)).split(path(upcoming_topic), 1)[1])
        assert expected in card.split("Tuleva kuuleminen", 1)[-1][:300], listing


def test_an_upcoming_topic_shows_its_poll_to_read_without_answering_or_results(
    db, browser, login_as, upcoming_topic, resident
):
    login_as(resident)  # signed in and verified: still nothing to answer before it opens
    page = _text(browser.get(path(upcoming_topic)))
    # The stance and the poll: what comes before the follow button.
    view = page.split('id="your-view"', 1)[1].split('id="follow"', 1)[0]
    poll = page.split('id="poll"', 1)[1].split("</section>", 1)[0]
    for question in upcoming_topic.questions:
        assert question.text("en") in poll
        for option in question.options:
            assert re.search(rf"<li( lang=\"fi\")?>{re.escape(option.text('en'))}</li>", poll)
    assert "One option can be chosen." in poll and "One or more options can be chosen." in poll
    assert "The poll can be answered once the consultation opens." in poll
    # Read-only: no form, no field, no button; and no results or counts.
    assert "<form" not in view and "<input" not in view and "<button" not in view
    assert "/poll" not in page and 'name="stance"' not in page
    for figure in ("Results", "No answers yet", "people answered", "Support 0", "<meter"):
        assert figure not in view, figure


def test_nothing_can_be_sent_to_an_upcoming_topic(db, browser, login_as, upcoming_topic, resident):
    single, multiple = upcoming_topic.questions
    anonymous = browser.post(
        path(upcoming_topic, "/comments"),
        data={"body": "Liian aikaisin", "nickname": "Kesäasukas", "submission_token": "t" * 32},
    )
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == path(upcoming_topic)
    login_as(resident)
    attempts = [
        (
            path(upcoming_topic, "/comments"),
            {"body": "Liian aikaisin", "submission_token": "x" * 32},
        ),
        (path(upcoming_topic, "/stance"), {"stance": "support"}),
        (
            path(upcoming_topic, "/poll"),
            {f"q{single.id}": single.options[0].id, f"q{multiple.id}": multiple.options[0].id},
        ),
    ]
    for url, data in attempts:
        response = browser.post(url, data=data)
        assert response.status_code == 303, url
        assert response.headers["Location"].startswith(path(upcoming_topic)), url
        page = " ".join(_text(browser.get(path(upcoming_topic))).split())
        assert "This consultation opens on" in page, url
        assert "closed" not in page.split('class="flashes"')[1].split("</div>")[0], url
    assert count(Comment) == count(TopicStance) == count(Answer) == 0
