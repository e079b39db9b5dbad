"""Counters always equal the rows they count, also under concurrent requests.

One row per person per target is the database's job (unique constraints); the counters on
topics and comments move in SQL in the same transaction as the rows.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eraati.accounts.models import User
from eraati.consultations import participation
from eraati.consultations.models import (
    Comment,
    CommentVote,
    Follow,
    Stance,
    Topic,
    TopicStance,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from tests import factories
from tests.consultations.participation_support import add_comment, counter_mismatches, rows

THREADS = 8


def test_counter_check_notices_drift(db, open_topic, resident, other_resident):
    """The helper below is what the other tests rely on: it must see a wrong counter."""
    comment = add_comment(open_topic, other_resident)
    participation.vote_comment(comment, resident, VoteValue.AGREE)
    participation.follow_topic(open_topic, resident)
    db.session.commit()
    assert counter_mismatches() == []
    db.session.execute(sa.update(Comment).values(pass_count=1))
    db.session.execute(sa.update(Topic).values(follower_count=2))
    db.session.commit()
    assert len(counter_mismatches()) == 2


def test_many_mixed_operations_keep_every_counter_exact(db, org):
    """A long random sequence of votes, changes, withdrawals, stances and follows by several
    people on several topics; the rows also match what the sequence meant to leave."""
    rng = random.Random(2026)
    people = [factories.make_user() for _ in range(6)]
    topics = [factories.make_topic(org) for _ in range(2)]
    comments = [add_comment(t, rng.choice(people)) for t in topics for _ in range(4)]
    db.session.commit()
    now = utcnow()
    stances: dict[tuple[int, int], Stance] = {}
    votes: dict[tuple[int, int], VoteValue] = {}
    follows: set[tuple[int, int]] = set()

    for step in range(400):
        person = rng.choice(people)
        kind = rng.random()
        if kind < 0.35:
            topic = rng.choice(topics)
            stance = rng.choice([*Stance, None])
            participation.set_stance(topic, person, stance, now=now)
            _remember(stances, (topic.id, person.id), stance)
        elif kind < 0.8:
            comment = rng.choice([c for c in comments if c.author_id != person.id])
            value = rng.choice([*VoteValue, None])
            participation.vote_comment(comment, person, value, now=now)
            _remember(votes, (comment.id, person.id), value)
        else:
            topic = rng.choice(topics)
            if rng.random() < 0.6:
                participation.follow_topic(topic, person, now=now)
                follows.add((topic.id, person.id))
            else:
                participation.unfollow_topic(topic, person)
                follows.discard((topic.id, person.id))
        if step % 50 == 49:
            db.session.commit()
            assert counter_mismatches() == [], f"after step {step}"
    db.session.commit()

    assert counter_mismatches() == []
    assert {
        (t, u): s
        for t, u, s in db.session.execute(
            sa.select(TopicStance.topic_id, TopicStance.user_id, TopicStance.stance)
        )
    } == stances
    assert {
        (c, u): v
        for c, u, v in db.session.execute(
            sa.select(CommentVote.comment_id, CommentVote.user_id, CommentVote.value)
        )
    } == votes
    assert set(db.session.execute(sa.select(Follow.topic_id, Follow.user_id)).tuples()) == follows
    assert sum(t.support_count + t.oppose_count + t.neutral_count for t in topics) == len(stances)


def _remember(store: dict, key, value) -> None:
    if value is None:
        store.pop(key, None)
    else:
        store[key] = value


# --- at the same moment ----------------------------------------------------------------------


def _at_once(app, work: list[Callable[[], None]]) -> list[BaseException]:
    """Run each callable in its own thread, app context and database session, all released
    at the same moment; each commits its own transaction. Returns the errors raised."""
    db.session.commit()  # the test's own session holds no transaction meanwhile
    start = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                job()
                db.session.commit()
            except BaseException as exc:  # reported to the test below
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request never finished"
    db.session.expire_all()
    return errors


def _vote(comment_id: int, user_id: int, value: VoteValue | None) -> Callable[[], None]:
    def job() -> None:
        comment = db.session.get(Comment, comment_id)
        participation.vote_comment(comment, db.session.get(User, user_id), value)

    return job


def _stance(topic_id: int, user_id: int, stance: Stance | None) -> Callable[[], None]:
    def job() -> None:
        topic = db.session.get(Topic, topic_id)
        participation.set_stance(topic, db.session.get(User, user_id), stance)

    return job


def _follow(topic_id: int, user_id: int) -> Callable[[], None]:
    def job() -> None:
        topic = db.session.get(Topic, topic_id)
        participation.follow_topic(topic, db.session.get(User, user_id))

    return job


def test_same_person_voting_at_once_leaves_one_row(app, db, open_topic, resident, other_resident):
    comment = add_comment(open_topic, other_resident)
    values = [VoteValue.AGREE, VoteValue.DISAGREE, VoteValue.PASS, VoteValue.AGREE] * 2
    errors = _at_once(app, [_vote(comment.id, resident.id, v) for v in values])
    assert errors == []
    assert rows(CommentVote) == 1
    assert comment.agree_count + comment.disagree_count + comment.pass_count == 1
    assert counter_mismatches() == []


def test_same_vote_sent_eight_times_at_once_counts_once(
    app, db, open_topic, resident, other_resident
):
    comment = add_comment(open_topic, other_resident)
    errors = _at_once(app, [_vote(comment.id, resident.id, VoteValue.AGREE)] * THREADS)
    assert errors == []
    assert rows(CommentVote) == 1 and comment.agree_count == 1


def test_eight_people_voting_at_once_are_all_counted(app, db, open_topic, other_resident):
    comment = add_comment(open_topic, other_resident)
    people = [factories.make_user() for _ in range(THREADS)]
    errors = _at_once(app, [_vote(comment.id, p.id, VoteValue.AGREE) for p in people])
    assert errors == []
    assert rows(CommentVote) == THREADS and comment.agree_count == THREADS
    assert counter_mismatches() == []


def test_votes_and_withdrawals_at_once_stay_exact(app, db, open_topic, other_resident):
    comment = add_comment(open_topic, other_resident)
    people = [factories.make_user() for _ in range(THREADS // 2)]
    for p in people:
        participation.vote_comment(comment, p, VoteValue.DISAGREE)
    jobs = [_vote(comment.id, p.id, None) for p in people]
    jobs += [_vote(comment.id, p.id, VoteValue.AGREE) for p in people]
    errors = _at_once(app, jobs)
    assert errors == []
    assert rows(CommentVote) == comment.agree_count + comment.disagree_count
    assert comment.disagree_count == 0  # each person's row is either withdrawn or changed
    assert counter_mismatches() == []


def test_stances_and_follows_at_once_stay_exact(app, db, open_topic, resident):
    people = [factories.make_user() for _ in range(THREADS // 2)]
    jobs = [_stance(open_topic.id, resident.id, s) for s in (*Stance, None)]
    jobs += [_stance(open_topic.id, p.id, Stance.SUPPORT) for p in people]
    jobs += [_follow(open_topic.id, resident.id) for _ in range(THREADS // 2)]
    errors = _at_once(app, jobs)
    assert errors == []
    assert rows(TopicStance, TopicStance.user_id == resident.id) <= 1
    assert rows(Follow) == 1 and open_topic.follower_count == 1
    assert open_topic.support_count >= len(people)
    assert counter_mismatches() == []


def test_same_person_answering_the_poll_at_once_leaves_one_answer(app, db, open_topic, resident):
    from eraati.consultations.models import Answer, AnswerChoice

    single, multiple = open_topic.questions
    choices = [
        {
            single.id: {single.options[i % 3].id},
            multiple.id: {o.id for o in multiple.options[: i % 3 + 1]},
        }
        for i in range(THREADS)
    ]

    topic_id, user_id = open_topic.id, resident.id  # threads must not touch the test's rows

    def answer(chosen):
        def job() -> None:
            topic = db.session.get(Topic, topic_id)
            participation.answer_poll(topic, db.session.get(User, user_id), chosen)

        return job

    errors = _at_once(app, [answer(c) for c in choices])
    assert errors == []
    assert rows(Answer) == 2
    assert (
        rows(
            AnswerChoice,
            AnswerChoice.answer_id.in_(sa.select(Answer.id).where(Answer.question_id == single.id)),
        )
        == 1
    )
    assert 1 <= rows(AnswerChoice) - 1 <= 3


# --- the database itself refuses a second row ------------------------------------------------


@pytest.mark.parametrize("model", [CommentVote, TopicStance, Follow])
def test_duplicate_row_is_refused_by_the_database(db, open_topic, resident, other_resident, model):
    comment = add_comment(open_topic, other_resident)
    db.session.commit()

    def row():
        if model is CommentVote:
            return CommentVote(comment_id=comment.id, user_id=resident.id, value=VoteValue.AGREE)
        if model is TopicStance:
            return TopicStance(topic_id=open_topic.id, user_id=resident.id, stance=Stance.SUPPORT)
        return Follow(topic_id=open_topic.id, user_id=resident.id)

    db.session.add(row())
    db.session.commit()
    db.session.add(row())
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert rows(model) == 1
