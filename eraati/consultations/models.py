from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from eraati.core import pseudonyms
from eraati.core.db import enum_column
from eraati.core.i18n import marked, other_language, pick_text, pick_translation
from eraati.core.time import utcnow
from eraati.extensions import db

if TYPE_CHECKING:
    from eraati.accounts.models import User
    from eraati.organisations.models import Organisation
    from eraati.places.models import TopicMap


class TopicStatus(enum.StrEnum):
    """What the organisation decided; ``Topic.phase(now)`` adds the clock."""

    DRAFT = "draft"
    OPEN = "open"  # open between opens_at and closes_at
    CLOSED = "closed"  # closed early by an admin
    PUBLISHED = "published"  # results published


class Phase(enum.StrEnum):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class CommentStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"
    DELETED = "deleted"


class CommentSource(enum.StrEnum):
    WEB = "web"
    PAPER = "paper"
    EVENT = "event"


class Stance(enum.StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"


class VoteValue(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"  # noqa: S105 - a vote, not a password


class FlagReason(enum.StrEnum):
    INSULTING = "insulting"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    OPEN = "open"  # free text up to ``Question.max_length`` characters (``Answer.text``)
    SCALE = "scale"  # 1-5 with labelled ends (``Answer.value``)
    RANKING = "ranking"  # every option given a rank 1..n (``AnswerChoice.rank``)

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


SCALE_MIN, SCALE_MAX = 1, 5
OPEN_LENGTH_DEFAULT = 1000
OPEN_LENGTH_MAX = 5000  # the longest limit staff may set (a comment's own limit)
RANKING_OPTIONS = (2, 7)  # a ranking question has this few options, at least and at most


topic_concerned_organisations = sa.Table(
    "topic_concerned_organisations",
    db.metadata,
    sa.Column("topic_id", sa.ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "slug"),
        sa.CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
        sa.CheckConstraint(
            "support_count >= 0 AND oppose_count >= 0 AND neutral_count >= 0 "
            "AND comment_count >= 0 AND follower_count >= 0",
            name="counters_not_negative",
        ),
        sa.CheckConstraint("hidden_count >= 0", name="hidden_count_not_negative"),
        sa.Index("ix_topics_status_closes_at", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(80))
    status: Mapped[TopicStatus] = mapped_column(enum_column(TopicStatus), default=TopicStatus.DRAFT)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]  # the planned deadline; kept when closed early
    # When an admin closed the consultation before ``closes_at`` (None: it ran, or runs,
    # until ``closes_at``). ``ends_at`` is the one to show as its end.
    closed_at: Mapped[datetime | None]
    # Decision context: the decision this consultation feeds (the deciding body and the
    # contact person are texts per language, in TopicTranslation).
    decision_planned_on: Mapped[date | None]
    case_number: Mapped[str | None] = mapped_column(sa.String(60))
    # Participation settings.
    allow_anonymous: Mapped[bool] = mapped_column(default=False)
    premoderated: Mapped[bool] = mapped_column(default=False)
    stances_enabled: Mapped[bool] = mapped_column(default=True)
    # "Rate comments": a page offering residents one comment at a time to vote on, for
    # the dense votes opinion groups need (consultations.rating).
    offers_rating: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Followers who chose reminders hear this many days before ``closes_at`` that the
    # consultation closes soon (eraati.notifications.reminders); 0: no reminder.
    reminder_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # The optional background questions the survey asks, keys of
    # ``consultations.background.QUESTIONS`` ("age", "relation", "municipality"); None or
    # empty: none. Locked with the poll once someone has answered it.
    background_questions: Mapped[list | None] = mapped_column(sa.JSON)
    # Draft preview: anyone with /preview/<token> may read the draft (None: no link).
    preview_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Bumped by every edit of the topic: a form carrying an older one is a stale edit.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    # Results: what was decided (per-language texts are in TopicTranslation).
    decided_on: Mapped[date | None]
    minutes_url: Mapped[str | None] = mapped_column(sa.String(500))
    results_published_at: Mapped[datetime | None]
    # When the retention job removed the topic's personal data (eraati.retention): the
    # organisation's retention_months after results_published_at. Set once.
    anonymised_at: Mapped[datetime | None]
    # The random key of the topic's pseudonyms (core.pseudonyms), made with the topic and
    # discarded (NULL) when its personal data is removed: the pseudonyms kept then cannot
    # be computed again from the accounts.
    pseudonym_key: Mapped[str | None] = mapped_column(
        sa.String(64), default=pseudonyms.new_topic_key
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Counters, kept in the same transaction as the rows they count.
    support_count: Mapped[int] = mapped_column(default=0, server_default="0")
    oppose_count: Mapped[int] = mapped_column(default=0, server_default="0")
    neutral_count: Mapped[int] = mapped_column(default=0, server_default="0")
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")  # visible ones
    follower_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Comments a moderator has hidden (status HIDDEN), for the public moderation figures.
    hidden_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    translations: Mapped[list[TopicTranslation]] = relationship(
        back_populates="topic", cascade="all, delete-orphan", lazy="selectin"
    )
    concerned_organisations: Mapped[list[Organisation]] = relationship(
        secondary=topic_concerned_organisations, lazy="selectin"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="topic",
        cascade="all, delete-orphan",
        order_by="Question.position",
        lazy="selectin",
    )
    comments: WriteOnlyMapped[Comment] = relationship(back_populates="topic", passive_deletes=True)
    # The topic's map area (eraati.places), if it has one: the topic page reads it with
    # the topic (queries._topic_statement), so a topic without a map costs no query.
    map_area: Mapped[TopicMap | None] = relationship("TopicMap", uselist=False, viewonly=True)
    files: Mapped[list[TopicFile]] = relationship(
        cascade="all, delete-orphan", order_by="TopicFile.position", lazy="select"
    )

    # Whether the topic has parts (eraati.parts), when the query that loaded it said so
    # (queries.topic_or_404); None: not known. Not a column.
    has_parts = None

    def phase(self, now: datetime) -> Phase:
        if self.status == TopicStatus.DRAFT:
            return Phase.DRAFT
        if self.status == TopicStatus.PUBLISHED:
            return Phase.PUBLISHED
        if self.status == TopicStatus.CLOSED or now >= self.closes_at:
            return Phase.CLOSED
        if now < self.opens_at:
            return Phase.UPCOMING
        return Phase.OPEN

    def is_open(self, now: datetime) -> bool:
        return self.phase(now) == Phase.OPEN

    @property
    def ends_at(self) -> datetime:
        """When taking part ends or ended: the moment an admin closed the consultation
        early, else its deadline."""
        return self.closed_at if self.closed_at is not None else self.closes_at

    @property
    def closed_early(self) -> bool:
        return self.closed_at is not None and self.closed_at < self.closes_at

    @property
    def results_out(self) -> bool:
        """The results are published: their e-mail has gone (or is going) to the followers,
        and nothing more is sent about the topic."""
        return self.results_published_at is not None

    def is_public(self, now: datetime) -> bool:
        """Visitors may read it: everything but drafts. A published topic that opens later
        (upcoming) can be read before it opens, but takes nothing until then."""
        return self.phase(now) != Phase.DRAFT

    def text(self, locale: str) -> TopicTranslation | None:
        return pick_translation(self.translations, locale, self.organisation.language_list)

    def __repr__(self) -> str:
        return f"<Topic {self.id} {self.slug}>"


class TopicTranslation(db.Model):
    __tablename__ = "topic_translations"
    __table_args__ = (sa.UniqueConstraint("topic_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(5))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")  # rich text, sanitised on output
    # The decision this consultation prepares, as this language version names it.
    deciding_body: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # Written by the moderators; shown with the results.
    moderator_summary: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Results: the outcome of the decision and how the feedback was used.
    decision_outcome: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    feedback_use: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Title, summary and body as lemmas, for search (eraati.analysis.search); deferred:
    # only the search reads it.
    search_text: Mapped[str | None] = mapped_column(sa.Text, deferred=True)

    topic: Mapped[Topic] = relationship(back_populates="translations")


class FileKind(enum.StrEnum):
    IMAGE = "image"
    ATTACHMENT = "attachment"


class TopicFile(db.Model):
    """An image (shown with its alt text) or a PDF attachment (served as a download)."""

    __tablename__ = "topic_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    # {"fi": ..., "sv": ...}: required for images, the title of an attachment.
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    # The part of the topic it belongs to (eraati.parts); NULL: the topic's own file.
    part_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_parts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # A form submitted twice carries the same token: one comment, not two.
        sa.UniqueConstraint("topic_id", "submission_token"),
        sa.CheckConstraint(
            "author_id IS NOT NULL OR nickname IS NOT NULL OR source <> 'web'",
            name="has_author",
        ),
        sa.CheckConstraint(
            "agree_count >= 0 AND disagree_count >= 0 AND pass_count >= 0 AND flag_count >= 0",
            name="counters_not_negative",
        ),
        # Keyset pagination of a topic's top-level comments in each order (queries.py).
        # Partial indexes: with "parent_id IS NULL" as a leading index column instead,
        # PostgreSQL cannot use the index for the order and sorts the whole topic.
        sa.Index(
            "ix_comments_roots_created",
            "topic_id",
            "created_at",
            "id",
            postgresql_where=sa.text("parent_id IS NULL"),
            sqlite_where=sa.text("parent_id IS NULL"),
        ),
        sa.Index(
            "ix_comments_roots_agreed",
            "topic_id",
            "agree_count",
            "created_at",
            "id",
            postgresql_where=sa.text("parent_id IS NULL"),
            sqlite_where=sa.text("parent_id IS NULL"),
        ),
        # The moderation queue's tabs walk one status newest first (moderation.queries).
        sa.Index("ix_comments_status_created", "status", "created_at", "id"),
        # "Rate comments" offers the least-voted visible comments first (rating.py): the
        # vote total written as rating.VOTE_TOTAL writes it, so the order is read from here.
        sa.Index(
            "ix_comments_rating",
            "topic_id",
            sa.text("(agree_count + disagree_count + pass_count)"),
            "id",
            postgresql_where=sa.text("status = 'visible' AND NOT is_official"),
            sqlite_where=sa.text("status = 'visible' AND is_official = 0"),
        ),
        # ... and counts the comments it may offer from the topic's counter, less the
        # official replies (a few per topic: a small index) and the person's own.
        sa.Index(
            "ix_comments_official",
            "topic_id",
            postgresql_where=sa.text("is_official"),
            sqlite_where=sa.text("is_official = 1"),
        ),
        # A topic's comments of one status newest first, replies too: the search of a
        # topic's comments walks it and stops after a page (eraati.analysis.search).
        sa.Index("ix_comments_topic_status_created", "topic_id", "status", "created_at", "id"),
        # A part's top-level comments a page at a time (eraati.parts.queries).
        sa.Index(
            "ix_comments_part_roots_created",
            "part_id",
            "created_at",
            "id",
            postgresql_where=sa.text("parent_id IS NULL"),
            sqlite_where=sa.text("parent_id IS NULL"),
        ),
        # A part's page counts its shown comments and those of each paragraph from this
        # index alone, without reading the other parts' comments (benchmark F1).
        sa.Index("ix_comments_part_status_paragraph", "part_id", "status", "paragraph"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    # The top-level comment of the thread (itself for a top-level comment is NULL).
    root_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The writer once the topic's personal data was removed (author_id is then NULL).
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("anonymised_participants.id", ondelete="SET NULL")
    )
    nickname: Mapped[str | None] = mapped_column(sa.String(60))  # anonymous comments
    body: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(5))
    # The body as lemmas, for search (eraati.analysis.search), written with the body;
    # deferred: only the search reads it.
    search_text: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus), default=CommentStatus.VISIBLE
    )
    source: Mapped[CommentSource] = mapped_column(
        enum_column(CommentSource), default=CommentSource.WEB
    )
    submission_token: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # The language the moderator's own note (after the reason) was written in: the
    # language of the pages they used then, for the note's lang="..." on every page.
    hidden_note_lang: Mapped[str | None] = mapped_column(sa.String(5))
    # The moderator's reason template (for the public count of hidden comments by reason).
    hidden_reason_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("moderation_reasons.id", ondelete="SET NULL")
    )
    # Set when enough reports hid it until a moderator looks (status is then PENDING).
    auto_hidden_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Marked by a moderator as a key comment (shown first in the report).
    is_key: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A reply written by staff in the organisation's name.
    is_official: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Paper and event feedback: entered by staff, never shown as a registered user's.
    received_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(sa.String(200))
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # The event (eraati.events) where paper or event feedback was collected, if staff said.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_events.id", ondelete="SET NULL"), index=True
    )
    # A place on the topic's map (eraati.places): one of its named places, or a point of
    # the writer's own (WGS 84 degrees, inside the map's area), or neither.
    place_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("topic_places.id", ondelete="SET NULL"), index=True
    )
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    # The part of the topic it comments (eraati.parts; NULL: the topic as a whole), and
    # the paragraph of that part (1-based, in the topic's primary language) with the
    # paragraph's text as it was when the comment was written. A reply has its parent's
    # part. No ON DELETE: a part that has comments cannot be deleted.
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("topic_parts.id"))
    paragraph: Mapped[int | None]
    paragraph_quote: Mapped[str | None] = mapped_column(sa.Text)
    agree_count: Mapped[int] = mapped_column(default=0, server_default="0")
    disagree_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pass_count: Mapped[int] = mapped_column(default=0, server_default="0")
    flag_count: Mapped[int] = mapped_column(default=0, server_default="0")

    topic: Mapped[Topic] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    themes: Mapped[list[Theme]] = relationship(
        secondary=lambda: comment_themes, lazy="select", order_by=lambda: Theme.position
    )
    parent: Mapped[Comment | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.topic_id}>"


