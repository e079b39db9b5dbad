"""What the export scenarios (E1-E5) share: their sizes, two seeded topics, the runs of
``exports_child`` in fresh processes (cached, so that E3 reuses what E1, E2 and E4
measured), and a preparer's session for the HTTP scenario.

The topics (``bench-e-big``, ``bench-e-small``) look like a consultation that went viral:
100,000 (10,000) comments spread over the 20 days the topic has been open, a fifth of
them replies, one in 40 hidden by a moderator with a reason, some paper, event and
anonymous feedback, 40 official replies, 20 key comments, six themes on most comments, a
poll, stances; and 10 votes on every comment (1,000,000 / 100,000), as B6 seeds them. Comments
and theme links go in with COPY on PostgreSQL and one ``executemany`` per table in one
transaction on SQLite; votes with one ``INSERT ... SELECT`` (``data.add_votes``).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks import data
from benchmarks.measure import median

ROOT = Path(__file__).resolve().parent.parent
LANG = "fi"
STREAMED = ("csv", "csv-excel", "json", "polis")  # downloaded while written
JOBS = ("xlsx", "docx", "pdf")  # background jobs
ALL_FORMATS = (*STREAMED, *JOBS)
REPORTS = ("docx", "pdf")
CHILD_TIMEOUT = 300.0  # seconds for one export in a child process


@dataclass(frozen=True)
class ExportSizes:
    big: int  # comments of the large topic
    small: int  # comments of the E3 baseline topic
    votes_per_comment: int  # 10 voters vote on every comment
    job_wait: float  # E5: longest wait for the started jobs to finish, in all

    def comments(self, which: str) -> int:
        return self.big if which == "big" else self.small

    def label(self, which: str) -> str:
        n = self.comments(which)
        return f"{n // 1000}k" if n >= 1000 else str(n)


FULL = ExportSizes(big=100_000, small=10_000, votes_per_comment=10, job_wait=240.0)
QUICK = ExportSizes(big=10_000, small=1_000, votes_per_comment=10, job_wait=90.0)


def sizes(ctx) -> ExportSizes:
    return QUICK if ctx.sizes.name == "quick" else FULL


# --- seeding --------------------------------------------------------------------------------------

THEMES = [
    {"fi": "Liikenne", "sv": "Trafik", "en": "Transport"},
    {"fi": "Kirjasto ja kulttuuri", "sv": "Bibliotek och kultur", "en": "Library and culture"},
    {"fi": "Koulut", "sv": "Skolor", "en": "Schools"},
    {"fi": "Terveyspalvelut", "sv": "Hälsotjänster", "en": "Health services"},
    {"fi": "Nuoret", "sv": "Unga", "en": "Young people"},
    {"fi": "Ikäihmiset", "sv": "Äldre", "en": "Older people"},
]
HIDDEN_REASON = "Asiaton kielenkäyttö"
COMMENT_COLUMNS = (
    "id",
    "topic_id",
    "parent_id",
    "root_id",
    "author_id",
    "nickname",
    "body",
    "language",
    "status",
    "source",
    "created_at",
    "hidden_at",
    "hidden_reason",
    "is_key",
    "is_official",
    "received_on",
    "place",
)


@dataclass(frozen=True)
class ExportTopic:
    topic: data.BenchTopic
    comments: int
    votes: int
    seed_seconds: float


def preparer(app) -> tuple[int, str]:
    """A preparer of the benchmark organisation (who may export its topics)."""
    from eraati.extensions import db
    from eraati.organisations.models import Membership, Organisation, Role

    ((uid, email),) = data.ensure_users(app, "preparer", 1)
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == data.ORG))
        have = db.session.scalar(
            sa.select(Membership.id).where(
                Membership.user_id == uid,
                Membership.organisation_id == org_id,
                Membership.role == Role.PREPARER,
            )
        )
        if have is None:
            db.session.add(Membership(user_id=uid, organisation_id=org_id, role=Role.PREPARER))
            db.session.commit()
    return uid, email


def _comment_rows(topic, first_id: int, count: int, authors: list[int], staff_id: int, now):
    """The comments' rows as tuples in ``COMMENT_COLUMNS`` order, ids from ``first_id``."""
    from eraati.consultations import demo_content

    rng = random.Random(f"e/{topic.id}/{count}")  # noqa: S311 - test data
    start = topic.opens_at
    span = (now - timedelta(minutes=5) - start).total_seconds()
    roots: list[int] = []
    # Staff write key-comment marks and official replies by hand: as many at any size.
    key_every, official_every = max(1, count // 20), max(1, count // 200)
    for i in range(count):
        cid = first_id + i
        created = start + timedelta(seconds=span * (i + 1) / (count + 1))
        reply = i % 5 == 4 and roots
        parent = rng.choice(roots[-2000:]) if reply else None
        author, nickname, source, place, received = (
            authors[i % len(authors)],
            None,
            "web",
            None,
            None,
        )
        official = bool(reply) and (i // 5) % official_every == 0  # 40 in all
        if official:
            author = staff_id
        elif i % 50 == 7:
            author, source, place, received = None, "paper", "Kirjasto", created.date()
        elif i % 50 == 17:
            author, source, place, received = None, "event", "Asukasilta", created.date()
        elif i % 25 == 3:
            author, nickname = None, "Nimimerkki"
        hidden = i % 40 == 11
        body = " ".join(
            (
                rng.choice(demo_content.LARGE_OPENINGS),
                rng.choice(demo_content.LARGE_SUBJECTS) + ".",
                rng.choice(demo_content.LARGE_SENTENCES),
                f"(#{i})",
            )
        )
        if i % 500 == 13:
            body = "=SUM(A1:A9) " + body  # a formula (neutralised in the CSV for Excel)
        if not parent:
            roots.append(cid)
        yield (
            cid,
            topic.id,
            parent,
            parent,
            author,
            nickname,
            body,
            "fi",
            "hidden" if hidden else "visible",
            source,
            created,
            created + timedelta(hours=1) if hidden else None,
            HIDDEN_REASON if hidden else None,
            i % key_every == key_every // 2,  # 20 key comments, whatever the size
            official,
            received,
            place,
        )


def _theme_links(first_id: int, count: int, theme_ids: list[int]):
    """Six in seven comments have a theme, one in eleven a second one."""
    n = len(theme_ids)
    for i in range(count):
        if i % 7 != 6:
            yield (first_id + i, theme_ids[i % n])
        if i % 11 == 0:
            yield (first_id + i, theme_ids[(i + 3) % n])


def _bulk(conn, table: str, columns: tuple[str, ...], rows) -> None:
    """COPY on PostgreSQL; one executemany on SQLite (inside the caller's transaction)."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        return

    def plain(v):  # what SQLAlchemy stores in SQLite: naive UTC text, dates as text
        if isinstance(v, datetime):
            return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, date):
            return v.isoformat()
        return v

    marks = ", ".join("?" for _ in columns)
    cur = raw.cursor()
    cur.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - ours
        ([plain(v) for v in row] for row in rows),
    )
    cur.close()


def _people_answers(app, topic_id: int, people: list[int]) -> None:
    """Stances and poll answers of ``people`` (a few dozen rows, through the ORM)."""
    from eraati.consultations.models import (
        Answer,
        AnswerChoice,
        Question,
        Stance,
        TopicStance,
    )
    from eraati.extensions import db

    stances = list(Stance)
    with app.app_context():
        if db.session.scalar(sa.select(TopicStance.id).where(TopicStance.topic_id == topic_id)):
            return
        questions = list(
            db.session.scalars(sa.select(Question).where(Question.topic_id == topic_id))
        )
        for n, uid in enumerate(people):
            db.session.add(TopicStance(topic_id=topic_id, user_id=uid, stance=stances[n % 3]))
            for q in questions:
                if q.options:
                    option = q.options[n % len(q.options)]
                    answer = Answer(question_id=q.id, user_id=uid)
                    answer.choices.append(AnswerChoice(option_id=option.id))
                    db.session.add(answer)
        db.session.commit()


def seed_topic(app, key: str, comments: int, votes_per_comment: int, log=print) -> ExportTopic:
    """The topic ``bench-<key>`` with ``comments`` comments and ``votes_per_comment`` votes
    on each (see the module's docstring)."""
    from eraati.consultations.models import Comment, Theme, Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db

    t = time.monotonic()
    topic = data.new_topic(app, key, poll=True)
    authors = data.resident_ids(app)
    staff_id, _email = preparer(app)
    voters = [uid for uid, _e in data.ensure_users(app, "bulk", votes_per_comment)]
    _people_answers(app, topic.id, voters + authors)
    with app.app_context():
        have = db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.topic_id == topic.id)
        )
        if have:
            raise RuntimeError(f"topic {topic.path} already has {have} comments")
        row = db.session.get(Topic, topic.id)
        themes = [
            Theme(topic_id=topic.id, texts=texts, position=i) for i, texts in enumerate(THEMES)
        ]
        db.session.add_all(themes)
        db.session.flush()
        theme_ids = [th.id for th in themes]
        first = (db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
        conn = db.session.connection()
        _bulk(
            conn,
            "comments",
            COMMENT_COLUMNS,
            _comment_rows(row, first, comments, authors, staff_id, utcnow()),
        )
        _bulk(
            conn,
            "comment_themes",
            ("comment_id", "theme_id"),
            _theme_links(first, comments, theme_ids),
        )
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                    "(SELECT max(id) FROM comments))"
                )
            )
        db.session.commit()
    t_comments = time.monotonic() - t
    votes = data.add_votes(app, topic, voters)  # one INSERT ... SELECT, then recount
    data.analyze(app)
    seconds = time.monotonic() - t
    log(
        f"  E data {topic.path}: {comments:,} comments in {t_comments:.1f} s, "
        f"{votes:,} votes, {seconds:.1f} s in all"
    )
    return ExportTopic(topic, comments, votes, round(seconds, 1))


