"""iCalendar files (RFC 5545, written with ``icalendar``) to subscribe to in a calendar
program: an organisation's consultations (when each opens and when comments close) and
its events, or the same of one topic. Drafts never appear. Times are in UTC; the texts
are in the language the address asks for (``?lang=sv``), as on the pages.

Each entry has a UID that stays the same from one download to the next
(``topic-12-closes@host``, ``event-5@host``), so a calendar program updates the entry
when a deadline or an event changes instead of adding another.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, url_for
from flask_babel import get_locale
from icalendar import Calendar, Event

from eraati.consultations import queries as topic_queries
from eraati.consultations.models import Topic
from eraati.core.i18n import gettext as _
from eraati.core.links import site_host
from eraati.core.time import utcnow
from eraati.events import queries
from eraati.events.models import TopicEvent
from eraati.manage.display import language_label
from eraati.organisations.models import Organisation

PRODID = "-//eRaati//eRaati//FI"


def _locale() -> str:
    return str(get_locale() or "fi")


def _host() -> str:
    return site_host().split(":")[0]


def _topic_url(topic: Topic, locale: str) -> str:
    return url_for(
        "consultations.topic",
        org_slug=topic.organisation.slug,
        topic_slug=topic.slug,
        lang=locale,
        _external=True,
    )


def _title(topic: Topic, locale: str) -> str:
    text = topic.text(locale)
    return text.title if text else topic.slug


def _entry(uid: str, stamp: datetime, start: datetime, summary: str, url: str) -> Event:
    entry = Event()
    entry.add("uid", f"{uid}@{_host()}")
    entry.add("dtstamp", stamp)
    entry.add("last-modified", stamp)
    entry.add("dtstart", start)  # a deadline: no end, so it lasts no time (RFC 5545 3.6.1)
    entry.add("summary", summary)
    entry.add("url", url)
    return entry


def topic_entries(topic: Topic, locale: str) -> list[Event]:
    """When the consultation opens, and when comments close (or closed early)."""
    title, url = _title(topic, locale), _topic_url(topic, locale)
    stamp = topic.updated_at or topic.created_at
    text = topic.text(locale)
    summary_text = (text.summary or "").strip() if text else ""
    opens = _entry(
        f"topic-{topic.id}-opens",
        stamp,
        topic.opens_at,
        _("Consultation opens: %(title)s", title=title),
        url,
    )
    opens.add(
        "description",
        "\n\n".join(p for p in (summary_text, _("Read and comment at %(url)s", url=url)) if p),
    )
    closes = _entry(
        f"topic-{topic.id}-closes",
        stamp,
        topic.ends_at,
        _("Deadline for comments: %(title)s", title=title),
        url,
    )
    closes.add(
        "description",
        _("The last moment to comment on the consultation. %(url)s", url=url),
    )
    return [opens, closes]


def event_location(event: TopicEvent) -> str:
    return ", ".join(p for p in (event.place, event.street_address, event.municipality) if p)


def event_entry(event: TopicEvent, topic: Topic, locale: str) -> Event:
    title, url = _title(topic, locale), _topic_url(topic, locale)
    entry = _entry(
        f"event-{event.id}",
        event.updated_at or event.created_at,
        event.starts_at,
        _("%(place)s: %(title)s", place=event.place, title=title),
        url,
    )
    if event.ends_at is not None:
        entry.add("dtend", event.ends_at)
    entry.add("location", event_location(event))
    parts = [event.description.strip()] if event.description.strip() else []
    names = [language_label(c) for c in event.language_list]
    parts.append(_("Languages: %(languages)s", languages=", ".join(names)))
    if event.accessibility.strip():
        parts.append(_("Accessibility: %(text)s", text=event.accessibility.strip()))
    parts.append(_("About the consultation: %(url)s", url=url))
    entry.add("description", "\n\n".join(parts))
    return entry


def build(name: str, topics: list[Topic], events: list[TopicEvent], locale: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    by_id = {t.id: t for t in topics}
    for topic in topics:
        for entry in topic_entries(topic, locale):
            cal.add_component(entry)
    for event in events:
        cal.add_component(event_entry(event, by_id[event.topic_id], locale))
    return cal.to_ical()


def _response(body: bytes, filename: str) -> Response:
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = 900
    return response


def organisation_response(org_slug: str) -> Response:
    org: Organisation = topic_queries.organisation_or_404(org_slug)
    locale = _locale()
    topics = queries.calendar_topics(org.id)
    events = queries.events_of_topics([t.id for t in topics])
    name = _("Consultations of %(name)s", name=org.name(locale))
    return _response(build(name, topics, events, locale), f"{org.slug}.ics")


def topic_response(org_slug: str, topic_slug: str) -> Response:
    topic = topic_queries.topic_or_404(org_slug, topic_slug, poll=False)
    if not topic.is_public(utcnow()):
        abort(404)  # drafts never appear, not even to their staff
    locale = _locale()
    topics = queries.calendar_topics(topic.organisation_id, topic.id)
    events = queries.events_of_topics([topic.id])
    return _response(
        build(_title(topic, locale), topics, events, locale), f"{org_slug}-{topic.slug}.ics"
    )
