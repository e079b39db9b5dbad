"""What retention covers: every column that links a person to a topic, and every stored
text of a person that the topic keeps, with what happens to each.

This is the one list the anonymisation works from (``services``). A test walks the
models' metadata: every foreign key to ``users`` must be in ``LINKS`` or in ``NOT_TOPIC``
(rows of an organisation or of an account, not of a topic), and every column of a
topic's rows that looks like an address (e-mail, postal, IP, phone) must be in ``TEXTS``.
So a new table or column with a person in it fails the suite until someone decides here
what retention does with it. Besides the rows, the files prepared of the topic (export
jobs' workbooks and reports, which hold the data as it was) are removed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from eraati.consultations.models import (
    Answer,
    BackgroundAnswer,
    Comment,
    CommentFlag,
    CommentStatus,
    CommentVote,
    Follow,
    Question,
    Topic,
    TopicFile,
    TopicStance,
)
from eraati.events.models import TopicEvent
from eraati.jobs.models import ExportJob
from eraati.notifications.models import Notification
from eraati.organisations.models import Invitation


class Keep(enum.StrEnum):
    # The person becomes the topic's AnonymisedParticipant (pseudonym and home
    # municipality kept) in ``participant_column``; then the link is cleared.
    PARTICIPANT = "participant"
    # The link is cleared (staff acts, follows, reports): nothing about the person counts.
    DETACH = "detach"
    # The rows go (e-mails to a person about the topic: they are nothing without them).
    DELETE = "delete"


def _of_topic(column: Any) -> Callable[[int], sa.ColumnElement[bool]]:
    return lambda topic_id: column == topic_id


def _of_comments(column: Any) -> Callable[[int], sa.ColumnElement[bool]]:
    return lambda topic_id: column.in_(sa.select(Comment.id).where(Comment.topic_id == topic_id))


def _of_questions(column: Any) -> Callable[[int], sa.ColumnElement[bool]]:
    return lambda topic_id: column.in_(sa.select(Question.id).where(Question.topic_id == topic_id))


@dataclass(frozen=True)
class Link:
    """``column`` of ``model`` names a person; ``rows(topic_id)`` picks the topic's rows."""

    model: Any
    column: str
    keep: Keep
    rows: Callable[[int], sa.ColumnElement[bool]]
    participant_column: str | None = None  # Keep.PARTICIPANT: where the participant goes
    what: str = ""  # for the dry run's list

    @property
    def key(self) -> tuple[str, str]:
        return self.model.__tablename__, self.column


LINKS: tuple[Link, ...] = (
    # What people did in the topic: they stay counted, as their participant.
    Link(Comment, "author_id", Keep.PARTICIPANT, _of_topic(Comment.topic_id), "participant_id",
         "comments and replies"),
    Link(CommentVote, "user_id", Keep.PARTICIPANT, _of_comments(CommentVote.comment_id),
         "participant_id", "votes"),
    Link(TopicStance, "user_id", Keep.PARTICIPANT, _of_topic(TopicStance.topic_id),
         "participant_id", "stances"),
    Link(Answer, "user_id", Keep.PARTICIPANT, _of_questions(Answer.question_id),
         "participant_id", "poll answers"),
    Link(BackgroundAnswer, "user_id", Keep.PARTICIPANT, _of_topic(BackgroundAnswer.topic_id),
         "participant_id", "survey background answers"),
    # Links that count nobody: cleared.
    Link(Follow, "user_id", Keep.DETACH, _of_topic(Follow.topic_id), what="follows"),
    Link(CommentFlag, "user_id", Keep.DETACH, _of_comments(CommentFlag.comment_id),
         what="reports"),
    Link(Comment, "hidden_by_id", Keep.DETACH, _of_topic(Comment.topic_id),
         what="moderators who hid comments"),
    Link(Comment, "reviewed_by_id", Keep.DETACH, _of_topic(Comment.topic_id),
         what="moderators who checked comments"),
    Link(Comment, "entered_by_id", Keep.DETACH, _of_topic(Comment.topic_id),
         what="staff who entered paper and event feedback"),
    Link(Answer, "hidden_by_id", Keep.DETACH, _of_questions(Answer.question_id),
         what="moderators who hid open survey answers"),
    Link(Topic, "created_by_id", Keep.DETACH, _of_topic(Topic.id), what="the topic's creator"),
    Link(TopicFile, "uploaded_by_id", Keep.DETACH, _of_topic(TopicFile.topic_id),
         what="who uploaded files"),
    Link(TopicEvent, "created_by_id", Keep.DETACH, _of_topic(TopicEvent.topic_id),
         what="who added events"),
    Link(ExportJob, "requested_by_id", Keep.DETACH, _of_topic(ExportJob.topic_id),
         what="who prepared files"),
    Link(Notification, "user_id", Keep.DELETE, _of_topic(Notification.topic_id),
         what="e-mail notifications about the topic"),
)  # fmt: skip

