"""The outbox over a real SMTP server: the sending runs in a thread beside the rendering
(``sending.Outbox``), each message once, in order, its row marked sent; a server that is
away releases the rows to be tried later; a sender that stops on an error hands the error
to the run and leaves the rest claimed (its lease runs out, nobody is skipped)."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.notifications import reminders, sending
from eraati.notifications.models import Kind, Notification
from tests.notifications.test_reminders import (  # noqa: F401 - fixtures
    bilingual_org,
    closing_topic,
    follower,
)

PEOPLE = 12


def _rows(topic):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Notification)
        .where(Notification.topic_id == topic.id, Notification.kind == Kind.REMINDER)
        .order_by(Notification.id)
    ).all()


@pytest.fixture
def reminded(db, closing_topic):  # noqa: F811 - the fixture imported above
    """``PEOPLE`` followers in turn in fi, sv and en, their reminders recorded."""
    for i in range(PEOPLE):
        follower(closing_topic, f"p{i:02d}@example.fi", ("fi", "sv", "en")[i % 3])
    assert reminders.record_due() == PEOPLE
    db.session.commit()
    return closing_topic


def test_each_follower_gets_one_message_in_order_and_every_row_is_marked(app, reminded, smtp):
    interval = sys.getswitchinterval()
    assert sending.send_due() == PEOPLE
    received = smtp.messages()
    assert sorted(m["To"] for m in received) == [f"p{i:02d}@example.fi" for i in range(PEOPLE)]
    rows = _rows(reminded)
    assert all(r.sent_at is not None and r.failed_at is None for r in rows)
    # Sent in the rows' order (each marked when the server took it).
    assert [r.sent_at for r in rows] == sorted(r.sent_at for r in rows)
    # Each message is the one its row stands for (its Message-ID), to that row's person.
    people = dict(db.session.execute(sa.select(User.id, User.email)).all())
    by_row = {f"<n{r.id}": people[r.user_id] for r in rows}
    assert {m["Message-ID"].split("@")[0]: m["To"] for m in received} == by_row
    for message in received:  # as the library writes it
        assert message.get_content_type() == "multipart/alternative"
        assert {p.get_content_type() for p in message.iter_parts()} == {"text/plain", "text/html"}
    assert {m["Content-Language"] for m in received} == {"fi", "sv", "en"}
    # The sender's shorter switch interval is given back.
    assert sys.getswitchinterval() == interval
    assert sending.send_due() == 0  # nothing twice
    assert len(smtp.messages()) == PEOPLE


def test_a_server_that_is_away_releases_every_row_to_be_tried_later(app, reminded, smtp):
    smtp.stop()
    assert sending.send_due() == 0
    rows = _rows(reminded)
    assert all(r.sent_at is None and r.failed_at is None for r in rows)
    assert all(r.claimed_at is None and r.attempts == 1 for r in rows)
    assert all(r.due_at > utcnow() for r in rows)  # a pause before the next try
    smtp.start()
    later = utcnow() + timedelta(hours=1)
    assert sending.send_due(now=later) == PEOPLE
    assert len(smtp.messages()) == PEOPLE


def test_a_sender_that_stops_on_an_error_stops_the_run_and_the_rest_waits_for_its_lease(
    app, reminded, smtp, monkeypatch
):
    real = sending.Outbox.mark_sent
    marked: list[int] = []

    def mark_sent(self, ids, at):
        if len(marked) == 3:
            raise sa.exc.OperationalError("UPDATE", {}, Exception("the database went away"))
        marked.extend(ids)
        return real(self, ids, at)

    monkeypatch.setattr(sending.Outbox, "mark_sent", mark_sent)
    with pytest.raises(RuntimeError, match="sender stopped"):
        sending.send_due()
    monkeypatch.undo()
    rows = _rows(reminded)
    sent = [r for r in rows if r.sent_at is not None]
    assert [r.id for r in sent] == marked and len(marked) == 3
    # The fourth message reached the server before its mark failed: the only one that
    # can be sent twice. The rest stay claimed until the lease runs out.
    assert len(smtp.messages()) == 4
    waiting = [r for r in rows if r.sent_at is None]
    assert all(r.claimed_at is not None for r in waiting)
    assert sending.send_due() == 0  # still claimed
    after_lease = utcnow() + sending.lease() + timedelta(seconds=1)
    assert sending.send_due(now=after_lease) == PEOPLE - 3
    received = [m["To"] for m in smtp.messages()]
    assert sorted(set(received)) == sorted(f"p{i:02d}@example.fi" for i in range(PEOPLE))
    assert len(received) == PEOPLE + 1  # the one in flight when the mark failed, twice


def test_a_run_claims_its_next_batch_only_when_the_last_is_done(app, reminded, smtp, monkeypatch):
    """With a lease that runs out at once, a run that claimed ahead of its sender would
    take its own waiting rows again and send them twice."""
    monkeypatch.setattr(sending, "BATCH", 5)
    monkeypatch.setitem(app.config, "NOTIFY_LEASE_SECONDS", 0)
    assert sending.send_due() == PEOPLE
    received = [m["To"] for m in smtp.messages()]
    assert sorted(received) == [f"p{i:02d}@example.fi" for i in range(PEOPLE)]


def test_a_run_of_one_message_sends_it_without_a_thread(app, closing_topic, smtp, monkeypatch):  # noqa: F811
    """A reply's e-mail, sent by the web process's own worker thread, must not start a
    sender nor shorten the interpreter's switch interval for the requests beside it."""
    follower(closing_topic, "yksi@example.fi")
    assert reminders.record_due() == 1
    db.session.commit()

    def no_thread(self):
        raise AssertionError("a thread for one message")

    monkeypatch.setattr(sending.Outbox, "_start", no_thread)
    assert sending.send_due() == 1
    assert [m["To"] for m in smtp.messages()] == ["yksi@example.fi"]
    assert all(r.sent_at is not None for r in _rows(closing_topic))


def _counted() -> tuple[float, float]:
    """The e-mail counters of /metrics for notifications (eraati/core/metrics.py)."""
    from prometheus_client import REGISTRY

    sent = REGISTRY.get_sample_value("eraati_emails_sent_total", {"stream": "notification"})
    refused = REGISTRY.get_sample_value(
        "eraati_emails_refused_total", {"stream": "notification", "lasting": "no"}
    )
    return sent or 0.0, refused or 0.0


def test_the_metrics_count_each_message_sent_or_not_taken(app, reminded, smtp):
    sent, refused = _counted()
    smtp.stop()
    assert sending.send_due() == 0
    assert _counted() == (sent, refused + PEOPLE)  # each message tried, none taken
    smtp.start()
    assert sending.send_due(now=utcnow() + timedelta(hours=1)) == PEOPLE
    assert _counted() == (sent + PEOPLE, refused + PEOPLE)
