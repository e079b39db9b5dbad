"""Poll tallies (``poll_tallies``) equal the answers they count after every change of
answers, also when people answer at the same moment; ``poll_counts`` reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts import services as accounts
from eraati.accounts.models import User
from eraati.consultations import counters, participation, tallies
from eraati.consultations.models import (
    Answer,
    PollTally,
    Question,
    QuestionKind,
    Topic,
    TopicStatus,
)
from eraati.extensions import db
from eraati.retention import services as retention
from tests import factories
from tests.consultations.test_counters import THREADS, _at_once
from tests.retention.support import DUE, PUBLISHED


@pytest.fixture
def survey(db, open_topic):
    """(single, multiple, open (optional), scale, ranking) questions of the open topic."""
    single, multiple = open_topic.questions
    extra = factories.add_survey_questions(open_topic)
    db.session.commit()
    return (single, multiple, *extra)


def _live_counts(question_ids: list[int]) -> participation.PollCounts:
    """What ``poll_counts`` gave before the tallies: counted from the rows."""
    counts = participation.PollCounts()
    rows = db.session.execute(tallies.counted(question_ids))
    of_ids = sa.select(Question).where(Question.id.in_(question_ids))
    kinds = {q.id: q.kind for q in db.session.scalars(of_ids)}
    for question_id, _d, _g, item, n, rank_sum in rows:
        if item == tallies.RESPONDENTS:
            counts.respondents[question_id] = int(n)
        elif kinds[question_id] == QuestionKind.SCALE:
            counts.scale.setdefault(question_id, {})[item] = int(n)
        else:
            counts.options[item] = int(n)
            counts.rank_sums[item] = int(rank_sum)
    return counts


def _exact(survey) -> None:
    db.session.expire_all()
    assert tallies.mismatches() == []
    assert counters.mismatches() == []
    ids = [q.id for q in survey]
    assert participation.poll_counts(ids) == _live_counts(ids)


def _full(survey, *, single=0, several=(1,), text="Iltaisin", value=4, order=(0, 1, 2)):
    s, m, open_q, scale, ranking = survey
    return {
        s.id: {s.options[single].id},
        m.id: {m.options[i].id for i in several},
        open_q.id: text,
        scale.id: value,
        ranking.id: [ranking.options[i].id for i in order],
    }


def test_tallies_follow_saves_and_every_kind_of_change(db, open_topic, resident, survey):
    other = factories.make_user()
    single, multiple, open_q, scale, ranking = survey
    participation.answer_poll(open_topic, resident, _full(survey))
    participation.answer_poll(open_topic, other, _full(survey, single=1, value=2, order=(2, 0, 1)))
    db.session.commit()
    _exact(survey)
    counts = participation.poll_counts([q.id for q in survey])
    assert counts.respondents == {q.id: 2 for q in survey}
    assert counts.scale[scale.id] == {4: 1, 2: 1}
    a, b, c = (o.id for o in ranking.options)
    assert (counts.options[a], counts.options[c]) == (1, 1)  # first places
    assert (counts.rank_sums[a], counts.rank_sums[b], counts.rank_sums[c]) == (3, 5, 4)

    changes = [
        {single.id: {single.options[2].id}},  # a choice changed
        {multiple.id: {multiple.options[0].id, multiple.options[2].id}},  # more and others
        {scale.id: 5},  # a scale value changed
        {ranking.id: [c, b, a]},  # a ranking reordered
        {open_q.id: "Aamuisin"},  # an open answer changed (still one respondent)
        {open_q.id: None},  # an optional question emptied
        {open_q.id: None},  # and again: nothing to take away
        {open_q.id: "Taas"},  # answered again
    ]
    for step, change in enumerate(changes):
        participation.answer_poll(open_topic, resident, change)
        db.session.commit()
        db.session.expire_all()
        assert tallies.mismatches() == [], f"after change {step}"
    _exact(survey)
    counts = participation.poll_counts([q.id for q in survey])
    assert counts.scale[scale.id] == {5: 1, 2: 1}
    assert single.options[0].id not in counts.options  # nobody chooses it now
    assert counts.options[single.options[2].id] == 1


def test_an_emptied_optional_question_leaves_its_respondents(db, open_topic, resident, survey):
    open_q = survey[2]
    participation.answer_poll(open_topic, resident, _full(survey))
    db.session.commit()
    assert participation.poll_counts([open_q.id]).respondents == {open_q.id: 1}
    participation.answer_poll(open_topic, resident, {open_q.id: None})
    db.session.commit()
    assert participation.poll_counts([open_q.id]).respondents == {}
    _exact(survey)


def test_account_deletion_takes_the_answers_out_of_the_tallies(db, open_topic, resident, survey):
    other = factories.make_user()
    participation.answer_poll(open_topic, resident, _full(survey, order=(1, 2, 0)))
    participation.answer_poll(open_topic, other, _full(survey, single=1, several=(0, 1)))
    db.session.commit()
    accounts.delete_account(resident, factories.PASSWORD)
    db.session.commit()
    _exact(survey)
    counts = participation.poll_counts([q.id for q in survey])
    assert counts.respondents == {q.id: 1 for q in survey}


def test_retention_keeps_the_answers_and_their_tallies(db, open_topic, resident, survey):
    participation.answer_poll(open_topic, resident, _full(survey))
    db.session.commit()
    before = participation.poll_counts([q.id for q in survey])
    open_topic.status = TopicStatus.PUBLISHED
    open_topic.opens_at = PUBLISHED - timedelta(days=60)
    open_topic.closes_at = PUBLISHED - timedelta(days=30)
    open_topic.results_published_at = PUBLISHED
    db.session.commit()
    assert retention.anonymise(open_topic, now=DUE) is not None
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == len(survey)
    assert participation.poll_counts([q.id for q in survey]) == before
    _exact(survey)


def test_mismatches_sees_a_wrong_tally_and_recount_repairs_it(db, open_topic, resident, survey):
    participation.answer_poll(open_topic, resident, _full(survey))
    db.session.commit()
    ranking = survey[4]
    everyone = PollTally.dimension == ""
    db.session.execute(
        sa.update(PollTally)
        .where(everyone, PollTally.item == ranking.options[1].id)
        .values(rank_sum=7)
    )
    db.session.execute(
        sa.delete(PollTally).where(
            everyone, PollTally.question_id == survey[0].id, PollTally.item == 0
        )
    )
    db.session.commit()
    found = counters.mismatches()
    assert sorted((f[0], f[1][3], f[2], f[3], f[4]) for f in found) == sorted(
        [
            ("poll_tallies", ranking.options[1].id, "rank_sum", 7, 2),
            ("poll_tallies", 0, "n", 0, 1),
        ]
    )
    counters.recount([open_topic.id])
    db.session.commit()
    _exact(survey)


def test_a_poll_edited_before_answers_drops_its_zero_tallies(db, open_topic, resident, survey):
    from eraati.manage.services.topics import _apply_poll, current_poll

    participation.answer_poll(open_topic, resident, _full(survey))
    participation.answer_poll(open_topic, resident, {survey[2].id: None})
    db.session.commit()
    db.session.execute(sa.delete(Answer))  # as if every answer were withdrawn
    tallies.recompute([q.id for q in survey])
    db.session.execute(sa.update(PollTally).values(n=0, rank_sum=0))
    db.session.commit()
    poll = current_poll(open_topic)[:2]
    assert _apply_poll(open_topic, poll)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PollTally)) == 0


def test_people_answering_and_changing_at_once_are_all_counted(app, db, open_topic, survey):
    people = [factories.make_user() for _ in range(THREADS)]
    db.session.commit()
    topic_id = open_topic.id
    ids = [p.id for p in people]
    shapes = [
        _full(
            survey,
            single=i % 3,
            several=(i % 3,),
            value=1 + i % 5,
            order=(i % 3, (i + 1) % 3, (i + 2) % 3),
        )
        for i in range(THREADS)
    ]

    def answer(user_id: int, reply: dict):
        def job() -> None:
            topic = db.session.get(Topic, topic_id)
            participation.answer_poll(topic, db.session.get(User, user_id), reply)

        return job

    # Everyone answers at once; then everyone changes (or empties the optional question)
    # at once, half of them sending the same change twice at the same moment.
    assert _at_once(app, [answer(uid, shapes[i]) for i, uid in enumerate(ids)]) == []
    _exact(survey)
    open_q = survey[2]
    second = []
    for i, uid in enumerate(ids):
        change = dict(shapes[(i + 1) % THREADS])
        if i % 2:
            change[open_q.id] = None
        second.append(answer(uid, change))
        if i % 2 == 0:
            second.append(answer(uid, change))
    assert _at_once(app, second) == []
    _exact(survey)
    counts = participation.poll_counts([q.id for q in survey])
    assert counts.respondents[survey[0].id] == THREADS
    assert counts.respondents[open_q.id] == THREADS // 2


def test_one_person_sending_a_first_background_twice_at_once_is_counted_once(
    app, db, open_topic, survey
):
    """A double click on a first survey save: two requests of one person, neither of which
    finds a background row, save different backgrounds with the answers at the same moment.
    One wins; the tallies follow the row that stays, in every dimension."""
    open_topic.background_questions = ["age", "relation", "municipality"]
    people = [factories.make_user() for _ in range(THREADS // 2)]
    db.session.commit()
    topic_id = open_topic.id

    def answer(user_id: int, reply: dict, told: dict):
        def job() -> None:
            # As the survey's POST runs it (on SQLite its transaction begins IMMEDIATE).
            with app.test_request_context(method="POST"):
                topic = db.session.get(Topic, topic_id)
                user = db.session.get(User, user_id)
                participation.answer_poll(topic, user, reply, background=told)
                db.session.commit()

        return job

    work = []
    for i, person in enumerate(people):
        work.append(answer(person.id, _full(survey, value=1 + i % 5), {"age": "18-29"}))
        work.append(
            answer(
                person.id,
                _full(survey, single=1, value=5 - i % 5),
                {"age": "65-74", "relation": "resident"},
            )
        )
    assert _at_once(app, work) == []
    _exact(survey)
    single = survey[0]
    assert sum(n for (_g, item), n in _by("age", single.id).items() if item == 0) == len(people)


# --- background breakdowns ----------------------------------------------------------------------


def _by(dimension: str, question_id: int) -> dict[tuple[str, int], int]:
    """{(group, item): people} of one question in one dimension, zeros left out."""
    rows = db.session.execute(
        sa.select(PollTally.grp, PollTally.item, PollTally.n).where(
            PollTally.question_id == question_id, PollTally.dimension == dimension
        )
    )
    return {(g, item): n for g, item, n in rows if n}


def test_breakdown_tallies_follow_background_changes(db, open_topic, resident, survey):
    open_topic.background_questions = ["age", "relation", "municipality"]
    other = factories.make_user()
    db.session.commit()
    single, _multiple, open_q, scale, ranking = survey
    participation.answer_poll(
        open_topic, resident, _full(survey), background={"age": "18-29", "relation": "resident"}
    )
    participation.answer_poll(open_topic, other, _full(survey, single=1, value=2))  # no background
    db.session.commit()
    _exact(survey)
    first, second = single.options[0].id, single.options[1].id
    assert _by("age", single.id) == {
        ("18-29", 0): 1,
        ("18-29", first): 1,
        ("", 0): 1,
        ("", second): 1,
    }
    assert _by("relation", scale.id) == {
        ("resident", 0): 1,
        ("resident", 4): 1,
        ("", 0): 1,
        ("", 2): 1,
    }

    # The background changes alone: every earlier answer moves to the new group.
    participation.answer_background(open_topic, resident, {"age": "65-74", "relation": None})
    db.session.commit()
    _exact(survey)
    assert _by("age", single.id)[("65-74", first)] == 1
    assert ("18-29", 0) not in _by("age", single.id)
    assert _by("relation", single.id) == {("", 0): 2, ("", first): 1, ("", second): 1}
    # With the answers in one save: a change of both.
    saved = participation.answer_poll(
        open_topic,
        resident,
        {single.id: {second}, open_q.id: None},
        background={"age": "30-44", "relation": "works", "municipality": None},
    )
    db.session.commit()
    assert saved == participation.Saved.CHANGED
    _exact(survey)
    assert _by("age", single.id) == {
        ("30-44", 0): 1,
        ("30-44", second): 1,
        ("", 0): 1,
        ("", second): 1,
    }
    # Only the background changes (the form sends the same answers again): a change too.
    saved = participation.answer_poll(
        open_topic,
        other,
        _full(survey, single=1, value=2),
        background={"age": "75-", "relation": None, "municipality": None},
    )
    db.session.commit()
    assert saved == participation.Saved.CHANGED
    _exact(survey)
    # Rather not say anything: the row goes, the person is "not told" again.
    participation.answer_background(
        open_topic, resident, {"age": None, "relation": None, "municipality": None}
    )
    db.session.commit()
    _exact(survey)
    assert _by("age", ranking.id)[("", 0)] == 1
    # The account goes: out of every group.
    accounts.delete_account(other, factories.PASSWORD)
    db.session.commit()
    _exact(survey)
    assert _by("age", single.id) == {("", 0): 1, ("", second): 1}


def test_breakdown_tallies_stay_after_retention(db, open_topic, resident, survey):
    open_topic.background_questions = ["age"]
    db.session.commit()
    participation.answer_poll(open_topic, resident, _full(survey), background={"age": "45-64"})
    db.session.commit()
    before = _by("age", survey[0].id)
    open_topic.status = TopicStatus.PUBLISHED
    open_topic.opens_at = PUBLISHED - timedelta(days=60)
    open_topic.closes_at = PUBLISHED - timedelta(days=30)
    open_topic.results_published_at = PUBLISHED
    db.session.commit()
    assert retention.anonymise(open_topic, now=DUE) is not None
    db.session.commit()
    assert _by("age", survey[0].id) == before
    _exact(survey)  # the rows now meet by participant


def test_the_migration_fills_the_tallies_as_counted(db, open_topic, resident, survey):
    import importlib.util
    from pathlib import Path

    open_topic.background_questions = ["age", "relation"]
    db.session.commit()
    participation.answer_poll(open_topic, resident, _full(survey), background={"age": "0-17"})
    participation.answer_poll(open_topic, factories.make_user(), _full(survey, order=(2, 1, 0)))
    db.session.commit()
    path = next(Path("migrations/versions").glob("b21e5f6a7b8c_*.py"))
    spec = importlib.util.spec_from_file_location("poll_tallies_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db.session.execute(sa.delete(PollTally))
    db.session.execute(sa.text(module._fill_sql()))
    db.session.commit()
    _exact(survey)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PollTally)) > 4 * len(survey)
