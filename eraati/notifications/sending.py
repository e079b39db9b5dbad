"""Sending the recorded notifications: one mechanism for every kind.

``send_due`` (in a worker: ``kick`` after the commit of whatever recorded them, and
``flask eraati tick``) takes the rows that are due in batches. A batch is claimed first
(``claimed_at``, one UPDATE), then each message is sent over one SMTP connection and its
row marked sent (one autocommit UPDATE, ``Outbox.mark_sent``); a failure that may pass
releases the row to be tried later with a growing pause, a lasting one (a 5xx refusal,
or ``MAX_ATTEMPTS``) ends it.
A worker that stops in the middle leaves its claim, which runs out after
``NOTIFY_LEASE_SECONDS``: the next run sends those rows, so nobody is skipped; only a
message whose mark was lost with the worker between the server's acceptance and the
commit can be sent again (the window of one commit; its ``Message-ID`` is the same, so
mail programs show it once).

``send_digests`` gathers each person's due digest rows into one message.

Over SMTP the sending runs in a thread beside the one that renders the messages
(``Outbox``): a message is built while the server answers the one before.
"""

from __future__ import annotations

import contextlib
import logging
import queue as queue_module
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends.smtp import EmailBackend as SMTPBackend
from flask_mailman.message import sanitize_address

from eraati.accounts.models import User
from eraati.core import metrics
from eraati.core.db import UTCDateTime
from eraati.core.links import public_host, public_url
from eraati.core.mail import mail_language, refused_for_good
from eraati.core.time import utcnow
from eraati.extensions import db, mail
from eraati.jobs import queue
from eraati.notifications import kinds, tokens
from eraati.notifications.models import Notification

log = logging.getLogger(__name__)

SEND_DUE = "eraati.notifications.sending.send_due"
SEND_DIGESTS = "eraati.notifications.sending.send_digests"
BATCH = 200
MAX_ATTEMPTS = 6
AHEAD = 32  # messages the calling thread may render ahead of the sender
SWITCH_INTERVAL = 0.0001  # seconds, while a sender runs (Python's default: 0.005; N1)


def kick() -> None:
    """After the commit that recorded notifications: a worker sends the due ones."""
    queue.submit(SEND_DUE)


def lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("NOTIFY_LEASE_SECONDS", 600))


def _unsent():
    return sa.and_(Notification.sent_at.is_(None), Notification.failed_at.is_(None))


def _claimable(now: datetime):
    stale = sa.literal(now - lease(), UTCDateTime())
    return sa.and_(
        _unsent(),
        Notification.due_at <= sa.literal(now, UTCDateTime()),
        sa.or_(Notification.claimed_at.is_(None), Notification.claimed_at < stale),
    )


def _claim(now: datetime, *, digest: bool, user_id: int | None = None) -> list[int]:
    """Claim up to ``BATCH`` due rows (committed): their ids."""
    pick = (
        sa.select(Notification.id)
        .where(_claimable(now), Notification.digest.is_(digest))
        .order_by(Notification.id)
        .limit(BATCH)
    )
    if user_id is not None:
        pick = pick.where(Notification.user_id == user_id)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = db.session.scalars(
        sa.update(Notification)
        .where(Notification.id.in_(pick), _claimable(now))
        .values(claimed_at=now)
        .returning(Notification.id)
    ).all()
    db.session.commit()
    return sorted(ids)


def _finish(ids: list[int], **values) -> None:
    """End or release rows (not sent: ``Outbox.mark_sent`` marks those), committed."""
    # A Core UPDATE: the ORM's would first look for the rows among the loaded objects.
    table = Notification.__table__
    db.session.execute(sa.update(table).where(table.c.id.in_(ids)).values(**values))
    db.session.commit()


def _release(ids: list[int], attempts: int, now: datetime, *, lasting: bool) -> None:
    """Give the rows back to be tried later (a pause that grows with the attempts), or end
    them when the failure lasts."""
    if lasting or attempts + 1 >= MAX_ATTEMPTS:
        _finish(ids, claimed_at=None, attempts=attempts + 1, failed_at=now)
    else:
        pause = timedelta(minutes=2**attempts)
        _finish(ids, claimed_at=None, attempts=attempts + 1, due_at=now + pause)


# --- the outbox ------------------------------------------------------------------------------


