"""What the topic page and the staff pages show of files and results (template globals,
registered by the blueprint, so the consultations templates can use them too)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.units import format_unit
from flask import url_for

from eraati.consultations.models import FileKind, Topic, TopicFile
from eraati.core.i18n import format_locale, other_language, pick_text
from eraati.manage.forms.common import language_name


def language_label(code: str) -> str:
    """ "sv" -> "Swedish", in the reader's language."""
    return language_name(code)


def file_size(size: int) -> str:
    """1 258 291 -> "1,2 Mt" (fi), "1,2 MB" (sv, en)."""
    locale = format_locale()
    if size >= 1024 * 1024:
        return format_unit(
            round(size / (1024 * 1024), 1), "digital-megabyte", "short", locale=locale
        )
    return format_unit(max(1, round(size / 1024)), "digital-kilobyte", "short", locale=locale)


@dataclass(frozen=True)
class Shown:
    """A text and, when it is not in the reader's language, its language (for ``lang``)."""

    text: str
    lang: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text)


def _pick(texts: dict[str, str], locale: str, fallbacks: list[str]) -> Shown:
    return Shown(pick_text(texts, locale, fallbacks), other_language(texts, locale, fallbacks))


def file_text(topic_file: TopicFile, topic: Topic, locale: str) -> Shown:
    """An image's text alternative or an attachment's name, in the reader's language."""
    shown = _pick(topic_file.texts or {}, locale, topic.organisation.language_list)
    if not shown and topic_file.kind == FileKind.ATTACHMENT:
        return Shown(topic_file.filename)
    return shown


def file_url(topic_file: TopicFile, preview_token: str | None = None, **kw) -> str:
    if preview_token:
        kw["preview"] = preview_token
    return url_for("manage.file", file_id=topic_file.id, filename=topic_file.filename, **kw)


def topic_files(topic: Topic) -> dict[str, list[TopicFile]]:
    """{"images": [...], "attachments": [...]} in their order (one query, or none when the
    files were loaded with the topic). A part's files (eraati.parts) are on its page."""
    ordered = sorted(
        (f for f in topic.files if f.part_id is None), key=lambda f: (f.position, f.id)
    )
    return {
        "images": [f for f in ordered if f.kind == FileKind.IMAGE],
        "attachments": [f for f in ordered if f.kind == FileKind.ATTACHMENT],
    }


@dataclass(frozen=True)
class Results:
    outcome: Shown
    feedback_use: Shown
    moderator_summary: Shown


def topic_results(topic: Topic, locale: str) -> Results:
    """The per-language texts of the results, each falling back on its own."""
    fallbacks = topic.organisation.language_list
    rows = topic.translations

    def pick(attr: str) -> Shown:
        return _pick({r.locale: getattr(r, attr) or "" for r in rows}, locale, fallbacks)

    return Results(pick("decision_outcome"), pick("feedback_use"), pick("moderator_summary"))


@dataclass(frozen=True)
class Decision:
    deciding_body: Shown
    contact_person: Shown


def topic_decision(topic: Topic, locale: str) -> Decision:
    """The deciding body and the contact person as the language version the reader reads
    (the title's: ``Topic.text``) names them. They never fall back on their own: a reader
    of the Swedish version never gets the Finnish body's name."""
    row = topic.text(locale)
    if row is None:
        return Decision(Shown(""), Shown(""))
    lang = row.locale if row.locale != locale else None
    return Decision(Shown(row.deciding_body or "", lang), Shown(row.contact_person or "", lang))