# Foreign keys to users that do not link a person to a topic (an organisation's staff and
# invitations, blocks from an organisation's topics): outside a topic's retention.
NOT_TOPIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("memberships", "user_id"),
        ("invitations", "invited_by_id"),
        ("invitations", "accepted_by_id"),
        ("user_blocks", "user_id"),
        ("user_blocks", "created_by_id"),
        ("user_blocks", "lifted_by_id"),
        # A person's e-mail choices (their account; in the data download, gone with it).
        ("notification_preferences", "user_id"),
        ("organisation_subscriptions", "user_id"),
    }
)

# The record of an e-mail sent (or given up) stays as long as it keeps the same thing from
# being sent twice: ``NOTIFICATION_KEEP`` (``flask eraati tick``); then it goes.
NOTIFICATION_KEEP = timedelta(days=90)


@dataclass(frozen=True)
class Text:
    """A person's stored text in the topic's rows: ``value`` replaces it where ``where``."""

    model: Any
    column: str
    value: Any
    where: Callable[[int], sa.ColumnElement[bool]]
    what: str
    name: str = ""  # when one column has several entries: tells them apart

    @property
    def key(self) -> tuple[str, str]:
        return self.model.__tablename__, self.column


# Nicknames: a comment keeps a marker the CHECK constraint ``has_author`` accepts and the
# pages read. A registered writer's (or an official reply's) gets the deleted account's
# "—", so the figures still count it as a registered writer's; an anonymous writer's
# nickname becomes "", still an anonymous comment.
REGISTERED_NICKNAME = "—"  # = accounts.services.DELETED_USER_NICKNAME
ANONYMOUS_NICKNAME = ""


def _comments_where(*clauses: Any) -> Callable[[int], sa.ColumnElement[bool]]:
    return lambda topic_id: sa.and_(Comment.topic_id == topic_id, *clauses)


class Computed(enum.Enum):
    """A ``Text.value`` worked out for each row by the service instead of one value."""

    # A hidden comment's reason is "<the organisation's reason>: <the moderator's note>";
    # the note goes, the organisation's reason (a template in its first language) stays.
    ORGANISATIONS_REASON = "the organisation's reason"


