"""Automatic hiding: enough reports put a comment on hold until a moderator looks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from eraati.consultations import services as comment_services
from eraati.consultations.models import CommentStatus, FlagReason
from eraati.core.time import utcnow
from eraati.moderation import services
from tests import factories
from tests.consultations.topic_support import choose_language, topic_path
from tests.moderation.support import (
    add_comment,
    assert_counters_exact,
    audit_rows,
    counters,
    fresh,
    text,
)


@pytest.fixture
def reporters(db):
    people = [factories.make_user(f"ilmoittaja{i}@example.fi") for i in range(6)]
    db.session.commit()
    return people


@pytest.fixture
def comment(db, open_topic, resident):
    made = add_comment(open_topic, resident, "Raportoitava kommentti.")
    db.session.commit()
    return made


def _flag(comment, user, now=None):
    comment_services.flag_comment(comment, user, FlagReason.INSULTING, now=now)
    from eraati.extensions import db

    db.session.commit()


def test_the_third_report_puts_the_comment_on_hold(db, open_topic, comment, reporters):
    _flag(comment, reporters[0])
    _flag(comment, reporters[1])
    assert fresh(comment).status == CommentStatus.VISIBLE
    assert counters(open_topic) == (1, 0)
    assert audit_rows() == []

    _flag(comment, reporters[2])
    held = fresh(comment)
    assert held.status == CommentStatus.PENDING
    assert held.auto_hidden_at is not None
    assert held.flag_count == 3
    assert held.body == "Raportoitava kommentti."
    assert counters(open_topic) == (0, 0)
    assert_counters_exact()
    [row] = audit_rows()
    assert row.action == "comment.auto_hide"
    assert row.actor_id is None and row.actor_name == "system"  # not the last reporter
    assert row.target_id == comment.id
    assert row.details["flag_count"] == 3 and row.details["threshold"] == 3
    assert row.organisation_id == open_topic.organisation_id


def test_the_organisations_own_threshold_counts(db, org, open_topic, comment, reporters):
    org.flag_threshold = 1
    db.session.commit()
    _flag(comment, reporters[0])
    assert fresh(comment).status == CommentStatus.PENDING
    assert counters(open_topic) == (0, 0)


def test_a_held_comment_takes_no_more_reports_and_is_not_hidden_twice(
    db, open_topic, comment, reporters
):
    for person in reporters[:3]:
        _flag(comment, person)
    with pytest.raises(comment_services.CommentNotAvailableError):
        comment_services.flag_comment(comment, reporters[3], FlagReason.SPAM)
    db.session.rollback()
    assert counters(open_topic) == (0, 0)
    assert len(audit_rows("comment.auto_hide")) == 1
    assert_counters_exact()


def test_after_a_moderators_approval_only_new_reports_count(
    db, open_topic, comment, reporters, moderator
):
    start = utcnow() - timedelta(hours=1)
    for i, person in enumerate(reporters[:3]):
        _flag(comment, person, now=start + timedelta(minutes=i))
    services.approve_comment(fresh(comment), moderator, now=start + timedelta(minutes=10))
    db.session.commit()
    assert counters(open_topic) == (1, 0)

    _flag(fresh(comment), reporters[3], now=start + timedelta(minutes=20))
    _flag(fresh(comment), reporters[4], now=start + timedelta(minutes=21))
    assert fresh(comment).status == CommentStatus.VISIBLE  # 5 reports, 2 since the check
    _flag(fresh(comment), reporters[5], now=start + timedelta(minutes=22))
    assert fresh(comment).status == CommentStatus.PENDING
    assert counters(open_topic) == (0, 0)
    assert len(audit_rows("comment.auto_hide")) == 2
    assert_counters_exact()


def test_the_writer_sees_it_waiting_and_others_do_not_see_it(
    db, app, client, login_as, browser, open_topic, comment, reporters, resident
):
    for person in reporters[:2]:
        _flag(comment, person)
    login_as(reporters[2])
    response = browser.post(
        topic_path(open_topic, f"/comments/{comment.id}/flag"), data={"reason": "insulting"}
    )
    assert response.status_code == 303
    assert fresh(comment).status == CommentStatus.PENDING

    login_as(resident)
    choose_language(client, "en")
    own = text(browser.get(topic_path(open_topic)))
    assert "Raportoitava kommentti." in own
    assert "Waiting for review" in own
    login_as(reporters[0])
    assert "Raportoitava kommentti." not in text(browser.get(topic_path(open_topic)))


def test_moderator_approves_or_hides_a_held_comment(
    db, open_topic, comment, reporters, moderator, reasons
):
    for person in reporters[:3]:
        _flag(comment, person)
    services.hide_comment(fresh(comment), reasons[0], None, moderator)
    db.session.commit()
    assert counters(open_topic) == (0, 1)
    assert_counters_exact()


def test_two_last_reports_at_the_same_moment_hide_once(
    app, db, open_topic, comment, reporters, org
):
    """Two requests at once (two clients, two threads) bring the reports to the threshold."""
    _flag(comment, reporters[0])
    url = topic_path(open_topic, f"/comments/{comment.id}/flag")
    clients = []
    for person in reporters[1:4]:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    responses, errors = [], []

    def send(client):
        try:
            barrier.wait(timeout=10)
            responses.append(client.post(url, data={"reason": "spam"}))
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert all(r.status_code == 303 for r in responses)
    db.session.expire_all()
    held = fresh(comment)
    assert held.status == CommentStatus.PENDING
    assert counters(open_topic) == (0, 0)  # not -1: one decrement only
    assert len(audit_rows("comment.auto_hide")) == 1
    assert_counters_exact()


def test_a_held_comment_keeps_its_place_and_replies_in_the_thread(
    db, client, open_topic, comment, reporters, other_resident
):
    add_comment(open_topic, other_resident, "Vastaus jää näkyviin.", parent=comment)
    db.session.commit()
    for person in reporters[:3]:
        _flag(comment, person)
    page = text(client.get(topic_path(open_topic), headers={"Accept-Language": "en"}))
    assert "Raportoitava kommentti." not in page  # the text waits for the moderator
    assert "Hidden after reports from readers until a moderator has checked it." in page
    assert "Vastaus jää näkyviin." in page  # ... and the reply under it stays
    assert f'id="c{comment.id}"' in page


def test_the_writer_still_sees_own_held_text(
    db, client, login_as, open_topic, comment, reporters, resident
):
    for person in reporters[:3]:
        _flag(comment, person)
    login_as(resident)
    page = text(client.get(topic_path(open_topic)))
    assert "Raportoitava kommentti." in page


def test_accounts_without_a_confirmed_address_cannot_report(
    db, login_as, browser, open_topic, comment
):
    # Registering signs you in at once: unconfirmed throwaway accounts must not add up to
    # the reports that take a comment out of the discussion.
    for i in range(3):
        newcomer = factories.make_user(f"heitto{i}@example.fi", verified=False)
        db.session.commit()
        login_as(newcomer)
        response = browser.post(
            topic_path(open_topic, f"/comments/{comment.id}/flag"), data={"reason": "insulting"}
        )
        assert response.status_code == 403
    assert fresh(comment).status == CommentStatus.VISIBLE and fresh(comment).flag_count == 0
