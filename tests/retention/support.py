"""The retention tests' topic: tests/exports' world with its results published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eraati.consultations import counters
from eraati.consultations.models import (
    Answer,
    BackgroundAnswer,
    CommentFlag,
    FileKind,
    FlagReason,
    Follow,
    Question,
    QuestionKind,
    TopicFile,
    TopicStatus,
)
from eraati.events.models import TopicEvent
from eraati.extensions import db
from eraati.notifications.models import Kind, Notification
from eraati.retention.services import add_months
from tests.exports.support import World, build_world
from tests.jobs.support import make_done_job

PUBLISHED = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
# A day after the default 24 months, and a day before them.
DUE = add_months(PUBLISHED, 24) + timedelta(days=1)
NOT_YET = add_months(PUBLISHED, 24) - timedelta(days=1)
FLAG_DETAILS = "Kertoo naapurin sairaudesta nimellä"


def publish_world(org, topic, staff) -> World:
    world = build_world(org, topic, staff)
    c = world.comments
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = PUBLISHED
    topic.closes_at = PUBLISHED - timedelta(days=30)
    topic.opens_at = PUBLISHED - timedelta(days=60)
    topic.created_by_id = staff.id
    aino, pekka = world.people["aino"], world.people["pekka"]
    db.session.add_all(
        [
            Follow(topic_id=topic.id, user_id=aino.id),
            Notification(
                user_id=aino.id,
                kind=Kind.REPLY,
                key=f"c{c['web'].id}",
                topic_id=topic.id,
                comment_id=c["web"].id,
                sent_at=PUBLISHED - timedelta(days=40),
            ),
            TopicFile(
                topic_id=topic.id,
                kind=FileKind.ATTACHMENT,
                filename="liite.pdf",
                content_type="application/pdf",
                size=8,
                data=b"%PDF-1.4",
                texts={"fi": "Liite"},
                uploaded_by_id=staff.id,
            ),
            TopicEvent(
                topic_id=topic.id,
                starts_at=PUBLISHED - timedelta(days=60),
                place="Kirjasto",
                created_by_id=staff.id,
            ),
            CommentFlag(
                comment_id=c["hidden"].id,
                user_id=pekka.id,
                reason=FlagReason.PERSONAL_DATA,
                details=FLAG_DETAILS,
            ),
        ]
    )
    c["hidden"].hidden_by_id = staff.id
    c["web"].reviewed_by_id = staff.id
    # An open survey answer a moderator hid.
    open_question = Question(position=9, kind=QuestionKind.OPEN, texts={"fi": "Muuta?"})
    topic.questions.append(open_question)
    db.session.flush()
    db.session.add(
        Answer(
            question_id=open_question.id,
            user_id=pekka.id,
            text="Naapurini on sairas",
            hidden_at=PUBLISHED - timedelta(days=5),
            hidden_by_id=staff.id,
            hidden_reason="Henkilötietoja",
        )
    )
    # Survey background answers (consultations.background).
    db.session.add(BackgroundAnswer(topic_id=topic.id, user_id=pekka.id, age_group="30-44"))
    world.secrets.append(FLAG_DETAILS)
    db.session.flush()
    counters.recount([topic.id])  # the world's rows were added without their counters
    db.session.expire_all()
    world.job = make_done_job(topic, staff, data=b"PK\x03\x04 the data as it was")
    return world
