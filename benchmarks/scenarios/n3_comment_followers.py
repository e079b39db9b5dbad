"""N3: a reply POST on a topic with 0, 1,000 and 10,000 followers (their e-mail choices the
defaults): its time must not grow with the followers. A reply records the e-mail to
the writer of the comment it answers (``notifications.events``: one ``INSERT ... SELECT``)
and hands the sending to the job queue (``sending.kick``; the production app's local
worker thread here, sending to the SMTP sink) after its commit.

In-process (the production app through Flask's test client over HTTPS, as B2), one
resident posting one reply at a time; the topics take turns, ``n3_posts`` replies each per
round, 3 rounds, each in another order (after a few unmeasured ones); p50/p95 of each,
and their ratios to the topic without followers. The writing limits are raised for the
run, as the benchmark server raises them (still checked, never reached).
"""

from __future__ import annotations

import time
import uuid

from benchmarks import data
from benchmarks import notify_support as ns
from benchmarks.client import hidden_value
from benchmarks.measure import percentile, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.server import WRITING_LIMITS

BASE = "https://localhost"
TARGET = 1.3  # p50 and p95 ratio, most followers vs none
WARM = 5


@register
class N3(Scenario):
    id = "N3"
    title = "a reply POST as the topic's followers grow"
    target = f"p50 and p95 at the most followers <= {TARGET}x those at 0 followers"
    needs_server = False

    def run(self, ctx):
        from eraati.accounts.models import User
        from eraati.extensions import db
        from eraati.jobs import queue

        s = ctx.sizes
        app = ctx.app
        box = ns.sink(ctx)
        sizes = s.n3_followers
        people = ns.ensure_people(app, max(sizes) + 1)
        writer = people[-1]  # the writer of the comments replied to: one e-mail per reply
        topics = {}
        for size in sizes:
            topic = data.new_topic(app, f"n3-{size}")
            ns.follow(app, topic, people[:size], reminders=False)
            data.add_comments(app, topic, roots=20, authors=[writer])
            topics[size] = (topic, _root_ids(app, topic))
        data.analyze(app)
        ((poster_id, _email),) = ctx.voters(1)
        with app.app_context():
            session_id = db.session.get(User, poster_id).get_id()
        client = app.test_client()
        with client.session_transaction(base_url=BASE) as sess:
            sess["_user_id"] = session_id
            sess["_fresh"] = True
        mailman = app.extensions["mailman"]
        saved = (mailman.backend, mailman.server, mailman.port, mailman.use_tls, mailman.use_ssl)
        limits = {name: app.config.get(name) for name in WRITING_LIMITS}
        app.config.update({name: "1000000 per minute" for name in WRITING_LIMITS})
        mailman.backend, mailman.server, mailman.port = "smtp", "127.0.0.1", box.port
        mailman.use_tls = mailman.use_ssl = False
        times: dict[int, list[float]] = {size: [] for size in sizes}
        statuses: list[int] = []
        try:
            token = hidden_value(
                client.get(topics[sizes[0]][0].path, base_url=BASE).text, "csrf_token"
            )
            for size in sizes:  # unmeasured: templates, caches, the poster's follow
                for _ in range(WARM):
                    statuses.append(_post(client, *topics[size], token)[0])
            for turn in range(s.runs):
                # Each round in another order: no topic always comes after the others.
                for size in sizes[turn % len(sizes) :] + sizes[: turn % len(sizes)]:
                    for _ in range(s.n3_posts):
                        status, seconds = _post(client, *topics[size], token)
                        statuses.append(status)
                        times[size].append(seconds)
            queue.wait_local(timeout=120)
        finally:
            (mailman.backend, mailman.server, mailman.port, mailman.use_tls, mailman.use_ssl) = (
                saved
            )
            app.config.update(limits)
        bad = [st for st in statuses if st != 303]
        p = {size: (_ms(times[size], 50), _ms(times[size], 95)) for size in sizes}
        low, high = sizes[0], sizes[-1]
        r50, r95 = ratio(p[high][0], p[low][0]), ratio(p[high][1], p[low][1])
        ok = check(r50, "<=", TARGET) and check(r95, "<=", TARGET) and not bad
        k = "/".join(_k(z) for z in sizes)
        return [
            Figure(
                self.id,
                f"reply POST p50 / p95, {_k(high)} vs {_k(low)} followers",
                f"{r50:.2f}x / {r95:.2f}x",
                f"<= {TARGET}x",
                ok,
                details={"ms": p, "posts_per_size": len(times[low])},
            ),
            Figure(
                self.id,
                f"reply POST p50 / p95 (ms) @ {k} followers",
                "; ".join(f"{p[z][0]:.1f} / {p[z][1]:.1f}" for z in sizes),
            ),
            Figure(self.id, "answers other than 303", len(bad), "0", not bad),
        ]


def _post(client, topic, roots, token) -> tuple[int, float]:
    t = time.perf_counter()
    response = client.post(
        f"{topic.path}/comments",
        data={
            "body": "Hyvä ehdotus, kannatan.",
            "parent_id": str(roots[0]),
            "submission_token": uuid.uuid4().hex,
            "csrf_token": token,
        },
        base_url=BASE,
        headers={"Referer": BASE + "/"},
    )
    seconds = time.perf_counter() - t
    # A browser shows the "Thank you" on the page it is sent to, which takes it out of
    # the session; the harness does not open that page, so it drops the message itself
    # (otherwise the session cookie grows with every reply and each POST reads more).
    with client.session_transaction(base_url=BASE) as sess:
        sess.pop("_flashes", None)
    return response.status_code, seconds


def _root_ids(app, topic) -> list[int]:
    import sqlalchemy as sa

    from eraati.consultations.models import Comment
    from eraati.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Comment.id)
                .where(Comment.topic_id == topic.id, Comment.parent_id.is_(None))
                .order_by(Comment.id)
            )
        )


def _ms(values: list[float], pct: float) -> float:
    return percentile(sorted(values), pct) * 1000


def _k(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)
