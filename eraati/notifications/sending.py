"""Sending the recorded notifications: one mechanism for every kind.

``send_due`` (in a worker: ``kick`` after the commit of whatever recorded them, and
``flask eraati tick``) takes the rows that are due in batches. A batch is claimed first
(``claimed_at``, one UPDATE), then each message is sent over one SMTP connection and its
row marked sent (its own commit; on PostgreSQL one autocommit UPDATE,
``Outbox.mark_sent``); a failure that may pass releases the row to be tried later with a
growing pause, a lasting one (a 5xx refusal, or ``MAX_ATTEMPTS``) ends it.
A worker that stops in the middle leaves its claim, which runs out after
``NOTIFY_LEASE_SECONDS``: the next run sends those rows, so nobody is skipped; only a
message whose mark was lost with the worker between the server's acceptance and the
commit can be sent again (the window of one commit; its ``Message-ID`` is the same, so
mail programs show it once).

``send_digests`` gathers each person's due digest rows into one message.

Over SMTP, a text message with an HTML alternative is written by ``wire`` (the same
structure as flask-mailman's, without the standard library's MIME generator, which was
most of a worker's own time per message).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import re
import secrets
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import formatdate, make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMultiAlternatives

from eraati.accounts.models import User
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
    if db.session.get_bind().dialect.name == "postgresql":
        # A worker that stops loses nothing the server committed; only the server's own
        # crash could lose the last marks (those messages would be sent again).
        db.session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
    # A Core UPDATE: the ORM's would first look for the rows among the loaded objects
    # (synchronize_session), per message; the commit expires them anyway.
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


# --- the message on the wire ----------------------------------------------------------------
# What flask-mailman's SMTP backend sends for a text message with one HTML alternative,
# written directly: the standard library's MIME generator and header encoder took most of
# a worker's own time per message (about 2 ms of 3 for a reminder; N1 in benchmarks/). The
# same structure: multipart/alternative, both parts UTF-8 in 8bit, the subject in RFC 2047
# encoded words. Anything else (attachments, a non-ASCII address, a line longer than SMTP
# allows) goes the standard way.

_ASCII_HEADER = re.compile(r"[\x20-\x7e]*")
_WORD_BYTES = 45  # 45 bytes are 60 base64 characters: an encoded word of 72 (RFC 2047: 75)
_LINE_MAX = 998  # RFC 5322, without CRLF


def _ascii(value: str) -> bool:
    return _ASCII_HEADER.fullmatch(value) is not None


def _subject(subject: str) -> str:
    if _ascii(subject) and len(subject) <= 60 and "=?" not in subject:
        return subject
    data, words, start = subject.encode(), [], 0
    while start < len(data):
        end = min(start + _WORD_BYTES, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # not inside a character
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode()}?=")
        start = end
    return "\r\n ".join(words)


def _part(content_type: str, text: str, boundary: str) -> bytes | None:
    body = text.replace("\r\n", "\n").replace("\r", "\n").encode()
    if any(len(line) > _LINE_MAX for line in body.split(b"\n")):
        return None
    return (
        (
            f'--{boundary}\r\nContent-Type: {content_type}; charset="utf-8"\r\n'
            "MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + body.replace(b"\n", b"\r\n")
        + b"\r\n"
    )


def wire(email: EmailMultiAlternatives) -> tuple[str, list[str], bytes] | None:
    """(envelope sender, recipients, the message's bytes) of a text message with one HTML
    alternative, as the SMTP backend would send it; None for anything else."""
    if (
        email.attachments
        or email.cc
        or email.bcc
        or email.reply_to
        or len(email.alternatives) != 1
        or email.alternatives[0][1] != "text/html"
    ):
        return None
    sender = email.from_email
    headers = dict(email.extra_headers)
    if not all(_ascii(v) for v in (sender, *email.to, *map(str, headers.values()))):
        return None
    if not all(_ascii(k) and ":" not in k for k in headers):
        return None
    boundary = f"==============={secrets.token_hex(10)}=="
    text = _part("text/plain", email.body, boundary)
    html = _part("text/html", email.alternatives[0][0], boundary)
    if text is None or html is None:
        return None
    lines = [
        f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
        "MIME-Version: 1.0",
        f"Subject: {_subject(email.subject)}",
        f"From: {sender}",
        f"To: {', '.join(email.to)}",
        f"Date: {formatdate(localtime=False)}",
    ]
    if not any(k.lower() == "message-id" for k in headers):
        lines.append(f"Message-ID: {make_msgid()}")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode()
    raw = head + text + html + f"--{boundary}--\r\n".encode()
    return parseaddr(sender)[1], list(email.to), raw


class Outbox:
    """One SMTP connection for a run, opened at the first message and again after a
    failure (a broken connection must not fail the next person too)."""

    def __init__(self) -> None:
        self.connection = None
        self.marks = None  # PostgreSQL: the run's connection for the marks (``mark_sent``)

    def mark_sent(self, ids: list[int], at: datetime) -> None:
        """Mark the rows of a message the server took. PostgreSQL: one autocommit UPDATE on
        a connection of the run's own with ``synchronous_commit`` off, one round trip (a
        transaction of its own was four: BEGIN, SET LOCAL, UPDATE, COMMIT)."""
        if db.session.get_bind().dialect.name != "postgresql":
            _finish(ids, sent_at=at)
            return
        if self.marks is None:
            marks = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            marks.execute(sa.text("SET synchronous_commit TO OFF"))
            self.marks = marks
        table = Notification.__table__
        self.marks.execute(sa.update(table).where(table.c.id.in_(ids)).values(sent_at=at))

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = mail.get_connection()
            self.connection.open()
        smtp = getattr(self.connection, "connection", None)  # the SMTP backend's smtplib
        try:
            if isinstance(smtp, smtplib.SMTP) and (direct := wire(message)):
                smtp.sendmail(*direct, mail_options=self.connection.mailman.mail_options)
            else:
                message.connection = self.connection
                message.send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.marks is not None:
            with contextlib.suppress(Exception):
                self.marks.execute(sa.text("RESET synchronous_commit"))
                self.marks.close()
            self.marks = None
        if self.connection is not None:
            with contextlib.suppress(Exception):  # already broken
                self.connection.close()
            self.connection = None


@contextmanager
def outbox() -> Iterator[Outbox]:
    box = Outbox()
    try:
        yield box
    finally:
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


def _deliver(
    box: Outbox, ids: list[int], email: EmailMultiAlternatives | None, attempts: int, now: datetime
) -> bool:
    """Send one message standing for ``ids`` and mark them; False when it failed."""
    if email is None:  # nothing left to tell (the comment was removed, ...)
        _finish(ids, claimed_at=None, failed_at=now)
        return False
    try:
        box.send(email)
    except Exception as exc:  # one person's failure must not stop the others
        log.warning("notification %s not sent: %s", ids[0], type(exc).__name__)
        db.session.rollback()
        _release(ids, attempts, utcnow(), lasting=refused_for_good(exc))
        return False
    box.mark_sent(ids, utcnow())
    return True


def _build(row: Notification, user: User, cache: dict) -> dict | None:
    with force_locale(mail_language(user.locale)):
        return kinds.build(row, user, cache)


def send_due(*, now: datetime | None = None) -> int:
    """Send every notification due now (not digests); the number of messages sent."""
    sent = 0
    with outbox() as box:
        while ids := _claim(now or utcnow(), digest=False):
            cache: dict = {}
            # Plain values first: each mark commits, which expires the loaded rows.
            work = []
            for n, user in _rows(ids):
                built = _build(n, user, cache)
                email = (
                    message(user, n.kind.value, n.kind.value, built, ref=f"n{n.id}")
                    if built
                    else None
                )
                work.append(([n.id], email, n.attempts))
            for row_ids, email, attempts in work:
                sent += _deliver(box, row_ids, email, attempts, now or utcnow())
    return sent


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
    sent = 0
    with outbox() as box:
        for user_id in _digest_people(now):
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
            sent += _deliver(box, ids, email, attempts, now)
    return sent
