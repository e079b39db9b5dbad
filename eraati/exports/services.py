"""Starting an export: the audit row, the file name, the stream of bytes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eraati.audit.models import AuditEvent
from eraati.audit.services import record
from eraati.consultations.models import Topic
from eraati.core.time import local, utcnow
from eraati.exports import rows, tables
from eraati.exports.formats import FORMATS
from eraati.exports.writers import Progress, no_progress


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    chunks: Iterator[bytes]


# Ends the name of a file holding hidden comments' texts (before the format's ending), so
# that it is recognisable on a disk. ASCII and the same in every language: a file name.
HIDDEN_TEXTS_MARK = "-hidden-texts"


def filename(topic: Topic, code: str, now: datetime, *, hidden_texts: bool = False) -> str:
    """``<topic slug>-<date in Helsinki>[-hidden-texts]<format>``: kirjasto-2026-03-01-excel.csv,
    kirjasto-2026-03-01-hidden-texts-excel.csv."""
    slug = re.sub(r"[^a-z0-9-]+", "-", topic.slug.lower()).strip("-") or f"topic-{topic.id}"
    mark = HIDDEN_TEXTS_MARK if hidden_texts else ""
    return f"{slug}-{local(now).date().isoformat()}{mark}{FORMATS[code].suffix}"


def _label(topic: Topic) -> str:
    text = topic.text(topic.organisation.primary_language)
    return text.title if text else f"#{topic.id}"


def record_download(
    topic: Topic,
    code: str,
    lang: str,
    *,
    via: str = "web",
    hidden_texts: bool = False,
    actor: Any = None,
    now: datetime | None = None,
) -> AuditEvent:
    """The audit row of a download; the caller commits it before the first byte leaves.
    A file with the texts of hidden comments says so in the row (``hidden_texts``)."""
    details: dict[str, Any] = {"format": code, "language": lang, "via": via}
    if hidden_texts:
        details["hidden_texts"] = True
    return record(
        "export.download",
        organisation=topic.organisation_id,
        target=topic,
        target_label=_label(topic),
        details=details,
        actor=actor,
        now=now,
    )


def prepare(
    topic: Topic,
    code: str,
    lang: str,
    *,
    hidden_texts: bool = False,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> Export:
    """The file of ``topic`` in format ``code`` with headings in ``lang``. Reads the small
    facts now (a few queries); the rows are read while ``chunks`` is consumed.

    Hidden comments keep their rows, but their texts are left out unless
    ``hidden_texts`` (the preparer's explicit choice, which the caller records); a file
    with them says so on its first line (its first sheet, the first file of the zip) and
    in its name (``HIDDEN_TEXTS_MARK``)."""
    now = now or utcnow()
    fmt = FORMATS[code]
    local_tables, words = tables.localise(tables.for_topic(fmt.tables, topic), lang)
    snap = rows.snapshot(topic, lang, now, hidden_texts=hidden_texts, left_out=words.left_out)
    chunks = fmt.write(snap, local_tables, words, progress)
    name = filename(topic, code, now, hidden_texts=hidden_texts)
    return Export(name, fmt.mimetype, chunks)


def row_count(topic: Topic, code: str) -> int:
    """How many rows move the progress bar of format ``code``."""
    sizes = rows.sizes(topic.id)
    return sum(sizes[key] for key in FORMATS[code].counted)
