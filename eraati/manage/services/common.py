"""What the topic management services share: errors, the data the forms hand over, the
revision check (compare and set) and a topic's name for the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from eraati.audit.services import record
from eraati.consultations.models import QuestionKind, Topic
from eraati.extensions import db

SLUG_MAX = 80


class ManageError(Exception):
    """A state rule refused the change; the view shows a translated message."""


class StaleEditError(ManageError):
    """Someone saved the topic after this form was opened."""


class SlugTakenError(ManageError):
    """Another topic of the organisation already has this address."""


class PollLockedError(ManageError):
    """People have answered the poll: its questions and options can no longer change."""


class TopicStateError(ManageError):
    """Not possible in the topic's present phase; ``code`` says which rule."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- what the forms hand over -----------------------------------------------------------------


@dataclass
class TopicText:
    title: str
    summary: str = ""
    body: str = ""
    # The decision, as this language version names it.
    deciding_body: str = ""
    contact_person: str = ""


@dataclass
class QuestionData:
    kind: QuestionKind
    texts: dict[str, str]
    options: list[dict[str, str]]
    # Positions (from 0) of the options chosen only on their own ("none of these").
    exclusive: frozenset[int] = frozenset()
    required: bool = True
    max_length: int | None = None  # open questions: the longest answer
    scale_labels: dict | None = None  # scale: {"low": {lang: text}, "high": {lang: text}}


@dataclass
class TopicData:
    opens_at: datetime
    closes_at: datetime
    texts: dict[str, TopicText]  # language -> texts; languages shown but absent are removed
    languages: list[str] = field(default_factory=list)  # the language sections of the form
    slug: str = ""  # empty: made from the title
    decision_planned_on: date | None = None
    case_number: str | None = None
    concerned_ids: list[int] | None = None  # None: leave as it is
    allow_anonymous: bool = False
    premoderated: bool = False
    stances_enabled: bool = True
    offers_rating: bool = False  # the "rate comments" page (consultations.rating)
    reminder_days: int = 3  # followers' reminder, days before closing (0: none)
    poll: list[QuestionData] | None = None  # None: leave the poll as it is
    # Keys of the background questions the survey asks (consultations.background);
    # None: leave them as they are. Locked with the poll.
    background: list[str] | None = None


@dataclass
class ResultsData:
    decided_on: date | None
    minutes_url: str | None
    texts: dict[str, tuple[str, str]]  # language -> (decision outcome, use of the feedback)


# --- revision: compare and set ---------------------------------------------------------------


def next_revision(topic: Topic, expected: int | None = None) -> int:
    """Move the revision on in SQL; with ``expected``, only if it is still that one."""
    stmt = sa.update(Topic).where(Topic.id == topic.id)
    if expected is not None:
        stmt = stmt.where(Topic.revision == expected)
    stmt = stmt.values(revision=Topic.revision + 1).returning(Topic.revision)
    revision = db.session.execute(
        stmt, execution_options={"synchronize_session": False}
    ).scalar_one_or_none()
    if revision is None:
        raise StaleEditError(topic.id)
    set_committed_value(topic, "revision", revision)
    return revision


def title_of(topic: Topic) -> str:
    text = topic.text(topic.organisation.primary_language)
    return text.title if text else topic.slug


def record_topic(
    action: str,
    topic: Topic,
    details: dict | None = None,
    *,
    actor: Any | None = None,
    now: datetime | None = None,
) -> None:
    """A staff act on ``topic`` in its organisation's audit log, under the topic's title."""
    record(
        action,
        organisation=topic.organisation,
        target=topic,
        target_label=title_of(topic),
        details=details,
        actor=actor,
        now=now,
    )
