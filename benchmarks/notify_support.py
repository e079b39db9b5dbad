"""What the notification scenarios (N1-N3) share: followers made in bulk, the reminder of a
topic recorded for them, the SMTP sink (``tests.mailsink``: aiosmtpd in its own process on
127.0.0.1, writing each message to a Maildir) and the runs of ``notify_child``.

Followers are verified residents ``notifyNNNNN@bench.invalid`` (one ``INSERT`` per 5,000,
as ``data.ensure_users``), each following the topic (one ``INSERT ... SELECT``) and with
reminders chosen "at once" (one ``INSERT ... SELECT`` into ``notification_preferences``):
reminders are off until chosen (``notifications.models.RULES``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from email.parser import BytesHeaderParser
from pathlib import Path

import sqlalchemy as sa

from benchmarks import data

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "notify"
CHILD_TIMEOUT = 600.0


def ensure_people(app, count: int) -> list[int]:
    """``count`` verified residents (ids, in order), made once and shared by N1-N3."""
    from eraati.accounts.models import User
    from eraati.core.time import utcnow
    from eraati.extensions import db

    emails = [f"{PREFIX}{i:05d}@{data.BENCH_DOMAIN}" for i in range(count)]
    with app.app_context():
        have = dict(
            db.session.execute(
                sa.select(User.email, User.id).where(User.email.like(f"{PREFIX}%"))
            ).all()
        )
        missing = [e for e in emails if e not in have]
        now = utcnow()
        for start in range(0, len(missing), data.BATCH):
            rows = [
                {
                    "email": e,
                    "password_hash": "!",  # nobody logs in as them
                    "display_name": f"Seuraaja {e.split('@')[0][len(PREFIX) :]}",
                    "locale": ("fi", "sv", "en")[int(e[len(PREFIX) : len(PREFIX) + 5]) % 3],
                    "email_verified_at": now,
                    "is_platform_admin": False,
                    "session_version": 1,
                    "created_at": now,
                }
                for e in missing[start : start + data.BATCH]
            ]
            db.session.execute(sa.insert(User), rows)
        db.session.commit()
        ids = dict(
            db.session.execute(
                sa.select(User.email, User.id).where(User.email.like(f"{PREFIX}%"))
            ).all()
        )
        return [ids[e] for e in emails]


def follow(app, topic: data.BenchTopic, user_ids: list[int], *, reminders: bool) -> None:
    """``user_ids`` follow ``topic`` (and, with ``reminders``, chose reminders "at once");
    the follower counter recounted."""
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Follow
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.notifications.models import Kind, Mode, NotificationPreference

    now = utcnow()
    with app.app_context():
        have = set(db.session.scalars(sa.select(Follow.user_id).where(Follow.topic_id == topic.id)))
        rows = [
            {"topic_id": topic.id, "user_id": u, "created_at": now}
            for u in user_ids
            if u not in have
        ]
        for start in range(0, len(rows), data.BATCH):
            db.session.execute(sa.insert(Follow), rows[start : start + data.BATCH])
        if reminders:
            chosen = set(
                db.session.scalars(
                    sa.select(NotificationPreference.user_id).where(
                        NotificationPreference.kind == Kind.REMINDER
                    )
                )
            )
            prefs = [
                {"user_id": u, "kind": Kind.REMINDER, "mode": Mode.INSTANT, "updated_at": now}
                for u in user_ids
                if u not in chosen
            ]
            for start in range(0, len(prefs), data.BATCH):
                db.session.execute(
                    sa.insert(NotificationPreference), prefs[start : start + data.BATCH]
                )
        recount([topic.id])
        db.session.commit()


def closing_topic(app, key: str) -> data.BenchTopic:
    """An open benchmark topic that closes in two days: inside its 3-day reminder window."""
    from eraati.consultations.models import Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db

    topic = data.new_topic(app, key, poll=True)
    with app.app_context():
        db.session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(closes_at=utcnow() + timedelta(days=2), reminder_days=3)
        )
        db.session.commit()
    return topic


def record_reminder(app, topic: data.BenchTopic) -> int:
    """The reminder of ``topic`` for its followers, as ``flask eraati tick`` records it
    (``reminders.record_due`` for this one topic); the rows added."""
    from eraati.consultations.models import Follow, Topic
    from eraati.extensions import db
    from eraati.notifications import reminders, services
    from eraati.notifications.models import Kind

    with app.app_context():
        row = db.session.get(Topic, topic.id)
        followers = sa.select(Follow.user_id).where(
            Follow.topic_id == topic.id, Follow.user_id.is_not(None)
        )
        added = services.record(Kind.REMINDER, reminders.key(row), followers, topic_id=topic.id)
        db.session.commit()
        return added


def unsend(app, topic: data.BenchTopic) -> None:
    """Make the topic's reminders due again (the next measured run sends them all)."""
    from eraati.extensions import db
    from eraati.notifications.models import Notification

    with app.app_context():
        db.session.execute(
            sa.update(Notification)
            .where(Notification.topic_id == topic.id)
            .values(sent_at=None, claimed_at=None, failed_at=None, attempts=0)
        )
        db.session.commit()


def state(app, topic: data.BenchTopic) -> dict[str, int]:
    """Rows of the topic's reminders: sent, failed, still claimed, unsent."""
    from eraati.extensions import db
    from eraati.notifications.models import Notification as N

    with app.app_context():
        row = db.session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(N.sent_at),
                sa.func.count(N.failed_at),
                sa.func.count(N.claimed_at),
            ).where(N.topic_id == topic.id)
        ).one()
    return {"rows": row[0], "sent": row[1], "failed": row[2], "claimed": row[3]}


# --- the sink ---------------------------------------------------------------------------------


def sink(ctx):
    """The SMTP sink of this database's run (started once, stopped with the context)."""
    from tests.mailsink import MailSink

    if "notify_sink" not in ctx.cache:
        box = MailSink(ctx.workdir / f"maildir-{ctx.kind}").start()
        ctx.cache["notify_sink"] = box
        ctx.on_close(box.stop)
    return ctx.cache["notify_sink"]


def received(box) -> int:
    """Messages in the sink so far (files in its Maildir: cheap while a worker sends)."""
    return sum(1 for sub in ("new", "cur") for _e in os.scandir(box.directory / sub))


def message_ids(box) -> dict[str, list[str]]:
    """The ``Message-ID`` of every message each address received, one per file."""
    parser = BytesHeaderParser()
    got: dict[str, list[str]] = {}
    for sub in ("new", "cur"):
        for entry in os.scandir(box.directory / sub):
            with open(entry.path, "rb") as fh:
                headers = parser.parse(fh)
            to = str(headers["To"]).strip().lower()
            got.setdefault(to, []).append(str(headers["Message-ID"]).strip())
    return got


# --- the children -----------------------------------------------------------------------------


def child_args(ctx, mode: str, port: int, topic: data.BenchTopic, lease: float | None = None):
    args = [sys.executable, "-m", "benchmarks.notify_child", mode, ctx.db.url, ctx.secret]
    args += [str(port), str(topic.id)]
    if lease:
        args.append(str(lease))
    return args


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_child(ctx, mode: str, port: int, topic: data.BenchTopic) -> dict:
    done = subprocess.run(  # noqa: S603 - our own module
        child_args(ctx, mode, port, topic),
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"notify_child {mode} failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
