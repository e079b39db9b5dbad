"""P6: the open-data API's comment list (``/api/v1/topics/<id>/comments?limit=100``, its
first page of 100) at 1,000 and at 100,000 comments (``--quick``: 10,000): p95 latency
(wrk, one connection per worker: service time) and PostgreSQL's CPU per request, with
the database's statistics as a bulk load leaves them (autovacuum is held off the comments
table while P6 runs, as a fresh ``seed-demo`` would be measured before autovacuum came
by); the statements per request (in-process, as B2) and the list statement's plan.

PostgreSQL's CPU is read from ``/proc/<pid>/stat`` (user + system time) of every backend
connected to the benchmark's database, before and after each load, divided by the load's
requests: the server runs on this machine. The two topics exist side by side and take
turns (small, big, big, small) in each run, so both sizes see the same machine moments.
"""

from __future__ import annotations

import contextlib
import os

import sqlalchemy as sa

from benchmarks import data
from benchmarks.measure import Series, median, ratio
from benchmarks.plans import last_statement_plan
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.scenarios.b2_query_counts import BASE, _statements

LIMIT = 1.3
PAGE = 100
TICKS = os.sysconf("SC_CLK_TCK")


def _backend_cpu(app) -> float | None:
    """Seconds of CPU (user + system) used so far by the client backends of this database
    but the one asking, which is a connection of its own (the harness's pooled ones are
    closed first, so only the server's are counted); None when not on PostgreSQL."""
    import psycopg

    from eraati.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        db.engine.dispose()
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        pids = [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
        ]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / TICKS


@contextlib.contextmanager
def _stale_statistics(app):
    """Autovacuum held off ``comments`` (and its statistics as the load left them)."""
    from eraati.extensions import db

    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql:
            with db.engine.begin() as conn:
                conn.execute(sa.text("ALTER TABLE comments SET (autovacuum_enabled = false)"))
    try:
        yield
    finally:
        if postgresql:
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(sa.text("ALTER TABLE comments RESET (autovacuum_enabled)"))


def _plan(app, topic: data.BenchTopic) -> dict:
    """The list statement's plan at this size (the first page, as the load asks it)."""
    from eraati.api import queries
    from eraati.consultations.models import Topic
    from eraati.extensions import db

    return last_statement_plan(
        app, lambda: queries.comments(db.session.get(Topic, topic.id), after=None, limit=PAGE + 1)
    )


@register
class P6(Scenario):
    id = "P6"
    title = "open-data API comment list: 1,000 vs 100,000 comments"
    target = f"p95 and PostgreSQL CPU per request ratio <= {LIMIT}; same statements"

    def run(self, ctx):
        s = ctx.sizes
        topics = {}
        for size in (s.p6_small, s.p6_big):
            topic = data.new_topic(ctx.app, f"p6-{size}")
            data.add_comments(ctx.app, topic, roots=size * 4 // 5, replies=size - size * 4 // 5)
            topics[size] = topic
        paths = {n: f"/api/v1/topics/{t.id}/comments?limit={PAGE}" for n, t in topics.items()}
        client = ctx.app.test_client()
        sql = {}
        for size, path in paths.items():
            seen, status = _statements(ctx.app, lambda p=path: client.get(p, base_url=BASE))
            if status != 200:
                raise RuntimeError(f"P6: GET {path}: {status}")
            sql[size] = seen
        series = {n: Series() for n in paths}
        cpu: dict[int, list[float]] = {n: [] for n in paths}
        with _stale_statistics(ctx.app):
            plans = {n: _plan(ctx.app, t) for n, t in topics.items()}
            for i in range(s.runs):
                for size in (s.p6_small, s.p6_big, s.p6_big, s.p6_small):
                    before = _backend_cpu(ctx.app)
                    load = ctx.wrk(
                        paths[size],
                        seconds=s.p6_seconds,
                        connections=s.p6_connections,
                        label=f"{size:,} {i + 1}",
                    )
                    after = _backend_cpu(ctx.app)
                    series[size].add(load)
                    if before is not None and after is not None and load.requests:
                        cpu[size].append((after - before) * 1000 / load.requests)
        small, big = series[s.p6_small], series[s.p6_big]
        # Each run's two loads of a size, in order: pairs (small 1, big 1), (big 2, small 2).
        ratios = [ratio(b.p95_ms, a.p95_ms) for a, b in zip(small.runs, big.runs, strict=True)]
        value = median(ratios)
        postgresql = ctx.kind == "postgresql"
        cpu_ratio = (
            ratio(median(cpu[s.p6_big]), median(cpu[s.p6_small]))
            if cpu[s.p6_small] and cpu[s.p6_big] and median(cpu[s.p6_small]) > 0
            else None
        )
        sizes = f"{s.p6_big:,} vs {s.p6_small:,} comments"
        errors = small.errors + big.errors
        details = {
            "small": small.summary(),
            "big": big.summary(),
            "ratios": ratios,
            "cpu_ms_per_request": cpu,
            "plans": plans,
            "statements": sql,
        }
        figures = [
            Figure(
                self.id,
                f"API comment list p95 {sizes}",
                value,
                f"<= {LIMIT}" if postgresql else "(PostgreSQL only)",
                check(value, "<=", LIMIT) if postgresql else None,
                "x",
                details,
            ),
            Figure(
                self.id,
                f"API comment list p50 / p95 at {s.p6_small:,} vs {s.p6_big:,}",
                f"{small.median('p50_ms'):.1f} / {small.median('p95_ms'):.1f} vs "
                f"{big.median('p50_ms'):.1f} / {big.median('p95_ms'):.1f} ms",
            ),
        ]
        if postgresql:
            figures.append(
                Figure(
                    self.id,
                    f"PostgreSQL CPU per request {sizes}",
                    cpu_ratio if cpu_ratio is not None else "-",
                    f"<= {LIMIT}",
                    check(cpu_ratio, "<=", LIMIT) if cpu_ratio is not None else False,
                    "x",
                )
            )
            figures.append(
                Figure(
                    self.id,
                    f"PostgreSQL CPU per request at {s.p6_small:,} / {s.p6_big:,}",
                    f"{median(cpu[s.p6_small]):.3f} / {median(cpu[s.p6_big]):.3f} ms"
                    if cpu[s.p6_small] and cpu[s.p6_big]
                    else "-",
                )
            )
        figures += [
            Figure(
                self.id,
                f"statements per request at {s.p6_small:,} / {s.p6_big:,}",
                f"{len(sql[s.p6_small])} / {len(sql[s.p6_big])}",
                "the same",
                len(sql[s.p6_small]) == len(sql[s.p6_big]),
            ),
            Figure(
                self.id,
                "list statement at each size (execution, or plan)",
                " / ".join(
                    p["execution"] or "; ".join(p["scans"]) or "-"
                    for p in (plans[s.p6_small], plans[s.p6_big])
                ),
            ),
            Figure(self.id, "errors", errors, "0", errors == 0),
        ]
        return figures
