"""Moderation e-mails go through the job queue (``jobs.queue``): the moderator's request
hands them over after its commit and never waits for the mail server. With RQ (Redis
database 15, a queue of the test's own) nothing is sent until the worker runs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.consultations.models import CommentStatus
from eraati.core.mail import DELIVER
from eraati.extensions import db as _db
from eraati.moderation.mails import SEND_BLOCK_NOTICE
from eraati.moderation.models import UserBlock
from tests import factories
from tests.moderation.support import add_comment, flashes, text

BLOCKS = "/staff/keitele/blocks"
QUEUE = "/staff/keitele/moderation"


def _run_worker(redis_queue) -> None:
    from rq import SimpleWorker

    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True


def _jobs(redis_queue) -> list[tuple]:
    return [job.args for job in redis_queue.get_jobs()]


@pytest.fixture
def person(db):
    user = factories.make_user("hairikko@example.fi", name="Heikki Häirikkö", locale="sv")
    db.session.commit()
    return user


def test_blocking_by_address_hands_the_same_task_over_with_or_without_an_account(
    db, browser, login_as, moderator, person, outbox, redis_queue
):
    login_as(moderator)
    answers = [
        browser.post(BLOCKS, data={"email": email, "days": "7", "reason": "Nimittelyä"})
        for email in ("hairikko@example.fi", "ei-tilia@example.fi")
    ]

    assert [a.status_code for a in answers] == [303, 303]
    assert outbox == []  # nothing was sent inside the requests
    blocks = list(db.session.scalars(sa.select(UserBlock).order_by(UserBlock.id)))
    assert [b.user_id for b in blocks] == [person.id, None]
    # One task each, given only the block's id: the worker finds out whom to tell.
    assert _jobs(redis_queue) == [(SEND_BLOCK_NOTICE, b.id) for b in blocks]

    _run_worker(redis_queue)
    [mail] = outbox  # only the account's owner, in their language
    assert mail.to == ["hairikko@example.fi"]
    assert mail.subject == "Du har blockerats från hörandena i Keitele"
    assert "Skäl: Nimittelyä" in mail.body


def test_a_block_lifted_before_the_worker_came_is_not_told(
    db, browser, login_as, moderator, person, outbox, redis_queue
):
    login_as(moderator)
    browser.post(BLOCKS, data={"email": person.email, "days": "7", "reason": "Nimittelyä"})
    block = db.session.scalar(sa.select(UserBlock))
    assert browser.post(f"{BLOCKS}/{block.id}/lift").status_code == 303
    _run_worker(redis_queue)
    assert outbox == []


def test_hide_restore_and_bulk_hide_mail_through_the_queue(
    db, browser, login_as, moderator, open_topic, reasons, resident, other_resident, outbox,
    redis_queue,
):  # fmt: skip
    login_as(moderator)
    one = add_comment(open_topic, resident, "Ensimmäinen")
    two = add_comment(open_topic, other_resident, "Toinen")
    three = add_comment(open_topic, resident, "Kolmas")
    _db.session.commit()
    reason = str(reasons[0].id)
    comment_url = f"{QUEUE}/comments"

    hidden = browser.post(f"{comment_url}/{one.id}/hide", data={"reason": reason})
    restored = browser.post(f"{comment_url}/{one.id}/restore")
    bulk = browser.post(
        f"{QUEUE}/bulk?tab=recent",
        data={"action": "hide", "reason": reason, "ids": [str(two.id), str(three.id)]},
    )

    assert [r.status_code for r in (hidden, restored, bulk)] == [303, 303, 303]
    assert outbox == []  # the moderator waited for no mail server
    assert "2 comments hidden." in flashes(text(browser.get(QUEUE)))
    jobs = _jobs(redis_queue)
    assert [(task, to, template) for task, to, template, _locale, _context in jobs] == [
        (DELIVER, resident.email, "moderation/email/comment_hidden"),
        (DELIVER, resident.email, "moderation/email/comment_restored"),
        (DELIVER, other_resident.email, "moderation/email/comment_hidden"),
        (DELIVER, resident.email, "moderation/email/comment_hidden"),
    ]
    # What the worker needs is worked out in the request: plain values, no rows.
    assert all(
        isinstance(value, (str, bool, int, type(None)))
        for *_args, context in jobs
        for value in context.values()
    )

    _run_worker(redis_queue)
    assert [(m.to[0], m.subject) for m in outbox] == [
        (resident.email, "Moderaattori piilotti kommenttisi"),
        (resident.email, "Kommenttisi näkyy taas"),
        (other_resident.email, "Moderaattori piilotti kommenttisi"),
        (resident.email, "Moderaattori piilotti kommenttisi"),
    ]
    assert "Ensimmäinen" in outbox[0].body and "Kolmas" in outbox[3].body
    _db.session.expire_all()
    assert _db.session.get(type(one), one.id).status == CommentStatus.VISIBLE
