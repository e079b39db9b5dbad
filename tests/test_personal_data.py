"""The data download holds everything eRaati stores about the person.

The test walks every table of the database: a column with a foreign key to users.id, or
one that looks like it holds a person (``*_id`` without a foreign key, an e-mail address),
must be named in ``personal_data.PERSONAL_COLUMNS`` (or below, with the reason it is not
about a person), and every row it finds for a person who has one of everything must be in
that section of the download. A new table that refers to people fails here until the
download gives its rows. Runs on SQLite and PostgreSQL like the rest of the suite.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.audit.services import record
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    BackgroundAnswer,
    Comment,
    CommentFlag,
    CommentSource,
    CommentStatus,
    CommentVote,
    FileKind,
    FlagReason,
    Follow,
    Question,
    QuestionKind,
    Stance,
    TopicFile,
    TopicStance,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.events.models import TopicEvent
from eraati.extensions import db as _db
from eraati.jobs.models import ExportJob, JobState
from eraati.moderation import services as moderation
from eraati.moderation.services.blocks import address_hash
from eraati.notifications.models import (
    Kind,
    Mode,
    Notification,
    NotificationPreference,
    OrganisationSubscription,
)
from eraati.organisations.models import Invitation, Role
from eraati.personal_data import PERSONAL_COLUMNS
from tests import factories

# Columns the walk finds that are not about a person, and why.
NOT_ABOUT_A_PERSON = {
    "organisations.contact_email": "the organisation's own contact address, not an account",
}


def _columns_about_people():
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if column.primary_key:
                continue
            to_users = any(fk.column.table.name == "users" for fk in column.foreign_keys)
            unlinked = not column.foreign_keys and (
                column.name.endswith("_id") or "email" in column.name
            )
            if to_users or unlinked:
                yield table, column


@pytest.fixture
def person(db, org, other_org):
    """A moderator of Keitele who also takes part, with one of everything."""
    now = utcnow()
    me = factories.make_user(
        "kaikki@example.fi", name="Kaisa Kaikki", org=org, roles=(Role.MODERATOR,)
    )
    someone = factories.make_user("joku@example.fi", name="Joku Muu")
    blocker = factories.make_user("esto@vierema.fi", org=other_org, roles=(Role.MODERATOR,))
    topic = factories.make_topic(org, with_poll=True)
    theirs = Comment(topic_id=topic.id, author_id=someone.id, body="Toisen kommentti")
    mine = Comment(topic_id=topic.id, author_id=me.id, body="Oma kommentti")
    hidden = Comment(
        topic_id=topic.id,
        author_id=someone.id,
        body="Piilotettu",
        status=CommentStatus.HIDDEN,
        hidden_at=now,
        hidden_by_id=me.id,
        hidden_reason="Asiaton",
    )
    reviewed = Comment(topic_id=topic.id, author_id=someone.id, body="Tarkistettu")
    paper = Comment(
        topic_id=topic.id, source=CommentSource.PAPER, body="Paperilta", entered_by_id=me.id
    )
    _db.session.add_all([theirs, mine, hidden, reviewed, paper])
    _db.session.flush()
    reviewed.reviewed_by_id = me.id
    question = topic.questions[0]
    answer = Answer(question_id=question.id, user_id=me.id)
    answer.choices.append(AnswerChoice(option_id=question.options[0].id))
    # An open answer of someone else, which I hid as a moderator.
    open_question = Question(position=5, kind=QuestionKind.OPEN, texts={"fi": "Muuta?"})
    topic.questions.append(open_question)
    _db.session.flush()
    hidden_answer = Answer(
        question_id=open_question.id,
        user_id=someone.id,
        text="Asiaton",
        hidden_at=now,
        hidden_by_id=me.id,
        hidden_reason="Asiaton",
    )
    _db.session.add(hidden_answer)
    created = factories.make_topic(org, slug="oma-aihe")
    created.created_by_id = me.id
    file = TopicFile(
        topic_id=topic.id,
        kind=FileKind.ATTACHMENT,
        filename="liite.pdf",
        content_type="application/pdf",
        size=9,
        data=b"%PDF-1.4\n",
        uploaded_by_id=me.id,
    )
    _db.session.add_all(
        [
            TopicStance(topic_id=topic.id, user_id=me.id, stance=Stance.SUPPORT),
            BackgroundAnswer(topic_id=topic.id, user_id=me.id, age_group="30-44"),
            CommentVote(comment_id=theirs.id, user_id=me.id, value=VoteValue.AGREE),
            answer,
            Follow(topic_id=topic.id, user_id=me.id),
            CommentFlag(comment_id=theirs.id, user_id=me.id, reason=FlagReason.SPAM),
            file,
            TopicEvent(
                topic_id=topic.id,
                starts_at=datetime(2027, 1, 12, 15, 0, tzinfo=UTC),
                place="Kirjasto",
                created_by_id=me.id,
            ),
            ExportJob(
                token="oma-vienti",
                organisation_id=org.id,
                topic_id=topic.id,
                format="xlsx",
                language="fi",
                state=JobState.QUEUED,
                requested_by_id=me.id,
            ),
            Invitation(
                organisation=other_org,
                email=me.email,
                role=Role.PREPARER,
                expires_at=now + timedelta(days=7),
            ),
            Invitation(
                organisation=org,
                email="kutsuttu@example.fi",
                role=Role.PREPARER,
                invited_by_id=me.id,
                expires_at=now + timedelta(days=7),
            ),
            Invitation(
                organisation=org,
                email="vanha-osoite@example.fi",
                role=Role.MODERATOR,
                accepted_by_id=me.id,
                accepted_at=now,
                expires_at=now + timedelta(days=7),
            ),
        ]
    )
    _db.session.flush()
    # Blocked in Vieremä twice: from a comment, and by the address.
    moderation.block_user(other_org, me, 3, "Vieremän esto", blocker, now=now)
    moderation.block_address(other_org, me.email, 5, "Osoitteella", blocker, now=now)
    # A block Kaisa made and lifted in Keitele.
    made = moderation.block_user(org, someone, 3, "Nimittelyä", me, now=now)
    moderation.lift_block(made, me, now=now + timedelta(hours=1))
    _db.session.add_all(
        [
            NotificationPreference(user_id=me.id, kind=Kind.NEW_TOPIC, mode=Mode.DIGEST),
            OrganisationSubscription(user_id=me.id, organisation_id=other_org.id),
            Notification(
                user_id=me.id,
                kind=Kind.REPLY,
                key=f"c{theirs.id}",
                topic_id=topic.id,
                comment_id=theirs.id,
            ),
        ]
    )
    record("comment.hide", organisation=org, target=hidden, actor=me, now=now)
    record("role.grant", organisation=org, target=me, actor=blocker, now=now)
    _db.session.commit()
    return me


def test_every_column_about_a_person_is_in_the_download(app, client, login_as, person):
    login_as(person)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    values = {"id": person.id, "email": person.email, "email_hash": address_hash(person.email)}
    unnamed, unfilled, missing = [], [], []
    for table, column in _columns_about_people():
        key = f"{table.name}.{column.name}"
        if key in NOT_ABOUT_A_PERSON:
            continue
        if key not in PERSONAL_COLUMNS:
            unnamed.append(key)
            continue
        spec = PERSONAL_COLUMNS[key]
        assert spec.section in data, (key, spec.section)
        if spec.holds == "row":  # found through another column of the same row
            continue
        (pk,) = table.primary_key.columns
        stmt = sa.select(pk).where(column == values[spec.holds])
        for name, value in spec.where.items():
            stmt = stmt.where(table.c[name] == value)
        ids = set(_db.session.scalars(stmt))
        if not ids:
            unfilled.append(key)
        section = data[spec.section]
        exported = {section["id"]} if isinstance(section, dict) else {i["id"] for i in section}
        if not ids <= exported:
            missing.append((key, sorted(ids - exported)))
    assert unnamed == [], "columns about a person missing from personal_data.PERSONAL_COLUMNS"
    assert unfilled == [], "give the test's person a row for these columns"
    assert missing == [], "rows about the person missing from the download"


def test_the_download_shows_the_person_what_is_theirs_and_nobody_elses(
    client, login_as, person, org, other_org
):
    login_as(person)
    response = client.get("/account/data.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert [(r["organisation"], r["role"]) for r in data["staff_roles"]] == [
        ("keitele", "moderator")
    ]
    assert [r["reason"] for r in data["reports"]] == ["spam"]
    assert sorted(b["reason"] for b in data["blocks"]) == ["Osoitteella", "Vieremän esto"]
    assert [(b["made_by_you"], b["lifted_by_you"]) for b in data["blocks_made"]] == [(True, True)]
    assert [i["organisation"] for i in data["invitations_received"]] == ["vierema", "keitele"]
    assert [a["action"] for a in data["audit_log_about_you"]] == ["user.block", "role.grant"]
    own_actions = {a["action"] for a in data["audit_log_own_acts"]}
    assert {"user.block", "user.unblock", "comment.hide"} <= own_actions
    text = response.get_data(as_text=True)
    # Others' data stays out: the invitee's address, the blocked person's name, the staff
    # member who acted on the person.
    for other in ("kutsuttu@example.fi", "Joku Muu", "esto@vierema.fi", "Toisen kommentti"):
        assert other not in text


def test_own_acts_on_other_people_give_neither_whom_nor_why(client, login_as, person, org):
    """A staff member's acts are their data, but a block, a suspension or a hidden
    comment is about someone else, and a reason or a moderator's note often names a third
    person (GDPR art. 15(4)): of those acts the download gives the action, the time, the
    organisation and the kind of target; acts on a topic or on the person's own comment
    keep the target and the reason."""
    from eraati.accounts.services import suspend_user
    from eraati.audit.services import record_comment_act
    from eraati.consultations.models import Topic

    someone = _db.session.scalar(sa.select(User).where(User.email == "joku@example.fi"))
    topic = _db.session.scalar(sa.select(Topic).where(Topic.slug != "oma-aihe"))
    theirs = _db.session.scalar(sa.select(Comment).where(Comment.body == "Piilotettu"))
    mine = _db.session.scalar(sa.select(Comment).where(Comment.author_id == person.id))
    now = utcnow()
    moderation.block_user(org, someone, 7, "Toistuvasti loukkaavaa kielenkäyttöä", person,
                          now=now + timedelta(days=1))  # fmt: skip
    record("comment.hide", organisation=org, target=theirs, actor=person, now=now,
           reason="Henkilötietoja: mainitsi hoitaja Liisa Esimerkin nimeltä")  # fmt: skip
    suspend_user(someone, "Uhkaili toista asukasta", person, now=now)
    record("topic.close", organisation=org, target=topic, reason="Kunnanhallitus päätti",
           actor=person, now=now)  # fmt: skip
    record_comment_act("comment.key", mine, actor=person, now=now)
    _db.session.commit()
    login_as(person)
    response = client.get("/account/data.json")
    data = response.get_json()
    text = response.get_data(as_text=True)

    acts = data["audit_log_own_acts"]
    about_others = [a for a in acts if a["target_type"] in ("User", "UserBlock")]
    about_others += [a for a in acts if a["action"] == "comment.hide"]
    assert {a["action"] for a in about_others} >= {
        "user.block", "user.unblock", "user.suspend", "comment.hide"
    }  # fmt: skip
    for act in about_others:
        assert (act["target_id"], act["reason"]) == (None, None), act
        assert act["created_at"] and act["target_type"], act
    assert {a["organisation"] for a in about_others} == {"keitele", None}  # None: platform
    for words in ("Toistuvasti", "Liisa Esimerkki", "Uhkaili", "Nimittelyä"):
        assert words not in text, words
    closed = next(a for a in acts if a["action"] == "topic.close")
    assert (closed["target_id"], closed["reason"]) == (topic.id, "Kunnanhallitus päätti")
    key = next(a for a in acts if a["action"] == "comment.key")
    assert (key["target_type"], key["target_id"]) == ("Comment", mine.id)
    # What was done to the person stays theirs, with its reason.
    about_me = [a["reason"] for a in data["audit_log_about_you"] if a["action"] == "user.block"]
    assert "Vieremän esto" in about_me
