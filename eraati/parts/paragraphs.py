"""A part's text as paragraphs: the one splitting the page, the counts and the quotes use.

The text is the organisation's rich text, sanitised first (``clean_rich``): its top-level
blocks are paragraphs (``p``, ``blockquote``) and lists, whose items are each a paragraph;
headings (``h2``–``h4``) structure the text and are not numbered. Text outside any block
(a line typed without ``<p>``) is a paragraph of its own. Paragraphs are numbered from 1
in document order; paragraph ``k`` has the anchor ``p-k``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from markupsafe import Markup

from eraati.core.sanitize import clean_rich

_SPACE = re.compile(r"\s+")
HEADINGS = frozenset({"h2", "h3", "h4"})
LISTS = frozenset({"ul", "ol"})


@dataclass(frozen=True)
class Paragraph:
    number: int
    tag: str  # p, blockquote or li
    html: Markup  # the element's content (inner HTML), already sanitised
    text: str  # its plain text, spaces normalised: the quote a comment keeps

    @property
    def anchor(self) -> str:
        return f"p-{self.number}"


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a list of paragraphs, in the text's order."""

    kind: str  # "heading", "paragraph" or "list"
    tag: str
    html: str = ""  # a heading's content (Markup)
    paragraph: Paragraph | None = None
    items: tuple[Paragraph, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Text:
    blocks: tuple[Block, ...]
    paragraphs: tuple[Paragraph, ...]

    def get(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 1 <= number <= len(self.paragraphs) else None


def _inner(element) -> str:
    html = _escape(element.text) if element.text else ""
    for child in element:
        html += etree.tostring(child, encoding="unicode", method="html", with_tail=True)
    return html.strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(element) -> str:
    return _SPACE.sub(" ", element.text_content()).strip()


@functools.lru_cache(maxsize=512)
def split(html: str) -> Text:
    """The paragraphs of a part's (unsanitised, stored) text. Deterministic: the same text
    gives the same numbers, and the numbers depend on nothing else."""
    cleaned = clean_rich(html or "")
    blocks: list[Block] = []
    paragraphs: list[Paragraph] = []
    loose: list[str] = []  # inline content and text between blocks

    def paragraph(tag: str, inner: str, text: str) -> Paragraph | None:
        if not text:
            return None
        p = Paragraph(len(paragraphs) + 1, tag, Markup(inner), text)  # noqa: S704 - bleach output
        paragraphs.append(p)
        return p

    def flush_loose() -> None:
        if not loose:
            return
        inner = "".join(loose).strip()
        loose.clear()
        # A paragraph break in loose text (two newlines) starts a new paragraph.
        for chunk in re.split(r"\n\s*\n", inner):
            chunk = chunk.strip()
            if not chunk:
                continue
            text = _plain(lxml.html.fragment_fromstring(chunk, create_parent="div"))
            if p := paragraph("p", chunk.replace("\n", "<br>"), text):
                blocks.append(Block("paragraph", "p", paragraph=p))

    if not cleaned.strip():
        return Text((), ())
    root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    if root.text:
        loose.append(_escape(root.text))
    for element in root:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HEADINGS:
            flush_loose()
            if _plain(element):
                blocks.append(Block("heading", tag, html=Markup(_inner(element))))  # noqa: S704
        elif tag in ("p", "blockquote"):
            flush_loose()
            if p := paragraph(tag, _inner(element), _plain(element)):
                blocks.append(Block("paragraph", tag, paragraph=p))
        elif tag in LISTS:
            flush_loose()
            items = []
            for item in element:
                if getattr(item, "tag", None) == "li" and (
                    p := paragraph("li", _inner(item), _plain(item))
                ):
                    items.append(p)
            if items:
                blocks.append(Block("list", tag, items=tuple(items)))
        else:  # inline content at the top level (a link, <strong>, <br>)
            html = etree.tostring(element, encoding="unicode", method="html", with_tail=False)
            loose.append(html)
        if element.tail:
            loose.append(_escape(element.tail))
    flush_loose()
    return Text(tuple(blocks), tuple(paragraphs))
