"""Helpers for the topic management tests: form data, files, rows."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from eraati.consultations.models import FileKind, Topic, TopicFile
from eraati.core.time import local, utcnow
from eraati.extensions import db
from tests.factories import image_file

PNG = image_file("PNG", 4, 3)
JPEG = image_file("JPEG", 4, 3)
PDF = b"%PDF-1.7\n" + b"0" * 64


def text(response) -> str:
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def day(offset_days: int) -> str:
    """A date ``offset_days`` from today (Helsinki), as the date input sends it."""
    return (local(utcnow()) + timedelta(days=offset_days)).date().isoformat()


def topic_form(languages: str = "fi", slots: int = 3, **overrides) -> dict[str, str]:
    """A complete, valid topic form for an organisation writing in ``languages``."""
    data = {
        "languages": languages,
        "slot_count": str(slots),
        "slug": "",
        "opens_on": day(1),
        "opens_time": "08:00",
        "closes_on": day(30),
        "closes_time": "16:00",
        "decision_planned_on": day(60),
        "case_number": "KH/12/2027",
        "stances_enabled": "y",
    }
    for code in languages.split(","):
        data[f"title_{code}"] = ""
        data[f"summary_{code}"] = ""
        data[f"body_{code}"] = ""
        data[f"deciding_body_{code}"] = ""
        data[f"contact_person_{code}"] = ""
        for i in range(slots):
            data[f"q{i}_text_{code}"] = ""
            data[f"q{i}_options_{code}"] = ""
    for i in range(slots):
        data[f"q{i}_kind"] = "single"
        data[f"q{i}_required"] = "y"  # the box is ticked on a new form
        data[f"q{i}_exclusive"] = ""
    data.update(title_fi="Kirjaston aukioloajat", summary_fi="Lyhyesti.", body_fi="<p>Kuvaus.</p>")
    data.update(
        deciding_body_fi="Kunnanhallitus",
        contact_person_fi="Liisa Virtanen, suunnittelupäällikkö, p. 040 123 4567",
    )
    data.update(overrides)
    return data


def topic_by_slug(org, slug: str) -> Topic | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Topic).where(Topic.organisation_id == org.id, Topic.slug == slug)
    )


def make_file(
    topic: Topic,
    kind: FileKind = FileKind.IMAGE,
    *,
    filename: str | None = None,
    data: bytes | None = None,
    texts: dict | None = None,
    position: int = 0,
) -> TopicFile:
    data = data if data is not None else (PNG if kind == FileKind.IMAGE else PDF)
    topic_file = TopicFile(
        topic_id=topic.id,
        kind=kind,
        filename=filename or ("kartta.png" if kind == FileKind.IMAGE else "selvitys.pdf"),
        content_type="image/png" if kind == FileKind.IMAGE else "application/pdf",
        size=len(data),
        data=data,
        texts=texts if texts is not None else {"fi": "Kartta alueesta"},
        position=position,
    )
    db.session.add(topic_file)
    db.session.flush()
    return topic_file


def field_error(html: str, field_id: str) -> str:
    """The error message shown next to a field (empty when none)."""
    match = re.search(
        rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S
    )
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def form_values(html: str, action: str) -> dict[str, str | list[str]]:
    """What a browser would send with the form posting to ``action``, as it stands
    (text inputs, text areas, checked boxes and radios, hidden fields; no buttons)."""
    from tests.page_support import read

    page = read(html)
    index = next(
        i for i, f in enumerate(page.forms) if f.attrs.get("action", "").split("#")[0] == action
    )
    values: dict[str, list[str]] = {}
    for element in page.in_form(index):
        name = element.attrs.get("name")
        if not name:
            continue
        kind = element.attrs.get("type", "text")
        if element.tag == "textarea":
            value = element.text.removeprefix("\r\n").removeprefix("\n")
        elif element.tag == "input" and kind in ("checkbox", "radio"):
            if "checked" not in element.attrs:
                continue
            value = element.attrs.get("value", "y")
        elif element.tag == "input" and kind not in ("submit", "button", "file"):
            value = element.attrs.get("value", "")
        else:
            continue
        values.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in values.items()}


def input_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input [^>]*id="{re.escape(field_id)}"[^>]*>', html)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""
