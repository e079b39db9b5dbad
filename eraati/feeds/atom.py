"""Atom feeds (RFC 4287) built with feedgen: each entry a topic, in the language asked for.

An entry's text is the topic's in that language, or in the language the site falls back
to (the organisation's primary one); such an entry carries its own ``xml:lang``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator
from flask import url_for
from lxml import etree

from eraati.consultations.models import Topic
from eraati.core import links
from eraati.core.i18n import format_moment
from eraati.core.i18n import gettext as _
from eraati.core.sanitize import clean_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    summary: str
    link: str
    updated: datetime
    published: datetime | None
    author: str
    lang: str  # the language of title and summary


def tag(kind: str, topic: Topic) -> str:
    """A permanent entry id (RFC 4151 tag URI): the site's host, the day the topic was
    made and its number. It stays when the topic's title or address changes."""
    host = links.site_host().split(":")[0]
    return f"tag:{host},{topic.created_at:%Y-%m-%d}:{kind}/{topic.id}"


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _texts(topic: Topic, lang: str) -> tuple[str, str, str]:
    """Title, plain summary and their language."""
    text = topic.text(lang)
    if text is None:
        return topic.slug, "", lang
    summary = clean_text(text.summary or "").strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
    return text.title, summary, text.locale


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def topic_entry(topic: Topic, announced_at: datetime, lang: str, now: datetime) -> Entry:
    title, summary, text_lang = _texts(topic, lang)
    org = topic.organisation
    if topic.opens_at > now:
        when = _("Opens %(date)s", date=format_moment(topic.opens_at, "compact"))
    else:
        when = _("Open until %(date)s", date=format_moment(topic.closes_at))
    return Entry(
        id=tag("topic", topic),
        title=title,
        summary=_paragraphs(when, summary),
        link=url_for(
            "consultations.topic",
            org_slug=org.slug,
            topic_slug=topic.slug,
            lang=lang,
            _external=True,
        ),
        updated=_seconds(max(topic.updated_at, announced_at)),
        published=_seconds(announced_at),
        author=org.name(lang),
        lang=text_lang,
    )


def results_entry(topic: Topic, lang: str) -> Entry:
    title, summary, text_lang = _texts(topic, lang)
    org = topic.organisation
    published = topic.results_published_at or topic.updated_at
    return Entry(
        id=tag("results", topic),
        title=_("Results: %(title)s", title=title),
        summary=_paragraphs(
            _("The results were published on %(date)s.", date=format_moment(published)),
            summary,
        ),
        link=url_for(
            "results.public", org_slug=org.slug, topic_slug=topic.slug, lang=lang, _external=True
        ),
        updated=_seconds(max(published, topic.updated_at)),
        published=_seconds(published),
        author=org.name(lang),
        lang=text_lang,
    )


def render(
    *,
    title: str,
    self_url: str,
    page_url: str,
    lang: str,
    entries: Iterable[Entry],
    updated_when_empty: datetime,
) -> bytes:
    """The feed as XML. Its id is its own address, with its ``?lang=`` (each language
    is a feed of its own; an entry keeps its id in all of them); it was updated when its
    newest entry was."""
    entries = list(entries)
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(title)
    fg.link(href=self_url, rel="self", type="application/atom+xml")
    fg.link(href=page_url, rel="alternate", type="text/html")
    fg.language(lang)
    fg.generator("eRaati")
    fg.updated(_seconds(max((e.updated for e in entries), default=updated_when_empty)))
    for e in entries:
        item = fg.add_entry(order="append")
        item.id(e.id)
        item.title(e.title)
        if e.summary:
            item.summary(e.summary)
        item.link(href=e.link, rel="alternate", type="text/html")
        item.updated(e.updated)
        if e.published:
            item.published(e.published)
        item.author(name=e.author)
    xml = fg.atom_str(pretty=False)
    other = {e.id: e.lang for e in entries if e.lang != lang}
    if not other:
        return xml
    root = etree.fromstring(xml)  # our own document, just made
    for node in root.iterfind(f"{ATOM}entry"):
        entry_lang = other.get(node.findtext(f"{ATOM}id"))
        if entry_lang:
            node.set(XML_LANG, entry_lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
