"""Writing on a topic: post, reply, edit, delete and report comments."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations import services
from eraati.consultations.models import Comment, CommentFlag, CommentStatus, FlagReason, Topic
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from tests import factories
from tests.consultations.topic_support import (
    Browser,
    choose_language,
    count,
    make_comment,
    topic_path,
)

EN = {"Accept-Language": "en"}


@pytest.fixture
def browser(app, client):
    choose_language(client, "en")  # messages in English, whoever is signed in
    return Browser(app, client)


@pytest.fixture
def anonymous_topic(db, org):
    topic = factories.make_topic(org, slug="avoin", allow_anonymous=True)
    db.session.commit()
    return topic


def _text(response) -> str:
    return response.get_data(as_text=True)


def _flashes(browser) -> str:
    """The next page's flash messages."""
    page = _text(browser.get("/", headers=EN))
    match = re.search(r'<div class="flashes".*?</div>', page, re.S)
    return match.group(0) if match else ""


def _comments(topic: Topic) -> list[Comment]:
    return list(
        _db.session.scalars(
            sa.select(Comment).where(Comment.topic_id == topic.id).order_by(Comment.id)
        )
    )


def _token() -> str:
    return uuid.uuid4().hex


# --- the service -------------------------------------------------------------------------------


def test_post_comment_counts_visible_comments_and_threads_replies(
    db, open_topic, resident, other_resident
):
    root = services.post_comment(open_topic, resident, "  Hyvä ehdotus.  ", language="fi")
    reply = services.post_comment(open_topic, other_resident, "Samaa mieltä.", parent=root)
    deeper = services.post_comment(open_topic, resident, "Kiitos.", parent=reply)
    db.session.commit()
    db.session.refresh(open_topic)
    assert open_topic.comment_count == 3
    assert root.body == "Hyvä ehdotus." and root.language == "fi"
    assert root.status == CommentStatus.VISIBLE and root.root_id is None
    assert (reply.parent_id, reply.root_id) == (root.id, root.id)
    assert (deeper.parent_id, deeper.root_id) == (reply.id, root.id)


def test_premoderated_and_anonymous_comments_wait_and_are_not_counted(db, org, resident):
    topic = factories.make_topic(org, premoderated=True, allow_anonymous=True)
    db.session.commit()
    signed = services.post_comment(topic, resident, "Odotan.")
    anonymous = services.post_comment(topic, None, "Minäkin.", nickname="Mökkiläinen")
    db.session.commit()
    db.session.refresh(topic)
    assert signed.status == anonymous.status == CommentStatus.PENDING
    assert anonymous.author_id is None and anonymous.nickname == "Mökkiläinen"
    assert topic.comment_count == 0
    open_one = factories.make_topic(org, allow_anonymous=True)
    assert services.post_comment(open_one, None, "x", nickname="y").status == "pending"


def test_closed_topic_refuses_comments(db, closed_topic, open_topic, resident):
    with pytest.raises(services.TopicClosedError):
        services.post_comment(closed_topic, resident, "Myöhässä.")
    with pytest.raises(services.TopicClosedError):
        services.post_comment(
            open_topic, resident, "Myöhässä.", now=open_topic.closes_at + timedelta(seconds=1)
        )
    db.session.commit()
    assert count(Comment) == 0


def test_reply_needs_a_visible_parent_of_the_same_topic(db, org, open_topic, resident):
    other = factories.make_topic(org)
    elsewhere = make_comment(other, resident)
    hidden = make_comment(open_topic, resident, status=CommentStatus.HIDDEN)
    db.session.commit()
    for parent in (elsewhere, hidden):
        with pytest.raises(services.CommentNotAvailableError):
            services.post_comment(open_topic, resident, "Vastaus", parent=parent)


def test_same_token_twice_saves_one_comment(db, open_topic, resident):
    token = _token()
    first = services.post_comment(open_topic, resident, "Kerran.", token=token)
    db.session.commit()
    again = services.post_comment(open_topic, resident, "Kerran.", token=token)
    db.session.commit()
    db.session.refresh(open_topic)
    assert again.id == first.id
    assert count(Comment) == 1 and open_topic.comment_count == 1


