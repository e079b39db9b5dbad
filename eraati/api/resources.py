"""The API's JSON objects, built from models and result figures as plain dictionaries.

Texts the organisations write come in every language they exist in (``{"fi": ..., "sv":
...}``); the API picks no language for the reader. People never appear by name or e-mail:
a writer is a pseudonym stable within one topic (``core.pseudonyms``), the nickname of an
anonymous writer is never given, and paper and event feedback never names who typed it in.
Every shape here is described in ``openapi.py``; the schemathesis test holds them together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask import url_for

from eraati.accounts.services import DELETED_USER_NICKNAME
from eraati.consultations.models import (
    FileKind,
    Phase,
    Question,
    QuestionKind,
    Theme,
    Topic,
    TopicTranslation,
)
from eraati.core import pseudonyms
from eraati.core.i18n import LANGUAGES, pick_text
from eraati.core.sanitize import clean_rich
from eraati.organisations.models import Organisation
from eraati.results.data import Quote, ResultFigures
from eraati.results.queries import channel_of


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``: ``2026-03-01T10:40:00Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def texts(mapping: Mapping[str, str | None] | None) -> dict[str, str]:
    """``{"fi": ..., "sv": ...}`` with the known languages that have a text, in order."""
    mapping = mapping or {}
    return {code: mapping[code] for code in LANGUAGES if mapping.get(code)}


def _translations(rows: Iterable[TopicTranslation], attr: str) -> dict[str, str]:
    return texts({r.locale: getattr(r, attr) for r in rows})


# --- organisations ----------------------------------------------------------------------------


def organisation(org: Organisation) -> dict[str, Any]:
    return {
        "slug": org.slug,
        "kind": org.kind.value,
        "names": texts({"fi": org.name_fi, "sv": org.name_sv, "en": org.name_en}),
        "languages": org.language_list,
        "website_url": org.website_url or None,
        "members": [m.slug for m in org.members],
        "url": url_for("api.organisation", slug=org.slug, _external=True),
        "topics_url": url_for("api.topics", organisation=org.slug, _external=True),
        "html_url": url_for("consultations.organisation", org_slug=org.slug, _external=True),
    }


# --- topics -----------------------------------------------------------------------------------


def _published(topic: Topic, now: datetime) -> bool:
    return topic.phase(now) == Phase.PUBLISHED


def topic_summary(topic: Topic, now: datetime) -> dict[str, Any]:
    """A topic as the lists give it."""
    published = _published(topic, now)
    bodies = _translations(topic.translations, "deciding_body")
    return {
        "id": topic.id,
        "slug": topic.slug,
        "organisation": topic.organisation.slug,
        "concerned_organisations": sorted(o.slug for o in topic.concerned_organisations),
        "status": topic.phase(now).value,
        "titles": _translations(topic.translations, "title"),
        "summaries": _translations(topic.translations, "summary"),
        "opens_at": timestamp(topic.opens_at),
        "closes_at": timestamp(topic.closes_at),
        "closed_at": timestamp(topic.closed_at) if topic.closed_at else None,
        "results_published_at": timestamp(topic.results_published_at) if published else None,
        "decision": {
            "deciding_body": pick_text(bodies, topic.organisation.primary_language) or None,
            "deciding_bodies": bodies,
            "case_number": topic.case_number or None,
            "planned_on": day(topic.decision_planned_on),
        },
        "counts": {
            "comments": topic.comment_count,
            "hidden_comments": topic.hidden_count,
            "support": topic.support_count,
            "oppose": topic.oppose_count,
            "neutral": topic.neutral_count,
            "followers": topic.follower_count,
        },
        "url": url_for("api.topic", topic_id=topic.id, _external=True),
        "html_url": url_for(
            "consultations.topic",
            org_slug=topic.organisation.slug,
            topic_slug=topic.slug,
            _external=True,
        ),
    }


def _file(topic_file: Any) -> dict[str, Any]:
    return {
        "id": topic_file.id,
        "kind": topic_file.kind.value,
        "filename": topic_file.filename,
        "content_type": topic_file.content_type,
        "size": topic_file.size,
        # An image's text alternative or an attachment's title, per language.
        "texts": texts(topic_file.texts),
        "url": url_for(
            "manage.file", file_id=topic_file.id, filename=topic_file.filename, _external=True
        ),
    }


def _question(q: Question) -> dict[str, Any]:
    exclusive = {o.id for o in q.exclusive_options}
    return {
        "id": q.id,
        "kind": q.kind.value,
        "required": q.required,
        "max_length": q.length_limit if q.kind == QuestionKind.OPEN else None,
        "scale_labels": {end: texts(q.scale_labels.get(end) or {}) for end in ("low", "high")}
        if q.kind == QuestionKind.SCALE and q.scale_labels
        else None,
        "texts": texts(q.texts),
        "options": [
            {"id": o.id, "texts": texts(o.texts), "exclusive": o.id in exclusive} for o in q.options
        ],
    }


def _poll(topic: Topic) -> list[dict[str, Any]]:
    return [_question(q) for q in topic.questions]


def theme(item: Theme) -> dict[str, Any]:
    return {"id": item.id, "names": texts(item.texts)}


def _place_names(place: Any) -> dict[str, str]:
    return texts({"fi": place.name_fi, "sv": place.name_sv, "en": place.name_en})


def _topic_part(topic: Topic, part: Any) -> dict[str, Any]:
    return {
        "number": part.position,
        "title": texts({t.locale: t.title for t in part.texts}),
        "bodies_html": texts({t.locale: clean_rich(t.body or "") for t in part.texts}),
        "html_url": url_for(
            "parts.part",
            org_slug=topic.organisation.slug,
            topic_slug=topic.slug,
            position=part.position,
            _external=True,
        ),
    }


def _topic_map(topic: Topic, places: Iterable[Any]) -> dict[str, Any] | None:
    area = topic.map_area
    if area is None:
        return None
    return {
        "area": {"south": area.south, "west": area.west, "north": area.north, "east": area.east},
        "places": [
            {"id": p.id, "names": _place_names(p), "lat": p.lat, "lon": p.lon} for p in places
        ],
    }


def topic_detail(
    topic: Topic,
    themes: list[Theme],
    now: datetime,
    parts: Iterable[Any] = (),
    places: Iterable[Any] = (),
) -> dict[str, Any]:
    """A topic with its texts in every language, its parts and map, its poll, themes,
    files and, once the organisation has published them, what was decided and how the
    feedback was used."""
    published = _published(topic, now)
    rows = topic.translations
    outcome = None
    if published:
        outcome = {
            "decided_on": day(topic.decided_on),
            "minutes_url": topic.minutes_url or None,
            "decision_outcome": _translations(rows, "decision_outcome"),
            "feedback_use": _translations(rows, "feedback_use"),
            "moderator_summary": _translations(rows, "moderator_summary"),
        }
    ordered_files = sorted(topic.files, key=lambda f: (f.position, f.id))
    return {
        **topic_summary(topic, now),
        "bodies_html": texts({r.locale: clean_rich(r.body or "") for r in rows}),
        "settings": {
            "allow_anonymous": topic.allow_anonymous,
            "premoderated": topic.premoderated,
            "stances_enabled": topic.stances_enabled,
        },
        "parts": [_topic_part(topic, p) for p in parts],
        "map": _topic_map(topic, places),
        "poll": _poll(topic),
        "themes": [theme(t) for t in themes],
        "images": [_file(f) for f in ordered_files if f.kind == FileKind.IMAGE],
        "attachments": [_file(f) for f in ordered_files if f.kind == FileKind.ATTACHMENT],
        "results": outcome,
        "comments_url": url_for("api.comments", topic_id=topic.id, _external=True),
        "results_url": (
            url_for("api.results", topic_id=topic.id, _external=True) if published else None
        ),
    }


# --- comments ---------------------------------------------------------------------------------


def _theme_ids(joined: str | None) -> list[int]:
    return sorted(int(part) for part in joined.split(",")) if joined else []


def _part(part: Any) -> dict[str, Any]:
    return {"number": part.position, "title": texts({t.locale: t.title for t in part.texts})}


def _comment_place(row: Any, places: Mapping[int, Any]) -> dict[str, Any] | None:
    """A named place (its id, names and point), or a point of the comment's own."""
    named = places.get(row.place_id) if row.place_id else None
    if named is not None:
        return {"place_id": named.id, "names": _place_names(named), "lat": named.lat,
                "lon": named.lon}  # fmt: skip
    if row.lat is None or row.lon is None:
        return None
    return {"place_id": None, "names": None, "lat": row.lat, "lon": row.lon}


