"""E5: the request that starts an export answers at once, whatever the topic's size.

On the 100,000-comment topic, under the harness's gunicorn (2 workers, production
configuration, no Redis: the local job worker), a preparer of the organisation (a
signed session, as S1 uses):

- the streamed downloads ``GET /staff/<org>/topics/<id>/exports/<fmt>`` (CSV, CSV for
  Excel, JSON, Polis): the time to the first byte of the body; the rest of the stream is
  abandoned (the connection is closed);
- the background jobs ``POST /staff/<org>/topics/<id>/exports/jobs`` (XLSX, DOCX and PDF
  without appendix, with the page's CSRF token): the time to the 303 answer that leads
  to the job's progress page.

Each 3 times, the median per format; the figure is the slowest format. Each round of
jobs is waited for (state in the database: done or failed) before the next, so that the
next round starts on idle workers and no job outlives the scenario; the jobs' own times
are reported, and their files are removed afterwards.
"""

from __future__ import annotations

import http.client
import re
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from benchmarks import client
from benchmarks import exports_support as es
from benchmarks.measure import median, percentile
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 1000.0  # ms
JOB_PAGE = re.compile(r"/staff/[^/]+/exports/jobs/([A-Za-z0-9_-]+)$")
WARM = 2  # abandoned downloads of each streamed format before it is measured


def exports_base(topic) -> str:
    """The topic's exports page; ``/<fmt>`` downloads, ``/jobs`` starts a job."""
    return f"/staff/{topic.org}/topics/{topic.id}/exports"


def job_form(fmt: str) -> dict[str, str]:
    """The start form of a job without appendix (an unticked box is not sent)."""
    return {"format": fmt, "lang": es.LANG}


def first_byte(port: int, path: str, cookie: str) -> tuple[int, float, bool]:
    """(status, ms to the first byte of the body, an attachment) of one GET, then the
    connection is closed and the rest of the stream abandoned."""
    conn = http.client.HTTPConnection(client.HOST, port, timeout=60)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"User-Agent": client.USER_AGENT, "Cookie": cookie})
        r = conn.getresponse()
        if r.status == 200:
            r.read(1)
        ms = (time.perf_counter() - start) * 1000
        attachment = "attachment" in (r.getheader("Content-Disposition") or "")
        return r.status, ms, attachment
    except (OSError, http.client.HTTPException):
        return 0, (time.perf_counter() - start) * 1000, False
    finally:
        conn.close()


def job_states(app, tokens: list[str]) -> dict[str, tuple]:
    """token -> (state, error, seconds from created to finished, stored file name)."""
    from eraati.extensions import db
    from eraati.jobs.models import ExportJob

    with app.app_context():
        rows = db.session.execute(
            sa.select(
                ExportJob.token,
                ExportJob.state,
                ExportJob.error,
                ExportJob.created_at,
                ExportJob.finished_at,
                ExportJob.stored_name,
            ).where(ExportJob.token.in_(tokens))
        ).all()
        db.session.remove()
    return {
        r.token: (
            str(r.state),
            r.error,
            (r.finished_at - r.created_at).total_seconds() if r.finished_at else None,
            r.stored_name,
        )
        for r in rows
    }


def wait_for_jobs(app, tokens: list[str], deadline: float) -> dict[str, tuple]:
    while True:
        states = job_states(app, tokens) if tokens else {}
        ended = all(states.get(t, ("",))[0] in ("done", "failed") for t in tokens)
        if ended or time.monotonic() > deadline:
            return states
        time.sleep(0.5)