def test_a_failing_request_leaves_no_half_written_comment(db, open_topic, resident):
    services.post_comment(open_topic, resident, "Ei tallennu.", token=_token())
    db.session.rollback()  # what the error handler does when the request fails later
    db.session.refresh(open_topic)
    assert count(Comment) == 0 and open_topic.comment_count == 0


def test_edit_within_the_window_only(db, open_topic, resident):
    comment = make_comment(open_topic, resident, "Alkuperäinen", age=timedelta(0))
    db.session.commit()
    window = services.edit_window()
    assert window == timedelta(minutes=15)
    services.edit_comment(
        comment, " Korjattu ", now=comment.created_at + window - timedelta(seconds=1)
    )
    assert comment.body == "Korjattu" and comment.edited_at is not None
    with pytest.raises(services.EditWindowClosedError):
        services.edit_comment(comment, "Liian myöhään", now=comment.created_at + window)
    with pytest.raises(services.TopicClosedError):
        services.edit_comment(comment, "Suljettu", now=open_topic.closes_at)
    assert comment.body == "Korjattu"


def test_edit_on_a_premoderated_topic_is_checked_again(db, org, resident):
    topic = factories.make_topic(org, premoderated=True)
    comment = make_comment(topic, resident, "Hyväksytty", age=timedelta(minutes=1))
    db.session.commit()
    services.edit_comment(comment, "Muutettu")
    db.session.commit()
    db.session.refresh(topic)
    assert comment.status == CommentStatus.PENDING and topic.comment_count == 0


def test_delete_empties_the_text_and_keeps_replies(db, open_topic, resident, other_resident):
    comment = make_comment(open_topic, resident, "Omat sanani")
    reply = make_comment(open_topic, other_resident, "Vastaus", parent=comment)
    pending = make_comment(open_topic, resident, "Odottaa", status=CommentStatus.PENDING)
    db.session.commit()
    now = utcnow()
    services.delete_comment(comment, now=now)
    services.delete_comment(pending, now=now)
    db.session.commit()
    db.session.refresh(open_topic)
    assert (comment.status, comment.body, comment.deleted_at) == (CommentStatus.DELETED, "", now)
    assert db.session.get(Comment, reply.id).status == CommentStatus.VISIBLE
    assert open_topic.comment_count == 1  # only the visible one was counted, and uncounted
    with pytest.raises(services.CommentNotAvailableError):
        services.delete_comment(comment)


def test_flag_once_per_person_and_counted(db, open_topic, resident, other_resident):
    comment = make_comment(open_topic, resident)
    db.session.commit()
    services.flag_comment(comment, other_resident, FlagReason.OTHER, "Väärää tietoa " * 60)
    db.session.commit()
    with pytest.raises(services.AlreadyFlaggedError):
        services.flag_comment(comment, other_resident, FlagReason.SPAM)
    db.session.commit()
    db.session.refresh(comment)
    assert comment.flag_count == 1 and count(CommentFlag) == 1
    flag = db.session.scalars(sa.select(CommentFlag)).one()
    assert flag.reason == FlagReason.OTHER
    assert flag.details.startswith("Väärää tietoa") and len(flag.details) == 500


# --- posting over HTTP -------------------------------------------------------------------------


def _post(browser, topic, **data):
    data.setdefault("submission_token", _token())
    return browser.post(topic_path(topic, "/comments"), data=data, headers=EN)


def test_post_comment_publishes_and_redirects_to_it(
    db, client, browser, login_as, open_topic, resident
):
    login_as(resident)
    choose_language(client, "sv")
    response = _post(browser, open_topic, body="Kirjasto auki myös sunnuntaisin!")
    assert response.status_code == 303
    (comment,) = _comments(open_topic)
    assert response.headers["Location"] == f"/keitele/kirjaston-aukioloajat#c{comment.id}"
    assert comment.author_id == resident.id and comment.language == "sv"  # the UI language
    assert comment.status == CommentStatus.VISIBLE
    assert db.session.get(Topic, open_topic.id).comment_count == 1
    assert "Tack, din kommentar har publicerats." in _flashes(browser)  # in Swedish too


