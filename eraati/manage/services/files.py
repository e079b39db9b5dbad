"""Images and attachments of a topic: add, remove, order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eraati.audit.services import record
from eraati.consultations.models import FileKind, Topic, TopicFile
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage.uploads import CheckedFile


def add_file(
    topic: Topic,
    checked: CheckedFile,
    texts: dict[str, str],
    uploader: Any,
    *,
    now: datetime | None = None,
    part_id: int | None = None,
) -> TopicFile:
    """``part_id``: a file of a part of the topic (eraati.parts), shown on its page."""
    now = now or utcnow()
    same_kind = [f.position for f in topic.files if f.kind == checked.kind]
    topic_file = TopicFile(
        topic_id=topic.id,
        kind=checked.kind,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        data=checked.data,
        texts={code: clean_text(t) for code, t in texts.items() if clean_text(t)},
        position=max(same_kind, default=-1) + 1,
        created_at=now,
        uploaded_by_id=getattr(uploader, "id", None),
        part_id=part_id,
    )
    topic.files.append(topic_file)
    db.session.flush()
    record(
        "file.add",
        organisation=topic.organisation,
        target=topic_file,
        target_label=topic_file.filename,
        details={"topic_id": topic.id, "kind": checked.kind.value, "size": checked.size},
        now=now,
    )
    return topic_file


def delete_file(topic: Topic, topic_file: TopicFile, *, now: datetime | None = None) -> None:
    record(
        "file.delete",
        organisation=topic.organisation,
        target=topic_file,
        target_label=topic_file.filename,
        details={"topic_id": topic.id, "kind": topic_file.kind.value},
        now=now,
    )
    topic.files.remove(topic_file)
    db.session.flush()


def move_file(topic: Topic, topic_file: TopicFile, step: int) -> bool:
    """One place earlier (-1) or later (+1) among the files of its kind."""
    same = sorted((f for f in topic.files if f.kind == topic_file.kind), key=_file_order)
    i = same.index(topic_file)
    j = i + step
    if not 0 <= j < len(same):
        return False
    same[i], same[j] = same[j], same[i]
    for position, f in enumerate(same):
        f.position = position
    db.session.flush()
    return True


def _file_order(f: TopicFile) -> tuple[int, int]:
    return (f.position, f.id)


def files_of(topic: Topic, kind: FileKind) -> list[TopicFile]:
    return sorted((f for f in topic.files if f.kind == kind), key=_file_order)
