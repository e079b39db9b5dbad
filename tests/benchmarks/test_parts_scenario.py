"""Benchmark F1's wiring (a topic read part by part), without timing anything: the
scenario is registered with smaller quick sizes, and the bulk seed writes the parts and
comments its docstring describes, which the part page then shows."""

from __future__ import annotations

import sqlalchemy as sa

from benchmarks import parts_support as pts
from benchmarks.scenarios import load_all
from benchmarks.settings import FULL, QUICK
from eraati.consultations import counters
from eraati.consultations.models import Comment, Topic
from eraati.parts import demo as parts_demo
from eraati.parts import paragraphs
from eraati.parts.models import TopicPart

PARTS, PER_PART = 3, 41


def _seed(app, db, key, parts, per_part):
    made = pts.seed_topic(app, key, parts, per_part, log=lambda _m: None)
    db.session.remove()  # the seed wrote through its own sessions
    return made


def test_f1_is_registered_with_smaller_quick_sizes():
    scenarios = load_all()
    assert scenarios["F1"].needs_server is True
    assert (FULL.f1_parts, FULL.f1_comments) == (10, 2_000)
    assert QUICK.f1_comments < FULL.f1_comments and QUICK.f1_small < QUICK.f1_comments
    assert FULL.f1_small < FULL.f1_comments


def test_the_seed_writes_the_parts_and_comments_it_describes(app, db, bench_people):
    made = _seed(app, db, "f1-test", PARTS, PER_PART)
    topic_id = made.topic.id
    parts = db.session.scalars(
        sa.select(TopicPart).where(TopicPart.topic_id == topic_id).order_by(TopicPart.position)
    ).all()
    assert [p.position for p in parts] == [1, 2, 3]
    assert [p.texts[0].title for p in parts] == [t[0] for t in parts_demo.PARTS[:PARTS]]
    assert made.paragraphs == tuple(
        len(paragraphs.split(p.texts[0].body).paragraphs) for p in parts
    )
    for part in parts:
        where = (Comment.topic_id == topic_id, Comment.part_id == part.id)
        rows = db.session.execute(
            sa.select(Comment.id, Comment.parent_id, Comment.paragraph, Comment.paragraph_quote)
            .where(*where)
            .order_by(Comment.id)
        ).all()
        assert len(rows) == PER_PART
        replies = [r for r in rows if r.parent_id is not None]
        assert len(replies) == PER_PART // 10
        roots = {r.id for r in rows if r.parent_id is None}
        assert all(r.parent_id in roots and r.paragraph is None for r in replies)
        text = paragraphs.split(part.texts[0].body)
        on_paragraph = [r for r in rows if r.paragraph is not None]
        # Three in four top-level comments quote a paragraph, as the form stores it.
        assert len(roots) * 2 // 3 <= len(on_paragraph) < len(roots)
        assert all(r.paragraph_quote == text.get(r.paragraph).text for r in on_paragraph)
        assert {r.paragraph for r in on_paragraph} == set(range(1, len(text.paragraphs) + 1))
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Comment).where(Comment.topic_id == topic_id)
        )
        == PARTS * PER_PART
    )
    assert [m for m in counters.mismatches() if m[0] == "comments" or m[1] == topic_id] == []


def test_a_one_part_topic_has_the_demo_part_with_the_most_paragraphs(app, db, bench_people, client):
    made = _seed(app, db, "f1-one", 1, 12)
    assert made.paragraphs == (max(len(p[1]) for p in parts_demo.PARTS),)
    topic = db.session.get(Topic, made.topic.id)
    assert topic.slug == "bench-f1-one"
    page = client.get(made.part_path(1))
    assert page.status_code == 200
    assert "(osa 1 #11)" in page.get_data(as_text=True)  # the newest comment is shown


def test_every_round_asks_each_part_once_beside_the_one_part_page():
    from benchmarks.scenarios import f1_parts

    order = f1_parts.sequence("/one", {1: "/p1", 2: "/p2"}, rounds=2)
    assert order == [
        (1, "/p1"), (0, "/one"), (0, "/one"), (2, "/p2"),  # round 1
        (0, "/one"), (1, "/p1"), (2, "/p2"), (0, "/one"),  # round 2: the other way round
    ]  # fmt: skip
    pairs = [order[i : i + 2] for i in range(0, len(order), 2)]
    assert all(sorted(k for k, _ in pair)[0] == 0 for pair in pairs)


def _run_f1(monkeypatch, ms_of):
    """F1.run with the server's answers timed by ``ms_of(index, path)`` (no server)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from benchmarks import client, data
    from benchmarks.scenarios import f1_parts

    def fake_topic(_ctx, parts, per_part):
        t = data.BenchTopic(parts, "org", f"t{parts}")
        return pts.PartsTopic(t, parts, per_part, (3,) * parts, 0.0)

    sent: list[list[str]] = []

    def send(_port, jobs, *, connections, seconds):
        sent.append([j.path for j in jobs])
        return [200] * len(jobs), [ms_of(i, j.path) for i, j in enumerate(jobs)], 1.0

    monkeypatch.setattr(pts, "topic", fake_topic)
    monkeypatch.setattr(client, "send", send)
    monkeypatch.setattr(f1_parts.F1, "_statements", lambda self, ctx, *topics: [])
    sizes = replace(QUICK, f1_parts=3, f1_rounds=200, f1_warmup=2)
    ctx = SimpleNamespace(sizes=sizes, port=1, ensure_server=lambda: None)
    figures = f1_parts.F1().run(ctx)
    assert [len(s) for s in sent] == [2 * 3 * 2, 2 * 3 * 200]  # warm-up, then measured
    return figures[0]


def test_a_part_as_fast_as_the_one_part_page_is_1x_however_the_machine_drifts(monkeypatch):
    """The machine gets slower request by request and has a slow moment now and then:
    interleaved, both pages see the same moments, and every part's p95 ratio is 1."""

    def ms(i, _path):
        return 10.0 + i / 100 + (30.0 if i % 97 < 4 else 0.0)

    figure = _run_f1(monkeypatch, ms)
    assert all(0.97 <= r <= 1.03 for r in figure.details["ratios"].values())
    assert figure.ok is True


def test_a_part_slower_at_its_p95_is_caught(monkeypatch):
    """A part slower only in its tail (one request in ten 2x) misses the target: the
    method compares p95s, not medians."""

    seen = {"part 2": 0}

    def ms(i, path):
        if path.endswith("t3/parts/2"):
            seen["part 2"] += 1
            if seen["part 2"] % 10 == 0:
                return 20.0
        return 10.0 + (i % 7) / 10

    figure = _run_f1(monkeypatch, ms)
    ratios = figure.details["ratios"]
    assert ratios["2"] > 1.8 and ratios["1"] < 1.1 and ratios["3"] < 1.1
    assert figure.ok is False and "part 2" in figure.name
