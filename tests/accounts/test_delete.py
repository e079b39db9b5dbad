"""Deleting one's own account: comments stay without a name, counters stay true."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.accounts.services import DELETED_USER_NICKNAME
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentFlag,
    CommentVote,
    FlagReason,
    Follow,
    Stance,
    Topic,
    TopicStance,
    VoteValue,
)
from tests import factories
from tests.accounts.helpers import log_in, logged_in_user_id, tr
from tests.factories import PASSWORD

TOPIC_COUNTERS = {
    "support_count": (TopicStance, TopicStance.topic_id, TopicStance.stance == Stance.SUPPORT),
    "oppose_count": (TopicStance, TopicStance.topic_id, TopicStance.stance == Stance.OPPOSE),
    "neutral_count": (TopicStance, TopicStance.topic_id, TopicStance.stance == Stance.NEUTRAL),
    "follower_count": (Follow, Follow.topic_id, sa.true()),
}
COMMENT_COUNTERS = {
    "agree_count": (CommentVote, CommentVote.comment_id, CommentVote.value == VoteValue.AGREE),
    "disagree_count": (
        CommentVote,
        CommentVote.comment_id,
        CommentVote.value == VoteValue.DISAGREE,
    ),
    "pass_count": (CommentVote, CommentVote.comment_id, CommentVote.value == VoteValue.PASS),
    "flag_count": (CommentFlag, CommentFlag.comment_id, sa.true()),
}


def _counts(db, model, fk, condition) -> dict[int, int]:
    rows = db.session.execute(sa.select(fk, sa.func.count()).where(condition).group_by(fk))
    return dict(rows.all())


def _sync_counters(db) -> None:
    """Set every stored counter to its COUNT(*) (the participation services do this live)."""
    for table, counters in ((Topic, TOPIC_COUNTERS), (Comment, COMMENT_COUNTERS)):
        for row in db.session.scalars(sa.select(table)):
            for name, (model, fk, condition) in counters.items():
                setattr(row, name, _counts(db, model, fk, condition).get(row.id, 0))
    db.session.commit()


def _mismatches(db) -> list[str]:
    db.session.expire_all()
    wrong = []
    for table, counters in ((Topic, TOPIC_COUNTERS), (Comment, COMMENT_COUNTERS)):
        for row in db.session.scalars(sa.select(table)):
            for name, (model, fk, condition) in counters.items():
                expected = _counts(db, model, fk, condition).get(row.id, 0)
                if getattr(row, name) != expected:
                    wrong.append(
                        f"{table.__name__} {row.id} {name}={getattr(row, name)} != {expected}"
                    )
    return wrong


def _participation(db, org, resident, other):
    """Two topics; the resident and another user comment, take stances, vote, flag, follow."""
    first = factories.make_topic(org, with_poll=True)
    second = factories.make_topic(org)
    own = Comment(topic_id=first.id, author_id=resident.id, body="Kirjasto on tärkeä.")
    reply = Comment(topic_id=first.id, author_id=resident.id, body="Olen samaa mieltä.")
    others = Comment(topic_id=first.id, author_id=other.id, body="Lyhentäkää aukioloa.")
    others2 = Comment(topic_id=second.id, author_id=other.id, body="Toinen aihe.")
    db.session.add_all([own, others, others2])
    db.session.flush()
    reply.parent_id = reply.root_id = others.id
    db.session.add(reply)
    db.session.flush()
    question = first.questions[0]
    answer = Answer(question_id=question.id, user_id=resident.id)
    answer.choices.append(AnswerChoice(option_id=question.options[0].id))
    db.session.add_all(
        [
            TopicStance(topic_id=first.id, user_id=resident.id, stance=Stance.SUPPORT),
            TopicStance(topic_id=second.id, user_id=resident.id, stance=Stance.NEUTRAL),
            TopicStance(topic_id=first.id, user_id=other.id, stance=Stance.SUPPORT),
            TopicStance(topic_id=second.id, user_id=other.id, stance=Stance.OPPOSE),
            CommentVote(comment_id=others.id, user_id=resident.id, value=VoteValue.AGREE),
            CommentVote(comment_id=others2.id, user_id=resident.id, value=VoteValue.DISAGREE),
            CommentVote(
                comment_id=others.id, user_id=factories.make_user().id, value=VoteValue.AGREE
            ),
            CommentVote(comment_id=own.id, user_id=other.id, value=VoteValue.PASS),
            CommentFlag(comment_id=others.id, user_id=resident.id, reason=FlagReason.INSULTING),
            Follow(topic_id=first.id, user_id=resident.id),
            Follow(topic_id=second.id, user_id=resident.id),
            Follow(topic_id=first.id, user_id=other.id),
            answer,
        ]
    )
    db.session.commit()
    _sync_counters(db)
    return first, second, own, reply


def test_deleting_the_account_keeps_comments_and_true_counters(
    app, client, db, org, resident, other_resident, login_as
):
    first, second, own, reply = _participation(db, org, resident, other_resident)
    assert _mismatches(db) == []
    resident_id = resident.id
    login_as(resident)

    response = client.post("/account/delete", data={"current_password": PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert db.session.get(User, resident_id) is None
    assert logged_in_user_id(client) is None
    # The comments stay, without their author, with the placeholder name.
    kept = db.session.scalars(sa.select(Comment).where(Comment.id.in_([own.id, reply.id]))).all()
    assert sorted(c.body for c in kept) == ["Kirjasto on tärkeä.", "Olen samaa mieltä."]
    assert {(c.author_id, c.nickname) for c in kept} == {(None, DELETED_USER_NICKNAME)}
    # The other user's comment keeps its author; a vote on the deleted user's comment stays.
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CommentVote)
            .where(CommentVote.comment_id == own.id)
        )
        == 1
    )
    # Counters equal the rows that remain.
    assert _mismatches(db) == []
    db.session.refresh(first)
    db.session.refresh(second)
    assert (first.support_count, first.follower_count) == (1, 1)
    assert (second.neutral_count, second.oppose_count, second.follower_count) == (0, 1, 0)
    for model in (TopicStance, CommentVote, CommentFlag, Follow, Answer):
        rows = db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.user_id == resident_id)
        )
        assert rows == 0, model
    # The account is gone for good.
    assert log_in(app.test_client(), "asukas@example.fi").status_code == 422


def test_wrong_password_deletes_nothing(client, db, org, resident, other_resident, login_as):
    _participation(db, org, resident, other_resident)
    login_as(resident)

    response = client.post("/account/delete", data={"current_password": "arvaus-123456"})

    assert response.status_code == 422
    assert tr("The password is not right.", "fi") in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, resident.id) is not None
    assert _mismatches(db) == []
    nicknames = db.session.scalars(
        sa.select(Comment.nickname).where(Comment.author_id == resident.id)
    ).all()
    assert nicknames == [None, None]


def test_delete_page_asks_for_the_password(client, resident, login_as):
    login_as(resident)
    page = client.get("/account/delete").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert 'autocomplete="current-password"' in page
    assert 'method="post"' in page and "novalidate" in page


def test_staff_paper_comments_keep_their_writer(client, db, org, moderator, login_as):
    """Paper feedback entered by staff keeps the writer's name when the staff account goes."""
    from eraati.consultations.models import CommentSource

    topic = factories.make_topic(org)
    paper = Comment(
        topic_id=topic.id,
        author_id=moderator.id,
        nickname="Kirjaston palaute",
        source=CommentSource.PAPER,
        body="Paperilla annettu palaute.",
    )
    db.session.add(paper)
    db.session.commit()
    login_as(moderator)

    client.post("/account/delete", data={"current_password": PASSWORD})

    db.session.expire_all()
    paper = db.session.get(Comment, paper.id)
    assert (paper.author_id, paper.nickname) == (None, "Kirjaston palaute")


