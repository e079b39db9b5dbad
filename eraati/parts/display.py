"""What the pages show of a part: its text in the reader's language, as paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from eraati.consultations.models import Topic
from eraati.parts import paragraphs
from eraati.parts.models import TopicPart, TopicPartText


@dataclass(frozen=True)
class PartShown:
    part: TopicPart
    text: TopicPartText | None  # in the reader's language, else the fallback
    lang: str | None  # lang="..." when the text is not in the reader's language
    title: str

    @property
    def position(self) -> int:
        return self.part.position


def shown(part: TopicPart, topic: Topic, locale: str) -> PartShown:
    languages = topic.organisation.language_list
    text = part.text(locale, languages)
    lang = text.locale if text is not None and text.locale != locale else None
    return PartShown(part, text, lang, text.title if text else str(part.position))


def reference(part: TopicPart, topic: Topic) -> TopicPartText | None:
    """The text in the topic's primary language (else its first): paragraph numbers and
    quotes are taken from it."""
    org = topic.organisation
    return part.text(org.primary_language, org.language_list)


def reference_paragraphs(part: TopicPart, topic: Topic) -> paragraphs.Text:
    text = reference(part, topic)
    return paragraphs.split(text.body if text else "")


@dataclass(frozen=True)
class CommentPart:
    """What a staff list shows of a comment's part: "Part 2: Title", with the part's page."""

    number: int
    title: str
    lang: str | None  # lang="..." when the title is not in the reader's language
    url: str
    quote_lang: str | None  # the quotes' language (the topic's primary) when not the reader's


def comment_parts(
    found: dict[int, tuple[TopicPart, Topic]], locale: str, url_for_part
) -> dict[int, CommentPart]:
    """``{part id: CommentPart}`` from ``queries.parts_by_id``; ``url_for_part(topic,
    position)`` gives the part page's address."""
    labels = {}
    for part_id, (part, topic) in found.items():
        one = shown(part, topic, locale)
        primary = topic.organisation.primary_language
        labels[part_id] = CommentPart(
            part.position,
            one.title,
            one.lang,
            url_for_part(topic, part.position),
            primary if primary != locale else None,
        )
    return labels