class TopicStance(db.Model):
    __tablename__ = "topic_stances"
    __table_args__ = (sa.UniqueConstraint("topic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    # NULL once the topic's personal data was removed: ``participant_id`` keeps the person.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("anonymised_participants.id", ondelete="SET NULL")
    )
    stance: Mapped[Stance] = mapped_column(enum_column(Stance))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentVote(db.Model):
    __tablename__ = "comment_votes"
    __table_args__ = (sa.UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # NULL once the topic's personal data was removed: ``participant_id`` keeps the person.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("anonymised_participants.id", ondelete="SET NULL")
    )
    value: Mapped[VoteValue] = mapped_column(enum_column(VoteValue))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentFlag(db.Model):
    """A resident's report that a comment breaks the rules."""

    __tablename__ = "comment_flags"
    __table_args__ = (sa.UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"))
    # NULL once the topic's personal data was removed (eraati.retention).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[FlagReason] = mapped_column(enum_column(FlagReason))
    details: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Question(db.Model):
    """A poll question; ``texts`` is ``{"fi": ..., "sv": ...}``."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(
        enum_column(QuestionKind), default=QuestionKind.SINGLE
    )
    texts: Mapped[dict] = mapped_column(sa.JSON)
    # An unanswered required question stops the whole survey being saved; an optional one
    # may be left empty (no answer row). Questions made before the kinds were all required.
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Open questions: the most characters an answer may have.
    max_length: Mapped[int | None]
    # Scale questions: the labels of the ends, ``{"low": {"fi": ...}, "high": {"fi": ...}}``.
    scale_labels: Mapped[dict | None] = mapped_column(sa.JSON)

    topic: Mapped[Topic] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="Option.position",
        lazy="selectin",
    )

    def text(self, locale: str) -> str:
        return pick_text(self.texts, locale, self.topic.organisation.language_list)

    def text_lang(self, locale: str) -> str | None:
        """The language of ``text(locale)`` when it is not ``locale``."""
        return other_language(self.texts, locale, self.topic.organisation.language_list)

    @property
    def exclusive_options(self) -> list[Option]:
        """Options that exclude the others ("none of these"): multiple choice only."""
        if self.kind != QuestionKind.MULTIPLE:
            return []
        return [o for o in self.options if o.exclusive]

    @property
    def length_limit(self) -> int:
        return self.max_length or OPEN_LENGTH_DEFAULT

    def scale_label(self, end: str, locale: str) -> str:
        """The label of the ``low`` or ``high`` end of a scale question ("" if none)."""
        texts = (self.scale_labels or {}).get(end) or {}
        return pick_text(texts, locale, self.topic.organisation.language_list) if texts else ""

    def scale_label_lang(self, end: str, locale: str) -> str | None:
        texts = (self.scale_labels or {}).get(end) or {}
        return other_language(texts, locale, self.topic.organisation.language_list)

    def exclusive_clash(self, chosen: set[int]) -> Option | None:
        """The exclusive option among ``chosen`` option ids when it is not chosen alone."""
        if len(chosen) < 2:
            return None
        return next((o for o in self.exclusive_options if o.id in chosen), None)


class Option(db.Model):
    __tablename__ = "options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    texts: Mapped[dict] = mapped_column(sa.JSON)
    # Chosen only alone, such as "none of these" or "I can't say" (multiple choice).
    exclusive: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    question: Mapped[Question] = relationship(back_populates="options")

    def text(self, locale: str) -> str:
        return pick_text(self.texts, locale, self.question.topic.organisation.language_list)

    def text_lang(self, locale: str) -> str | None:
        return other_language(self.texts, locale, self.question.topic.organisation.language_list)


class Answer(db.Model):
    """One person's answer set to one question; changeable while the topic is open."""

    __tablename__ = "answers"
    __table_args__ = (
        sa.UniqueConstraint("question_id", "user_id"),
        # The newest open answers of a question (results.queries.open_answers): only open
        # answers have a text, so the index holds those alone.
        sa.Index(
            "ix_answers_open_newest",
            "question_id",
            "updated_at",
            "id",
            postgresql_where=sa.text("text IS NOT NULL"),
            sqlite_where=sa.text("text IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    # NULL once the topic's personal data was removed: ``participant_id`` keeps the person.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("anonymised_participants.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An open question's answer: personal text, hidden from the public results, shown to
    # staff like a comment and hideable by a moderator (kept; the reason says why).
    text: Mapped[str | None] = mapped_column(sa.Text)
    # A scale question's answer, SCALE_MIN..SCALE_MAX.
    value: Mapped[int | None] = mapped_column(sa.SmallInteger)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    # When a moderator last looked at an open answer (marked it checked, hid or restored
    # it): the answer waits for a look while it is shown and changed after this.
    checked_at: Mapped[datetime | None]

    choices: Mapped[list[AnswerChoice]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def waits_for_check(self) -> bool:
        """An open answer not hidden and written or changed since a moderator last looked
        (the SQL twin: ``moderation.queries.answer_waiting``)."""
        return (
            self.text is not None
            and self.hidden_at is None
            and (self.checked_at is None or self.checked_at < self.updated_at)
        )


class AnswerChoice(db.Model):
    __tablename__ = "answer_choices"
    __table_args__ = (
        sa.UniqueConstraint("answer_id", "option_id"),
        # A ranking answer gives each option its own place (NULL for choice questions).
        sa.Index("ux_answer_choices_answer_rank", "answer_id", "rank", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("options.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int | None] = mapped_column(sa.SmallInteger)  # 1 = first place

    answer: Mapped[Answer] = relationship(back_populates="choices")


class PollTally(db.Model):
    """A poll question's figures kept as they go (``eraati.consultations.tallies``), so
    reading them costs the same at 50 or 50,000 respondents.

    One row per (question, dimension, group, item). ``dimension`` ``""`` is everyone
    (``grp`` ``""``); a background breakdown would be e.g. ``"age"`` with the group's value
    in ``grp`` (``""`` for not told). ``item`` is what is counted:

    - ``0`` (``RESPONDENTS``): the people who answered the question (``n``);
    - an option id (single, multiple, ranking): the people who chose it (ranking: put it
      first), and for a ranking the sum of the places given to it (``rank_sum``);
    - a scale value (``SCALE_MIN``..``SCALE_MAX``): the people who gave it.

    Option ids and scale values never meet in one question (a scale question has no
    options), and neither is 0. ``n`` changes only by ``n = n + k`` in the transaction that
    changes the answers; ``counters.mismatches()`` checks them against the rows.
    """

    __tablename__ = "poll_tallies"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(
        sa.String(20), primary_key=True, default="", server_default=""
    )
    grp: Mapped[str] = mapped_column(sa.String(20), primary_key=True, default="", server_default="")
    item: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(default=0, server_default="0")
    rank_sum: Mapped[int] = mapped_column(default=0, server_default="0")


class BackgroundAnswer(db.Model):
    """One person's answers to a survey's background questions (``consultations.background``),
    all optional: NULL is "I'd rather not say". Changeable with the answers, while open."""

    __tablename__ = "background_answers"
    __table_args__ = (sa.UniqueConstraint("topic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    # NULL once the topic's personal data was removed: ``participant_id`` keeps the person.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Indexed: the poll tallies' recount meets an anonymised answer's background by it.
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("anonymised_participants.id", ondelete="SET NULL"), index=True
    )
    age_group: Mapped[str | None] = mapped_column(sa.String(8))
    relation: Mapped[str | None] = mapped_column(sa.String(16))
    # A Statistics Finland code of one of the choices, or "other".
    municipality_code: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (sa.UniqueConstraint("topic_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    # NULL once the topic's personal data was removed (eraati.retention).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Following is also asking for the results e-mail: it is recorded for the followers
    # when the results are published (``notifications``, kind ``results``).


class AnonymisedParticipant(db.Model):
    """A person who took part in a topic whose personal data was removed (retention): the
    rows they left (comments, votes, stances, poll answers) point here instead of at their
    account, so that the topic's figures, pseudonyms and home municipalities stay as they
    were while nothing links the topic to the account any more."""

    __tablename__ = "anonymised_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    pseudonym: Mapped[str] = mapped_column(sa.String(16))  # "P-3f2a9c1e", as it was
    # The account's home municipality code on the day (``users.home_municipality_code``),
    # so that results by municipality (and by home organisation, the one with this code)
    # stay as they were.
    home_municipality_code: Mapped[str | None] = mapped_column(sa.String(5))


class Theme(db.Model):
    """A moderator's tag for what comments are about; ``texts`` is ``{"fi": ..., "sv": ...}``."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("topics.id", ondelete="CASCADE"), index=True
    )
    texts: Mapped[dict] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topic: Mapped[Topic] = relationship()

    def text(self, locale: str) -> str:
        return pick_text(self.texts, locale, self.topic.organisation.language_list)

    def marked_text(self, locale: str) -> Markup:
        """``text(locale)`` in ``<span lang="...">`` when it is another language's."""
        languages = self.topic.organisation.language_list
        return marked(self.text(locale), other_language(self.texts, locale, languages))


comment_themes = sa.Table(
    "comment_themes",
    db.metadata,
    sa.Column("comment_id", sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