def topic(ctx, which: str) -> ExportTopic:
    """The big or small export topic of this database, seeded on first use."""
    key = f"exports_topic_{which}"
    if key not in ctx.cache:
        s = sizes(ctx)
        got = seed_topic(ctx.app, f"e-{which}", s.comments(which), s.votes_per_comment, ctx.log)
        ctx.timings[f"E seed {which}_s"] = got.seed_seconds
        ctx.cache[key] = got
    return ctx.cache[key]


# --- runs in fresh processes -------------------------------------------------------------------


def child(ctx, which: str, what: str, repeat: int = 1) -> dict[str, Any]:
    """One run of ``exports_child`` on the ``which`` topic (the export timed ``repeat``
    times in it): its JSON result."""
    t = topic(ctx, which)
    return run_child(ctx, t.topic.id, what, f"{which} topic", repeat)


def run_child(ctx, topic_id: int, what: str, name: str, repeat: int = 1) -> dict[str, Any]:
    """``exports_child`` on the topic ``topic_id`` (``name`` in messages) in a fresh
    process: its JSON result."""
    slug = name.replace(" ", "-")
    out = ctx.workdir / f"export-{ctx.kind}-{slug}-{what}.out"
    # As the server gets it (server.server_env): no ERAATI_* setting of the caller's shell.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    env["ERAATI_BENCH_SECRET"] = ctx.secret
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.exports_child",
        "--url",
        ctx.db.url,
        "--topic",
        str(topic_id),
        "--what",
        what,
        "--lang",
        LANG,
        "--out",
        str(out),
        "--repeat",
        str(repeat),
    ]
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module
            cmd,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    finally:
        out.unlink(missing_ok=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"{what} on {name} failed ({proc.returncode}): {tail[0][:300]}")
    return json.loads(lines[-1])