def test_post_reply(db, browser, login_as, open_topic, resident, other_resident):
    parent = make_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    response = _post(browser, open_topic, body="Vastaan.", parent_id=str(parent.id))
    reply = _comments(open_topic)[-1]
    assert (reply.parent_id, reply.root_id) == (parent.id, parent.id)
    assert response.headers["Location"].endswith(f"#c{reply.id}")


def test_the_writer_chooses_the_language_of_the_comment_and_reply(
    db, client, browser, login_as, open_topic, resident, other_resident
):
    parent = make_comment(open_topic, other_resident, "Hyvä ehdotus.")
    db.session.commit()
    login_as(resident)
    choose_language(client, "sv")
    # The select offers all three languages, each named in itself; the page's is chosen.
    for path in (topic_path(open_topic), topic_path(open_topic) + f"?reply_to={parent.id}"):
        form = _text(browser.get(path))
        select = re.search(r'<select[^>]*name="language".*?</select>', form, re.S).group(0)
        assert re.findall(r'<option (?:lang="(\w+)" )?(?:selected )?value="(\w+)"', select) == [
            ("fi", "fi"),
            ("sv", "sv"),
            ("en", "en"),
        ]
        assert re.search(r'<option lang="sv" selected value="sv">Svenska</option>', select)
        assert '<label for="language">Kommentarens språk</label>' in form

    _post(browser, open_topic, body="Good idea, but open on Sundays too.", language="en")
    reply_data = {"body": "Samaa mieltä.", "language": "fi", "parent_id": str(parent.id)}
    _post(browser, open_topic, **reply_data)
    comment, reply = _comments(open_topic)[1:]
    assert (comment.language, reply.language) == ("en", "fi")
    swedish = _text(browser.get(topic_path(open_topic)))
    assert re.search(
        rf'<article id="c{comment.id}".*?<div class="comment-body" lang="en">', swedish, re.S
    )
    assert re.search(
        rf'<article id="c{reply.id}".*?<div class="comment-body" lang="fi">', swedish, re.S
    )
    choose_language(client, "en")
    english = _text(browser.get(topic_path(open_topic)))
    shown = re.search(rf'<article id="c{comment.id}".*?</article>', english, re.S).group(0)
    assert '<div class="comment-body">' in shown  # the page's own language: no lang


@pytest.mark.parametrize("language", ["de", "", "fi-FI"])
def test_an_unknown_comment_language_is_a_field_error_and_keeps_the_text(
    db, browser, login_as, open_topic, resident, language
):
    login_as(resident)
    response = _post(browser, open_topic, body="Tärkeä kommentti", language=language)
    assert response.status_code == 422
    page = _text(response)
    error = re.search(r'<p class="error-message" id="language-error">(.*?)</p>', page, re.S)
    assert error and "Choose one of the languages in the list." in error.group(1)
    assert "Tärkeä kommentti" in page
    assert count(Comment) == 0


def test_premoderated_post_says_it_waits(db, browser, login_as, org, resident):
    topic = factories.make_topic(org, slug="valvottu", premoderated=True)
    db.session.commit()
    login_as(resident)
    _post(browser, topic, body="Tarkistakaa.")
    assert _comments(topic)[0].status == CommentStatus.PENDING
    assert "will be published after a moderator has checked it" in _flashes(browser)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": "   \n  "}, "body", "Write your comment first."),
        ({"body": "x" * 5001}, "body", "The limit is 5,000 characters."),
    ],
)
def test_invalid_comment_is_shown_again_with_the_error_and_the_text(
    db, browser, login_as, open_topic, resident, data, field, message
):
    login_as(resident)
    response = _post(browser, open_topic, **data)
    assert response.status_code == 422
    page = _text(response)
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert 'aria-invalid="true"' in page
    if data["body"].strip():
        assert data["body"] in page  # what was typed is kept
    assert count(Comment) == 0


def test_resubmitting_after_an_error_keeps_the_token(db, browser, login_as, open_topic, resident):
    login_as(resident)
    token = _token()
    page = _text(_post(browser, open_topic, body="", submission_token=token))
    assert f'name="submission_token" type="hidden" value="{token}"' in page