class Outbox:
    """A run's messages, sent in order over one SMTP connection (opened at the first message
    and again after a failure: a broken connection must not fail the next person too),
    each one's rows marked sent as soon as the server took it.

    Over SMTP the sending runs in a thread of its own with its own app context (so its own
    session and database connection for the marks): while it waits for the server's
    answers, the calling thread renders the next messages and has flask-mailman and the
    standard library write their MIME (``put``), at most ``AHEAD`` messages ahead. A run
    of one message (most runs: a reply's e-mail) starts no thread. Other backends (the
    tests' memory, the console) send in the calling thread, a batch at a time
    (``drain``).

    ``drain`` waits until every message put has been sent or released: a run claims its
    next batch only then, so it never claims a row it still holds (its lease may have
    run out while the row waited) and no row waits longer than a batch."""

    def __init__(self) -> None:
        self.connection = None
        self.marks = None  # the sender's database connection for the marks (``mark_sent``)
        self.sent = 0
        self._threaded: bool | None = None
        self._waiting: list = []  # other backends: the batch's messages until ``drain``
        self._queue: queue_module.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._interval: float | None = None

    # The calling thread.

    def put(self, ids: list[int], email: EmailMultiAlternatives | None, attempts: int) -> None:
        """Send ``email`` for the rows ``ids`` (None: nothing left to tell, the rows end)."""
        if self._threaded is None:
            self._threaded = isinstance(mail.get_connection(), SMTPBackend)
        if not self._threaded:
            self._waiting.append((ids, email, attempts, None))
            return
        item = (ids, email, attempts, _mime(email) if email is not None else None)
        if self._thread is None:
            if not self._waiting:  # a run of one message (a reply's) needs no thread
                self._waiting.append(item)
                return
            self._start()
            waiting, self._waiting = self._waiting, []
            for earlier in waiting:
                self._queue_put(earlier)
        self._queue_put(item)

    def _queue_put(self, item) -> None:
        while True:  # the sender may have stopped on an error: never wait for it forever
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue_module.Full:
                self._raise_if_stopped()

    def drain(self) -> None:
        """Wait until everything put has been sent (or released); raise what stopped the
        sender."""
        if self._thread is None:
            waiting, self._waiting = self._waiting, []
            for item in waiting:
                self._handle(item)
            return
        done = self._queue.all_tasks_done
        with done:
            while self._queue.unfinished_tasks:
                self._raise_if_stopped()
                done.wait(0.5)

    def _start(self) -> None:
        self._queue = queue_module.Queue(maxsize=AHEAD)
        # The sender must get the interpreter back at once when the server answers, not
        # after the default 5 ms the calling thread may keep it while rendering.
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        app = current_app._get_current_object()
        self._thread = threading.Thread(target=self._run, args=(app,), name="outbox", daemon=True)
        self._thread.start()

    def _raise_if_stopped(self) -> None:
        if not self._thread.is_alive():
            raise RuntimeError("the outbox's sender stopped") from self._error

    def close(self) -> None:
        """Send what is left and stop the sender; raise what stopped it."""
        try:
            self.drain()
            if self._thread is not None:
                self._queue.put(None)  # drained: there is room
                self._thread.join()
            else:
                self._close_connections()
        finally:
            if self._interval is not None:
                sys.setswitchinterval(self._interval)
                self._interval = None

    def abandon(self) -> None:
        """After an error in the calling thread: stop the sender at once; what it did not
        send stays claimed until the lease runs out."""
        if self._thread is not None and self._thread.is_alive():
            with contextlib.suppress(queue_module.Empty):
                while True:
                    self._queue.get_nowait()
                    self._queue.task_done()
            with contextlib.suppress(queue_module.Full):
                self._queue.put(None, timeout=5)
            self._thread.join(timeout=30)
        else:
            self._close_connections()
        if self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None

    # The sender (its thread, or the calling thread for other backends).

    def _run(self, app) -> None:
        with app.app_context():
            try:
                while (item := self._queue.get()) is not None:
                    try:
                        self._handle(item)
                    finally:
                        self._queue.task_done()
            except BaseException as exc:  # handed to the calling thread (``drain``)
                self._error = exc
                log.warning("outbox stopped: %s", type(exc).__name__)
            finally:
                self._close_connections()
                db.session.remove()

    def _handle(self, item) -> None:
        ids, email, attempts, raw = item
        if email is None:
            _finish(ids, claimed_at=None, failed_at=utcnow())
            return
        try:
            self.send(email, raw)
        except Exception as exc:  # one person's failure must not stop the others
            log.warning("notification %s not sent: %s", ids[0], type(exc).__name__)
            lasting = refused_for_good(exc)
            metrics.email_refused("notification", lasting=lasting)
            db.session.rollback()
            _release(ids, attempts, utcnow(), lasting=lasting)
            return
        metrics.email_sent("notification")
        self.mark_sent(ids, utcnow())
        self.sent += 1

    def send(self, message: EmailMultiAlternatives, raw: tuple | None = None) -> None:
        """Hand one message to the mail server: over SMTP the bytes ``put`` had written."""
        if self.connection is None:
            self.connection = mail.get_connection()
            self.connection.open()
        try:
            if raw is not None:
                self.connection.connection.sendmail(
                    *raw, mail_options=self.connection.mailman.mail_options
                )
            else:
                message.connection = self.connection
                message.send()
        except Exception:
            self._close_mail()
            raise

    def mark_sent(self, ids: list[int], at: datetime) -> None:
        """Mark the rows of a message the server took: one autocommit UPDATE on a
        connection of the sender's own, one round trip (a transaction of the session was
        four on PostgreSQL: BEGIN, SET LOCAL, UPDATE, COMMIT). PostgreSQL: with
        ``synchronous_commit`` off (a worker that stops loses nothing the server
        committed; only the server's own crash could lose the last marks, and those
        messages would be sent again)."""
        if self.marks is None:
            marks = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if marks.dialect.name == "postgresql":
                marks.execute(sa.text("SET synchronous_commit TO OFF"))
            self.marks = marks
        table = Notification.__table__
        self.marks.execute(sa.update(table).where(table.c.id.in_(ids)).values(sent_at=at))

    def _close_mail(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # already broken
                self.connection.close()
            self.connection = None

    def _close_connections(self) -> None:
        if self.marks is not None:
            with contextlib.suppress(Exception):
                if self.marks.dialect.name == "postgresql":
                    self.marks.execute(sa.text("RESET synchronous_commit"))
                self.marks.close()
            self.marks = None
        self._close_mail()


def _mime(email: EmailMultiAlternatives) -> tuple[str, list[str], bytes]:
    """(envelope sender, recipients, bytes) as flask-mailman's SMTP backend sends them."""
    encoding = email.encoding or current_app.extensions["mailman"].default_charset
    return (
        sanitize_address(email.from_email, encoding),
        [sanitize_address(address, encoding) for address in email.recipients()],
        email.message().as_bytes(linesep="\r\n"),
    )


@contextmanager
def outbox() -> Iterator[Outbox]:
    box = Outbox()
    try:
        yield box
    except BaseException:
        box.abandon()
        raise
    box.close()


def _rows(ids: list[int]) -> list[tuple[Notification, User]]:
    return db.session.execute(
        sa.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.id)
    ).all()