def runs(
    ctx, which: str, what: str, count: int | None = None, repeat: int = 1
) -> list[dict[str, Any]]:
    """At least ``count`` (default: ``sizes.runs``) cached runs of ``what`` on ``which``,
    each a fresh process (timing the export ``repeat`` times)."""
    count = count or ctx.sizes.runs
    have = ctx.cache.setdefault("exports_runs", {}).setdefault((which, what), [])
    while len(have) < count:
        have.append(child(ctx, which, what, repeat))
        r = have[-1]
        if len(r["rounds"]) > 1 or len(r["rounds"][0]) > 1:
            shown = "; ".join(
                ", ".join(f"{w} {t:.2f}" for w, t in rnd.items()) for rnd in r["rounds"]
            )
            ctx.log(f"    {what} @ {sizes(ctx).label(which)}: {shown} s")
        else:
            ctx.log(
                f"    {what} @ {sizes(ctx).label(which)}: {r['seconds']:.2f} s, "
                f"{r['bytes'] / 1e6:.1f} MB, peak RSS {r['peak_rss_mib']:.0f} MiB"
            )
    return have[:count]


def median_of(results: list[dict[str, Any]], key: str) -> float:
    return median([r[key] for r in results])


def reports_available() -> str | None:
    """None when ``eraati.reports.build.build`` can be imported, else why not."""
    try:
        from eraati.reports.build import build  # noqa: F401
    except ImportError as exc:
        return f"eraati.reports.build.build is missing ({exc})"
    return None
