"""The demo's events (``flask eraati seed-demo``): a library evening in Keitele on the
library bus topic, with paper feedback collected there, so that the topic page, the
calendar and the report show them; and a coming evening in Tervo. Idempotent: a topic
that has events already gets none."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from eraati.audit.services import record, record_comment_act
from eraati.consultations.models import Comment, CommentSource, CommentStatus, Topic
from eraati.core.time import HELSINKI
from eraati.events.models import TopicEvent
from eraati.extensions import db
from eraati.organisations.models import Organisation

ORG, TOPIC = "keitele", "kirjastoauton-pysakit"
# Feedback written on paper forms at the library evening, entered the next morning.
EVENING_FEEDBACK = (
    "Kirjastoauton pitäisi pysähtyä myös Kalliojärven kylätalolla, siellä on hyvä kääntöpaikka.",
    "Iltapysäkki kauppakeskuksen pihaan torstaisin, silloin käymme kaupassa joka tapauksessa.",
    "Kiitos neuvonnasta! Verkossa kommentointi onnistui kirjaston koneella avustettuna.",
    "Pysäkkien aikataulu pitäisi olla myös paperisena kirjastossa ja kaupan ilmoitustaululla.",
)


def _evening(day, start: time, end: time) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, start).replace(tzinfo=HELSINKI).astimezone(UTC),
        datetime.combine(day, end).replace(tzinfo=HELSINKI).astimezone(UTC),
    )


def seed(now: datetime, moderator, admin) -> int:
    """Create the events of the demo topic if it has none; the number of events made."""
    topic = db.session.scalar(
        sa.select(Topic)
        .join(Organisation, Organisation.id == Topic.organisation_id)
        .where(Organisation.slug == ORG, Topic.slug == TOPIC)
    )
    if topic is None:
        return 0
    has = db.session.scalar(sa.select(sa.func.count()).where(TopicEvent.topic_id == topic.id))
    if has:
        return 0
    opened = topic.opens_at.astimezone(HELSINKI).date()
    starts, ends = _evening(opened + timedelta(days=2), time(17, 0), time(19, 0))
    past = TopicEvent(
        topic_id=topic.id,
        starts_at=starts,
        ends_at=ends,
        place="Keiteleen kirjasto",
        street_address="Keiteleentie 15",
        municipality="72600 Keitele",
        description=(
            "Kirjastoilta: kirjastossa neuvotaan osallistumaan verkossa; paperilomakkeita "
            "saatavilla. "
            "Kirjastoauton kuljettaja kertoo nykyisistä reiteistä."
        ),
        languages="fi",
        accessibility="Esteetön sisäänkäynti, induktiosilmukka, pysäköinti oven edessä.",
        created_by_id=getattr(admin, "id", None),
        created_at=topic.opens_at,
        updated_at=topic.opens_at,
    )
    soon = now.astimezone(HELSINKI).date() + timedelta(days=4)
    starts, ends = _evening(soon, time(16, 0), time(18, 0))
    coming = TopicEvent(
        topic_id=topic.id,
        starts_at=starts,
        ends_at=ends,
        place="Tervon kirjasto",
        street_address="Tervontie 10",
        municipality="72210 Tervo",
        description=(
            "Kirjastoauton reiteistä voi kertoa paperilomakkeella tai verkossa avustettuna."
        ),
        languages="fi sv",
        accessibility="Sisäänkäynnillä kaksi porrasta ja luiska.",
        created_by_id=getattr(admin, "id", None),
        created_at=topic.opens_at,
        updated_at=topic.opens_at,
    )
    db.session.add_all([past, coming])
    db.session.flush()
    for event in (past, coming):
        record(
            "event.add",
            organisation=topic.organisation_id,
            target=event,
            target_label=event.place,
            details={"topic_id": topic.id, "starts_at": event.starts_at.isoformat()},
            actor=admin,
            now=event.created_at,
        )
    entered = min(past.ends_at + timedelta(hours=15), now)
    for i, text in enumerate(EVENING_FEEDBACK):
        comment = Comment(
            topic_id=topic.id,
            body=text,
            language="fi",
            status=CommentStatus.VISIBLE,
            source=CommentSource.EVENT if i % 2 else CommentSource.PAPER,
            received_on=past.starts_at.astimezone(HELSINKI).date(),
            place=past.place,
            event_id=past.id,
            entered_by_id=getattr(moderator, "id", None),
            created_at=entered + timedelta(minutes=3 * i),
        )
        db.session.add(comment)
        db.session.flush()
        if moderator is not None:
            record_comment_act(
                "paper.add",
                comment,
                details={"source": str(comment.source), "place": comment.place},
                actor=moderator,
                now=comment.created_at,
            )
    return 2