TEXTS: tuple[Text, ...] = (
    # Texts nobody was shown: hidden by a moderator, never checked, deleted by the writer.
    Text(Comment, "body", "", _comments_where(Comment.status != CommentStatus.VISIBLE,
                                              Comment.body != ""),
         "texts of hidden, unchecked and deleted comments"),
    # Their copy in the search index (eraati.analysis.search): lemmas of the same words.
    Text(Comment, "search_text", "", _comments_where(Comment.status != CommentStatus.VISIBLE,
                                                     Comment.search_text != ""),
         "search index copies of those texts"),
    # The moderator's own words after the reason often name the person the comment was
    # about. (The audit log, which only the organisation's staff read, keeps the note of
    # the hiding act: it is append-only.)
    Text(Comment, "hidden_reason", Computed.ORGANISATIONS_REASON,
         _comments_where(Comment.hidden_reason.contains(": ", autoescape=True)),
         "moderators' notes on hidden comments (the organisation's reason stays)"),
    Text(Comment, "hidden_note_lang", None, _comments_where(Comment.hidden_note_lang.is_not(None)),
         "languages of those notes"),
    Text(Comment, "nickname", ANONYMOUS_NICKNAME,
         _comments_where(Comment.author_id.is_(None), Comment.nickname.is_not(None),
                         Comment.nickname.not_in([REGISTERED_NICKNAME, ANONYMOUS_NICKNAME])),
         "nicknames of anonymous writers", "anonymous"),
    Text(Comment, "nickname", REGISTERED_NICKNAME,
         _comments_where(Comment.author_id.is_not(None)),
         "registered writers' comments marked as a former user's", "registered"),
    # The point a writer put on a topic's map (eraati.places) can be their home: it goes
    # with the texts nobody was shown. Shown comments keep theirs, as they keep their words.
    Text(Comment, "lat", None, _comments_where(Comment.status != CommentStatus.VISIBLE,
                                               Comment.lat.is_not(None)),
         "map points of hidden, unchecked and deleted comments", "lat"),
    Text(Comment, "lon", None, _comments_where(Comment.status != CommentStatus.VISIBLE,
                                               Comment.lon.is_not(None)),
         "map points of hidden, unchecked and deleted comments", "lon"),
    Text(CommentFlag, "details", None,
         lambda topic_id: sa.and_(_of_comments(CommentFlag.comment_id)(topic_id),
                                  CommentFlag.details.is_not(None)),
         "reports' free texts"),
)  # fmt: skip

# Columns of a topic's rows that look like an address but are kept on purpose: an event's
# street address is a public place's (a library, a town hall), never a person's.
ADDRESS_LIKE_KEPT: frozenset[tuple[str, str]] = frozenset({("topic_events", "street_address")})


# --- outside topics ------------------------------------------------------------------------
# Invitations to an organisation's staff hold the invitee's address, who may never have had
# an account. An invitation goes with the account of its address (or the account that
# accepted it: ``accounts.services.delete_account``), and one nobody accepted goes
# ``INVITATION_GRACE`` after it expired (withdrawn ones expire too), by ``flask eraati
# tick`` (``services.remove_unanswered_invitations``). The audit log names invitees by a
# masked hint of the address only.
INVITATION_GRACE = timedelta(days=30)


def unanswered_invitations(now: datetime) -> sa.ColumnElement[bool]:
    """Invitations nobody accepted that expired over ``INVITATION_GRACE`` ago."""
    return sa.and_(
        Invitation.accepted_at.is_(None), Invitation.expires_at <= now - INVITATION_GRACE
    )


# Every column outside a topic's rows that looks like an address, and what becomes of it.
# A test fails on such a column that is not here.
# Columns of the account that are about the person but not about a topic, and what
# becomes of them (tests/retention checks the home municipality is here).
ACCOUNT_COLUMNS: dict[tuple[str, str], str] = {
    ("users", "home_municipality_code"): (
        "told by the person, changed or removed on their account page; deleted with the "
        "account; results by municipality keep only counts"
    ),
}


ADDRESSES_OUTSIDE_TOPICS: dict[tuple[str, str], str] = {
    ("users", "email"): "deleted with the account",
    ("invitations", "email"): (
        "deleted with the account of the address, and 30 days after an invitation nobody "
        "accepted expired"
    ),
    ("user_blocks", "email_hash"): "a keyed hash, never the address",
    ("user_blocks", "email_hint"): 'a masked hint ("m…@example.fi"), never the address',
    ("organisations", "contact_email"): "the organisation's own contact, public",
    ("organisations", "contact_phone"): "the organisation's own contact, public",
}
