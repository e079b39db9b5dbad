"""F1's data: topics read part by part, with many comments on every part.

The topic ``bench-<key>`` is a copy of the large demo topic (``data.new_topic``) with
``parts`` parts whose Finnish texts are the demo draft strategy's (``eraati.parts.demo``),
part ``k`` having the demo's part ``(k - 1) % 5 + 1`` (three to five paragraphs, one with a
list). A one-part topic gets the demo's second part, the one with the most paragraphs (5),
so that it is never the lighter page of a comparison.

Every part gets ``per_part`` comments, newest last, the parts' comments interleaved in
time: nine in ten are top-level, three in four of those on a paragraph (the part's
paragraphs in turn, with ``paragraph_quote`` the paragraph's text as
``eraati.parts.paragraphs`` splits it, as the form stores it), the rest on the part as a
whole; one in ten is a reply to an earlier top-level comment of the same part (its part,
no paragraph, as the demo's replies). Bulk INSERTs (``data.BATCH`` rows a statement, with
the search index's copy of the text, ``comment_row``); counters recounted; ``VACUUM
(ANALYZE)`` on PostgreSQL.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from benchmarks import data


@dataclass(frozen=True)
class PartsTopic:
    topic: data.BenchTopic
    parts: int
    per_part: int
    paragraphs: tuple[int, ...]  # each part's number of paragraphs
    seed_seconds: float

    def part_path(self, position: int) -> str:
        return f"{self.topic.path}/parts/{position}"


def _demo_text(index: int) -> tuple[str, str]:
    from eraati.parts import demo

    fi_title, fi_items, _sv_title, _sv_items = demo.PARTS[index % len(demo.PARTS)]
    return fi_title, demo._texts(fi_items)


def seed_topic(app, key: str, parts: int, per_part: int, log=print) -> PartsTopic:
    """The topic ``bench-<key>`` with ``parts`` parts of ``per_part`` comments each (see
    the module's docstring)."""
    from eraati.analysis.search.index import comment_row
    from eraati.consultations import demo_content
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Comment, CommentSource, CommentStatus
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.parts import paragraphs
    from eraati.parts.models import TopicPart, TopicPartText

    t = time.monotonic()
    topic = data.new_topic(app, key)
    authors = data.resident_ids(app)
    rng = random.Random(f"f1/{key}/{parts}/{per_part}")  # noqa: S311 - test data
    with app.app_context():
        have = db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.topic_id == topic.id)
        )
        if have:
            raise RuntimeError(f"topic {topic.path} already has {have} comments")
        made = []
        for position in range(1, parts + 1):
            title, body = _demo_text(1 if parts == 1 else position - 1)
            part = TopicPart(topic_id=topic.id, position=position)
            part.texts.append(TopicPartText(locale="fi", title=title, body=body))
            made.append(part)
        db.session.add_all(made)
        db.session.flush()
        quotes = [
            [p.text for p in paragraphs.split(part.texts[0].body).paragraphs] for part in made
        ]
        first = (db.session.scalar(sa.select(sa.func.max(Comment.id))) or 0) + 1
        total = parts * per_part
        start = utcnow() - timedelta(seconds=total + 60)
        roots: list[list[int]] = [[] for _ in made]
        rows = []
        for i in range(total):
            k = i % parts  # the parts' comments interleaved in time
            n = i // parts  # the comment's number within its part
            cid = first + i
            parent = rng.choice(roots[k][-500:]) if n % 10 == 9 and roots[k] else None
            paragraph = quote = None
            if parent is None:
                roots[k].append(cid)
                if n % 4 != 3:
                    paragraph = (n // 4 * 3 + n % 4) % len(quotes[k]) + 1
                    quote = quotes[k][paragraph - 1]
            rows.append(
                comment_row(
                    {
                        "id": cid,
                        "topic_id": topic.id,
                        "part_id": made[k].id,
                        "paragraph": paragraph,
                        "paragraph_quote": quote,
                        "parent_id": parent,
                        "root_id": parent,
                        "author_id": authors[i % len(authors)],
                        "body": " ".join(
                            (
                                rng.choice(demo_content.LARGE_OPENINGS),
                                rng.choice(demo_content.LARGE_SUBJECTS) + ".",
                                rng.choice(demo_content.LARGE_SENTENCES),
                                f"(osa {k + 1} #{n})",
                            )
                        ),
                        "language": "fi",
                        "status": CommentStatus.VISIBLE,
                        "source": CommentSource.WEB,
                        "created_at": start + timedelta(seconds=i),
                    }
                )
            )
            if len(rows) == data.BATCH:
                db.session.execute(sa.insert(Comment), rows)
                rows = []
        if rows:
            db.session.execute(sa.insert(Comment), rows)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                    "(SELECT max(id) FROM comments))"
                )
            )
        recount([topic.id])
        db.session.commit()
        counts = tuple(len(q) for q in quotes)
    data.analyze(app)
    seconds = time.monotonic() - t
    log(f"  F1 data {topic.path}: {parts} part(s) x {per_part:,} comments in {seconds:.1f} s")
    return PartsTopic(topic, parts, per_part, counts, round(seconds, 1))


def topic(ctx, parts: int, per_part: int) -> PartsTopic:
    """The topic with ``parts`` parts x ``per_part`` comments of this database, seeded on
    first use."""
    key = f"f1_topic_{parts}x{per_part}"
    if key not in ctx.cache:
        got = seed_topic(ctx.app, f"f1-{parts}x{per_part}", parts, per_part, ctx.log)
        ctx.timings[f"F1 seed {parts}x{per_part}_s"] = got.seed_seconds
        ctx.cache[key] = got
    return ctx.cache[key]
