"""The report's account of the topic's events (eraati.events): when and where each was,
what happened there, and how many comments were entered from it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from eraati.consultations.models import Topic
from eraati.core.time import local
from eraati.events import queries
from eraati.events.models import TopicEvent
from eraati.manage.display import language_label
from eraati.reports.model import Block, Fact, Facts, Para, Subheading
from eraati.reports.words import clean, day, join_list, moment


def _when(event: TopicEvent, lang: str) -> str:
    start = moment(event.starts_at, lang)
    if event.ends_at is None:
        return start
    end = local(event.ends_at)
    return f"{start}–{end.hour}{':' if lang == 'en' else '.'}{end.minute:02d}"


def _what(event: TopicEvent, lang: str) -> str:
    parts = [", ".join(p for p in (clean(event.place), clean(event.address)) if p) + "."]
    if clean(event.description):
        parts.append(clean(event.description).rstrip(".") + ".")
    parts.append(
        _(
            "Languages: %(languages)s.",
            languages=join_list([language_label(c) for c in event.language_list], lang),
        )
    )
    if clean(event.accessibility):
        parts.append(
            _("Accessibility: %(text)s", text=clean(event.accessibility).rstrip(".") + ".")
        )
    return " ".join(parts)


def feedback_sentence(event: TopicEvent, count: int, lang: str) -> str:
    """ "34 comments were entered from the event of 12 Jan 2027 at Keiteleen kirjasto." """
    return ngettext(
        "%(num)d comment was entered from the event of %(date)s at %(place)s.",
        "%(num)d comments were entered from the event of %(date)s at %(place)s.",
        count,
        place=clean(event.place),
        date=day(local(event.starts_at).date(), lang),
    )


def event_blocks(topic: Topic, lang: str) -> list[Block]:
    """Nothing when the topic had no events."""
    rows = queries.events_with_feedback(topic.id)
    if not rows:
        return []
    blocks: list[Block] = [
        Subheading(_("Events: help in person")),
        Facts([Fact(_when(e, lang), _what(e, lang)) for e, _count in rows]),
    ]
    said = [
        feedback_sentence(
            e,
            count,
            lang,
        )
        for e, count in rows
        if count
    ]
    if said:
        blocks.append(Para(" ".join(said)))
    return blocks
