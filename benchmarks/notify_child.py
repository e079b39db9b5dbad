"""One side of the notification benchmarks (N1, N2) in a fresh process, so that its peak
RSS (``VmHWM``) is its own. Prints one JSON line.

    python -m benchmarks.notify_child worker DB_URL SECRET PORT TOPIC_ID [LEASE_S]
        send_due() until nothing is due: the worker's run (N1's measurement; N2's worker
        that is killed and started again)
    python -m benchmarks.notify_child bare DB_URL SECRET PORT TOPIC_ID
        the bare loop: the same messages built the same way (``kinds.build``,
        ``sending.message`` and the SMTP backend's MIME: the same bytes) before the clock
        starts, then sent with smtplib over one connection

Both send to the SMTP sink on 127.0.0.1:PORT. The app, its imports and one message of
each (templates compiled, as in a worker that has run before) come before the clock.
"""

from __future__ import annotations

import contextlib
import json
import smtplib
import sys
import time
from pathlib import Path


def _status(key: str) -> float:
    """``VmRSS`` / ``VmHWM`` of this process in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    """Start ``VmHWM`` again from the present RSS (Linux: "5" to clear_refs), so that the
    peak measured is the sending's, not the start-up's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _app(url: str, secret: str, port: int, lease: float | None):
    from benchmarks.data import PUBLIC_URL
    from eraati import create_app

    extra = {"NOTIFY_LEASE_SECONDS": lease} if lease else {}
    app = create_app(
        "production",
        SECRET_KEY=secret,
        SQLALCHEMY_DATABASE_URI=url,
        PUBLIC_URL=PUBLIC_URL,
        TRUSTED_HOSTS="localhost",
        **extra,
    )
    mailman = app.extensions["mailman"]
    mailman.backend, mailman.server, mailman.port = "smtp", "127.0.0.1", port
    mailman.use_tls = mailman.use_ssl = False
    mailman.username = mailman.password = None
    return app


def _rows(topic_id: int, limit: int | None = None):
    import sqlalchemy as sa

    from eraati.accounts.models import User
    from eraati.extensions import db
    from eraati.notifications.models import Kind, Notification

    return db.session.execute(
        sa.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(Notification.topic_id == topic_id, Notification.kind == Kind.REMINDER)
        .order_by(Notification.id)
        .limit(limit)
    ).all()


def _build(n, user, cache):
    from eraati.notifications import sending

    built = sending._build(n, user, cache)
    return sending.message(user, n.kind.value, n.kind.value, built, ref=f"n{n.id}")


def worker(url: str, secret: str, port: int, topic_id: int, lease: float | None) -> dict:
    from eraati.notifications import sending

    app = _app(url, secret, port, lease)
    with app.app_context():
        rows = _rows(topic_id, limit=1)
        if rows:  # compile the templates, as a worker that has sent before has them
            sending._mime(_build(*rows[0], {}))
        del rows
        from eraati.extensions import db

        db.session.rollback()
        db.session.close()
        _reset_peak()
        before = _status("VmRSS")
        t = time.perf_counter()
        sent = sending.send_due()
        seconds = time.perf_counter() - t
    return {
        "sent": sent,
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": _status("VmHWM"),
    }


def bare(url: str, secret: str, port: int, topic_id: int) -> dict:
    from eraati.notifications import sending

    app = _app(url, secret, port, None)
    with app.app_context():
        cache: dict = {}
        prepared = []
        for n, user in _rows(topic_id):
            email = _build(n, user, cache)
            prepared.append(sending._mime(email))  # the bytes the worker sends
    size = sum(len(m) for _f, _t, m in prepared)
    t = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for from_email, to, raw in prepared:
            smtp.sendmail(from_email, to, raw)
    seconds = time.perf_counter() - t
    return {"sent": len(prepared), "seconds": seconds, "bytes": size}


def main(argv: list[str]) -> int:
    mode, url, secret, port, topic_id = argv[:5]
    lease = float(argv[5]) if len(argv) > 5 else None
    if mode == "worker":
        out = worker(url, secret, int(port), int(topic_id), lease)
    elif mode == "bare":
        out = bare(url, secret, int(port), int(topic_id))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
