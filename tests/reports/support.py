"""Building reports in tests and reading them back (python-docx, pypdf)."""

from __future__ import annotations

import io
import re

import docx
from pypdf import PdfReader

from eraati.reports.build import build


def make(topic, fmt: str, lang: str = "fi", **kw) -> bytes:
    out = io.BytesIO()
    build(topic, fmt, lang, out, **kw)
    return out.getvalue()


def squeeze(text: str) -> str:
    """Text without any white space: line breaks fall anywhere in a laid-out page."""
    return re.sub(r"\s+", "", text)


# --- DOCX ------------------------------------------------------------------------------------


def document(data: bytes):
    return docx.Document(io.BytesIO(data))


def _table_text(table) -> list[str]:
    out = []
    for row in table.rows:
        for cell in row.cells:
            out += [p.text for p in cell.paragraphs]
            for nested in cell.tables:
                out += _table_text(nested)
    return out


def docx_text(data: bytes) -> str:
    """Every paragraph of the body, its tables (nested ones too), headers and footers."""
    doc = document(data)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += _table_text(table)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts += [p.text for p in part.paragraphs]
    props = doc.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.keywords or ""]
    return "\n".join(parts)


def docx_headings(data: bytes) -> list[str]:
    return [p.text for p in document(data).paragraphs if p.style.name in ("Heading 1", "Heading 2")]


# --- PDF -------------------------------------------------------------------------------------


def pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pdf(data).pages]


def pdf_text(data: bytes) -> str:
    reader = pdf(data)
    meta = reader.metadata or {}
    return "\n".join([*pdf_pages(data), *(str(v) for v in meta.values())])


def pdf_lang(data: bytes) -> str | None:
    lang = pdf(data).trailer["/Root"].get("/Lang")
    return str(lang) if lang is not None else None
