"""N2: N1's reminder sent by a worker (``notify_child worker``, a process of its own) that is
killed with SIGKILL in the middle, and again, and started again each time once the lease
of its claims ran out (``NOTIFY_LEASE_SECONDS`` set short for the run): every follower
must be told, and told once.

Counted in the sink: the To header and the ``Message-ID`` of every message received,
against the followers. A follower is told once when they received one message (one
``Message-ID``: a mail program shows a message once however many copies arrive) and
none is missing. A copy is possible: a message the sink accepted whose row was not yet
marked sent when the worker died is sent again by the next worker, with the same
``Message-ID`` (the window between the server's answer and the commit of the mark, see
``sending``; no SMTP client can close it: marking first would lose the person instead).
Copies are counted and reported beside, not hidden. Each kill
comes a random 0-50 ms after the sink received its share of the messages, so that it
falls anywhere in a message's cycle, as a crash would.
"""

from __future__ import annotations

import random
import subprocess
import time

from benchmarks import data
from benchmarks import notify_support as ns
from benchmarks.report import Figure
from benchmarks.scenarios import Scenario, register

POLL = 0.005  # seconds between looks at the sink while the worker sends
JITTER = 0.05  # the kill comes 0 to 50 ms after the goal (several messages' time)


@register
class N2(Scenario):
    id = "N2"
    title = "a worker killed in the middle of N1 and started again"
    target = (
        "every follower told exactly once: one message (Message-ID) each, none missing; "
        "copies of a message <= kills"
    )
    needs_server = False

    def run(self, ctx):
        from eraati.accounts.models import User
        from eraati.extensions import db

        s = ctx.sizes
        app = ctx.app
        box = ns.sink(ctx)
        n = s.n1_followers
        people = ns.ensure_people(app, n)
        topic = ns.closing_topic(app, "n2")
        ns.follow(app, topic, people, reminders=True)
        recorded = ns.record_reminder(app, topic)
        data.analyze(app)
        with app.app_context():
            import sqlalchemy as sa

            emails = {
                e.lower()
                for e in db.session.scalars(sa.select(User.email).where(User.id.in_(people)))
            }
        box.clear()
        kills, starts = [], 0
        rng = random.Random(f"n2/{ctx.kind}")  # noqa: S311 - a benchmark's timing
        for share in s.n2_kills:
            proc = self._start(ctx, box, topic)
            starts += 1
            goal = int(share * n)
            while ns.received(box) < goal and proc.poll() is None:
                time.sleep(POLL)
            # Not at once: a kill the moment a message arrives would fall, more often than
            # a crash does, between the sink's answer and the worker's mark.
            time.sleep(rng.uniform(0, JITTER))
            if proc.poll() is not None:
                raise RuntimeError(
                    f"N2: the worker ended before {goal} messages: {proc.stderr.read()}"
                )
            proc.kill()  # SIGKILL: no clean-up, claims and the SMTP connection left as they are
            proc.wait()
            kills.append(ns.received(box))
            ctx.log(f"    killed at {kills[-1]} messages received")
            time.sleep(s.n2_lease + 0.5)  # the dead worker's claims run out
        proc = self._start(ctx, box, topic)
        starts += 1
        proc.communicate(timeout=ns.CHILD_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError(f"N2: the last worker failed: {_log(ctx)[-800:]}")
        got = ns.message_ids(box)
        missing = len(emails - set(got))
        twice = sum(1 for ids in got.values() if len(set(ids)) > 1)  # two different messages
        doubled = sum(len(ids) - len(set(ids)) for ids in got.values())  # copies of one
        strangers = len(set(got) - emails)
        rows = ns.state(app, topic)
        ok = missing == 0 and twice == 0 and strangers == 0 and rows["sent"] == n
        # One worker sends one message at a time: a kill can copy at most the one in
        # flight (accepted by the sink, its row not yet marked sent).
        bounded = missing == 0 and doubled <= len(kills)
        return [
            Figure(
                self.id,
                f"followers told: missing / two messages ({n // 1000}k, {len(kills)} kills)",
                f"{missing} / {twice}",
                "0 / 0",
                ok,
                details={
                    "recorded": recorded,
                    "killed_at_received": kills,
                    "workers_started": starts,
                    "rows": rows,
                    "strangers": strangers,
                },
            ),
            Figure(
                self.id,
                "copies of one message (same Message-ID) <= kills: only the one in flight",
                f"{doubled} <= {len(kills)}",
                "yes",
                bounded,
            ),
            Figure(
                self.id,
                "received when killed; rows sent at the end",
                f"{', '.join(str(k) for k in kills)}; {rows['sent']} of {n}",
            ),
        ]

    @staticmethod
    def _start(ctx, box, topic) -> subprocess.Popen:
        with open(ctx.workdir / f"n2-{ctx.kind}.log", "a") as log:
            return subprocess.Popen(  # noqa: S603 - our own module
                ns.child_args(ctx, "worker", box.port, topic, lease=ctx.sizes.n2_lease),
                cwd=ns.ROOT,
                env=ns.child_env(),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )


def _log(ctx) -> str:
    path = ctx.workdir / f"n2-{ctx.kind}.log"
    return path.read_text()[-800:] if path.exists() else ""
