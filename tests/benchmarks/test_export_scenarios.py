"""The export benchmarks' wiring (E1-E5), without timing anything.

The scenarios are registered; the bulk seed writes the topic its docstring describes with
exact counters; the baselines of E1 and E2 write the same rows as the exports they are
compared with; the SQL counter of E3/E4 sees every row however it is fetched; and the
addresses and form E5 uses are the ones the app answers as E5 expects.
"""

from __future__ import annotations

import csv
import re
import secrets
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from benchmarks import exports_child as child
from benchmarks import exports_support as es
from benchmarks.scenarios import e5_start as e5
from benchmarks.scenarios import load_all
from eraati.accounts.models import User
from eraati.consultations import counters
from eraati.consultations.models import Comment, CommentStatus, CommentVote, Topic, comment_themes

COMMENTS = 400
VOTERS = 3


@pytest.fixture
def seeded(app, db, bench_people):
    """The benchmark organisation and demo residents, then a seeded export topic."""
    made = es.seed_topic(app, "e-test", COMMENTS, VOTERS, log=lambda _m: None)
    db.session.remove()  # the seed wrote through its own sessions
    return made


def test_the_export_scenarios_are_registered():
    scenarios = load_all()
    assert [k for k in scenarios if k.startswith("E")] == ["E1", "E2", "E3", "E4", "E5"]
    assert [scenarios[k].needs_server for k in ("E1", "E2", "E3", "E4", "E5")] == [
        False,
        False,
        False,
        False,
        True,
    ]


def test_the_seed_writes_the_topic_it_describes(seeded, db):
    topic_id = seeded.topic.id
    where = Comment.topic_id == topic_id

    def count(*conditions) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*conditions))

    assert seeded.comments == count(where) == COMMENTS
    assert count(where, Comment.parent_id.is_not(None)) == COMMENTS // 5
    assert count(where, Comment.status == CommentStatus.HIDDEN) == COMMENTS // 40
    assert count(where, Comment.hidden_reason.is_not(None)) == COMMENTS // 40
    assert count(where, Comment.is_key.is_(True)) == 20
    assert count(where, Comment.is_official.is_(True)) == 40
    assert count(where, Comment.source != "web") > 0
    assert count(where, Comment.author_id.is_(None), Comment.source == "web") > 0
    linked = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(comment_themes.c.comment_id)))
        .join(Comment, Comment.id == comment_themes.c.comment_id)
        .where(where)
    )
    assert linked == sum(1 for i in range(COMMENTS) if i % 7 != 6 or i % 11 == 0)
    votes = db.session.scalar(
        sa.select(sa.func.count()).select_from(CommentVote).join(Comment).where(where)
    )
    assert seeded.votes == votes == COMMENTS * VOTERS
    assert [m for m in counters.mismatches() if m[0] == "comments" or m[1] == topic_id] == []
    # Replies point at earlier top-level comments of the same topic.
    parent = sa.orm.aliased(Comment)
    bad = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Comment)
        .join(parent, parent.id == Comment.parent_id)
        .where(where, sa.or_(parent.topic_id != topic_id, parent.parent_id.is_not(None)))
    )
    assert bad == 0


def test_the_csv_baseline_reads_the_rows_the_csv_export_writes(seeded, db, tmp_path):
    topic = db.session.get(Topic, seeded.topic.id)
    child.run_export(topic, "csv", "fi", tmp_path / "export.csv")
    child.baseline_csv(topic, tmp_path / "baseline.csv")

    def rows(name: str) -> list[list[str]]:
        with open(tmp_path / name, newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))[1:]

    exported, baseline = rows("export.csv"), rows("baseline.csv")
    assert len(exported[0]) == len(baseline[0]) == 24
    assert [r[0] for r in baseline] == [r[0] for r in exported]
    assert len(baseline) == COMMENTS  # hidden comments are exported too


def test_the_xlsx_baseline_writes_the_workbook_the_export_writes(seeded, db, tmp_path):
    topic = db.session.get(Topic, seeded.topic.id)
    child.run_export(topic, "xlsx", "fi", tmp_path / "export.xlsx")
    child.baseline_xlsx(child.xlsx_rows(topic, "fi"), tmp_path / "baseline.xlsx")

    def sheets(name: str) -> list[tuple[str, int, int, list]]:
        book = load_workbook(tmp_path / name, read_only=True)
        out = []
        for ws in book.worksheets:
            values = list(ws.iter_rows(values_only=True))
            out.append((ws.title, len(values), len(values[0]), list(values[1][:3])))
        return out

    assert sheets("baseline.xlsx") == sheets("export.xlsx")


def test_a_child_process_times_a_baseline_and_its_exports_in_rounds(seeded, app, tmp_path):
    """The command line the harness runs (``exports_support.child``), for real."""
    ctx = SimpleNamespace(
        app=app,
        cache={"exports_topic_big": seeded},
        workdir=tmp_path,
        kind="test",
        secret=secrets.token_urlsafe(48),
        db=SimpleNamespace(url=app.config["SQLALCHEMY_DATABASE_URI"]),
        sizes=SimpleNamespace(name="quick", runs=2),
        timings={},
        log=lambda _m: None,
    )
    (got,) = es.runs(ctx, "big", "pair-csv", 1, repeat=2)
    assert [sorted(r) for r in got["rounds"]] == [["baseline-csv", "csv", "csv-excel"]] * 2
    assert all(t > 0 for r in got["rounds"] for t in r.values())
    assert got["bytes"] > 0 and got["peak_rss_mib"] >= got["rss_start_mib"] > 0
    (alone,) = es.runs(ctx, "big", "json", 1)
    assert alone["rows_fetched"] >= COMMENTS and alone["statements"] > 0
    assert list(tmp_path.iterdir()) == []  # the output files are removed


def test_the_sql_counter_sees_every_row_however_it_is_fetched(seeded, db):
    from eraati.exports.rows import stream

    ids = sa.select(Comment.id).where(Comment.topic_id == seeded.topic.id).order_by(Comment.id)
    counter = child.SqlCounter(db.engine)
    try:
        counter.on = True
        db.session.execute(ids).all()
        list(db.session.scalars(ids))
        list(stream(ids))  # a server-side cursor on PostgreSQL, yield_per
        db.session.scalar(sa.select(sa.func.count()).select_from(Comment))  # one row
        counter.on = False
        db.session.execute(ids).all()  # not counted
    finally:
        counter.close()
    assert counter.rows == 3 * COMMENTS + 1
    assert counter.statements == 4
    (statement, n), (_count, one) = counter.top()
    assert (n, one) == (3 * COMMENTS, 1)
    assert statement.startswith("SELECT comments.id")


def test_the_addresses_and_form_of_e5_start_and_stream_exports(seeded, db, client, login_as):
    (uid, _email) = es.preparer(client.application)
    login_as(db.session.get(User, uid))
    base = e5.exports_base(seeded.topic)
    for fmt in es.STREAMED:
        r = client.get(f"{base}/{fmt}?lang=fi")
        assert r.status_code == 200, fmt
        assert "attachment" in r.headers["Content-Disposition"]
        assert r.get_data()  # the stream runs to its end inside the request
    r = client.post(f"{base}/jobs", data=e5.job_form("xlsx"))
    assert r.status_code == 303
    found = e5.JOB_PAGE.search(r.headers["Location"])
    assert found
    page = client.get(re.sub(r"^https?://[^/]+", "", r.headers["Location"]))
    assert page.status_code == 200
