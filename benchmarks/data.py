"""The benchmark's own databases and data, made with the app's own code.

A fresh SQLite file in a temporary folder, or a fresh PostgreSQL database created and
dropped with ``tests.pgdb``. Schema by ``flask db upgrade``, the demo by
``demo.seed()``; benchmark topics, people, comments and votes by bulk INSERTs (one
statement per batch, never an ORM object per row); counters by ``counters.recount``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import os
import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

BENCH_DOMAIN = "bench.invalid"
# The production configuration requires the public address and answers only its host: the
# load clients and the server are on 127.0.0.1 (any port).
PUBLIC_URL = "http://127.0.0.1/"
PASSWORD = "Benchmark-password-2026!"  # noqa: S105 - a throwaway database's users
ORG = "iisalmi"
BATCH = 5_000


# --- databases -------------------------------------------------------------------------------


class Database:
    def __init__(self, kind: str, workdir: Path, pg_base: str) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.path = workdir / "bench.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.url = f"{pg_base.rstrip('/')}/eraati_bench_{os.getpid()}"

    @property
    def label(self) -> str:
        return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[self.kind]

    def create(self) -> None:
        if self.kind == "postgresql":
            from tests import pgdb

            pgdb.create(self.url)

    def drop(self) -> None:
        if self.kind == "postgresql":
            from tests import pgdb

            pgdb.drop(self.url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def make_app(database_url: str, secret_key: str):
    """The production app, in this process, for seeding and SQL checks."""
    from eraati import create_app

    return create_app(
        "production",
        SECRET_KEY=secret_key,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_URL=PUBLIC_URL,
        # The in-process test clients ask for https://localhost (production refuses a host
        # it does not serve, core.links.trusted_hosts).
        TRUSTED_HOSTS="localhost",
        BENCHMARK_ROUTES=True,
        # No access line per in-process request on the harness's console (the server's
        # workers log each request as production does, into the server's log file).
        LOG_REQUESTS=False,
    )


def migrate(app) -> None:
    import logging

    from flask_migrate import upgrade

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        upgrade()


# --- people ----------------------------------------------------------------------------------


def seed_demo(app) -> None:
    from eraati.consultations import demo
    from eraati.extensions import db

    with app.app_context():
        demo.seed()
        db.session.commit()


def ensure_users(app, prefix: str, count: int) -> list[tuple[int, str]]:
    """``count`` verified residents ``<prefix>NNNN@bench.invalid``: (id, e-mail), in order.

    One production-strength argon2 hash is shared by all (as the demo does), so logging
    them in costs what a real log-in costs.
    """
    from eraati.accounts.models import User
    from eraati.accounts.passwords import hash_password
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.organisations.models import Organisation

    emails = [f"{prefix}{i:04d}@{BENCH_DOMAIN}" for i in range(count)]
    with app.app_context():
        have = set(db.session.scalars(sa.select(User.email).where(User.email.in_(emails))))
        missing = [e for e in emails if e not in have]
        if missing:
            # Residents of the benchmark organisation: their home municipality is its code.
            code = db.session.scalar(
                sa.select(Organisation.municipality_code).where(Organisation.slug == ORG)
            )
            password_hash = hash_password(PASSWORD)
            now = utcnow()
            rows = [
                {
                    "email": e,
                    "password_hash": password_hash,
                    "display_name": f"Penkki {e.split('@')[0]}",
                    "locale": "fi",
                    "home_municipality_code": code,
                    "email_verified_at": now,
                    "is_platform_admin": False,
                    "session_version": 1,
                    "created_at": now,
                }
                for e in missing
            ]
            db.session.execute(sa.insert(User), rows)
            db.session.commit()
        ids = dict(
            db.session.execute(sa.select(User.email, User.id).where(User.email.in_(emails))).all()
        )
        return [(ids[e], e) for e in emails]


def resident_ids(app) -> list[int]:
    """The demo residents: authors of the bulk comments."""
    from eraati.accounts.models import User
    from eraati.consultations import demo_content
    from eraati.extensions import db

    with app.app_context():
        emails = [p.email for p in demo_content.RESIDENTS]
        return list(
            db.session.scalars(sa.select(User.id).where(User.email.in_(emails)).order_by(User.id))
        )


# --- topics and comments ---------------------------------------------------------------------


@dataclasses.dataclass
class BenchTopic:
    id: int
    org: str
    slug: str

    @property
    def path(self) -> str:
        return f"/{self.org}/{self.slug}"


def new_topic(app, key: str, *, poll: bool = False) -> BenchTopic:
    """An open topic ``bench-<key>`` of Iisalmi (stances on), a copy of a demo topic's texts:
    the large demo topic's, or with ``poll`` the first demo topic that has a poll."""
    from eraati.consultations import demo, demo_content
    from eraati.consultations.models import Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.organisations.models import Organisation

    slug = f"bench-{key}"
    base = demo_content.LARGE_TOPIC
    if poll:
        base = next(t for t in demo_content.TOPICS if t.questions and t.status == "open")
    spec = dataclasses.replace(
        base,
        org=ORG,
        slug=slug,
        status="open",
        opens=-20,
        closes=30,
        comments=[],
        stances_enabled=True,
        premoderated=False,
        allow_anonymous=False,
        concerns=(),
    )
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == ORG))
        topic = db.session.scalar(
            sa.select(Topic).where(Topic.organisation_id == org.id, Topic.slug == slug)
        )
        if topic is None:
            orgs = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
            topic = demo._topic(spec, orgs, utcnow())
            db.session.commit()
        return BenchTopic(topic.id, ORG, slug)


