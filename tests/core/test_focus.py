"""After a form is sent, keyboard focus lands on what changed, without JavaScript."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Comment
from tests.consultations.topic_support import make_comment, topic_path


def _focused(page: str) -> list[str]:
    """The ids of the elements the page focuses on load."""
    return re.findall(r'id="([^"]+)" tabindex="-1" autofocus', page)


def test_new_comment_is_focused_once(db, browser, login_as, open_topic, resident):
    login_as(resident)
    posted = browser.post(
        topic_path(open_topic, "/comments"),
        data={"body": "Kirjasto auki lauantaisin.", "submission_token": uuid.uuid4().hex},
        follow_redirects=True,
    )
    new = db.session.scalar(sa.select(Comment.id).where(Comment.author_id == resident.id))
    assert _focused(posted.get_data(as_text=True)) == [f"c{new}"]
    again = browser.get(topic_path(open_topic))  # a later visit starts at the top again
    assert _focused(again.get_data(as_text=True)) == []


def test_a_reply_is_focused(db, browser, login_as, open_topic, resident, other_resident):
    parent = make_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    page = browser.post(
        topic_path(open_topic, "/comments"),
        data={
            "body": "Samaa mieltä.",
            "parent_id": parent.id,
            "submission_token": uuid.uuid4().hex,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    reply = db.session.scalar(sa.select(Comment.id).where(Comment.parent_id == parent.id))
    assert _focused(page) == [f"c{reply}"]


@pytest.mark.parametrize(
    ("path", "data", "target"),
    [
        ("/stance", {"stance": "support"}, "stance"),
        ("/follow", {}, "follow"),
    ],
)
def test_participation_returns_focus_to_the_changed_control(
    db, browser, login_as, open_topic, resident, path, data, target
):
    login_as(resident)
    page = browser.post(topic_path(open_topic, path), data=data, follow_redirects=True)
    assert _focused(page.get_data(as_text=True)) == [target]


def test_failed_form_focuses_the_error_summary(browser, login_as, open_topic, resident):
    login_as(resident)
    page = browser.post(
        topic_path(open_topic, "/comments"), data={"body": "", "submission_token": uuid.uuid4().hex}
    ).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>', page).group(0)
    assert 'tabindex="-1"' in summary and "autofocus" in summary


def test_anonymous_comment_waiting_for_review_focuses_the_message(db, browser, org):
    from tests import factories

    topic = factories.make_topic(org, slug="nimetön", allow_anonymous=True, premoderated=True)
    db.session.commit()
    page = browser.post(
        topic_path(topic, "/comments"),
        data={
            "body": "Hyvä ajatus.",
            "nickname": "Kyläläinen",
            "submission_token": uuid.uuid4().hex,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert _focused(page) == ["messages"]
