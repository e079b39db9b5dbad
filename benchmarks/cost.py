"""What one request costs: CPU milliseconds of the worker, of the database and of the
client, for the no-op POST, a vote, a comment and the topic page, sent one at a time to a
single gunicorn worker.

    python -m benchmarks.cost [--db sqlite|postgresql] [--requests 1000] [--spy vote]

The throughput ratios of B4 and B5 cannot exceed the ratio of these totals on a machine
whose cores the workers, the database and the load client share: this shows where the
ceiling is and, with ``--spy NAME`` (py-spy, requirements-bench.txt), where a request's
worker time goes (samples taken only while the worker holds the GIL, i.e. CPU, not waits).
It seeds its own database (PostgreSQL: ``eraati_cost_<pid>``, dropped afterwards) and
never runs inside ``make bench``; it is a profiling aid, not a benchmark figure.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from benchmarks import client, data, profile, server
from benchmarks.cli import DEFAULT_PG
from benchmarks.context import HELLO, NOOP

KINDS = ("noop", "vote", "comment", "page")
VALUES = ("agree", "disagree", "pass")


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (those that have ended count nothing)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _database_pids(app) -> list[int]:
    """The PostgreSQL backends serving this database (empty on SQLite)."""
    from eraati.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return []
        return list(
            db.session.scalars(
                sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            )
        )


def _jobs(kind: str, n: int, topic, sessions, anonymous, votes, start: int) -> list[client.Job]:
    if kind == "noop":
        return [client.post_job(anonymous[i % len(anonymous)], NOOP, {}) for i in range(n)]
    if kind == "vote":  # first votes: a new row and a counter each
        chosen = votes[start : start + n]
        return [
            client.post_job(sessions[u], f"{topic.path}/comments/{c}/vote", {"value": v})
            for u, c, v in chosen
        ]
    if kind == "comment":
        people = list(sessions)
        return [
            client.post_job(
                sessions[people[i % len(people)]],
                f"{topic.path}/comments",
                {"body": f"Kommentti {start + i}: pidempi teksti, jossa on useampi sana."},
            )
            for i in range(n)
        ]
    return [client.Job("GET", topic.path) for _ in range(n)]


def _top(raw: Path, count: int = 25) -> list[tuple[float, str]]:
    """The functions inside requests (from Flask's ``wsgi_app`` down) with the largest share
    of all samples, inclusive, from py-spy's raw (collapsed stacks) output."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        total += int(n)
        frames = stack.split(";")
        start = next((i for i, f in enumerate(frames) if profile.REQUEST_FRAME in f), None)
        if start is None:
            continue
        for frame in set(frames[start:]):
            name, _, where = frame.partition(" (")
            inclusive[f"{name} ({where.rsplit('/', 1)[-1]}"] += int(n)
    return [(100 * n / total, f) for f, n in inclusive.most_common(count)] if total else []


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.cost", description=__doc__)
    p.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    p.add_argument("--pg-url", default=os.environ.get("ERAATI_BENCH_PG_URL", DEFAULT_PG))
    p.add_argument("--requests", type=int, default=1000)
    p.add_argument("--spy", choices=KINDS, help="sample the worker with py-spy for this kind")
    p.add_argument("--spy-raw", type=Path, help="also keep py-spy's raw stacks in this file")
    args = p.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="eraati-cost-"))
    database = data.Database(args.db, workdir, args.pg_url)
    if args.db == "postgresql":  # not the name a running ``make bench`` uses
        database.url = f"{args.pg_url.rstrip('/')}/eraati_cost_{os.getpid()}"
    secret = secrets.token_urlsafe(48)
    srv = None
    try:
        database.create()
        app = data.make_app(database.url, secret)
        data.migrate(app)
        data.seed_demo(app)
        topic = data.new_topic(app, "cost")
        data.add_comments(app, topic, roots=1_000)
        data.analyze(app)
        from benchmarks.scenarios.b4_votes import comment_ids

        targets = comment_ids(app, topic, newest=50)
        people = data.ensure_users(app, "voter", 200)
        env = server.server_env(database.url, secret)
        srv = server.Server(env, workdir / "gunicorn.log", workers=1)
        srv.start()
        sessions = {}
        for uid, email in people:
            b = client.Browser(srv.port, client.signed_session(app, uid, email))
            b.fetch_token(HELLO)
            b.close()
            sessions[uid] = b.session
        anonymous = client.anonymous_sessions(srv.port, HELLO, 50)
        rng = random.Random(7)  # noqa: S311 - order, not security
        votes = [(u, c, rng.choice(VALUES)) for u, _e in people for c in targets]
        rng.shuffle(votes)
        worker = srv.worker_pids()[0]
        conn = client.Connection(srv.port)
        n = min(args.requests, len(votes) // 2)
        used = 0
        print(f"{database.label}, one worker, {n} requests each, one at a time (ms per request)")
        print(f"{'':8} {'worker':>7} {'database':>9} {'client':>7} {'total':>7} {'wall':>7}")
        for kind in ("noop", *KINDS[1:]):
            jobs = _jobs(kind, n, topic, sessions, anonymous, votes, used)
            used += n if kind == "vote" else 0
            for job in jobs[: n // 10]:  # warm up: templates, prepared statements
                conn.request(job.method, job.path, job.body, job.headers)
            jobs = jobs[n // 10 :]
            spy = None
            if kind == args.spy:
                spy = subprocess.Popen(  # noqa: S603 - py-spy of our own worker
                    [profile.py_spy() or "py-spy", "record", "--pid", str(worker), "--gil",
                     "--rate", "500", "--format", "raw", "--output", str(workdir / "spy.txt"),
                     "--nonblocking"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(1)
            pids = _database_pids(app)
            w0, d0, c0, t0 = (
                _cpu_seconds([worker]),
                _cpu_seconds(pids),
                time.process_time(),
                (time.perf_counter()),
            )
            failed = 0
            for job in jobs:
                r = conn.request(job.method, job.path, job.body, job.headers)
                failed += not client.ok(r.status)
            w1, d1, c1, t1 = (
                _cpu_seconds([worker]),
                _cpu_seconds(pids),
                time.process_time(),
                (time.perf_counter()),
            )
            if spy:
                spy.send_signal(2)
                spy.wait()
            k = 1000 / len(jobs)
            cost = [(w1 - w0) * k, (d1 - d0) * k, (c1 - c0) * k]
            print(
                f"{kind:8} {cost[0]:7.2f} {cost[1]:9.2f} {cost[2]:7.2f} {sum(cost):7.2f} "
                f"{(t1 - t0) * k:7.2f}" + (f"   ({failed} failed)" if failed else "")
            )
        if args.spy and (workdir / "spy.txt").exists():
            if args.spy_raw:
                shutil.copyfile(workdir / "spy.txt", args.spy_raw)
            print(f"\npy-spy, {args.spy}, share of the worker's CPU samples (inclusive):")
            for share, frame in _top(workdir / "spy.txt", 40):
                print(f"  {share:5.1f}%  {frame}")
        return 0
    finally:
        if srv:
            srv.stop()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