def add_comments(
    app,
    topic: BenchTopic,
    roots: int,
    replies: int = 0,
    authors: list[int] | None = None,
    *,
    counters: bool = True,
) -> None:
    """``roots`` top-level comments, then ``replies`` replies to random ones of them, a
    millisecond apart and newer than the topic's comments so far (the last one a moment
    ago, or just after the newest when that is later); counters recounted, unless
    ``counters`` is False because the caller recounts next (``add_votes`` does)."""
    import random

    from eraati.analysis.search.index import comment_row  # the search index's copy
    from eraati.consultations import demo_content
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Comment, CommentSource, CommentStatus
    from eraati.core.time import utcnow
    from eraati.extensions import db

    authors = authors or resident_ids(app)
    rng = random.Random(f"{topic.slug}/{roots}/{replies}")  # noqa: S311 - test data
    total = roots + replies
    with app.app_context():
        newest = db.session.scalar(
            sa.select(sa.func.max(Comment.created_at)).where(Comment.topic_id == topic.id)
        )
    first_at = utcnow() - timedelta(milliseconds=total)
    if newest is not None:
        first_at = max(first_at, newest + timedelta(milliseconds=1))

    def row(i: int, parent: int | None) -> dict:
        return comment_row(
            {
                "topic_id": topic.id,
                "parent_id": parent,
                "root_id": parent,
                "author_id": authors[i % len(authors)],
                "body": " ".join(
                    (
                        rng.choice(demo_content.LARGE_OPENINGS),
                        rng.choice(demo_content.LARGE_SUBJECTS) + ".",
                        rng.choice(demo_content.LARGE_SENTENCES),
                        f"({topic.slug} #{i})",
                    )
                ),
                "language": "fi",
                "status": CommentStatus.VISIBLE,
                "source": CommentSource.WEB,
                "created_at": first_at + timedelta(milliseconds=i),
            }
        )

    with app.app_context():
        for start in range(0, roots, BATCH):
            rows = [row(i, None) for i in range(start, min(roots, start + BATCH))]
            db.session.execute(sa.insert(Comment), rows)
        if replies:
            root_ids = list(
                db.session.scalars(
                    sa.select(Comment.id).where(
                        Comment.topic_id == topic.id, Comment.parent_id.is_(None)
                    )
                )
            )
            for start in range(0, replies, BATCH):
                rows = [
                    row(roots + i, rng.choice(root_ids))
                    for i in range(start, min(replies, start + BATCH))
                ]
                db.session.execute(sa.insert(Comment), rows)
        if counters:
            recount([topic.id])
        db.session.commit()


