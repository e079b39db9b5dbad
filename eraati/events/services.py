"""Add, change and remove a topic's events; each act is in the organisation's audit log.
Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eraati.audit.services import record
from eraati.consultations.models import Topic
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.events.models import EVENT_LANGUAGES, TopicEvent
from eraati.extensions import db


@dataclass
class EventData:
    starts_at: datetime
    ends_at: datetime | None
    place: str
    street_address: str = ""
    municipality: str = ""
    description: str = ""
    languages: tuple[str, ...] = ("fi",)
    accessibility: str = ""


def _apply(event: TopicEvent, data: EventData) -> None:
    if data.ends_at is not None and data.ends_at <= data.starts_at:
        raise ValueError("an event ends after it starts")
    chosen = [code for code in EVENT_LANGUAGES if code in data.languages]
    if not chosen:
        raise ValueError("an event has at least one language")
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.place = clean_text(data.place)[:200]
    event.street_address = clean_text(data.street_address)[:200]
    event.municipality = clean_text(data.municipality)[:200]
    event.description = clean_text(data.description)
    event.languages = " ".join(chosen)
    event.accessibility = clean_text(data.accessibility)


def _record(action: str, topic: Topic, event: TopicEvent, now: datetime | None) -> None:
    record(
        action,
        organisation=topic.organisation,
        target=event,
        target_label=event.place,
        details={"topic_id": topic.id, "starts_at": event.starts_at.isoformat()},
        now=now,
    )


def add_event(
    topic: Topic, data: EventData, staff: Any, *, now: datetime | None = None
) -> TopicEvent:
    now = now or utcnow()
    event = TopicEvent(
        topic_id=topic.id,
        created_by_id=getattr(staff, "id", None),
        created_at=now,
        updated_at=now,
    )
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    _record("event.add", topic, event, now)
    return event


def update_event(
    topic: Topic, event: TopicEvent, data: EventData, *, now: datetime | None = None
) -> None:
    now = now or utcnow()
    _apply(event, data)
    event.updated_at = now
    db.session.flush()
    _record("event.edit", topic, event, now)


def delete_event(topic: Topic, event: TopicEvent, *, now: datetime | None = None) -> None:
    """Feedback collected at the event stays, without the link (ON DELETE SET NULL)."""
    _record("event.delete", topic, event, now)
    db.session.delete(event)
    db.session.flush()
