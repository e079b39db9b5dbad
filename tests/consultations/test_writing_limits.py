"""Residents' writing limits (``consultations.views.limits``), with the production settings:
per account, a refused comment or report comes back with its text, a refused vote, stance
or follow returns to where the resident was and says when to try again."""

from __future__ import annotations

import html
import re
import uuid

import pytest
import sqlalchemy as sa

from config import Config
from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentVote,
    Follow,
    TopicStance,
)
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import Browser, choose_language, make_comment, topic_path

SETTINGS = (
    "COMMENT_RATE_LIMIT",
    "VOTE_RATE_LIMIT",
    "STANCE_RATE_LIMIT",
    "FLAG_RATE_LIMIT",
    "FOLLOW_RATE_LIMIT",
    "ANONYMOUS_COMMENT_RATE_LIMIT",
    "ANONYMOUS_COMMENT_ADDRESS_LIMIT",
)


@pytest.fixture(autouse=True)
def production_limits(rate_limit):
    for name in SETTINGS:
        rate_limit(name, getattr(Config, name))


def _comment(browser, topic, body: str, **data):
    data.update(body=body, submission_token=uuid.uuid4().hex)
    return browser.post(topic_path(topic, "/comments"), data=data)


def _bodies(db, topic) -> list[str]:
    return list(db.session.scalars(sa.select(Comment.body).where(Comment.topic_id == topic.id)))


def _flashes(browser) -> str:
    page = browser.get("/").get_data(as_text=True)
    match = re.search(r'<div class="flashes".*?</div>', page, re.S)
    return html.unescape(match.group(0)) if match else ""


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no {name} textarea"
    return html.unescape(match.group(1)).strip()


def test_a_residents_eleventh_comment_in_ten_minutes_comes_back_with_its_text(
    db, app, browser, login_as, open_topic, resident, other_resident
):
    login_as(resident)
    answers = [_comment(browser, open_topic, f"Kommentti numero {n}.") for n in range(40)]

    assert [r.status_code for r in answers[:10]] == [303] * 10
    assert {r.status_code for r in answers[10:]} == {429}
    assert len(_bodies(db, open_topic)) == 10
    refused = answers[-1]
    assert 9 * 60 < int(refused.headers["Retry-After"]) <= 10 * 60
    page = refused.get_data(as_text=True)
    assert _textarea(page, "body") == "Kommentti numero 39."  # the words are kept
    message = tr(
        "You have sent many comments in a short time. You can send this one %(wait)s. "
        "Your text is kept below.",
        "fi",
        wait="10 minuutin kuluttua",
    )
    assert message in html.unescape(page)
    assert 'role="alert"' in page and tr("Please wait a moment", "fi") in page

    login_as(other_resident)  # the limit is the account's, not everyone's
    assert _comment(browser, open_topic, "Toisen asukkaan kommentti.").status_code == 303


def test_a_refused_reply_comes_back_under_its_comment(
    db, app, client, browser, login_as, open_topic, resident, other_resident
):
    parent = make_comment(open_topic, other_resident, "Mitä mieltä olette?")
    db.session.commit()
    login_as(resident)
    choose_language(client, "sv")
    for n in range(10):
        assert (
            _comment(browser, open_topic, f"Svar {n}", parent_id=str(parent.id)).status_code == 303
        )

    refused = _comment(browser, open_topic, "Mitt elfte svar.", parent_id=str(parent.id))

    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    reply_form = re.search(r'<form[^>]*id="reply-form".*?</form>', page, re.S).group(0)
    assert _textarea(reply_form, "body") == "Mitt elfte svar."
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in reply_form
    assert "om 10 minuter" in html.unescape(reply_form)
    assert "Mitt elfte svar." not in _bodies(db, open_topic)


@pytest.fixture
def anonymous_topic(db, org):
    topic = factories.make_topic(org, slug="avoin", allow_anonymous=True)
    db.session.commit()
    return topic


def test_a_browsers_sixth_anonymous_comment_comes_back_with_its_text_and_nickname(
    db, app, browser, anonymous_topic
):
    topic = anonymous_topic
    for n in range(5):
        assert _comment(browser, topic, f"Viesti {n}", nickname="Naapuri").status_code == 303

    refused = _comment(browser, topic, "Kuudes viesti samasta selaimesta.", nickname="Naapuri")

    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert _textarea(page, "body") == "Kuudes viesti samasta selaimesta."
    assert re.search(r'<input[^>]*name="nickname"[^>]*value="Naapuri"', page)
    assert 9 * 60 < int(refused.headers["Retry-After"]) <= 10 * 60
    assert len(_bodies(db, topic)) == 5

    # The same address, another browser: the first browser's limit is its own.
    other = Browser(app, app.test_client())
    assert _comment(other, topic, "Toinen selain.", nickname="Vieras").status_code == 303