def test_the_invitations_to_the_address_go_with_the_account(client, db, org, other_org, login_as):
    """An invitation holds the invitee's address: deleting the account of that address
    deletes every invitation to it (waiting, accepted or withdrawn), and no other."""
    from eraati.organisations import services as organisations
    from eraati.organisations.models import Invitation, Role

    person = factories.make_user("kaisa.kutsuttu@example.org")
    db.session.flush()
    waiting = organisations.invite(other_org, "Kaisa.Kutsuttu@example.org", Role.PREPARER)
    accepted = organisations.invite(org, "kaisa.kutsuttu@example.org", Role.MODERATOR)
    organisations.accept_invitation(accepted, person)
    withdrawn = organisations.invite(org, "kaisa.kutsuttu@example.org", Role.PREPARER)
    organisations.revoke_invitation(org, withdrawn)
    someone_else = organisations.invite(org, "kalle@example.org", Role.MODERATOR)
    db.session.commit()
    mine = {waiting.id, accepted.id, withdrawn.id}
    assert mine < set(db.session.scalars(sa.select(Invitation.id)))
    login_as(person)

    client.post("/account/delete", data={"current_password": PASSWORD})

    db.session.expire_all()
    assert db.session.get(User, person.id) is None
    left = db.session.execute(sa.select(Invitation.id, Invitation.email)).all()
    assert left == [(someone_else.id, "kalle@example.org")]
