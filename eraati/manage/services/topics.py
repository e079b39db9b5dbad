"""Create and edit topics: texts per language, settings, the poll, the address."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eraati.consultations import background
from eraati.consultations.models import (
    Answer,
    Option,
    PollTally,
    Question,
    Topic,
    TopicStatus,
    TopicTranslation,
)
from eraati.core.i18n import LANGUAGES
from eraati.core.sanitize import clean_rich, clean_text, render_plain
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage.services.common import (
    SLUG_MAX,
    PollLockedError,
    QuestionData,
    SlugTakenError,
    TopicData,
    next_revision,
    record_topic,
)
from eraati.organisations.models import Organisation

# --- addresses ------------------------------------------------------------------------------

_FOLD = str.maketrans({"ä": "a", "å": "a", "ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def slugify(text: str) -> str:
    """ "Kirjaston aukioloajat 2027" -> "kirjaston-aukioloajat-2027" (ä, ö, å -> a, o, a)."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_FOLD))
    ascii_text = folded.encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")[:SLUG_MAX].rstrip("-")
    return slug or "aihe"


def slug_taken(org: Organisation, slug: str, *, exclude_id: int | None = None) -> bool:
    stmt = sa.select(Topic.id).where(Topic.organisation_id == org.id, Topic.slug == slug)
    if exclude_id is not None:
        stmt = stmt.where(Topic.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


def unique_slug(org: Organisation, base: str, *, exclude_id: int | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free in the organisation."""
    stem = base[: SLUG_MAX - 4].rstrip("-")
    stmt = sa.select(Topic.slug).where(
        Topic.organisation_id == org.id,
        sa.or_(Topic.slug == base, Topic.slug.like(f"{stem}-%")),
    )
    if exclude_id is not None:
        stmt = stmt.where(Topic.id != exclude_id)
    taken = set(db.session.scalars(stmt))
    if base not in taken:
        return base
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def _primary_title(data: TopicData, org: Organisation) -> str:
    for code in (org.primary_language, *data.languages, *LANGUAGES):
        if code in data.texts:
            return data.texts[code].title
    return ""


def _resolve_slug(org: Organisation, data: TopicData, exclude_id: int | None) -> str:
    if data.slug:
        if slug_taken(org, data.slug, exclude_id=exclude_id):
            raise SlugTakenError(data.slug)
        return data.slug
    return unique_slug(org, slugify(_primary_title(data, org)), exclude_id=exclude_id)


# --- create and edit -------------------------------------------------------------------------


def _apply_texts(topic: Topic, data: TopicData) -> bool:
    changed = False
    rows = {t.locale: t for t in topic.translations}
    for code in dict.fromkeys([*data.languages, *data.texts]):
        given, row = data.texts.get(code), rows.get(code)
        if given is None:
            if row is not None:
                topic.translations.remove(row)
                changed = True
            continue
        values = {
            "title": clean_text(given.title),
            "summary": clean_text(given.summary),
            "body": rich_body(given.body),
            "deciding_body": clean_text(given.deciding_body),
            "contact_person": clean_text(given.contact_person),
        }
        if row is None:
            topic.translations.append(TopicTranslation(locale=code, **values))
            changed = True
            continue
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
    return changed


_HAS_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def rich_body(text: str) -> str:
    """The description as stored: allowed HTML only. Text without any tags is split into
    paragraphs at empty lines (a line break within a paragraph stays a line break)."""
    text = clean_text(text)
    if text and not _HAS_TAG.search(text):
        text = str(render_plain(text))
    return clean_rich(text).strip()


def current_poll(topic: Topic) -> list[QuestionData]:
    return [
        QuestionData(
            q.kind,
            dict(q.texts),
            [dict(o.texts) for o in q.options],
            frozenset(j for j, o in enumerate(q.options) if o.exclusive),
            q.required,
            q.max_length,
            q.scale_labels,
        )
        for q in topic.questions
    ]


def poll_has_answers(topic: Topic) -> bool:
    if topic.id is None:
        return False
    stmt = (
        sa.select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.topic_id == topic.id)
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def _apply_poll(topic: Topic, poll: list[QuestionData]) -> bool:
    if current_poll(topic) == poll:
        return False
    if poll_has_answers(topic):
        raise PollLockedError(topic.id)
    questions = list(topic.questions)
    known = [q.id for q in questions if q.id is not None]
    if known:  # answers withdrawn may have left zero tallies of options that go now
        db.session.execute(sa.delete(PollTally).where(PollTally.question_id.in_(known)))
    for i, wanted in enumerate(poll):
        if i < len(questions):
            question = questions[i]
        else:
            question = Question()
            topic.questions.append(question)
        question.position, question.kind, question.texts = i, wanted.kind, dict(wanted.texts)
        question.required, question.max_length = wanted.required, wanted.max_length
        question.scale_labels = wanted.scale_labels
        options = list(question.options)
        for j, texts in enumerate(wanted.options):
            if j < len(options):
                option = options[j]
            else:
                option = Option()
                question.options.append(option)
            option.position, option.texts = j, dict(texts)
            option.exclusive = j in wanted.exclusive
        for extra in options[len(wanted.options) :]:
            question.options.remove(extra)
    for extra in questions[len(poll) :]:
        topic.questions.remove(extra)
    return True


_SETTINGS = (
    "opens_at",
    "closes_at",
    "decision_planned_on",
    "case_number",
    "allow_anonymous",
    "premoderated",
    "stances_enabled",
    "offers_rating",
    "reminder_days",
)


def _same_minute(a: datetime | None, b: datetime) -> bool:
    return a is not None and a.replace(second=0, microsecond=0) == b.replace(
        second=0, microsecond=0
    )


def _apply(topic: Topic, org: Organisation, data: TopicData) -> list[str]:
    """Copy ``data`` onto ``topic``; the names of what changed."""
    changed = []
    for name in _SETTINGS:
        value = getattr(data, name)
        if isinstance(value, str):
            value = clean_text(value) or None
        if isinstance(value, datetime) and _same_minute(getattr(topic, name), value):
            continue  # the form shows minutes: the same minute is no change
        if getattr(topic, name) != value:
            setattr(topic, name, value)
            changed.append(name)
    if data.concerned_ids is not None:
        members = {m.id: m for m in org.members}
        wanted = [members[i] for i in sorted(set(data.concerned_ids)) if i in members]
        if {o.id for o in topic.concerned_organisations} != {o.id for o in wanted}:
            topic.concerned_organisations = wanted
            changed.append("concerned_organisations")
    if _apply_texts(topic, data):
        changed.append("texts")
    if data.poll is not None and _apply_poll(topic, data.poll):
        changed.append("poll")
    if _background_change(topic, data) is not None:
        if poll_has_answers(topic):
            raise PollLockedError(topic.id)
        topic.background_questions = _background_change(topic, data) or None
        changed.append("background_questions")
    return changed


def _background_change(topic: Topic, data: TopicData) -> list[str] | None:
    """The background question keys ``data`` asks for (in the fixed order), when they
    differ from the topic's; else None."""
    if data.background is None:
        return None
    wanted = [key for key in background.KEYS if key in set(data.background)]
    return wanted if wanted != background.chosen_keys(topic) else None


def create_topic(
    org: Organisation, data: TopicData, author: Any, *, now: datetime | None = None
) -> Topic:
    """A new draft; SlugTakenError when the address chosen is in use."""
    now = now or utcnow()
    topic = Topic(
        organisation=org,
        slug=_resolve_slug(org, data, None),
        status=TopicStatus.DRAFT,
        created_by_id=getattr(author, "id", None),
        created_at=now,
        updated_at=now,
        revision=1,
    )
    _apply(topic, org, data)
    db.session.add(topic)
    db.session.flush()
    record_topic("topic.create", topic, now=now)
    return topic


def update_topic(
    topic: Topic, data: TopicData, expected_revision: int, *, now: datetime | None = None
) -> list[str]:
    """Save an edit made on revision ``expected_revision``; the names of what changed.

    StaleEditError (someone saved in between), SlugTakenError, PollLockedError; in each
    case nothing has been written."""
    org = topic.organisation
    slug = _resolve_slug(org, data, topic.id) if data.slug != topic.slug else topic.slug
    poll_changes = data.poll is not None and current_poll(topic) != data.poll
    if (poll_changes or _background_change(topic, data) is not None) and poll_has_answers(topic):
        raise PollLockedError(topic.id)
    next_revision(topic, expected_revision)
    changed = _apply(topic, org, data)
    if slug != topic.slug:
        topic.slug = slug
        changed.insert(0, "slug")
    db.session.flush()
    record_topic("topic.edit", topic, {"changed": changed, "revision": topic.revision}, now=now)
    return changed
