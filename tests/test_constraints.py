"""Data model: uniqueness and allowed values that only the database enforces.

tests/test_models.py covers stances, votes, flags, follows, roles and topic slugs;
these are the remaining ones: e-mail addresses, organisation slugs, one text per
language, one comment per submitted form, and the comment and stance value lists.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from eraati.consultations.models import Comment, TopicTranslation
from tests import factories


def _refused(db, *rows) -> None:
    db.session.add_all(rows)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_account_per_email_address(db, resident):
    from eraati.accounts.models import User

    twin = User(
        email=resident.email,
        password_hash=resident.password_hash,
        display_name="Kaksoisolento",
        locale="fi",
    )
    _refused(db, twin)


def test_organisation_slug_is_unique(db, org):
    from eraati.organisations.models import Organisation, OrganisationKind

    _refused(db, Organisation(slug=org.slug, kind=OrganisationKind.MUNICIPALITY, name_fi="Toinen"))


def test_one_text_per_language_and_topic(db, open_topic):
    _refused(db, TopicTranslation(topic_id=open_topic.id, locale="fi", title="Toinen otsikko"))


def test_one_comment_per_submitted_form_and_topic(db, org, open_topic, resident):
    token = "f" * 32
    db.session.add(
        Comment(topic_id=open_topic.id, author_id=resident.id, body="a", submission_token=token)
    )
    db.session.commit()
    other_topic = factories.make_topic(org)
    db.session.add(
        Comment(topic_id=other_topic.id, author_id=resident.id, body="b", submission_token=token)
    )
    db.session.commit()  # the same token on another topic is another form
    _refused(
        db,
        Comment(topic_id=open_topic.id, author_id=resident.id, body="c", submission_token=token),
    )


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("comments", "status"),
        ("comments", "source"),
        ("topic_stances", "stance"),
        ("comment_votes", "value"),
    ],
)
def test_value_lists_are_checked_by_the_database(db, open_topic, resident, table, column):
    from eraati.consultations.models import CommentVote, Stance, TopicStance, VoteValue

    comment = Comment(topic_id=open_topic.id, author_id=resident.id, body="x")
    db.session.add(comment)
    db.session.flush()
    voter = factories.make_user()
    db.session.add_all(
        [
            TopicStance(topic_id=open_topic.id, user_id=resident.id, stance=Stance.SUPPORT),
            CommentVote(comment_id=comment.id, user_id=voter.id, value=VoteValue.AGREE),
        ]
    )
    db.session.commit()
    assert table in sa.inspect(db.engine).get_table_names()
    with pytest.raises(IntegrityError):  # a CHECK constraint, not a typo in this test
        db.session.execute(sa.text(f"UPDATE {table} SET {column} = 'bogus'"))  # noqa: S608
        db.session.flush()
    db.session.rollback()
