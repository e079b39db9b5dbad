"""The register of participants (``topic_participants``) and its counts of people
(``topic_participant_counts``) follow every act the results count, on every path that
makes or unmakes one, also when people act at the same moment; ``participants()`` (the
results' figures of people) reads the counts and gives what a live count gives.

Each test ends with ``counters.mismatches() == []``: the register and the counts equal a
live computation over the rows (``participants.taking_part``), and every other counter
its rows.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from eraati.accounts import services as accounts
from eraati.accounts.models import User
from eraati.consultations import counters, participants, participation, services
from eraati.consultations.models import (
    Comment,
    CommentStatus,
    FlagReason,
    Stance,
    Topic,
    TopicParticipant,
    TopicParticipantCounts,
    TopicStatus,
    VoteValue,
)
from eraati.extensions import db
from eraati.moderation import services as moderation
from eraati.moderation.models import ModerationReason
from eraati.results import queries
from eraati.retention import services as retention
from tests import factories
from tests.consultations.test_counters import THREADS, _at_once
from tests.retention.support import DUE, PUBLISHED


def live(topic: Topic) -> tuple[int, int, int, int, int]:
    """What ``participants`` gave before the register: distinct people over every act."""
    kinds = participants.taking_part(topic.id)

    def people(kind: str | None = None):
        if kind is None:
            return sa.func.count(sa.distinct(kinds.c.person))
        return sa.func.count(sa.distinct(sa.case((kinds.c.kind == kind, kinds.c.person))))

    row = db.session.execute(
        sa.select(people(), people("comment"), people("vote"), people("stance"), people("poll"))
    ).one()
    return tuple(int(n or 0) for n in row)


def figures(topic: Topic) -> tuple[int, int, int, int, int]:
    """(people, commenters, voters, stance takers, respondents), checked against the rows."""
    db.session.commit()
    db.session.expire_all()
    assert counters.mismatches() == []
    got = queries.participants(topic)
    assert got == live(topic)
    return got


def register_rows(**where) -> list[tuple[int, int]]:
    table = TopicParticipant.__table__
    stmt = sa.select(table.c.topic_id, table.c.person).order_by(table.c.topic_id, table.c.person)
    for name, value in where.items():
        stmt = stmt.where(table.c[name] == value)
    return [tuple(r) for r in db.session.execute(stmt)]


@pytest.fixture
def reason(db, org):
    row = ModerationReason(organisation_id=org.id, texts={"fi": "Asiaton", "sv": "Osaklig"})
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def people(db):
    made = [factories.make_user() for _ in range(3)]
    db.session.commit()
    return made


def test_a_comment_hidden_takes_its_writer_and_its_votes_out_and_restored_puts_them_back(
    db, open_topic, people, moderator, reason
):
    writer, voter, stance_taker = people
    comment = services.post_comment(open_topic, writer, "Kirjasto auki sunnuntaisin.")
    other = services.post_comment(open_topic, stance_taker, "Samaa mieltä.")
    for person in (voter, stance_taker):
        participation.vote_comment(comment, person, VoteValue.AGREE)
    participation.set_stance(open_topic, stance_taker, Stance.SUPPORT)
    assert figures(open_topic) == (3, 2, 2, 1, 0)

    moderation.hide_comment(comment, reason, None, moderator)
    # The writer's only comment is hidden, and with it the votes on it: the voter took
    # part in nothing else; the stance taker still wrote a comment and took a stance.
    assert figures(open_topic) == (1, 1, 0, 1, 0)
    assert register_rows(topic_id=open_topic.id) == [(open_topic.id, stance_taker.id)]

    moderation.restore_comment(comment, moderator)
    assert figures(open_topic) == (3, 2, 2, 1, 0)

    services.delete_comment(comment)  # by its writer: the votes stay, uncounted
    assert figures(open_topic) == (1, 1, 0, 1, 0)
    services.delete_comment(other)
    participation.set_stance(open_topic, stance_taker, None)
    assert figures(open_topic) == (0, 0, 0, 0, 0)
    assert register_rows() == []  # rows that fall to zeros go


def test_waiting_comments_count_once_approved_and_not_after_an_edit_sends_them_back(
    db, org, people, moderator
):
    topic = factories.make_topic(org, premoderated=True)
    db.session.commit()
    writer, voter, _ = people
    comment = services.post_comment(topic, writer, "Odottaa tarkistusta.")
    assert comment.status == CommentStatus.PENDING
    assert figures(topic) == (0, 0, 0, 0, 0)
    moderation.approve_comment(comment, moderator)
    participation.vote_comment(comment, voter, VoteValue.DISAGREE)
    assert figures(topic) == (2, 1, 1, 0, 0)
    services.edit_comment(comment, "Korjattu teksti.")  # back to review on this topic
    assert comment.status == CommentStatus.PENDING
    assert figures(topic) == (0, 0, 0, 0, 0)
    moderation.approve_comment(comment, moderator)
    assert figures(topic) == (2, 1, 1, 0, 0)
    moderation.bulk([comment], "hide", moderator, reason=_reason(org))
    assert figures(topic) == (0, 0, 0, 0, 0)


def _reason(org) -> ModerationReason:
    row = ModerationReason(organisation_id=org.id, texts={"fi": "Mainos"})
    db.session.add(row)
    db.session.flush()
    return row


def test_a_comment_held_by_reports_leaves_the_figures(db, org, open_topic, people):
    org.flag_threshold = 1
    writer, voter, reporter = people
    comment = services.post_comment(open_topic, writer, "Raportoidaan.")
    participation.vote_comment(comment, voter, VoteValue.PASS)
    assert figures(open_topic) == (2, 1, 1, 0, 0)
    services.flag_comment(comment, reporter, FlagReason.SPAM)
    assert comment.status == CommentStatus.PENDING
    assert figures(open_topic) == (0, 0, 0, 0, 0)


def test_votes_count_only_on_shown_comments_and_official_replies_count_no_writer(
    db, open_topic, people, moderator, reason
):
    from eraati.curation import services as curation

    writer, voter, _ = people
    comment = services.post_comment(open_topic, writer, "Kysymys.")
    reply, _created = curation.post_official_reply(open_topic, comment, moderator, "Vastaus.")
    assert figures(open_topic) == (1, 1, 0, 0, 0)  # the official reply makes nobody a writer
    participation.vote_comment(reply, voter, VoteValue.AGREE)
    participation.vote_comment(comment, voter, VoteValue.AGREE)
    participation.vote_comment(comment, voter, VoteValue.DISAGREE)  # a change: still one
    assert figures(open_topic) == (2, 1, 1, 0, 0)
    participation.vote_comment(reply, voter, None)
    assert figures(open_topic) == (2, 1, 1, 0, 0)
    row = db.session.get(TopicParticipant, (open_topic.id, voter.id))
    assert (row.comments, row.votes, row.stances, row.answers) == (0, 1, 0, 0)
    moderation.hide_comment(comment, reason, None, moderator)
    assert figures(open_topic) == (0, 0, 0, 0, 0)
    moderation.restore_comment(comment, moderator)
    participation.vote_comment(comment, voter, None)
    assert figures(open_topic) == (1, 1, 0, 0, 0)


def test_stances_changed_and_withdrawn(db, open_topic, people):
    first, second, _ = people
    participation.set_stance(open_topic, first, Stance.SUPPORT)
    participation.set_stance(open_topic, second, Stance.OPPOSE)
    assert figures(open_topic) == (2, 0, 0, 2, 0)
    participation.set_stance(open_topic, first, Stance.NEUTRAL)
    assert figures(open_topic) == (2, 0, 0, 2, 0)
    participation.set_stance(open_topic, first, None)
    participation.set_stance(open_topic, first, None)  # nothing to withdraw: no change
    assert figures(open_topic) == (1, 0, 0, 1, 0)


def test_survey_answers_added_changed_and_an_optional_one_emptied(db, open_topic, people):
    single, _multiple = open_topic.questions
    open_q, _scale, _ranking = factories.add_survey_questions(open_topic)
    db.session.commit()
    respondent, other, _ = people
    participation.answer_poll(
        open_topic, respondent, {single.id: {single.options[0].id}, open_q.id: "Iltaisin"}
    )
    participation.answer_poll(open_topic, other, {open_q.id: "Aamuisin"})
    assert figures(open_topic) == (2, 0, 0, 0, 2)
    row = db.session.get(TopicParticipant, (open_topic.id, respondent.id))
    assert row.answers == 2
    participation.answer_poll(open_topic, respondent, {single.id: {single.options[1].id}})
    assert figures(open_topic) == (2, 0, 0, 0, 2)
    participation.answer_poll(open_topic, other, {open_q.id: None})  # emptied: no answers left
    assert figures(open_topic) == (1, 0, 0, 0, 1)
    assert register_rows(topic_id=open_topic.id) == [(open_topic.id, respondent.id)]


def test_account_deletion_leaves_no_row_of_the_account_and_the_figures_without_it(
    db, org, open_topic, people
):
    gone, stays, _ = people
    second_topic = factories.make_topic(org, slug="toinen", with_poll=True)
    db.session.commit()
    comment = services.post_comment(open_topic, gone, "Poistan tilini.")
    participation.vote_comment(comment, stays, VoteValue.AGREE)
    mine = services.post_comment(open_topic, stays, "Jään.")
    participation.vote_comment(mine, gone, VoteValue.AGREE)
    participation.set_stance(second_topic, gone, Stance.OPPOSE)
    participation.answer_poll(
        second_topic,
        gone,
        {second_topic.questions[0].id: {second_topic.questions[0].options[0].id}},
    )
    assert figures(open_topic) == (2, 2, 2, 0, 0)
    assert figures(second_topic) == (1, 0, 0, 1, 1)
    gone_id = gone.id
    accounts.delete_account(gone, factories.PASSWORD)
    # The comment stays without its writer (no person), and the vote on it still counts.
    assert figures(open_topic) == (1, 1, 1, 0, 0)
    assert figures(second_topic) == (0, 0, 0, 0, 0)
    assert register_rows(person=gone_id) == []
    assert db.session.get(Comment, comment.id).author_id is None


def test_retention_moves_the_rows_to_the_participants_and_keeps_the_figures(
    db, org, open_topic, people
):
    writer, voter, respondent = people
    comment = services.post_comment(open_topic, writer, "Säilyy nimettömänä.")
    participation.vote_comment(comment, voter, VoteValue.AGREE)
    participation.set_stance(open_topic, voter, Stance.SUPPORT)
    question = open_topic.questions[0]
    participation.answer_poll(open_topic, respondent, {question.id: {question.options[0].id}})
    participation.set_stance(open_topic, respondent, Stance.OPPOSE)
    participation.set_stance(open_topic, respondent, None)  # a row that went to zeros
    before = figures(open_topic)
    assert before == (3, 1, 1, 1, 1)
    open_topic.status = TopicStatus.PUBLISHED
    open_topic.opens_at = PUBLISHED - timedelta(days=60)
    open_topic.closes_at = PUBLISHED - timedelta(days=30)
    open_topic.results_published_at = PUBLISHED
    db.session.commit()
    assert retention.anonymise(open_topic, now=DUE) is not None
    assert figures(open_topic) == before
    people_left = [person for _topic, person in register_rows(topic_id=open_topic.id)]
    assert len(people_left) == 3 and all(person < 0 for person in people_left)
    for account in (writer, voter, respondent):
        assert register_rows(person=account.id) == []


def test_a_comment_hidden_after_retention_moves_the_participants(
    db, org, open_topic, people, moderator, reason
):
    """A moderator may still hide a reported comment of an anonymised topic: its writer
    and voters are participants by then."""
    writer, voter, _ = people
    comment = services.post_comment(open_topic, writer, "Piilotetaan myöhemmin.")
    participation.vote_comment(comment, voter, VoteValue.AGREE)
    open_topic.status = TopicStatus.PUBLISHED
    open_topic.opens_at = PUBLISHED - timedelta(days=60)
    open_topic.closes_at = PUBLISHED - timedelta(days=30)
    open_topic.results_published_at = PUBLISHED
    db.session.commit()
    retention.anonymise(open_topic, now=DUE)
    assert figures(open_topic) == (2, 1, 1, 0, 0)
    moderation.hide_comment(db.session.get(Comment, comment.id), reason, None, moderator)
    assert figures(open_topic) == (0, 0, 0, 0, 0)
    moderation.restore_comment(db.session.get(Comment, comment.id), moderator)
    assert figures(open_topic) == (2, 1, 1, 0, 0)


def test_mismatches_sees_a_wrong_register_and_recount_repairs_it(db, open_topic, people):
    first, second, _ = people
    participation.set_stance(open_topic, first, Stance.SUPPORT)
    participation.set_stance(open_topic, second, Stance.SUPPORT)
    assert figures(open_topic) == (2, 0, 0, 2, 0)
    table = TopicParticipant.__table__
    db.session.execute(sa.update(table).where(table.c.person == first.id).values(votes=3))
    db.session.execute(sa.delete(table).where(table.c.person == second.id))
    db.session.execute(sa.update(TopicParticipantCounts).values(voters=4))
    db.session.commit()
    found = {(f[0], f[2], f[3], f[4]) for f in counters.mismatches()}
    assert found == {
        ("topic_participants", "votes", 3, 0),
        ("topic_participants", "stances", 0, 1),
        ("topic_participant_counts", "voters", 4, 0),
    }
    counters.recount([open_topic.id])
    assert figures(open_topic) == (2, 0, 0, 2, 0)


def test_the_migration_fills_the_register_as_counted(db, open_topic, people, moderator, reason):
    writer, voter, respondent = people
    comment = services.post_comment(open_topic, writer, "Ennen siirtoa.")
    hidden = services.post_comment(open_topic, voter, "Piilotettu.")
    participation.vote_comment(comment, voter, VoteValue.AGREE)
    participation.vote_comment(hidden, respondent, VoteValue.AGREE)
    moderation.hide_comment(hidden, reason, None, moderator)
    question = open_topic.questions[0]
    participation.answer_poll(open_topic, respondent, {question.id: {question.options[0].id}})
    expected = figures(open_topic)
    path = next(Path("migrations/versions").glob("c22a0a1b2c3d_*.py"))
    spec = importlib.util.spec_from_file_location("register_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db.session.execute(sa.delete(TopicParticipant))
    db.session.execute(sa.delete(TopicParticipantCounts))
    false = "false" if db.engine.dialect.name == "postgresql" else "0"
    db.session.execute(sa.text(module.FILL_REGISTER.format(acts=module.ACTS.format(false=false))))
    db.session.execute(sa.text(module.FILL_COUNTS))
    assert figures(open_topic) == expected == (3, 1, 1, 0, 1)


# --- at the same moment ------------------------------------------------------------------------


def _as(user_id: int, act):
    """A job for ``_at_once``: ``act(topic, user)`` in its own session."""

    def job(topic_id: int):
        def run() -> None:
            topic = db.session.get(Topic, topic_id)
            act(topic, db.session.get(User, user_id))

        return run

    return job


def _refused(errors: list[BaseException]) -> list[BaseException]:
    """The errors other than a vote refused because the comment was hidden meanwhile."""
    return [e for e in errors if not isinstance(e, participation.CommentNotVotableError)]


def test_people_acting_at_once_are_all_counted(app, db, open_topic, moderator, reason):
    """Several people comment, vote, take stances and answer at once, one of them in two
    threads at once, while a moderator hides a comment that is being voted on; then they
    withdraw at once while it is shown again."""
    people = [factories.make_user() for _ in range(THREADS)]
    writer = factories.make_user()
    question = open_topic.questions[0]
    target = services.post_comment(open_topic, writer, "Tästä äänestetään.")
    db.session.commit()
    topic_id, target_id, moderator_id = open_topic.id, target.id, moderator.id
    ids = [p.id for p in people]

    def comment(i: int):
        return lambda topic, user: services.post_comment(topic, user, f"Kommentti {i}.")

    def vote(value):
        def act(topic, user):
            participation.vote_comment(db.session.get(Comment, target_id), user, value)

        return act

    def stance(value):
        return lambda topic, user: participation.set_stance(topic, user, value)

    def answer(i: int):
        return lambda topic, user: participation.answer_poll(
            topic, user, {question.id: {question.options[i % 2].id}}
        )

    def hide(topic_id: int):
        def run() -> None:
            moderation.hide_comment(
                db.session.get(Comment, target_id),
                db.session.get(ModerationReason, reason.id),
                None,
                db.session.get(User, moderator_id),
            )

        return run

    acts = [comment, lambda i: vote(VoteValue.AGREE), lambda i: stance(Stance.SUPPORT), answer]
    work = [_as(uid, acts[i % 4](i))(topic_id) for i, uid in enumerate(ids)]
    # The first person also votes, answers and takes a stance in other threads at once.
    work += [_as(ids[0], act)(topic_id) for act in (vote(VoteValue.PASS), stance(Stance.OPPOSE))]
    work += [_as(ids[0], answer(1))(topic_id), hide(topic_id)]
    assert _refused(_at_once(app, work)) == []
    topic = db.session.get(Topic, topic_id)
    first = figures(topic)
    # The first person and one other wrote (the writer's comment is hidden, and a vote
    # that came after that was refused); stances and answers: two others and the first.
    assert (first[1], first[3], first[4]) == (2, 3, 3)

    target = db.session.get(Comment, target_id)
    assert target.status == CommentStatus.HIDDEN

    def restore(topic_id: int):
        def run() -> None:
            moderation.restore_comment(
                db.session.get(Comment, target_id), db.session.get(User, moderator_id)
            )

        return run

    # Then everyone votes and withdraws their stance at once, the first person twice over,
    # while the comment is shown again.
    work = [_as(uid, vote(VoteValue.DISAGREE))(topic_id) for uid in ids]
    work += [_as(uid, stance(None))(topic_id) for uid in ids]
    work += [_as(ids[0], vote(None))(topic_id), restore(topic_id)]
    assert _refused(_at_once(app, work)) == []
    second = figures(db.session.get(Topic, topic_id))
    assert second[3] == 0  # nobody's stance is left
