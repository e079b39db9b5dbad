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


def test_each_pair_is_measured_one_part_part_one_and_its_ratio_sums_both_sides(monkeypatch):
    """The A-B-B-A order of F1's pairs (the other order for the next part) and a pair's ratio: the
    part's two p95s over the one-part page's two, so that a change of the machine's load
    in the middle of a pair weighs on both sides alike."""
    from dataclasses import replace
    from types import SimpleNamespace

    from benchmarks import data
    from benchmarks.measure import Load
    from benchmarks.scenarios import f1_parts

    def fake_topic(_ctx, parts, per_part):
        t = data.BenchTopic(parts, "org", f"t{parts}")
        return pts.PartsTopic(t, parts, per_part, (3,) * parts, 0.0)

    monkeypatch.setattr(pts, "topic", fake_topic)
    monkeypatch.setattr(f1_parts.F1, "_statements", lambda self, ctx, *topics: [])
    measured: list[tuple[str, str]] = []

    # The machine gets slower load by load: the part's page is as fast as the one-part
    # topic's, only measured at other moments.
    def wrk(path, *, label, seconds, connections):
        if label.startswith("warm-up"):
            return Load(label, 1, 1.0, 1.0, 1.0, 1.0)
        measured.append((path, label))
        slow = 10.0 + len(measured)
        return Load(label, 100, 1.0, slow, slow, slow)

    sizes = replace(QUICK, f1_parts=2, runs=1)
    ctx = SimpleNamespace(sizes=sizes, wrk=wrk)
    figures = f1_parts.F1().run(ctx)
    one, first, second = "/org/t1/parts/1", "/org/t2/parts/1", "/org/t2/parts/2"
    assert [p for p, _label in measured] == [first, one, one, first, one, second, second, one]
    ratios = figures[0].details["ratios"]
    # Part 1: (11 + 14) / (12 + 13) = 1; part 2: (16 + 17) / (15 + 18) = 1. One load a side
    # would have given 11 / 12 and 16 / 15.
    assert ratios == {"1": [1.0], "2": [1.0]}
    assert figures[0].value == 1.0
