"""A reply to my comment reaches me by e-mail, in my language, through a real SMTP
server, with a link that opens the reply and a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.core.time import utcnow
from eraati.notifications import sending, services
from eraati.notifications.models import Kind, Mode, Notification
from tests.consultations.topic_support import make_comment
from tests.notifications.checks import (
    LANGS,
    check_message,
    open_link,
    the_message,
    unsubscribe_one_click,
)
from tests.notifications.support import path_of, post_reply, unsubscribe_url

REPLIED = {
    "fi": "Aino Asukas vastasi kommenttiisi",
    "sv": "Aino Asukas svarade på din kommentar",
    "en": "Aino Asukas replied to your comment",
}


@pytest.mark.parametrize("lang", LANGS)
def test_a_reply_mails_the_writer_of_the_comment_in_their_language(
    db, client, login_as, open_topic, resident, other_resident, smtp, lang
):
    other_resident.locale = lang
    comment = make_comment(open_topic, other_resident, "Kirjasto auki sunnuntaisin?")
    db.session.commit()
    login_as(resident)
    reply = "Kannatan, sunnuntai on hyvä päivä."
    assert post_reply(client, open_topic, comment, reply).status_code == 303

    message = the_message(smtp, other_resident.email)
    link = check_message(message, lang=lang, subject=REPLIED[lang], quoted=reply)
    reply_id = int(link.rsplit("#c", 1)[1])
    assert link.endswith(f"lang={lang}#c{reply_id}")
    page = open_link(client, link)
    assert f'id="c{reply_id}"' in page.text and reply in page.text
    unsubscribe_one_click(client, message)
    assert services.modes(other_resident.id)[Kind.REPLY] == Mode.OFF


def test_nobody_is_told_of_their_own_reply_or_twice_of_one(
    db, client, login_as, open_topic, resident, smtp
):
    comment = make_comment(open_topic, resident)
    db.session.commit()
    login_as(resident)
    post_reply(client, open_topic, comment)
    assert smtp.messages() == []
    reply = make_comment(open_topic, None, nickname="Vieras", parent=comment)
    db.session.flush()
    from eraati.notifications import events

    assert events.comment_shown(reply) == 1
    assert events.comment_shown(reply) == 0  # the same event again
    db.session.commit()
    assert sending.send_due() == 1 and sending.send_due() == 0
    assert len(smtp.messages()) == 1


def test_one_click_unsubscribe_works_without_logging_in_and_stops_that_kind(
    db, client, login_as, open_topic, resident, other_resident, smtp
):
    comment = make_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    post_reply(client, open_topic, comment)
    (message,) = smtp.messages()
    unsubscribe = path_of(unsubscribe_url(message))
    client.post("/account/logout")
    anonymous = client.application.test_client()
    # Opening the link changes nothing (link checkers open every link) ...
    assert anonymous.get(unsubscribe).status_code == 200
    assert services.modes(other_resident.id)[Kind.REPLY] == Mode.INSTANT
    # ... the mail program's one-click POST does, with no session and no form token.
    response = anonymous.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert services.modes(other_resident.id)[Kind.REPLY] == Mode.OFF
    assert services.modes(other_resident.id)[Kind.RESULTS] == Mode.INSTANT
    token_path, _, query = unsubscribe.partition("?")
    assert query == "lang=fi"  # the page opens in the message's language
    assert anonymous.post(token_path[:-3] + "abc").status_code == 404  # forged
    login_as(resident)
    post_reply(client, open_topic, comment, "Toinen vastaus.")
    assert len(smtp.messages()) == 1


def _recorded_reply(db, topic, replier, writer) -> None:
    """``replier`` answered ``writer``'s comment: the notification is recorded, not sent."""
    from eraati.notifications import events

    comment = make_comment(topic, writer)
    reply = make_comment(topic, replier, parent=comment)
    db.session.flush()
    events.comment_shown(reply)
    db.session.commit()


def test_a_claim_left_by_a_stopped_worker_is_sent_once_after_its_lease(
    app, db, open_topic, resident, other_resident, smtp
):
    _recorded_reply(db, open_topic, resident, other_resident)
    now = utcnow()
    assert sending._claim(now, digest=False)  # a worker claimed it and stopped
    assert sending.send_due(now=now) == 0  # the claim holds: nobody sends it twice
    later = now + timedelta(seconds=app.config["NOTIFY_LEASE_SECONDS"] + 1)
    assert sending.send_due(now=later) == 1
    assert sending.send_due(now=later + timedelta(hours=1)) == 0
    assert len(smtp.messages()) == 1
    row = db.session.scalar(sa.select(Notification))
    assert row.sent_at is not None


def test_a_failure_releases_the_claim_and_a_later_run_sends(
    app, db, open_topic, resident, other_resident, smtp
):
    _recorded_reply(db, open_topic, resident, other_resident)
    smtp.stop()  # the mail server is away
    now = utcnow()
    assert sending.send_due(now=now) == 0
    row = db.session.scalar(sa.select(Notification))
    assert (row.claimed_at, row.sent_at, row.attempts) == (None, None, 1)
    smtp.start()
    assert sending.send_due(now=now) == 0  # not yet: it waits a while before trying again
    assert sending.send_due(now=row.due_at) == 1
    assert len(smtp.messages()) == 1