def comment(
    topic: Topic,
    row: Any,
    parts: Mapping[int, Any] | None = None,
    places: Mapping[int, Any] | None = None,
) -> dict[str, Any]:
    """A shown comment or reply from a row of ``queries.comments``; ``parts``: the topic's
    parts by id (``queries.comment_parts``) when a comment is on one; ``places``: its named
    places by id (``queries.comment_places``) when a comment is at one."""
    part = (parts or {}).get(row.part_id) if row.part_id else None
    if row.is_official:
        author = None  # written in the organisation's name
    elif row.author_id is not None:
        author = pseudonyms.person(topic.pseudonym_key, row.author_id)
    elif row.stored_pseudonym is not None:  # kept when the personal data was removed
        author = row.stored_pseudonym
    else:  # without an account, on paper, at an event, or an account since deleted
        author = pseudonyms.unregistered(topic.id, row.id)
    registered = row.author_id is not None or row.nickname == DELETED_USER_NICKNAME
    return {
        "id": row.id,
        "parent_id": row.parent_id,
        "author": author,
        "channel": channel_of(row.source, registered).value,
        "is_official": bool(row.is_official),
        "is_key": bool(row.is_key),
        "language": row.language or None,
        "body": row.body,
        "created_at": timestamp(row.created_at),
        "edited_at": timestamp(row.edited_at),
        "received_on": day(row.received_on),
        "votes": {
            "agree": row.agree_count,
            "disagree": row.disagree_count,
            "pass": row.pass_count,
        },
        "themes": _theme_ids(row.theme_ids),
        "part": _part(part) if part is not None else None,
        "paragraph": row.paragraph if part is not None else None,
        "paragraph_quote": row.paragraph_quote if part is not None else None,
        "place": _comment_place(row, places or {}),
    }


