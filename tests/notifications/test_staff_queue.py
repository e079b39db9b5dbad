"""The daily note to an organisation's moderators of what waits in its moderation queue:
only to those who chose it and may moderate there, once a day, only when something waits,
counted per topic, in each moderator's language, with links to the queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentFlag, CommentStatus, FlagReason
from eraati.core.time import HELSINKI, utcnow
from eraati.notifications import sending, services, staff_queue
from eraati.notifications.models import Kind, Mode
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import make_comment
from tests.notifications.support import parts, path_of, unsubscribe_url

SUBJECTS = {
    "fi": "Keitele: kommentteja odottaa moderointijonossa",
    "sv": "Keitele: kommentarer väntar i modereringskön",
    "en": "Waiting in the moderation queue of Keitele",
}
COUNTS = {
    "fi": "2 kommenttia odottaa tarkistusta, 1 ilmoitettu kommentti",
    "sv": "2 kommentarer väntar på granskning, 1 anmäld kommentar",
    "en": "2 comments waiting for a check, 1 reported comment",
}


def _morning(days: int = 0) -> datetime:
    """8.00 Helsinki time, ``days`` from today."""
    here = utcnow().astimezone(HELSINKI) + timedelta(days=days)
    return here.replace(hour=8, minute=0, second=0, microsecond=0)


@pytest.fixture
def waiting(db, org, open_topic, resident):
    """Two comments waiting for a check and one reported comment in Keitele's topic."""
    for body in ("Odottaa 1", "Odottaa 2"):
        make_comment(open_topic, resident, body, status=CommentStatus.PENDING)
    reported = make_comment(open_topic, resident, "Ilmoitettu")
    reported.flag_count = 1
    reporter = factories.make_user("ilmoittaja@example.fi")
    db.session.add(CommentFlag(comment_id=reported.id, user_id=reporter.id, reason=FlagReason.SPAM))
    db.session.commit()
    return open_topic


def _asks(user, mode: Mode = Mode.INSTANT) -> None:
    services.set_mode(user.id, Kind.STAFF_QUEUE, mode)


def test_the_moderators_who_chose_it_get_the_note_in_their_language(
    db, client, login_as, org, moderator, org_admin, preparer, other_org_moderator, waiting, smtp
):
    org.languages, org.name_sv = "fi,sv", "Keitele"
    sv_mod = factories.make_user("sv@keitele.fi", org=org, roles=(Role.MODERATOR,), locale="sv")
    en_mod = factories.make_user("en@keitele.fi", org=org, roles=(Role.MODERATOR,), locale="en")
    for person in (moderator, sv_mod, en_mod, preparer, other_org_moderator):
        _asks(person)  # (the preparer's page does not offer it; asked all the same)
    db.session.commit()
    # Before the morning hour nothing; then the note, once a day.
    assert staff_queue.record_queue_notes(now=_morning().replace(hour=6)) == {}
    assert staff_queue.record_queue_notes(now=_morning()) == {org.id: 3}
    assert staff_queue.record_queue_notes(now=_morning() + timedelta(hours=5)) == {}
    db.session.commit()
    assert sending.send_due(now=_morning() + timedelta(hours=1)) == 3

    messages = {m["To"]: m for m in smtp.messages()}
    # Not the admin (off by default), not the preparer (no queue), not Vieremä's moderator.
    assert set(messages) == {moderator.email, sv_mod.email, en_mod.email}
    for person in (moderator, sv_mod, en_mod):
        message = messages[person.email]
        lang = person.locale
        assert message["Subject"] == SUBJECTS[lang] and message["Content-Language"] == lang
        text, html = parts(message)
        assert "Kirjaston aukioloajat" in text and "Kirjaston aukioloajat" in html
        assert COUNTS[lang] in text and COUNTS[lang].split(", ")[0] in html
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe_url(message) in text
    text, html = parts(messages[moderator.email])
    queue = f"http://localhost/staff/keitele/moderation?topic={waiting.id}&lang=fi"
    assert queue in text and f'href="{queue.replace("&", "&amp;")}"' in html
    login_as(moderator)
    page = client.get(path_of(queue))
    assert page.status_code == 200 and "Odottaa 1" in page.text
    assert (
        client.get(path_of(text.split("Ilmoitetut kommentit: ")[1].split()[0])).status_code == 200
    )

    # The next day's note again; one click stops it for that person.
    client.post("/account/logout")
    response = client.application.test_client().post(
        path_of(unsubscribe_url(messages[sv_mod.email])), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 204
    assert staff_queue.record_queue_notes(now=_morning(days=1)) == {org.id: 2}


def test_no_note_when_nothing_waits_and_none_about_another_organisation(
    db, org, other_org, moderator, other_org_moderator, open_topic, resident, smtp
):
    _asks(moderator)
    _asks(other_org_moderator)
    make_comment(open_topic, resident, "Näkyvä")  # visible, unreported: nothing waits
    db.session.commit()
    assert staff_queue.record_queue_notes(now=_morning()) == {}
    make_comment(open_topic, resident, "Odottaa", status=CommentStatus.PENDING)
    db.session.commit()
    assert staff_queue.record_queue_notes(now=_morning()) == {org.id: 1}
    db.session.commit()
    # The queue was worked through before the worker ran: nothing left to tell.
    db.session.execute(
        sa.update(Comment)
        .where(Comment.status == CommentStatus.PENDING)
        .values(status=CommentStatus.VISIBLE)
    )
    db.session.commit()
    assert sending.send_due(now=_morning() + timedelta(hours=1)) == 0
    assert smtp.messages() == []


def test_tick_records_and_sends_the_note_and_says_so(
    db, runner, configure, org, moderator, waiting, smtp
):
    configure(NOTIFY_QUEUE_NOTE_HOUR=0)  # whatever the hour the test runs at
    _asks(moderator)
    db.session.commit()
    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    assert "notifications: 1 moderator(s) to get the queue note of 1 organisation(s)" in (
        result.output
    )
    assert "notifications: 1 sent" in result.output
    (message,) = smtp.messages()
    assert message["To"] == moderator.email
    again = runner.invoke(args=["eraati", "tick"])
    assert "queue note" not in again.output and len(smtp.messages()) == 1
