"""Official replies: a reply in the organisation's name, shown at once and counted."""

from __future__ import annotations

import pytest

from eraati.consultations.models import Comment, CommentSource, CommentStatus, TopicStatus
from eraati.core.time import utcnow
from eraati.curation import services
from tests import factories
from tests.consultations.topic_support import count, make_comment, topic_path
from tests.curation.support import (
    audit,
    comment_count,
    comment_path,
    comments_of,
    field_error,
    flashes,
    no_counter_drift,
    staff_path,
    text,
)


def _replies(parent: Comment) -> list[Comment]:
    return [c for c in comments_of(parent.topic) if c.parent_id == parent.id]


def test_reply_form_shows_the_comment(browser, login_as, moderator, open_topic, comment):
    login_as(moderator)
    response = browser.get(comment_path(open_topic, comment, "official-reply"))
    page = text(response)
    assert response.status_code == 200
    assert "Aukioloajat ovat liian lyhyet." in page and "Aino Asukas" in page
    assert 'name="submission_token"' in page
    assert "<textarea" in page and 'id="body"' in page


def test_official_reply_is_published_in_the_organisations_name(
    db, browser, login_as, moderator, open_topic, comment
):
    login_as(moderator)
    before = comment_count(open_topic)
    response = browser.post(
        comment_path(open_topic, comment, "official-reply"),
        data={"body": "  Kiitos, selvitämme asiaa.  "},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == staff_path(open_topic, f"/work#c{comment.id}")
    [reply] = _replies(comment)
    assert reply.is_official and reply.author_id == moderator.id
    assert reply.body == "Kiitos, selvitämme asiaa."
    assert (reply.parent_id, reply.root_id) == (comment.id, comment.id)
    assert reply.status == CommentStatus.VISIBLE and reply.source == CommentSource.WEB
    assert reply.language == "en"  # the language of the moderator's pages
    assert comment_count(open_topic) == before + 1
    assert no_counter_drift()
    [event] = audit("comment.official_reply")
    assert event.target_id == reply.id and event.actor_id == moderator.id
    assert event.details == {
        "comment_id": reply.id,
        "topic_id": open_topic.id,
        "parent_id": comment.id,
    }
    assert "The official reply was published." in flashes(
        text(browser.get(response.headers["Location"]))
    )


def test_the_topic_page_shows_the_reply_as_the_organisations(
    db, browser, login_as, client, moderator, open_topic, comment
):
    login_as(moderator)
    browser.post(
        comment_path(open_topic, comment, "official-reply"), data={"body": "Vastaus kunnalta."}
    )
    with client.session_transaction() as session:  # now as a visitor
        session.pop("_user_id", None)
    page = text(browser.get(topic_path(open_topic)))
    assert "Vastaus kunnalta." in page and "Official reply" in page
    assert moderator.display_name not in page


def test_a_reply_to_a_reply_belongs_to_the_same_thread(
    db, browser, login_as, moderator, open_topic, comment, other_resident
):
    answer = make_comment(open_topic, other_resident, "Samaa mieltä.", parent=comment)
    db.session.commit()
    login_as(moderator)
    browser.post(comment_path(open_topic, answer, "official-reply"), data={"body": "Kiitos."})
    [reply] = _replies(answer)
    assert (reply.parent_id, reply.root_id) == (answer.id, comment.id)


def test_closed_topic_still_takes_official_replies(
    db, browser, login_as, moderator, closed_topic, resident
):
    old = make_comment(closed_topic, resident, "Vanha kommentti")
    db.session.commit()
    login_as(moderator)
    response = browser.post(
        comment_path(closed_topic, old, "official-reply"), data={"body": "Vastaus."}
    )
    assert response.status_code == 303
    assert len(_replies(old)) == 1 and comment_count(closed_topic) == 2
    assert no_counter_drift()


@pytest.mark.parametrize(
    "status",
    [TopicStatus.PUBLISHED, TopicStatus.DRAFT],
)
def test_no_official_replies_after_results_or_before_opening(
    db, browser, login_as, moderator, org, resident, status
):
    topic = factories.make_topic(org, status=status)
    old = make_comment(topic, resident, "Kommentti")
    db.session.commit()
    login_as(moderator)
    path = comment_path(topic, old, "official-reply")
    for response in (browser.get(path), browser.post(path, data={"body": "Vastaus."})):
        assert response.status_code == 303
        assert response.headers["Location"] == staff_path(topic, "/work")
    assert "not before it opens or after the results" in flashes(
        text(browser.get(staff_path(topic, "/work")))
    )
    assert _replies(old) == [] and audit() == []


@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.PENDING])
def test_no_reply_to_a_comment_that_is_not_shown(
    db, browser, login_as, moderator, open_topic, resident, status
):
    unseen = make_comment(open_topic, resident, "Ei näy", status=status)
    db.session.commit()
    login_as(moderator)
    response = browser.post(
        comment_path(open_topic, unseen, "official-reply"), data={"body": "Vastaus."}
    )
    assert response.status_code == 303
    assert _replies(unseen) == [] and audit() == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write the reply first."),
        ("  \n ", "Write the reply first."),
        ("x" * 5001, "The text is 5,001 characters long. The limit is 5,000 characters."),
    ],
)
def test_bad_reply_is_shown_again_with_the_error(
    db, browser, login_as, moderator, open_topic, comment, body, error
):
    login_as(moderator)
    before = comment_count(open_topic)
    response = browser.post(
        comment_path(open_topic, comment, "official-reply"), data={"body": body}
    )
    page = text(response)
    assert response.status_code == 422
    assert field_error(page, "body") == error
    if body.strip():
        assert body in page  # what was typed stays
    assert _replies(comment) == [] and comment_count(open_topic) == before and audit() == []


def test_the_same_reply_sent_twice_is_saved_once(
    db, browser, login_as, moderator, open_topic, comment
):
    login_as(moderator)
    data = {"body": "Kerran vain.", "submission_token": "a" * 32}
    path = comment_path(open_topic, comment, "official-reply")
    assert browser.post(path, data=data).status_code == 303
    assert browser.post(path, data=data).status_code == 303
    assert len(_replies(comment)) == 1 and len(audit()) == 1
    assert no_counter_drift()


def test_service_counts_in_the_same_transaction(db, open_topic, comment, moderator):
    """A failure later in the request rolls back the reply and its count together."""
    before = comment_count(open_topic)
    services.post_official_reply(open_topic, comment, moderator, "Vastaus", now=utcnow())
    db.session.rollback()
    assert comment_count(open_topic) == before
    assert count(Comment) == 1