# --- results ----------------------------------------------------------------------------------


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "comment_id": quote.comment_id,
        "body": quote.body,
        "language": quote.lang,
        "channel": quote.channel.value,
        "is_reply": quote.is_reply,
        "created_at": timestamp(quote.created_at),
        "received_on": day(quote.received_on),
        "votes": {"agree": quote.agree_count, "disagree": quote.disagree_count},
    }


def results(
    topic: Topic,
    figures: ResultFigures,
    themes: dict[int, Theme],
    organisations: dict[int, Organisation],
    reasons: dict[int, Any],
) -> dict[str, Any]:
    """The public figures (``results.figures.for_public``) with every text in all its
    languages: theme names, poll texts, municipality names, moderation reasons."""
    people = figures.participants
    questions = {q.id: q for q in topic.questions}
    options = {o.id: o for q in topic.questions for o in q.options}

    def municipality(m: Any) -> dict[str, Any]:
        org = organisations.get(m.organisation_id) if m.organisation_id is not None else None
        return {
            "organisation": org.slug if org else None,
            "names": texts({"fi": org.name_fi, "sv": org.name_sv, "en": org.name_en})
            if org
            else None,
            "people": m.people,
            "comments": m.comments,
        }

    def reason(r: Any) -> dict[str, Any]:
        found = reasons.get(r.reason_id) if r.reason_id is not None else None
        return {"reason": texts(found.texts) if found else None, "count": r.count}

    return {
        "topic_id": topic.id,
        "results_published_at": timestamp(topic.results_published_at),
        "participants": {
            "registered": people.registered,
            "commenters": people.commenters,
            "voters": people.voters,
            "stance_takers": people.stance_takers,
            "poll_respondents": people.respondents,
            "anonymous_comments": people.anonymous_comments,
            "paper_comments": people.paper_comments,
            "event_comments": people.event_comments,
        },
        "channels": [
            {"channel": c.channel.value, "comments": c.comments, "replies": c.replies}
            for c in figures.channels
        ],
        "municipalities": [municipality(m) for m in figures.municipalities],
        "timeline": {
            "unit": figures.timeline.unit.value,
            "periods": [
                {"start": day(p.start), "comments": p.count} for p in figures.timeline.periods
            ],
        },
        "stances": {
            "enabled": figures.stances.enabled,
            "support": figures.stances.support,
            "oppose": figures.stances.oppose,
            "neutral": figures.stances.neutral,
        },
        "poll": [
            {
                "question_id": q.question_id,
                "texts": texts(questions[q.question_id].texts),
                "multiple": q.multiple,
                "kind": q.kind,
                "respondents": q.respondents,
                "options": [
                    {
                        "option_id": o.option_id,
                        "texts": texts(options[o.option_id].texts),
                        "count": o.count,  # a ranking's: first places
                        "share": round(o.share, 4),
                        "mean_rank": round(o.mean_rank, 4) if o.mean_rank is not None else None,
                    }
                    for o in q.options
                ],
                "scale": [{"value": c.value, "count": c.count} for c in q.scale],
                "mean": round(q.mean, 4) if q.mean is not None else None,
                "median": q.median,
            }
            for q in figures.polls
        ],
        "themes": [
            {
                "theme_id": t.theme_id,
                "names": texts(themes[t.theme_id].texts) if t.theme_id in themes else {},
                "comments": t.count,
                "quotes": [_quote(q) for q in t.quotes],
            }
            for t in figures.themes
        ],
        "untagged_comments": figures.untagged,
        "key_comments": [_quote(q) for q in figures.key_comments],
        "official_replies": [
            {
                "comment_id": r.comment_id,
                "body": r.body,
                "language": r.lang,
                "created_at": timestamp(r.created_at),
                "in_reply_to": _quote(r.parent) if r.parent is not None else None,
            }
            for r in figures.official_replies
        ],
        "moderation": {
            "hidden": [reason(r) for r in figures.moderation.hidden],
            "waiting": figures.moderation.waiting,
        },
    }
