"""The report as plain data: a title page, numbered sections of blocks and an optional
appendix, every word already in the report's language.

``content.report_model`` makes it once from the topic and its figures; ``pdffile`` (HTML
and WeasyPrint) and ``docxfile`` (python-docx) only lay it out, block by block, so the
two files say the same thing. No database and no Flask here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from eraati.results.display import ChartTable, Row

# --- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A paragraph; ``kind`` "note" is the small explanatory text under a figure or table."""

    block: ClassVar[str] = "para"  # what the renderers switch on

    text: str
    lang: str | None = None  # the text's language when it is not the report's
    kind: str = "text"  # text | note | empty (nothing to show: "no comments were hidden")


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Facts:
    """Label and value pairs (a two-column table without a header row)."""

    block: ClassVar[str] = "facts"  # what the renderers switch on

    rows: list[Fact]


@dataclass(frozen=True)
class Figure:
    """A chart and the table of its numbers, captioned "Kuvio 1." / "Figur 1." / "Figure 1."."""

    block: ClassVar[str] = "figure"  # what the renderers switch on

    label: str  # "Kuvio 1."
    chart: ChartTable  # the same chart and table as on the results page
    table: bool = True  # False: too long to print beside the chart; ``summary`` says it
    summary: str | None = None


@dataclass(frozen=True)
class Table:
    """A numbered table: ``headings`` name the label column first, then the others."""

    block: ClassVar[str] = "table"  # what the renderers switch on

    label: str  # "Taulukko 1."
    caption: str
    headings: tuple[str, ...]
    rows: list[Row]
    footer: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Subheading:
    block: ClassVar[str] = "subheading"  # what the renderers switch on

    text: str
    lang: str | None = None
    meta: str | None = None  # after the heading, lighter: "(3 comments)"


@dataclass(frozen=True)
class Quote:
    """A comment quoted word for word, with who gave it (a pseudonym or the channel)."""

    block: ClassVar[str] = "quote"  # what the renderers switch on

    text: str
    attribution: str
    lang: str | None = None
    kind: str = "comment"  # comment | replied (the comment an official reply answers) | official


Block = Para | Facts | Figure | Table | Subheading | Quote


@dataclass(frozen=True)
class Section:
    number: int
    key: str  # a stable id: "participation", "themes" (anchors, tests)
    title: str
    blocks: list[Block]

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


# --- the title page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Logo:
    data: bytes
    mimetype: str  # image/png, image/jpeg, image/svg+xml


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str


@dataclass(frozen=True)
class TitlePage:
    organisation: str
    organisation_lang: str | None
    logo: Logo | None
    kind: str  # "Consultation report" or "Interim report"
    title: str
    title_lang: str | None
    interim: str | None  # the warning shown while the figures can still change
    facts: list[Fact]
    key_figures: list[KeyFigure]


@dataclass(frozen=True)
class Running:
    """The header and footer of every page after the first."""

    organisation: str
    kind: str
    title: str
    reference: str  # "Dnro YSSOTE/412/2026 · 25.11.2026"


# --- the appendix --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One shown comment of the appendix, in discussion order, or (``shown`` False) the
    place of a comment that is not shown but has a shown reply: ``attribution`` says why,
    and there is no text."""

    number: str  # "#123": the comment's id, as in the raw data exports
    reply: bool
    attribution: str
    text: str
    lang: str | None = None
    shown: bool = True


@dataclass
class Appendix:
    title: str
    intro: list[Para]
    entries: Iterable[Entry]  # streamed from the database while the file is written
    empty: str  # said when there are no entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)


# --- the whole report ----------------------------------------------------------------------


@dataclass
class Report:
    lang: str
    made_at: datetime
    document_title: str  # the file's metadata title
    subject: str
    author: str  # the organisation
    keywords: list[str]
    title_page: TitlePage
    reading_title: str
    reading_note: list[str]
    sections: list[Section]
    running: Running
    appendix: Appendix | None = None

    @property
    def interim(self) -> bool:
        return self.title_page.interim is not None


# --- text helpers shared by the renderers ----------------------------------------------------

_BLANK_LINE = re.compile(r"\n\s*\n")
# Characters XML 1.0 cannot hold (python-docx and WeasyPrint's parser refuse them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def paragraphs(text: str) -> list[list[str]]:
    """Plain text as paragraphs (split at blank lines), each a list of its lines."""
    text = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return [
        [line.rstrip() for line in para.strip("\n").split("\n")]
        for para in _BLANK_LINE.split(text)
        if para.strip()
    ]
