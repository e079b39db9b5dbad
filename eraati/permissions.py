"""Every "may this user ...?" rule of eRaati, in one place.

Views call ``require()``; templates and the API call ``can()``. Staff roles are
looked up only in the organisation that owns the object, so a Keitele moderator
has no power over Vieremä. State rules (is the topic open, one vote per person)
live in the services; this module answers *who*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import AnonymousUserMixin

from eraati.core.time import utcnow
from eraati.extensions import login_manager
from eraati.organisations.models import Membership, Organisation, Role

# The roles that work an organisation's moderation queue ("moderate").
MODERATING = (Role.MODERATOR, Role.ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated)


def _participant(user: Any) -> bool:
    """A registered resident with a verified e-mail who is not suspended."""
    return _signed_in(user) and user.is_verified and not user.is_suspended


def _participant_in(user: Any, obj: Any) -> bool:
    """A participant who is not blocked from the organisation owning ``obj``."""
    if not _participant(user):
        return False
    return not user.blocked_in(_org_of(obj).id, utcnow())


def _staff(user: Any, org: Organisation, *roles: Role) -> bool:
    if not _signed_in(user):
        return False
    return bool(user.roles_in(org) & set(roles))


def _org_of(obj: Any) -> Organisation:
    """The organisation owning a topic or a comment."""
    if isinstance(obj, Organisation):
        return obj
    topic = getattr(obj, "topic", None) or obj
    return topic.organisation


def _own(user: Any, comment: Any) -> bool:
    return _signed_in(user) and comment.author_id is not None and comment.author_id == user.id


def _view_opinion_groups(user: Any, topic: Any) -> bool:
    """Staff of the topic's organisation at any time; everyone once the results are
    published, if the organisation shows the groups with its results."""
    if _staff(user, topic.organisation, Role.ADMIN, Role.MODERATOR, Role.PREPARER):
        return True
    from eraati.consultations.models import Phase

    return (
        bool(topic.organisation.opinion_groups_public) and topic.phase(utcnow()) == Phase.PUBLISHED
    )


def _read_topic(user: Any, topic: Any) -> bool:
    if topic.is_public(utcnow()):
        return True
    return _staff(user, topic.organisation, Role.ADMIN, Role.MODERATOR, Role.PREPARER)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "read_topic": _read_topic,
    "comment": _participant_in,
    "comment_anonymously": lambda u, t: bool(t.allow_anonymous) and not _signed_in(u),
    "vote": lambda u, c: _participant_in(u, c) and not _own(u, c),
    # The "rate comments" page of a topic: the vote rule before a comment is chosen (the
    # page offers only comments of others, and each vote is checked with "vote" again).
    "rate_comments": _participant_in,
    "stance": _participant_in,
    "answer_poll": _participant_in,
    # Only what the public can read: a draft seen by its staff cannot be followed.
    "follow": lambda u, t: _signed_in(u) and (t is None or t.is_public(utcnow())),
    # Reports can hide a comment (the organisation's threshold): only confirmed accounts
    # that may take part there, or throwaway sign-ups could silence anyone.
    "flag": lambda u, c: _participant_in(u, c) and not _own(u, c),
    # Editing publishes new words at once: the same rule as writing them (a blocked or
    # suspended writer cannot rewrite a recent comment). Withdrawing one stays possible.
    "edit_comment": lambda u, c: _own(u, c) and _participant_in(u, c),
    "delete_comment": lambda u, c: _own(u, c),
    # Staff: ``o`` is an organisation, or a topic or comment of one.
    "staff": lambda u, o: _staff(u, _org_of(o), Role.ADMIN, Role.MODERATOR, Role.PREPARER),
    "moderate": lambda u, o: _staff(u, _org_of(o), *MODERATING),
    # A survey's open answers: listed, marked checked, hidden and restored like comments,
    # by those who moderate (preparers read them on the staff results page).
    "moderate_answers": lambda u, o: _staff(u, _org_of(o), *MODERATING),
    "export": lambda u, o: _staff(u, _org_of(o), Role.PREPARER, Role.ADMIN),
    "manage_topics": lambda u, o: _staff(u, _org_of(o), Role.ADMIN),
    # A topic's map area and named places (eraati.places): who prepares its content.
    "manage_topic_map": lambda u, o: _staff(u, _org_of(o), Role.ADMIN, Role.PREPARER),
    # The parts of a topic (eraati.parts), their texts, order and files: as the topic.
    "manage_parts": lambda u, o: _staff(u, _org_of(o), Role.ADMIN),
    "manage_staff": lambda u, o: _staff(u, _org_of(o), Role.ADMIN),
    "manage_organisation": lambda u, o: _staff(u, _org_of(o), Role.ADMIN),
    "view_opinion_groups": _view_opinion_groups,
    # Asking for a new computation now (the "compute now" button).
    "compute_opinion_groups": lambda u, t: _staff(
        u, _org_of(t), Role.ADMIN, Role.MODERATOR, Role.PREPARER
    ),
    "view_audit": lambda u, o: _staff(u, _org_of(o), Role.ADMIN),
    "platform_admin": lambda u, _=None: _signed_in(u) and bool(u.is_platform_admin),
}


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Unknown actions raise KeyError on purpose: a typo must not grant or deny silently."""
    if user is None:
        user = AnonymousUserMixin()
    return RULES[action](user, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if can(user, action, obj):
        return
    if not _signed_in(user):
        abort(login_manager.unauthorized())
    abort(403)


def blocked_own_comment(user: Any, comment: Any) -> Any | None:
    """When ``user`` may not edit ``comment`` only because the comment's organisation has
    blocked them, the end of that block (their page says so); otherwise None."""
    if not (_own(user, comment) and _participant(user)):
        return None
    return user.block_ends(_org_of(comment).id, utcnow())


def staff_organisations(user: Any) -> list[Organisation]:
    """The organisations where ``user`` holds any staff role (for the staff menu)."""
    if not _signed_in(user):
        return []
    seen: dict[int, Organisation] = {}
    for m in user.memberships:
        seen.setdefault(m.organisation_id, m.organisation)
    return sorted(seen.values(), key=lambda o: o.name_fi)


def moderates_anywhere(user: Any) -> bool:
    """``user`` may moderate some organisation (their e-mail choices offer the queue's note)."""
    return _signed_in(user) and any(m.role in MODERATING for m in user.memberships)


def moderators_of(organisation_id: int) -> sa.Select:
    """The ids of the people who may moderate the organisation: "moderate" as SQL, for
    telling them of its queue (``notifications``)."""
    return sa.select(Membership.user_id).where(
        Membership.organisation_id == organisation_id, Membership.role.in_(MODERATING)
    )
