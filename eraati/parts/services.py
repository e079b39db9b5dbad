"""Making, changing, ordering and deleting a topic's parts (staff, eraati.parts.staff)."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from eraati.consultations.models import Topic
from eraati.core.sanitize import clean_text
from eraati.extensions import db
from eraati.manage.services.topics import rich_body
from eraati.parts import paragraphs, queries
from eraati.parts.models import TopicPart, TopicPartText


class PartHasCommentsError(Exception):
    """A part with comments is not deleted: they would lose what they comment."""


def _set_texts(part: TopicPart, texts: Mapping[str, tuple[str, str]]) -> None:
    """``{locale: (title, body)}``; a language without a title is removed. The text is
    stored as the topic's is: allowed HTML only, plain text split at empty lines."""
    by_locale = {t.locale: t for t in part.texts}
    for locale, (title, body) in texts.items():
        title = clean_text(title)[:200]
        row = by_locale.get(locale)
        if not title:
            if row is not None:
                part.texts.remove(row)
            continue
        if row is None:
            part.texts.append(TopicPartText(locale=locale, title=title, body=rich_body(body)))
        else:
            row.title, row.body = title, rich_body(body)


def add_part(topic: Topic, texts: Mapping[str, tuple[str, str]]) -> TopicPart:
    """A new last part of the topic."""
    last = db.session.scalar(
        sa.select(sa.func.max(TopicPart.position)).where(TopicPart.topic_id == topic.id)
    )
    part = TopicPart(topic_id=topic.id, position=(last or 0) + 1)
    _set_texts(part, texts)
    db.session.add(part)
    db.session.flush()
    return part


def update_part(part: TopicPart, texts: Mapping[str, tuple[str, str]]) -> TopicPart:
    _set_texts(part, texts)
    db.session.flush()
    return part


def delete_part(part: TopicPart) -> None:
    """Deletes a part without comments (with its texts and files); the later parts move
    up one place, so that the positions stay 1, 2, 3, ..."""
    if queries.has_comments(part.id):
        raise PartHasCommentsError(part.id)
    topic_id, position = part.topic_id, part.position
    db.session.delete(part)
    db.session.flush()
    later = db.session.scalars(
        sa.select(TopicPart)
        .where(TopicPart.topic_id == topic_id, TopicPart.position > position)
        .order_by(TopicPart.position)
    ).all()
    for p in later:  # one at a time, in order: the place below is always free
        p.position -= 1
        db.session.flush()


def move_part(part: TopicPart, step: int) -> bool:
    """Swaps the part with the one before (``step=-1``) or after (``+1``) it; False when
    there is none."""
    other = db.session.scalar(
        sa.select(TopicPart).where(
            TopicPart.topic_id == part.topic_id, TopicPart.position == part.position + step
        )
    )
    if other is None:
        return False
    highest = db.session.scalar(
        sa.select(sa.func.max(TopicPart.position)).where(TopicPart.topic_id == part.topic_id)
    )
    mine, theirs = part.position, other.position
    part.position = highest + 1  # out of the way: (topic_id, position) is unique
    db.session.flush()
    other.position = mine
    db.session.flush()
    part.position = theirs
    db.session.flush()
    return True


def paragraph_counts_differ(texts: Mapping[str, str], primary: str) -> list[str]:
    """The languages whose body has another number of paragraphs than the primary
    language's: comments are numbered by the primary text, so the versions must keep step."""
    if primary not in texts:
        return []

    def count(body: str) -> int:
        return len(paragraphs.split(rich_body(body or "")).paragraphs)

    wanted = count(texts[primary])
    return [code for code, body in texts.items() if code != primary and count(body) != wanted]