def test_reply_to_a_comment_that_went_away_is_a_field_error(
    db, browser, login_as, open_topic, resident, other_resident
):
    hidden = make_comment(open_topic, other_resident, status=CommentStatus.HIDDEN)
    db.session.commit()
    login_as(resident)
    response = _post(browser, open_topic, body="Tärkeä vastaus", parent_id=str(hidden.id))
    assert response.status_code == 422
    page = _text(response)
    assert re.search(r'id="parent_id-error">.*?no longer available', page, re.S)
    assert "Tärkeä vastaus" in page
    assert 'name="parent_id" type="hidden" value=""' in page  # sending again posts it anew
    assert count(Comment) == 1


def test_double_submission_over_http_makes_one_comment(db, browser, login_as, open_topic, resident):
    login_as(resident)
    data = {"body": "Tuplaklikkaus", "submission_token": _token()}
    first = _post(browser, open_topic, **data)
    second = _post(browser, open_topic, **data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Comment) == 1
    assert db.session.get(Topic, open_topic.id).comment_count == 1


def test_simultaneous_double_submission_makes_one_comment(app, db, open_topic, resident):
    """Two requests with the same form at the same moment (two clients, two threads)."""
    data = {"body": "Samaan aikaan", "submission_token": _token()}
    url = topic_path(open_topic, "/comments")
    clients = []
    for _ in range(2):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = resident.get_id()
            session["_fresh"] = True
        clients.append(client)
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def send(client):
        try:
            barrier.wait(timeout=10)
            responses.append(client.post(url, data=data))
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert [r.status_code for r in responses] == [303, 303]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    db.session.expire_all()
    assert count(Comment) == 1
    assert db.session.get(Topic, open_topic.id).comment_count == 1


def test_closed_topic_refuses_with_a_message(db, browser, login_as, closed_topic, resident):
    login_as(resident)
    response = _post(browser, closed_topic, body="Myöhässä")
    assert response.status_code == 303
    assert response.headers["Location"] == "/keitele/suljettu"
    assert count(Comment) == 0
    assert "This consultation is closed" in _flashes(browser)


def test_visitor_is_sent_to_log_in_and_unverified_is_refused(
    db, browser, login_as, open_topic, unverified
):
    response = _post(browser, open_topic, body="Hei")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    login_as(unverified)
    assert _post(browser, open_topic, body="Hei").status_code == 403
    assert count(Comment) == 0


def test_anonymous_comment_waits_for_a_moderator(db, browser, anonymous_topic):
    response = _post(browser, anonymous_topic, body="Ilman tunnusta", nickname="Kesäasukas")
    assert response.status_code == 303
    (comment,) = _comments(anonymous_topic)
    assert comment.author_id is None and comment.nickname == "Kesäasukas"
    assert comment.status == CommentStatus.PENDING
    assert db.session.get(Topic, anonymous_topic.id).comment_count == 0
    assert "will be published after a moderator has checked it" in _flashes(browser)


def test_anonymous_comment_needs_a_nickname(db, browser, anonymous_topic):
    response = _post(browser, anonymous_topic, body="Ilman nimeä", nickname="  ")
    assert response.status_code == 422
    assert re.search(r'id="nickname-error">.*?Write a name or nickname', _text(response), re.S)
    too_long = _post(browser, anonymous_topic, body="Pitkä nimi", nickname="N" * 61)
    assert too_long.status_code == 422
    assert count(Comment) == 0


def test_honeypot_pretends_success_and_stores_nothing(db, browser, anonymous_topic):
    response = _post(
        browser,
        anonymous_topic,
        body="Osta halpaa",
        nickname="Botti",
        website="http://spam.example",
    )
    assert response.status_code == 303
    assert count(Comment) == 0
    assert "Thank you" in _flashes(browser)


