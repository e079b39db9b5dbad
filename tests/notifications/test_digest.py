"""The weekly digest: a person who chose it for replies gets nothing at once, and one
message with every reply at the digest time (Monday 07:00 Helsinki), in their language,
whose unsubscribe link stops the digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Comment
from eraati.core.time import HELSINKI, utcnow
from eraati.notifications import sending, services
from eraati.notifications.models import Kind, Mode, Notification
from tests.accounts.helpers import tr
from tests.consultations.topic_support import make_comment
from tests.notifications.checks import LANGS, open_link, unsubscribe_one_click
from tests.notifications.support import parts, post_reply, unsubscribe_url


def test_the_digest_time_is_the_next_monday_seven_in_helsinki():
    wednesday = datetime(2027, 1, 13, 12, 0, tzinfo=UTC)
    assert services.next_digest(wednesday) == datetime(2027, 1, 18, 5, 0, tzinfo=UTC)  # EET
    summer = datetime(2027, 6, 14, 4, 59, tzinfo=UTC)  # Monday 07:59 EEST: just after it
    assert services.next_digest(summer) == datetime(2027, 6, 21, 4, 0, tzinfo=UTC)
    at = services.next_digest(utcnow()).astimezone(HELSINKI)
    assert (at.weekday(), at.hour, at.minute) == (0, 7, 0)


@pytest.mark.parametrize("lang", LANGS)
def test_replies_chosen_for_the_digest_come_in_one_message_at_its_time(
    db, client, login_as, open_topic, resident, other_resident, smtp, lang
):
    other_resident.locale = lang
    services.set_mode(other_resident.id, Kind.REPLY, Mode.DIGEST)
    first = make_comment(open_topic, other_resident, "Kirjasto auki sunnuntaisin?")
    second = make_comment(open_topic, other_resident, "Lisää lehtiä lukusaliin.")
    db.session.commit()
    login_as(resident)
    for parent, body in ((first, "Kannatan sunnuntaita."), (second, "Ja sarjakuvia.")):
        assert post_reply(client, open_topic, parent, body).status_code == 303
    assert smtp.messages() == []  # nothing at once
    due = db.session.scalars(sa.select(Notification.due_at)).all()
    assert len(due) == 2 and len(set(due)) == 1
    at = due[0]
    assert at == services.next_digest(utcnow())

    assert sending.send_due(now=at + timedelta(minutes=1)) == 0  # not an instant message
    assert sending.send_digests(now=at - timedelta(minutes=1)) == 0  # not before its time
    assert sending.send_digests(now=at) == 1
    assert sending.send_digests(now=at + timedelta(hours=1)) == 0  # once

    (message,) = smtp.messages()
    assert message["To"] == other_resident.email
    assert message["Subject"] == tr("Your weekly eRaati digest", lang)
    assert message["Content-Language"] == lang
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert f'<html lang="{lang}">' in html
    summary = tr("%(replier)s replied to your comment.", lang, replier="Aino Asukas")
    assert text.count(summary) == 2 and html.count(summary) == 2
    replies = sorted(
        db.session.scalars(sa.select(Comment.id).where(Comment.parent_id.is_not(None)))
    )
    for reply_id in replies:
        link = f"http://localhost/keitele/kirjaston-aukioloajat?lang={lang}#c{reply_id}"
        assert link in text and f'href="{link}"' in html
    assert f'id="c{replies[0]}"' in open_link(client, link).text
    assert unsubscribe_url(message) in text

    unsubscribe_one_click(client, message)
    assert services.modes(other_resident.id)[Kind.REPLY] == Mode.OFF
    assert services.modes(other_resident.id)[Kind.RESULTS] == Mode.INSTANT  # not a digest kind
    third = make_comment(open_topic, other_resident, "Kolmas.")
    db.session.commit()
    post_reply(client, open_topic, third, "Vastaus kolmanteen.")
    later = services.next_digest(at)
    assert sending.send_due(now=later) == 0 and sending.send_digests(now=later) == 0
    assert len(smtp.messages()) == 1
