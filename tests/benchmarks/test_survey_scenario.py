"""Benchmark F2's wiring (survey results at 50,000 respondents vs 500), without timing
anything: the scenario is registered with smaller quick sizes, the bulk seed writes the
published survey its docstring describes (one question of every kind, each respondent's
answers within the question's rules), the results pages show those answers, and the
per-statement timer sees the page's statements."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from benchmarks import sqltime
from benchmarks import survey_support as ss
from benchmarks.scenarios import load_all
from benchmarks.scenarios.b2_query_counts import _Client
from benchmarks.settings import FULL, QUICK
from eraati.consultations import counters, participation, tallies
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    BackgroundAnswer,
    Phase,
    PollTally,
    Question,
    QuestionKind,
    Topic,
)

RESPONDENTS = 40


@pytest.fixture
def seeded(app, db, bench_people):
    made = ss.seed_topic(app, RESPONDENTS, log=lambda _m: None)
    db.session.remove()  # the seed wrote through its own sessions
    return made


def test_f2_is_registered_with_smaller_quick_sizes():
    scenarios = load_all()
    assert scenarios["F2"].needs_server is True
    assert (FULL.f2_small, FULL.f2_big) == (500, 50_000)
    assert QUICK.f2_small < QUICK.f2_big < FULL.f2_big


def test_the_seed_writes_the_survey_it_describes(seeded, db):
    topic = db.session.get(Topic, seeded.topic.id)
    assert topic.slug == f"bench-f2-{RESPONDENTS}"
    assert topic.phase(topic.closes_at) == Phase.PUBLISHED
    questions = list(topic.questions)
    kinds = [q.kind for q in questions]
    assert set(kinds) == set(QuestionKind) and seeded.kinds == tuple(k.value for k in kinds)
    answers = db.session.scalars(
        sa.select(Answer).where(Answer.question_id.in_([q.id for q in questions]))
    ).all()
    assert len(answers) == seeded.answers
    choices = sum(len(a.choices) for a in answers)
    assert choices == seeded.choices
    by_question = {q.id: q for q in questions}
    people = {a.user_id for a in answers}
    assert len(people) == RESPONDENTS
    for answer in answers:
        q = by_question[answer.question_id]
        if q.kind == QuestionKind.OPEN:
            reply = answer.text
        elif q.kind == QuestionKind.SCALE:
            reply = answer.value
        elif q.kind == QuestionKind.RANKING:
            reply = [c.option_id for c in sorted(answer.choices, key=lambda c: c.rank)]
        else:
            reply = {c.option_id for c in answer.choices}
        participation.check_answer(q, reply)  # raises on a reply the form would refuse
    required = [q for q in questions if q.required]
    for q in required:  # every respondent answered every required question
        assert sum(1 for a in answers if a.question_id == q.id) == RESPONDENTS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerChoice)) == choices
    assert [m for m in counters.mismatches() if m[1] == topic.id] == []
    # The survey asks the background questions; most respondents told something, and the
    # poll tallies (per background group too) equal the rows.
    assert topic.background_questions == ["age", "relation", "municipality"]
    told = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(BackgroundAnswer)
        .where(BackgroundAnswer.topic_id == topic.id)
    )
    assert RESPONDENTS // 2 < told < RESPONDENTS
    assert tallies.mismatches() == []
    dimensions = db.session.scalars(
        sa.select(PollTally.dimension)
        .where(PollTally.question_id.in_(list(by_question)), PollTally.grp != "")
        .distinct()
    )
    assert set(dimensions) == {"age", "relation", "municipality"}


def test_the_first_respondents_are_shared_by_the_sizes(app, db, bench_people):
    assert ss.respondent_ids(app, 3) == ss.respondent_ids(app, 5)[:3]


def test_the_results_pages_show_the_answers_and_the_timer_sees_their_statements(
    seeded, app, db, client
):
    page = client.get(seeded.public_path)
    assert page.status_code == 200
    single = db.session.scalar(
        sa.select(Question).where(
            Question.topic_id == seeded.topic.id, Question.kind == QuestionKind.SINGLE
        )
    )
    assert participation.poll_counts([single.id]).respondents[single.id] == RESPONDENTS
    anon = _Client(app.test_client())
    got = sqltime.per_statement(app, lambda: anon.get(seeded.public_path), 3)
    # Each statement timed by its place in the request: the usual number of them.
    assert got.status == 200 and len(got.counts) == 3
    assert len(got.statements) == max(set(got.counts), key=got.counts.count)
    assert any("poll_tallies" in s.text for s in got.statements)
    assert got.request_ms >= got.sql_ms > 0


def test_the_staff_member_reads_the_staff_results_page(seeded, app, db):
    from benchmarks import client as bench_client
    from benchmarks.scenarios.f2_survey import _StaffClient

    uid, email = ss.staff_member(app)
    assert ss.staff_member(app) == (uid, email)  # made once
    staff = _StaffClient(app, bench_client.signed_session(app, uid, email))
    page = staff.get(seeded.staff_path)
    assert page.status_code == 200
