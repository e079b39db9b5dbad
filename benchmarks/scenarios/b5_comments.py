"""B5: 20 writers posting comments at once; 0 lost, 0 doubled.

Every submission carries its own ``submission_token`` (32 hex characters, as the form
makes them); one in five is sent twice at the same moment, as a double click does. After
the runs, by SQL: every token answered 2xx/3xx has exactly one comment, no token has two,
and the topic's comment counter equals COUNT(*).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from benchmarks import client, data, integrity
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

TARGET = 0.3
DOUBLE_EVERY = 5


@register
class B5(Scenario):
    id = "B5"
    title = "20 concurrent comment writers"
    target = f"0 lost, 0 doubled; throughput >= {TARGET}x the no-op POST"
    needs_bench_routes = True

    def run(self, ctx):
        from eraati.consultations.models import Comment
        from eraati.extensions import db

        s = ctx.sizes
        topic = data.new_topic(ctx.app, "b5")
        data.add_comments(ctx.app, topic, roots=50)  # a page like any other
        writers = ctx.voters(s.b5_writers)
        sessions = ctx.sessions(writers)
        path = f"{topic.path}/comments"
        base, posts, ratios = Series(), Series(), []
        answered: set[str] = set()
        sent: set[str] = set()
        statuses: list[int | None] = []
        for i in range(s.runs):
            n = base.add(ctx.noop(connections=s.b5_writers, label=f"noop {i + 1}"))
            jobs = []
            for k in range(s.b5_per_writer):
                for uid, _email in writers:
                    token = uuid.uuid4().hex
                    body = f"Kommentti {k} kirjoittajalta {uid}, ajo {i + 1}. Token {token}."
                    job = client.post_job(
                        sessions[uid],
                        path,
                        {"body": body, "submission_token": token, "parent_id": ""},
                        key=token,
                    )
                    jobs.append(job)
                    if len(jobs) % DOUBLE_EVERY == 0:
                        jobs.append(job)  # the same form again at once: a double click
            p, st = ctx.load(
                jobs, connections=s.b5_writers, seconds=s.b5_seconds, label=f"comment {i + 1}"
            )
            posts.add(p)
            statuses += st
            for job, status in zip(jobs, st, strict=True):
                if status is not None:
                    sent.add(job.key)
                    if client.ok(status):
                        answered.add(job.key)
            ratios.append(ratio(p.rps, n.rps))

        with ctx.app.app_context():
            rows = db.session.execute(
                sa.select(Comment.submission_token, sa.func.count())
                .where(Comment.topic_id == topic.id, Comment.submission_token.is_not(None))
                .group_by(Comment.submission_token)
            ).all()
        stored = dict(rows)
        lost = sum(1 for t in answered if stored.get(t, 0) == 0)
        doubled = sum(1 for n in stored.values() if n > 1)
        unanswered_but_stored = sum(1 for t in sent - answered if stored.get(t, 0) > 0)
        mismatched = integrity.counter_mismatches(ctx.app)
        five = sum(1 for x in statuses if x is not None and x >= 500)
        errors = sum(1 for x in statuses if x is not None and not client.ok(x))
        unsent = statuses.count(None)
        r = median(ratios)
        details = {
            "topic": topic.path,
            "noop": base.summary(),
            "comments": posts.summary(),
            "ratios": ratios,
            "tokens_sent": len(sent),
            "tokens_answered": len(answered),
            "stored_without_2xx": unanswered_but_stored,
            "mismatches": mismatched[:20],
        }
        return [
            Figure(
                self.id,
                "comment POST / no-op POST throughput",
                r,
                f">= {TARGET}",
                check(r, ">=", TARGET),
                "x",
                details,
            ),
            Figure(
                self.id,
                "comment / no-op req/s; comment p95",
                f"{posts.median('rps'):.0f} / {base.median('rps'):.0f}; "
                f"{posts.median('p95_ms'):.0f} ms",
            ),
            Figure(self.id, "lost comments (2xx, not stored)", lost, "0", lost == 0),
            Figure(self.id, "doubled comments (a token stored twice)", doubled, "0", doubled == 0),
            Figure(self.id, "counters != COUNT(*)", len(mismatched), "0", not mismatched),
            Figure(
                self.id,
                "errors (5xx; all non-2xx/3xx); unsent",
                f"{five}; {errors}; {unsent}",
                "0",
                errors + unsent == 0,
            ),
        ]
