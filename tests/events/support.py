from __future__ import annotations

from datetime import datetime, time, timedelta

from eraati.core.time import HELSINKI, utcnow
from eraati.events.models import TopicEvent
from eraati.extensions import db


def at_helsinki(days: int, clock: time) -> datetime:
    """``days`` from today, at ``clock`` in Helsinki."""
    day = utcnow().astimezone(HELSINKI).date() + timedelta(days=days)
    return datetime.combine(day, clock).replace(tzinfo=HELSINKI)


def make_event(
    topic, *, days: int = 3, place: str = "Kirjasto", hours: int = 2, **kw
) -> TopicEvent:
    starts = at_helsinki(days, time(17, 0))
    event = TopicEvent(
        topic_id=topic.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours) if hours else None,
        place=place,
        street_address=kw.pop("street_address", "Kirjastotie 2"),
        municipality=kw.pop("municipality", "72600 Keitele"),
        description=kw.pop("description", "Neuvontaa verkossa osallistumiseen."),
        languages=kw.pop("languages", "fi sv"),
        accessibility=kw.pop("accessibility", "Esteetön sisäänkäynti, induktiosilmukka"),
        **kw,
    )
    db.session.add(event)
    db.session.flush()
    return event


def events_path(topic, suffix: str = "") -> str:
    return f"/staff/{topic.organisation.slug}/topics/{topic.id}/events{suffix}"
