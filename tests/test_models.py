"""Integrity that lives in the database, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentSource,
    CommentVote,
    Follow,
    Phase,
    Stance,
    TopicStance,
    TopicStatus,
    VoteValue,
)
from eraati.organisations.models import Membership, Role
from tests import factories


def test_datetimes_come_back_as_utc_aware(db, open_topic):
    # After the topic opens, whatever day the suite runs (a fixed date once fell before it).
    day = (open_topic.opens_at + timedelta(days=30)).date()
    moment = datetime(day.year, day.month, day.day, 12, 30, tzinfo=UTC)
    open_topic.closes_at = moment
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(type(open_topic), open_topic.id).closes_at
    assert stored == moment and stored.tzinfo is not None


def test_naive_datetime_is_refused(db, open_topic):
    open_topic.closes_at = datetime(2026, 12, 1, 12, 0)  # no tzinfo
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_topic_must_open_before_it_closes(db, org):
    with pytest.raises(IntegrityError):
        factories.make_topic(org, opens_in=timedelta(days=3), closes_in=timedelta(days=1))
    db.session.rollback()


def test_topic_slug_is_unique_within_organisation_only(db, org, other_org):
    factories.make_topic(org, slug="koulukuljetus")
    factories.make_topic(other_org, slug="koulukuljetus")  # another organisation: fine
    db.session.commit()
    with pytest.raises(IntegrityError):
        factories.make_topic(org, slug="koulukuljetus")
    db.session.rollback()


def test_web_comment_needs_an_author_or_nickname(db, open_topic):
    db.session.add(Comment(topic=open_topic, body="Kuka kirjoitti?", source=CommentSource.WEB))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Comment(topic=open_topic, body="Paperilta", source=CommentSource.PAPER))
    db.session.commit()  # paper feedback has no account behind it


@pytest.mark.parametrize(
    "make_row",
    [
        lambda t, c, u: TopicStance(topic_id=t.id, user_id=u.id, stance=Stance.SUPPORT),
        lambda t, c, u: CommentVote(comment_id=c.id, user_id=u.id, value=VoteValue.AGREE),
        lambda t, c, u: CommentFlag(comment_id=c.id, user_id=u.id, reason="spam"),
        lambda t, c, u: Follow(topic_id=t.id, user_id=u.id),
    ],
    ids=["stance", "comment-vote", "flag", "follow"],
)
def test_one_row_per_person_per_target_is_enforced_by_database(
    db, open_topic, resident, other_resident, make_row
):
    comment = Comment(topic=open_topic, author=other_resident, body="Hyvä ehdotus")
    db.session.add(comment)
    db.session.commit()
    db.session.add(make_row(open_topic, comment, resident))
    db.session.commit()
    db.session.add(make_row(open_topic, comment, resident))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_same_role_twice_in_one_organisation_is_refused(db, org, moderator):
    db.session.add(Membership(user_id=moderator.id, organisation_id=org.id, role=Role.MODERATOR))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_enum_values_are_checked_by_the_database(db, open_topic):
    with pytest.raises((IntegrityError, StatementError)):
        db.session.execute(
            sa.text("UPDATE topics SET status = 'bogus' WHERE id = :id"), {"id": open_topic.id}
        )
        db.session.flush()
    db.session.rollback()


def test_phase_follows_the_clock(db, org):
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    topic = factories.make_topic(
        org, now=now, opens_in=timedelta(days=1), closes_in=timedelta(days=10)
    )
    assert topic.phase(now) == Phase.UPCOMING
    assert topic.phase(now + timedelta(days=2)) == Phase.OPEN
    assert topic.phase(now + timedelta(days=10)) == Phase.CLOSED  # closes exactly at closes_at
    topic.status = TopicStatus.CLOSED
    assert topic.phase(now + timedelta(days=2)) == Phase.CLOSED  # closed early by an admin
    topic.status = TopicStatus.PUBLISHED
    assert topic.phase(now + timedelta(days=2)) == Phase.PUBLISHED
    topic.status = TopicStatus.DRAFT
    assert topic.phase(now + timedelta(days=2)) == Phase.DRAFT
