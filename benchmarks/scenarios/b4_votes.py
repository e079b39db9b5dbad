"""B4: 200 voters x 50 comments at 50 concurrent connections, then copies in parallel.

Throughput: the 10,000 first votes are sent in three parts (one per run, random order,
50 connections), each against a run of CSRF-checked no-op POSTs by the same client.
Then every stance and the votes on the first ``b4_copy_comments`` comments (of every
voter) are sent ``b4_copies`` times at the same moment, each with a new value.
Integrity by SQL afterwards: one row per voter and target; every vote or stance answered
with 2xx/3xx is the stored one; the stored counters equal COUNT(*); no 5xx.
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from benchmarks import client, data, integrity
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

VALUES = ("agree", "disagree", "pass")
STANCES = ("support", "oppose", "neutral")
TARGET = 0.5


def comment_ids(app, topic: data.BenchTopic, newest: int | None = None) -> list[int]:
    from eraati.consultations.models import Comment
    from eraati.extensions import db

    stmt = sa.select(Comment.id).where(Comment.topic_id == topic.id, Comment.parent_id.is_(None))
    stmt = stmt.order_by(Comment.created_at.desc(), Comment.id.desc())
    if newest:
        stmt = stmt.limit(newest)
    with app.app_context():
        return list(db.session.scalars(stmt))


def vote_job(
    session: client.Session, topic: data.BenchTopic, comment_id: int, value: str
) -> client.Job:
    return client.post_job(
        session,
        f"{topic.path}/comments/{comment_id}/vote",
        {"value": value, "next": topic.path},
        key=("vote", session.user_id, comment_id, value),
    )


def stance_job(session: client.Session, topic: data.BenchTopic, value: str) -> client.Job:
    return client.post_job(
        session,
        f"{topic.path}/stance",
        {"stance": value, "next": topic.path},
        key=("stance", session.user_id, topic.id, value),
    )


def lost_writes(app, topic: data.BenchTopic, answered: dict[tuple, str]) -> tuple[int, int]:
    """(votes, stances) answered 2xx/3xx whose value is not the stored one.
    ``answered`` maps ("vote", user, comment) / ("stance", user, topic) to the value sent."""
    from eraati.consultations.models import TopicStance

    votes = _votes(app, topic)
    stances = integrity.stored(
        app,
        sa.select(TopicStance.user_id, TopicStance.stance).where(TopicStance.topic_id == topic.id),
    )
    lost_v = sum(
        1 for (kind, u, c), v in answered.items() if kind == "vote" and votes.get((u, c)) != v
    )
    lost_s = sum(
        1 for (kind, u, _t), v in answered.items() if kind == "stance" and stances.get(u) != v
    )
    return lost_v, lost_s


def _votes(app, topic: data.BenchTopic) -> dict[tuple[int, int], str]:
    from eraati.consultations.models import Comment, CommentVote
    from eraati.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.select(CommentVote.user_id, CommentVote.comment_id, CommentVote.value)
            .join(Comment, Comment.id == CommentVote.comment_id)
            .where(Comment.topic_id == topic.id)
        )
        return {(u, c): str(v) for u, c, v in rows}


def record(answered: dict, jobs: list[client.Job], statuses: list[int | None]) -> None:
    """Remember the value of every write the server said it did (2xx/3xx)."""
    for job, status in zip(jobs, statuses, strict=True):
        if status is not None and client.ok(status):
            kind, user, target, value = job.key
            answered[(kind, user, target)] = value


@register
class B4(Scenario):
    id = "B4"
    title = "200 voters x 50 comments at 50 connections, then every write 5 times at once"
    target = (
        "one row per voter and target; counters = COUNT(*); no 5xx; every 2xx persisted; "
        f"vote POST >= {TARGET}x no-op POST (PostgreSQL); SQLite: no 'database is locked'"
    )
    needs_bench_routes = True

    def run(self, ctx):
        from eraati.consultations.models import CommentVote, TopicStance

        s = ctx.sizes
        rng = random.Random(4)  # noqa: S311 - load order, not security
        topic = data.new_topic(ctx.app, "b4")
        data.add_comments(ctx.app, topic, roots=s.b4_comments)
        data.analyze(ctx.app)
        targets = comment_ids(ctx.app, topic)
        people = ctx.voters(s.b4_voters)
        sessions = ctx.sessions(people)
        conns = s.b4_connections

        pairs = [(u, c) for u, _e in people for c in targets]
        rng.shuffle(pairs)
        parts = [pairs[i :: s.runs] for i in range(s.runs)]
        answered: dict[tuple, str] = {}
        all_statuses: list[int | None] = []
        base, votes, ratios, unsent = Series(), Series(), [], 0
        for i, part in enumerate(parts):
            n = base.add(ctx.noop(connections=conns, label=f"noop {i + 1}"))
            jobs = [vote_job(sessions[u], topic, c, rng.choice(VALUES)) for u, c in part]
            v, st = ctx.load(jobs, connections=conns, seconds=s.b4_seconds, label=f"vote {i + 1}")
            votes.add(v)
            record(answered, jobs, st)
            all_statuses += st
            unsent += st.count(None)
            ratios.append(ratio(v.rps, n.rps))
        lost_first = lost_writes(ctx.app, topic, answered)

        # Every stance and the votes on the first comments, b4_copies times at once, new values.
        groups = []
        for u, _e in people:
            groups.append([stance_job(sessions[u], topic, rng.choice(STANCES))] * s.b4_copies)
            for c in targets[: s.b4_copy_comments]:
                old = answered.get(("vote", u, c))
                value = rng.choice([x for x in VALUES if x != old])
                groups.append([vote_job(sessions[u], topic, c, value)] * s.b4_copies)
        rng.shuffle(groups)
        copies = [job for group in groups for job in group]
        cp, st = ctx.load(copies, connections=conns, seconds=s.b4_seconds * 2, label="copies")
        record(answered, copies, st)
        all_statuses += st
        unsent += st.count(None)

        dup_votes = integrity.duplicate_rows(ctx.app, CommentVote, "comment_id", "user_id")
        dup_stances = integrity.duplicate_rows(ctx.app, TopicStance, "topic_id", "user_id")
        lost_v, lost_s = lost_writes(ctx.app, topic, answered)
        mismatched = integrity.counter_mismatches(ctx.app)
        five = sum(1 for x in all_statuses if x is not None and x >= 500)
        other = sum(1 for x in all_statuses if x is not None and not client.ok(x) and x < 500)
        sockets = all_statuses.count(0)
        locked = ctx.error_log_hits("database is locked")["database is locked"]

        r = median(ratios)
        details = {
            "topic": topic.path,
            "noop": base.summary(),
            "votes": votes.summary(),
            "ratios": ratios,
            "copies": cp.as_dict(),
            "lost_after_first_votes": lost_first,
            "mismatches": mismatched[:20],
            "unsent_for_time": unsent,
            "voters": len(people),
            "comments": len(targets),
        }
        figs = [
            Figure(
                self.id,
                "vote POST / no-op POST throughput",
                r,
                f">= {TARGET} (PostgreSQL)",
                check(r, ">=", TARGET) if ctx.kind == "postgresql" else None,
                "x",
                details,
            ),
            Figure(
                self.id,
                "vote / no-op req/s; vote p95",
                f"{votes.median('rps'):.0f} / "
                f"{base.median('rps'):.0f}; {votes.median('p95_ms'):.0f} ms",
            ),
            Figure(
                self.id,
                "duplicate rows (votes + stances)",
                dup_votes + dup_stances,
                "0",
                dup_votes + dup_stances == 0,
            ),
            Figure(
                self.id,
                "2xx not persisted (votes + stances)",
                lost_v + lost_s,
                "0",
                lost_v + lost_s == 0,
                details={"votes": lost_v, "stances": lost_s},
            ),
            Figure(self.id, "counters != COUNT(*)", len(mismatched), "0", not mismatched),
            Figure(
                self.id,
                "5xx responses",
                five,
                "0",
                five == 0,
                details={"other_non_2xx_3xx": other, "socket_errors": sockets},
            ),
            Figure(
                self.id,
                "other errors (4xx, socket); unsent",
                f"{other + sockets}; {unsent}",
                "0",
                other + sockets + unsent == 0,
            ),
        ]
        if ctx.kind == "sqlite":
            figs.append(
                Figure(self.id, "'database is locked' in the log", locked, "0", locked == 0)
            )
        return figs
