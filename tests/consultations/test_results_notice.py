"""A commenter may ask, on the comment form, to hear when the results are published:
that follows the topic (followers get the results e-mail)."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa

from eraati.consultations.models import Follow, Topic
from tests.consultations.topic_support import topic_path


def _post(browser, topic, **data):
    data.setdefault("submission_token", uuid.uuid4().hex)
    return browser.post(topic_path(topic, "/comments"), data=data)


def _follows(db, topic) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Follow).where(Follow.topic_id == topic.id)
    )


def test_ticking_the_box_follows_the_topic_once(db, browser, login_as, open_topic, resident):
    login_as(resident)
    page = browser.get(topic_path(open_topic)).get_data(as_text=True)
    assert 'name="notify_results"' in page
    assert _post(browser, open_topic, body="Hyvä asia", notify_results="y").status_code == 303
    assert _post(browser, open_topic, body="Toinenkin", notify_results="y").status_code == 303
    assert _follows(db, open_topic) == 1
    assert db.session.get(Topic, open_topic.id).follower_count == 1
    # Once following, the form no longer offers it.
    page = browser.get(topic_path(open_topic)).get_data(as_text=True)
    assert 'name="notify_results"' not in page


def test_without_the_box_nothing_is_followed(db, browser, login_as, open_topic, resident):
    login_as(resident)
    assert _post(browser, open_topic, body="Hyvä asia").status_code == 303
    assert _follows(db, open_topic) == 0


def test_a_rejected_comment_follows_nothing(db, browser, login_as, open_topic, resident):
    login_as(resident)
    response = _post(browser, open_topic, body="", notify_results="y")
    assert response.status_code == 422
    box = re.search(r"<input[^>]*notify_results[^>]*>", response.get_data(as_text=True))
    assert box and "checked" in box.group(0)  # what was ticked stays ticked
    assert _follows(db, open_topic) == 0


def test_anonymous_form_has_no_box(db, browser, org):
    from tests import factories

    topic = factories.make_topic(org, slug="avoin", title="Avoin", allow_anonymous=True)
    db.session.commit()
    page = browser.get(topic_path(topic)).get_data(as_text=True)
    assert 'name="nickname"' in page and 'name="notify_results"' not in page
