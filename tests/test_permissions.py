"""The role x action matrix, across two organisations (Keitele owns the topic, Vieremä does not)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import Comment, TopicStatus
from eraati.organisations.models import Role
from eraati.permissions import can, require
from tests import factories

TOPIC_ACTIONS = [
    "read_topic",
    "comment",
    "stance",
    "answer_poll",
    "rate_comments",
    "follow",
    "moderate",
    "export",
    "manage_topics",
]


@pytest.fixture
def visitor():
    from flask_login import AnonymousUserMixin

    return AnonymousUserMixin()


@pytest.fixture
def other_org_admin(db, other_org):
    user = factories.make_user("admin@vierema.fi", org=other_org, roles=(Role.ADMIN,))
    db.session.commit()
    return user


@pytest.fixture
def platform_admin(db):
    user = factories.make_user("yllapito@example.fi")
    user.is_platform_admin = True
    db.session.commit()
    return user


@pytest.fixture
def suspended(db):
    from eraati.core.time import utcnow

    user = factories.make_user("estetty@example.fi")
    user.suspended_at = utcnow()
    db.session.commit()
    return user


ALLOWED = {
    # persona: actions allowed on an open Keitele topic
    "visitor": {"read_topic"},
    "unverified": {"read_topic", "follow"},
    "suspended": {"read_topic", "follow"},
    "resident": {"read_topic", "comment", "stance", "answer_poll", "follow"},
    "moderator": {"read_topic", "comment", "stance", "answer_poll", "follow", "moderate"},
    "preparer": {"read_topic", "comment", "stance", "answer_poll", "follow", "export"},
    "org_admin": {
        "read_topic",
        "comment",
        "stance",
        "answer_poll",
        "follow",
        "moderate",
        "export",
        "manage_topics",
    },
    "other_org_moderator": {"read_topic", "comment", "stance", "answer_poll", "follow"},
    "other_org_admin": {"read_topic", "comment", "stance", "answer_poll", "follow"},
    "platform_admin": {"read_topic", "comment", "stance", "answer_poll", "follow"},
}
# "Rate comments" is the vote rule before a comment is chosen: whoever may take part.
for _allowed in ALLOWED.values():
    if "stance" in _allowed:
        _allowed.add("rate_comments")


@pytest.mark.parametrize(
    ("persona", "action"),
    [(p, a) for p in ALLOWED for a in TOPIC_ACTIONS],
)
def test_permission_matrix_on_open_topic(request, open_topic, persona, action):
    user = request.getfixturevalue(persona)
    assert can(user, action, open_topic) is (action in ALLOWED[persona])


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("visitor", False),
        ("resident", False),
        ("other_org_moderator", False),
        ("other_org_admin", False),
        ("moderator", True),
        ("preparer", True),
        ("org_admin", True),
    ],
)
def test_draft_topic_is_readable_only_by_own_staff(request, db, org, persona, allowed):
    draft = factories.make_topic(org, status=TopicStatus.DRAFT)
    db.session.commit()
    assert can(request.getfixturevalue(persona), "read_topic", draft) is allowed


def test_an_upcoming_topic_is_public_and_a_draft_is_not(db, org, resident, moderator):
    upcoming = factories.make_topic(org, opens_in=timedelta(days=2), closes_in=timedelta(days=9))
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    for who in (None, resident, moderator):
        assert can(who, "read_topic", upcoming) is True
    assert can(None, "read_topic", draft) is False and can(resident, "read_topic", draft) is False
    assert can(moderator, "read_topic", draft) is True


@pytest.fixture
def comments(db, open_topic, resident):
    own = Comment(topic=open_topic, author=resident, body="Oma kommentti")
    db.session.add(own)
    db.session.commit()
    return own


@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        ("resident", "edit_comment", True),
        ("resident", "delete_comment", True),
        ("resident", "vote", False),
        ("resident", "flag", False),
        ("other_resident", "edit_comment", False),
        ("other_resident", "delete_comment", False),
        ("other_resident", "vote", True),
        ("other_resident", "flag", True),
        ("visitor", "vote", False),
        ("visitor", "flag", False),
        ("unverified", "vote", False),
        ("unverified", "flag", False),  # three throwaway sign-ups must not hide a comment
        ("moderator", "moderate", True),
        ("other_org_moderator", "moderate", False),
        ("moderator", "edit_comment", False),
    ],
)
def test_comment_permissions(request, comments, persona, action, allowed):
    assert can(request.getfixturevalue(persona), action, comments) is allowed


def test_anonymous_comment_only_when_topic_allows_and_only_for_visitors(db, org, visitor, resident):
    topic = factories.make_topic(org, allow_anonymous=True)
    closed_to_anon = factories.make_topic(org)
    db.session.commit()
    assert can(visitor, "comment_anonymously", topic) is True
    assert can(visitor, "comment_anonymously", closed_to_anon) is False
    assert can(resident, "comment_anonymously", topic) is False  # signed in: comment as yourself


def test_platform_admin_rule(platform_admin, org_admin, visitor):
    assert can(platform_admin, "platform_admin") is True
    assert can(org_admin, "platform_admin") is False
    assert can(visitor, "platform_admin") is False


def test_unknown_action_is_an_error_not_a_silent_answer(resident, open_topic):
    with pytest.raises(KeyError):
        can(resident, "moderat", open_topic)


def test_require_sends_visitors_to_login_and_refuses_others(app, visitor, resident, open_topic):
    from werkzeug.exceptions import HTTPException

    with app.test_request_context("/"):
        with pytest.raises(HTTPException) as denied_visitor:
            require(visitor, "moderate", open_topic)
        assert denied_visitor.value.response.status_code in (302, 303)
        assert "/account/login" in denied_visitor.value.response.headers["Location"]
        with pytest.raises(HTTPException) as denied_resident:
            require(resident, "moderate", open_topic)
        assert denied_resident.value.code == 403
        require(resident, "comment", open_topic)  # allowed: no exception


@pytest.mark.parametrize(
    ("persona", "while_open", "published_hidden", "published_shown"),
    [
        ("visitor", False, False, True),
        ("resident", False, False, True),
        ("other_org_admin", False, False, True),
        ("moderator", True, True, True),
        ("preparer", True, True, True),
        ("org_admin", True, True, True),
    ],
)
def test_opinion_groups_are_for_own_staff_and_public_only_when_published_and_allowed(
    request, db, org, open_topic, persona, while_open, published_hidden, published_shown
):
    """view_opinion_groups: the topic's own staff at any time; everyone else only once the
    results are published and the organisation shows the groups with them."""
    from eraati.core.time import utcnow

    user = request.getfixturevalue(persona)
    assert can(user, "view_opinion_groups", open_topic) is while_open
    open_topic.status = TopicStatus.PUBLISHED
    open_topic.results_published_at = utcnow()
    db.session.commit()
    assert can(user, "view_opinion_groups", open_topic) is published_hidden
    org.opinion_groups_public = True
    db.session.commit()
    assert can(user, "view_opinion_groups", open_topic) is published_shown
    assert can(user, "compute_opinion_groups", open_topic) is while_open