def message(
    user: User, what: str, template: str, context: dict, *, ref: str
) -> EmailMultiAlternatives:
    """The e-mail to ``user``: ``templates/notifications/email/<template>.txt`` (first line
    the subject) and ``.html``, in the person's language, with the one-click unsubscribe
    (RFC 8058) of ``what`` (a kind, or ``tokens.DIGEST``) and a ``Message-ID`` made of
    ``ref``, the same on every try."""
    lang = mail_language(user.locale)
    unsubscribe = public_url(
        "notifications.unsubscribe", token=tokens.unsubscribe(user.id, what), lang=lang
    )
    context = {
        **context,
        "name": user.display_name,
        "lang": lang,
        "what": what,
        "unsubscribe": unsubscribe,
        "preferences": public_url("notifications.preferences", lang=lang),
    }
    with force_locale(lang):
        text = render_template(f"notifications/email/{template}.txt", **context)
        html = render_template(f"notifications/email/{template}.html", **context)
    subject, _, body = text.partition("\n")
    host = public_host(current_app.config["PUBLIC_URL"]) or "eraati.invalid"
    email = EmailMultiAlternatives(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        to=[user.email],
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        headers={
            "Message-ID": f"<{ref}@{host}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": lang,
        },
    )
    email.attach_alternative(html, "text/html")
    return email


def _build(row: Notification, user: User, cache: dict) -> dict | None:
    with force_locale(mail_language(user.locale)):
        return kinds.build(row, user, cache)


def send_due(*, now: datetime | None = None) -> int:
    """Send every notification due now (not digests); the number of messages sent."""
    with outbox() as box:
        while ids := _claim(now or utcnow(), digest=False):
            cache: dict = {}
            for n, user in _rows(ids):
                built = _build(n, user, cache)
                email = (
                    message(user, n.kind.value, n.kind.value, built, ref=f"n{n.id}")
                    if built
                    else None
                )
                box.put([n.id], email, n.attempts)
            box.drain()  # the batch is done before the next is claimed
    return box.sent


def _digest_people(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Notification.user_id)
            .where(_claimable(now), Notification.digest.is_(True))
            .group_by(Notification.user_id)
            .order_by(Notification.user_id)
        )
    )


def send_digests(*, now: datetime | None = None) -> int:
    """One message to each person with digest rows due: the number of messages sent."""
    now = now or utcnow()
    with outbox() as box:
        for number, user_id in enumerate(_digest_people(now), 1):
            if number % BATCH == 0:
                box.drain()  # a batch of people at a time, as ``send_due``
            ids = _claim(now, digest=True, user_id=user_id)
            if not ids:
                continue  # another run took them
            rows = _rows(ids)
            user = rows[0][1]
            cache: dict = {}
            items = []
            for n, _user in rows:
                built = _build(n, user, cache)
                if built:
                    items.append({"kind": n.kind, **built})
            attempts = max(n.attempts for n, _u in rows)
            email = (
                message(
                    user, tokens.DIGEST, "digest", {"items": items}, ref=f"d{ids[0]}-{len(ids)}"
                )
                if items
                else None
            )
            box.put(ids, email, attempts)
    return box.sent