def test_anonymous_comments_are_rate_limited_per_browser(
    db, app, browser, login_as, anonymous_topic, resident
):
    limit = int(app.config["ANONYMOUS_COMMENT_RATE_LIMIT"].split()[0])
    for i in range(limit):
        assert (
            _post(browser, anonymous_topic, body=f"Viesti {i}", nickname="Nimi").status_code == 303
        )
    refused = _post(browser, anonymous_topic, body="Yksi liikaa", nickname="Nimi")
    assert refused.status_code == 429
    assert count(Comment) == limit
    login_as(resident)  # signed-in residents are not limited by this
    assert _post(browser, anonymous_topic, body="Kirjautuneena").status_code == 303


def test_post_without_csrf_token_is_refused(
    db, browser, login_as, open_topic, resident, csrf_enabled
):
    login_as(resident)
    assert _post(browser, open_topic, body="Ilman tokenia").status_code == 400
    assert count(Comment) == 0


# --- edit, delete, flag over HTTP -----------------------------------------------------------------


def _comment_url(comment: Comment, action: str) -> str:
    return topic_path(comment.topic, f"/comments/{comment.id}/{action}")


def test_edit_own_comment(db, browser, login_as, open_topic, resident):
    comment = make_comment(open_topic, resident, "Kirjotusvirhe", age=timedelta(minutes=2))
    db.session.commit()
    login_as(resident)
    form = _text(browser.get(_comment_url(comment, "edit")))
    assert "Kirjotusvirhe" in form
    response = browser.post(_comment_url(comment, "edit"), data={"body": "Kirjoitusvirhe"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#c{comment.id}")
    comment = db.session.get(Comment, comment.id)
    assert comment.body == "Kirjoitusvirhe" and comment.edited_at is not None
    empty = browser.post(_comment_url(comment, "edit"), data={"body": " "})
    assert empty.status_code == 422
    assert db.session.get(Comment, comment.id).body == "Kirjoitusvirhe"


def test_edit_after_the_window_is_refused(db, browser, login_as, open_topic, resident):
    comment = make_comment(open_topic, resident, "Vanha", age=timedelta(minutes=16))
    db.session.commit()
    login_as(resident)
    response = browser.post(_comment_url(comment, "edit"), data={"body": "Uusi"})
    assert response.status_code == 303
    assert db.session.get(Comment, comment.id).body == "Vanha"
    assert "The time for editing this comment has passed." in _flashes(browser)


def test_only_the_writer_edits_or_deletes(
    db, browser, login_as, open_topic, resident, other_resident
):
    comment = make_comment(open_topic, resident, "Minun", age=timedelta(minutes=1))
    db.session.commit()
    for action in ("edit", "delete"):
        visitor = browser.post(_comment_url(comment, action), data={"body": "x"})
        assert visitor.status_code == 302
        assert visitor.headers["Location"].startswith("/account/login")
    login_as(other_resident)
    for action in ("edit", "delete"):
        assert browser.post(_comment_url(comment, action), data={"body": "x"}).status_code == 403
    comment = db.session.get(Comment, comment.id)
    assert comment.body == "Minun" and comment.status == CommentStatus.VISIBLE


def test_delete_own_comment_after_confirming(
    db, browser, login_as, open_topic, resident, other_resident
):
    comment = make_comment(open_topic, resident, "Poistettava")
    reply = make_comment(open_topic, other_resident, "Jää paikalleen", parent=comment)
    db.session.commit()
    login_as(resident)
    confirm = _text(browser.get(_comment_url(comment, "delete")))
    assert "Poistettava" in confirm and 'method="post"' in confirm
    response = browser.post(_comment_url(comment, "delete"))
    assert response.status_code == 303
    comment = db.session.get(Comment, comment.id)
    assert comment.status == CommentStatus.DELETED and comment.body == ""
    assert db.session.get(Topic, open_topic.id).comment_count == 1
    page = _text(browser.get(topic_path(open_topic), headers=EN))
    assert "The writer deleted this comment" in page and "Jää paikalleen" in page
    assert f'id="c{reply.id}"' in page


def test_flag_a_comment_once(db, browser, login_as, open_topic, resident, other_resident):
    comment = make_comment(open_topic, resident, "Epäasiallinen")
    db.session.commit()
    login_as(other_resident)
    form = _text(browser.get(_comment_url(comment, "flag"), headers=EN))
    for label in (
        "Insulting or inappropriate",
        "Spam or advertising",
        "Off-topic",
        "Contains personal data",
        "Other",
    ):
        assert label in form
    assert "Especially if you chose “Other”, say briefly what is wrong." in form
    assert 'type="radio"' in form
    response = browser.post(
        _comment_url(comment, "flag"), data={"reason": "insulting", "details": "Nimittelyä"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#c{comment.id}")
    flag = db.session.scalars(sa.select(CommentFlag)).one()
    assert (flag.user_id, flag.reason, flag.details) == (
        other_resident.id,
        FlagReason.INSULTING,
        "Nimittelyä",
    )
    assert db.session.get(Comment, comment.id).flag_count == 1

    again = browser.post(_comment_url(comment, "flag"), data={"reason": "spam"}, headers=EN)
    assert again.status_code == 303
    assert "You have already reported this comment" in _flashes(browser)
    assert count(CommentFlag) == 1 and db.session.get(Comment, comment.id).flag_count == 1


def test_flag_needs_a_reason_details_are_optional(
    db, browser, login_as, open_topic, resident, other_resident
):
    comment = make_comment(open_topic, resident)
    db.session.commit()
    login_as(other_resident)
    no_reason = browser.post(_comment_url(comment, "flag"), data={"details": "Katsokaa tätä"})
    assert no_reason.status_code == 422
    page = _text(no_reason)
    assert re.search(r'id="reason-error">.*?Choose a reason', page, re.S)
    assert "Katsokaa tätä" in page
    assert page.count("Choose a reason") == 2  # in the summary and at the field, nothing else
    long = browser.post(
        _comment_url(comment, "flag"), data={"reason": "spam", "details": "x" * 501}
    )
    assert long.status_code == 422 and 'id="details-error"' in _text(long)
    assert count(CommentFlag) == 0
    only_reason = browser.post(_comment_url(comment, "flag"), data={"reason": "off_topic"})
    assert only_reason.status_code == 303
    assert _db.session.scalars(sa.select(CommentFlag.reason)).one() == "off_topic"


def test_flag_own_comment_or_as_visitor_is_refused(db, browser, login_as, open_topic, resident):
    comment = make_comment(open_topic, resident)
    db.session.commit()
    visitor = browser.post(_comment_url(comment, "flag"), data={"reason": "spam"})
    assert visitor.status_code == 302
    assert visitor.headers["Location"].startswith("/account/login")
    login_as(resident)
    assert browser.post(_comment_url(comment, "flag"), data={"reason": "spam"}).status_code == 403
    assert count(CommentFlag) == 0


@pytest.mark.parametrize("action", ["edit", "delete", "flag"])
def test_comment_of_another_topic_or_organisation_is_404(
    db, browser, login_as, org, other_org, open_topic, resident, other_resident, action
):
    elsewhere = factories.make_topic(other_org, slug=open_topic.slug)
    comment = make_comment(elsewhere, resident, age=timedelta(minutes=1))
    sibling = factories.make_topic(org, slug="sisar")
    db.session.commit()
    login_as(resident if action != "flag" else other_resident)
    for topic in (open_topic, sibling):
        url = topic_path(topic, f"/comments/{comment.id}/{action}")
        assert browser.get(url).status_code == 404
        assert browser.post(url, data={"body": "x", "reason": "spam"}).status_code == 404
    assert browser.get(_comment_url(comment, action)).status_code == 200


def test_edit_delete_and_flag_forms_carry_a_csrf_token(
    db, browser, login_as, open_topic, resident, other_resident, csrf_enabled
):
    own = make_comment(open_topic, resident, age=timedelta(minutes=1))
    theirs = make_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    for url in (
        _comment_url(own, "edit"),
        _comment_url(own, "delete"),
        _comment_url(theirs, "flag"),
    ):
        page = _text(browser.get(url))
        forms = re.findall(r'<form method="post".*?</form>', page, re.S)
        assert forms and all('name="csrf_token"' in f for f in forms), url
    assert browser.post(_comment_url(own, "delete")).status_code == 400
    assert _db.session.get(Comment, own.id).status == CommentStatus.VISIBLE
