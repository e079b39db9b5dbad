"""How events are shown: their time in words, and the template globals of the pages."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale

from eraati.core.i18n import format_moment
from eraati.core.time import utcnow
from eraati.events import queries
from eraati.events.queries import TopicEventLists


def event_when(event, locale: str | None = None) -> str:
    """ "12. tammikuuta 2027 klo 17.00–19.00", "12 January 2027 at 17:00–19:00"."""
    start = format_moment(event.starts_at)
    if event.ends_at is None:
        return start
    return f"{start}–{event_end(event, locale)}"


def event_end(event, locale: str | None = None) -> str:
    """The end's time of day: "19.00" (fi, sv), "19:00" (en)."""
    lang = locale or str(get_locale() or "fi")
    return format_moment(event.ends_at, "HH:mm" if lang == "en" else "H.mm")


def topic_events(topic, now: datetime | None = None) -> TopicEventLists:
    """The topic page's events: coming ones and past ones (one query)."""
    return queries.split_events(queries.topic_events(topic.id), now or utcnow())


def organisation_events(org, now: datetime | None = None) -> list:
    """The organisation page's coming events (two queries, however many)."""
    return queries.organisation_events(org.id, now or utcnow())
