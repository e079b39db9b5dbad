"""A topic's comments by part and by paragraph, for the results pages (eraati.results)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.extensions import db
from eraati.parts import display, queries

TOP = 5  # the most-commented paragraphs shown


@dataclass(frozen=True)
class PartCount:
    position: int
    title: str
    lang: str | None
    comments: int  # shown comments and replies on the part
    on_paragraphs: int  # ... of which top-level comments on one of its paragraphs


@dataclass(frozen=True)
class ParagraphCount:
    position: int  # the part's number
    part_title: str
    part_lang: str | None
    paragraph: int
    comments: int
    quote: str  # the paragraph as the comments quoted it (the latest quote)


@dataclass(frozen=True)
class PartFigures:
    parts: list[PartCount]
    paragraphs: list[ParagraphCount]  # every paragraph with comments, in order
    top: list[ParagraphCount]  # the most commented, most first
    quote_lang: str  # the language of the quotes (the topic's primary language)


def part_figures(topic: Topic, locale: str) -> PartFigures | None:
    """None for a topic without parts (one query); else four queries, whatever the size."""
    parts = queries.parts_of(topic.id)
    if not parts:
        return None
    totals = queries.part_comment_counts(topic.id)
    rows = db.session.execute(
        sa.select(
            Comment.part_id,
            Comment.paragraph,
            sa.func.count(),
            sa.func.max(Comment.paragraph_quote),
        )
        .where(
            Comment.topic_id == topic.id,
            Comment.paragraph.is_not(None),
            Comment.status == CommentStatus.VISIBLE,
        )
        .group_by(Comment.part_id, Comment.paragraph)
    ).all()
    shown = {p.id: display.shown(p, topic, locale) for p in parts}
    paragraphs = sorted(
        (
            ParagraphCount(
                shown[part_id].position,
                shown[part_id].title,
                shown[part_id].lang,
                paragraph,
                count,
                quote or "",
            )
            for part_id, paragraph, count, quote in rows
            if part_id in shown
        ),
        key=lambda p: (p.position, p.paragraph),
    )
    on_paragraphs: dict[int, int] = {}
    for p in paragraphs:
        on_paragraphs[p.position] = on_paragraphs.get(p.position, 0) + p.comments
    counts = [
        PartCount(s.position, s.title, s.lang, totals.get(pid, 0), on_paragraphs.get(s.position, 0))
        for pid, s in shown.items()
    ]
    top = sorted(paragraphs, key=lambda p: (-p.comments, p.position, p.paragraph))[:TOP]
    return PartFigures(counts, paragraphs, top, topic.organisation.primary_language)