@register
class E5(Scenario):
    id = "E5"
    title = "the request that starts an export, 100,000-comment topic"
    target = f"< {LIMIT:.0f} ms, every format (median of 3)"

    def run(self, ctx):
        s = es.sizes(ctx)
        label = s.label("big")
        seeded = es.topic(ctx, "big")
        uid, email = es.preparer(ctx.app)
        server = ctx.ensure_server()
        session = client.signed_session(ctx.app, uid, email)
        browser = client.Browser(server.port, session)
        base = exports_base(seeded.topic)
        try:
            browser.fetch_token(f"{base}?lang={es.LANG}")
        except RuntimeError:
            ctx.check_bench_routes()
            browser.fetch_token("/_bench/hello")
        server.reset_peak_rss()
        times: dict[str, list[float]] = {f: [] for f in es.ALL_FORMATS}
        statuses: Counter[str] = Counter()
        errors = 0

        for fmt in es.STREAMED:
            for _ in range(WARM):
                first_byte(server.port, f"{base}/{fmt}?lang={es.LANG}", session.cookie)
        for _ in range(ctx.sizes.runs):
            for fmt in es.STREAMED:
                status, ms, attachment = first_byte(
                    server.port, f"{base}/{fmt}?lang={es.LANG}", session.cookie
                )
                statuses[f"{fmt} {status}"] += 1
                errors += not (status == 200 and attachment)
                times[fmt].append(ms)

        tokens: list[str] = []
        jobs_of: dict[str, str] = {}
        deadline = time.monotonic() + s.job_wait
        states: dict[str, tuple] = {}
        try:
            for _ in range(ctx.sizes.runs):
                round_tokens = []
                for fmt in es.JOBS:
                    r = browser.post(f"{base}/jobs", job_form(fmt))
                    times[fmt].append(r.ms)
                    statuses[f"{fmt} {r.status}"] += 1
                    found = JOB_PAGE.search(r.header("Location") or "")
                    if r.status != 303 or not found:
                        errors += 1
                        continue
                    round_tokens.append(found.group(1))
                    jobs_of[found.group(1)] = fmt
                tokens += round_tokens
                states.update(wait_for_jobs(ctx.app, round_tokens, deadline))
        finally:
            browser.close()
            states.update(wait_for_jobs(ctx.app, tokens, deadline))
            folder = Path(ctx.app.config["EXPORT_DIR"])
            for _state, _error, _s, stored in states.values():
                if stored:
                    (folder / stored).unlink(missing_ok=True)

        medians = {f: median(v) for f, v in times.items() if v}
        slowest = max(medians, key=medians.get) if medians else "-"
        worst = medians.get(slowest, 0.0)
        every = sorted(ms for v in times.values() for ms in v)
        outcome = Counter(st[0] for st in states.values())
        unfinished = len(tokens) - outcome["done"] - outcome["failed"]
        durations = {
            f: median([st[2] for t, st in states.items() if jobs_of.get(t) == f and st[2]])
            for f in es.JOBS
        }
        failed = sorted({f"{jobs_of[t]}: {st[1]}" for t, st in states.items() if st[0] == "failed"})
        jobs_ok = bool(tokens) and outcome["done"] == len(tokens)
        details = {
            "times_ms": times,
            "statuses": dict(statuses),
            "jobs": {
                t: {"format": jobs_of[t], "state": st[0], "error": st[1], "seconds": st[2]}
                for t, st in states.items()
            },
        }
        return [
            Figure(
                self.id,
                f"start of an export, slowest format, {label} comments",
                worst,
                f"< {LIMIT:.0f} ms",
                check(worst, "<=", LIMIT) and worst < LIMIT and errors == 0,
                "ms",
                details,
            ),
            Figure(
                self.id,
                "median by format (ms; streamed: first byte)",
                ", ".join(f"{f} {ms:.0f}" for f, ms in medians.items()) + f" (slowest: {slowest})",
            ),
            Figure(
                self.id,
                "p50 / p95 / p99 of all starts",
                " / ".join(f"{percentile(every, p):.0f}" for p in (50, 95, 99)) + " ms",
            ),
            Figure(self.id, "errors (unexpected answers)", errors, "0", errors == 0),
            Figure(
                self.id,
                f"jobs done; median s to done, queue included ({', '.join(es.JOBS)})",
                f"{outcome['done']}/{len(tokens)}; "
                + " / ".join(f"{durations[f]:.1f}" if durations[f] else "-" for f in es.JOBS)
                + (f"; failed: {', '.join(failed)}" if failed else "")
                + (f"; {unfinished} unfinished" if unfinished else ""),
                "all done",
                jobs_ok,
            ),
            Figure(
                self.id,
                "peak worker RSS (jobs run in the workers)",
                server.peak_rss_mb(),
                unit="MiB",
            ),
        ]