def add_votes(app, topic: BenchTopic, voter_ids: list[int], *, after_comment_id: int = 0) -> int:
    """Every voter votes on every comment of the topic with id > ``after_comment_id``, in one
    INSERT ... SELECT (agree/disagree/pass by (comment id + user id) mod 3); counters
    recounted. The number of votes added."""
    from eraati.accounts.models import User
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Comment, CommentVote
    from eraati.core.db import UTCDateTime
    from eraati.core.time import utcnow
    from eraati.extensions import db

    now = utcnow()
    mix = (Comment.id + User.id) % 3
    value = sa.case((mix == 0, "agree"), (mix == 1, "disagree"), else_="pass")
    select = (
        sa.select(
            Comment.id,
            User.id,
            value,
            sa.literal(now, UTCDateTime()),
            sa.literal(now, UTCDateTime()),
        )
        .select_from(sa.join(Comment, User, sa.true()))
        .where(Comment.topic_id == topic.id, Comment.id > after_comment_id, User.id.in_(voter_ids))
    )
    counted = (
        sa.select(sa.func.count())
        .select_from(CommentVote)
        .join(Comment)
        .where(Comment.topic_id == topic.id)
    )
    with app.app_context():
        before = db.session.scalar(counted)
        db.session.execute(
            sa.insert(CommentVote).from_select(
                ["comment_id", "user_id", "value", "created_at", "updated_at"], select
            )
        )
        recount([topic.id])
        db.session.commit()
        return db.session.scalar(counted) - before


def max_comment_id(app, topic: BenchTopic) -> int:
    from eraati.consultations.models import Comment
    from eraati.extensions import db

    with app.app_context():
        return (
            db.session.scalar(
                sa.select(sa.func.max(Comment.id)).where(Comment.topic_id == topic.id)
            )
            or 0
        )


def analyze(app) -> None:
    """PostgreSQL's statistics and visibility map after a bulk load, as autovacuum would soon
    have them (``VACUUM (ANALYZE)``): otherwise autovacuum starts on the new rows in the
    middle of the next measurement (a million new votes trigger it) and skews it. Then a
    ``CHECKPOINT``, so that the pages the load and the vacuum dirtied are written now and
    not by the checkpointer during the measurement (where the role may not: skipped)."""
    from eraati.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM (ANALYZE)"))
                with contextlib.suppress(sa.exc.DBAPIError):
                    conn.execute(sa.text("CHECKPOINT"))


# --- pages -----------------------------------------------------------------------------------

_NEXT = re.compile(r"<a\b[^>]*\brel=\"next\"[^>]*>", re.IGNORECASE)
_HREF = re.compile(r'\bhref="([^"]*)"')


def next_link(page: str) -> str | None:
    """The address of the page's ``rel="next"`` link (without its #fragment), if any."""
    tag = _NEXT.search(page)
    if not tag:
        return None
    href = _HREF.search(tag.group(0))
    return html.unescape(href.group(1)).split("#", 1)[0] if href else None


def walk_pages(get, path: str, pages: int | None) -> tuple[str, int]:
    """Follow ``rel="next"`` from ``path`` to page number ``pages`` (None: the last page),
    whatever the app's pagination (page numbers or keys). ``get(path) -> html``.
    The address reached and its page number."""
    here, number = path, 1
    while pages is None or number < pages:
        nxt = next_link(get(here))
        if nxt is None:
            break
        here, number = nxt, number + 1
    return here, number