def test_thirty_browsers_behind_one_address_each_comment(db, app, anonymous_topic):
    """A library's digital-help evening: thirty residents, one public address."""
    answers = [
        _comment(Browser(app, app.test_client()), anonymous_topic, f"Asukas {n}", nickname="Asukas")
        for n in range(30)
    ]

    assert [r.status_code for r in answers] == [303] * 30
    assert len(_bodies(db, anonymous_topic)) == 30


def test_a_script_that_drops_its_cookies_meets_the_address_limit(db, app, anonymous_topic):
    script = Browser(app, app.test_client(use_cookies=False))  # a new browser each time
    answers = [
        _comment(script, anonymous_topic, f"Mainos {n}", nickname="Botti") for n in range(62)
    ]

    assert [r.status_code for r in answers[:60]] == [303] * 60
    assert {r.status_code for r in answers[60:]} == {429}
    assert len(_bodies(db, anonymous_topic)) == 60
    # A browser of the same address waits too: the address is full.
    person = Browser(app, app.test_client())
    assert _comment(person, anonymous_topic, "Asukas.", nickname="Asukas").status_code == 429


def test_a_browser_refused_by_its_own_limit_does_not_fill_the_address(
    db, app, browser, rate_limit, anonymous_topic
):
    rate_limit("ANONYMOUS_COMMENT_ADDRESS_LIMIT", "10 per 10 minutes")
    statuses = [
        _comment(browser, anonymous_topic, f"Viesti {n}", nickname="Kiire").status_code
        for n in range(20)
    ]
    assert statuses == [303] * 5 + [429] * 15

    others = [Browser(app, app.test_client()) for _ in range(5)]
    assert [
        _comment(o, anonymous_topic, "Muu asukas.", nickname="Muu").status_code for o in others
    ] == [303] * 5


def test_votes_are_limited_per_account_and_return_to_the_comment(
    db, browser, login_as, open_topic, resident, other_resident
):
    comment = make_comment(open_topic, other_resident, "Äänestä tätä.")
    db.session.commit()
    login_as(resident)
    vote_path = topic_path(open_topic, f"/comments/{comment.id}/vote")
    choices = ["agree", "disagree"] * 60  # 120 votes, each a change
    for choice in choices:
        assert browser.post(vote_path, data={"value": choice}).status_code == 303

    refused = browser.post(vote_path, data={"value": "pass"})

    assert refused.status_code == 303
    assert refused.headers["Location"].endswith(f"#c{comment.id}")
    vote = db.session.scalar(sa.select(CommentVote).where(CommentVote.comment_id == comment.id))
    assert vote.value == "disagree"  # the 121st vote was not saved
    flashes = _flashes(browser)
    assert (
        tr(
            "You have voted many times in a short time. You can vote again %(wait)s.",
            "fi",
            wait="10 minuutin kuluttua",
        )
        in flashes
    )


def test_stances_are_limited_per_account(db, browser, login_as, open_topic, resident):
    login_as(resident)
    stance_path = topic_path(open_topic, "/stance")
    for choice in ["support", "oppose"] * 10:
        assert browser.post(stance_path, data={"stance": choice}).status_code == 303

    refused = browser.post(stance_path, data={"stance": "neutral"})

    assert refused.status_code == 303
    assert refused.headers["Location"].endswith("#stance")
    assert db.session.scalar(sa.select(TopicStance.stance)) == "oppose"
    assert "10 minuutin kuluttua" in _flashes(browser)


def test_follows_are_limited_per_account(db, browser, login_as, open_topic, resident):
    login_as(resident)
    for _ in range(15):
        assert browser.post(topic_path(open_topic, "/follow")).status_code == 303
        assert browser.post(topic_path(open_topic, "/unfollow")).status_code == 303

    refused = browser.post(topic_path(open_topic, "/follow"))

    assert refused.status_code == 303
    assert refused.headers["Location"].endswith("#follow")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 0
    assert "10 minuutin kuluttua" in _flashes(browser)


def test_a_refused_report_comes_back_with_its_reason_and_details(
    db, browser, login_as, open_topic, resident, other_resident
):
    comments = [make_comment(open_topic, other_resident, f"Viesti {n}") for n in range(11)]
    db.session.commit()
    login_as(resident)
    answers = [
        browser.post(
            topic_path(open_topic, f"/comments/{c.id}/flag"),
            data={"reason": "spam", "details": f"Mainos numero {n}"},
        )
        for n, c in enumerate(comments)
    ]

    assert [r.status_code for r in answers[:10]] == [303] * 10
    refused = answers[10]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 50 * 60  # 10 per hour
    page = refused.get_data(as_text=True)
    assert _textarea(page, "details") == "Mainos numero 10"
    assert re.search(r'<input checked[^>]*value="spam"', page)
    assert "1 tunnin kuluttua" in html.unescape(page)
    flagged = db.session.scalars(sa.select(CommentFlag.comment_id))
    assert comments[10].id not in set(flagged)
