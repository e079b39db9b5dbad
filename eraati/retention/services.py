"""Which topics are due for the removal of their personal data, what it would remove, and
the removal itself (``anonymise``), driven by the lists in ``coverage``.

``anonymise`` runs in the caller's transaction (flush, never commit) and at most once per
topic: it starts by claiming the topic (``UPDATE topics SET anonymised_at = now WHERE
anonymised_at IS NULL``), so two ticks at once anonymise it once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.analysis.opinion import rekey_people
from eraati.audit.services import SYSTEM, record
from eraati.consultations.models import AnonymisedParticipant, Comment, Topic
from eraati.core import pseudonyms
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs.models import ExportJob
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Invitation
from eraati.retention.coverage import (
    LINKS,
    NOTIFICATION_KEEP,
    TEXTS,
    Computed,
    Keep,
    Link,
    Text,
    unanswered_invitations,
)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the month's last day when it is shorter)."""
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Due:
    topic: Topic
    due_at: datetime  # results_published_at + the organisation's retention_months


def due_topics(now: datetime | None = None) -> list[Due]:
    """Published topics whose personal data is still there and whose organisation's
    retention time has passed, the oldest first (one query)."""
    now = now or utcnow()
    topics = db.session.scalars(
        sa.select(Topic)
        .where(Topic.results_published_at.is_not(None), Topic.anonymised_at.is_(None))
        .order_by(Topic.results_published_at, Topic.id)
    )
    due = []
    for topic in topics:
        at = add_months(topic.results_published_at, topic.organisation.retention_months)
        if at <= now:
            due.append(Due(topic, at))
    return due


# --- what would be removed -----------------------------------------------------------------


@dataclass
class Plan:
    """How many of each kind of thing anonymising a topic removes or detaches."""

    people: int = 0
    links: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows
    texts: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def lines(self) -> list[str]:
        """What the dry run prints, a line each (only what there is)."""
        out = [f"{self.people} people detached, their pseudonyms kept"]
        for item in (*LINKS, *TEXTS):
            n = (self.links if isinstance(item, Link) else self.texts).get(_name(item), 0)
            if n:
                out.append(f"{n} {item.what} ({_name(item)})")
        if self.files:
            out.append(f"{self.files} prepared file(s) removed")
        return out

    def details(self) -> dict[str, Any]:
        """For the audit row."""
        return {"people": self.people, **self.links, **self.texts, "files": self.files}


def _name(item: Any) -> str:
    """ "comments.author_id"; "comments.nickname.anonymous" where a column has several."""
    table, column = item.key
    extra = getattr(item, "name", "")
    return f"{table}.{column}.{extra}" if extra else f"{table}.{column}"


def _column(item: Any) -> sa.Column:
    return item.model.__table__.c[item.column]


def _people(topic_id: int) -> sa.Select:
    """The accounts linked to the topic's participation rows."""
    return sa.union(
        *(
            sa.select(_column(link).label("user_id")).where(
                link.rows(topic_id), _column(link).is_not(None)
            )
            for link in LINKS
            if link.keep == Keep.PARTICIPANT
        )
    )


def _files(topic_id: int) -> sa.Select:
    return sa.select(ExportJob.id, ExportJob.stored_name).where(
        ExportJob.topic_id == topic_id, ExportJob.stored_name.is_not(None)
    )


def plan(topic: Topic) -> Plan:
    """What ``anonymise`` would do to ``topic`` now (one query)."""

    def count(model: Any, where: Any) -> sa.ScalarSelect:
        return sa.select(sa.func.count()).select_from(model).where(where).scalar_subquery()

    links = {
        _name(link): count(link.model, sa.and_(link.rows(topic.id), _column(link).is_not(None)))
        for link in LINKS
    }
    texts = {_name(text): count(text.model, text.where(topic.id)) for text in TEXTS}
    people = sa.select(sa.func.count()).select_from(_people(topic.id).subquery()).scalar_subquery()
    files = sa.select(sa.func.count()).select_from(_files(topic.id).subquery()).scalar_subquery()
    row = db.session.execute(
        sa.select(
            people.label("people"),
            files.label("files"),
            *(c.label(f"link_{i}") for i, c in enumerate(links.values())),
            *(c.label(f"text_{i}") for i, c in enumerate(texts.values())),
        )
    ).one()
    values = list(row)
    n_links = len(links)
    return Plan(
        people=values[0],
        files=values[1],
        links=dict(zip(links, values[2 : 2 + n_links], strict=True)),
        texts=dict(zip(texts, values[2 + n_links :], strict=True)),
    )


# --- the removal ---------------------------------------------------------------------------


def _keep_updated_at(table: sa.Table) -> dict[str, Any]:
    """Removing personal data is not an edit: a row's ``updated_at`` stays."""
    column = table.c.get("updated_at")
    return {"updated_at": column} if column is not None and column.onupdate else {}


def organisations_reason(stored: str, reason: ModerationReason | None, language: str) -> str:
    """What stays of a hidden comment's stored reason ("<reason>: <the moderator's
    note>"): the organisation's reason in its first language, as ``hide_comment`` wrote it,
    without the note. A reason whose template is gone keeps what comes before the first
    ": " (the note always follows it)."""
    if reason is not None:
        return reason.text(language)
    return stored.partition(": ")[0]


def _keep_organisations_reasons(topic: Topic, text: Text) -> None:
    """The moderators' notes go from the topic's hidden comments' reasons (a statement
    for all of them; a topic has few hidden comments)."""
    rows = db.session.execute(
        sa.select(Comment.id, Comment.hidden_reason, Comment.hidden_reason_id).where(
            text.where(topic.id)
        )
    ).all()
    if not rows:
        return
    reasons = {
        r.id: r
        for r in db.session.scalars(
            sa.select(ModerationReason).where(
                ModerationReason.organisation_id == topic.organisation_id
            )
        )
    }
    language = topic.organisation.primary_language
    table = Comment.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("comment"))
        .values({text.column: sa.bindparam("kept"), **_keep_updated_at(table)}),
        [
            {"comment": cid, "kept": organisations_reason(stored, reasons.get(rid), language)}
            for cid, stored, rid in rows
        ],
    )


def anonymise(topic: Topic, *, now: datetime | None = None) -> Plan | None:
    """Remove the personal data of ``topic`` (``coverage``); None when another run
    already did. Flushes; the caller commits (the prepared files are removed at once)."""
    from eraati.jobs.services import export_dir

    now = now or utcnow()
    topics = Topic.__table__
    # The key the pseudonyms were made with: only the claim below discards it, so the one
    # read here is the one of the rows as long as the claim succeeds.
    key = db.session.scalar(sa.select(topics.c.pseudonym_key).where(topics.c.id == topic.id))
    claimed = db.session.execute(
        sa.update(topics)
        .where(topics.c.id == topic.id, topics.c.anonymised_at.is_(None))
        .values(anonymised_at=now, pseudonym_key=None, **_keep_updated_at(topics))
    ).rowcount
    if claimed != 1:
        return None
    done = plan(topic)

    # 1. One participant per account, with its pseudonym and home municipality of today.
    # The topic's key is gone from the database already: the stored pseudonyms can never
    # be computed again from the accounts. The participants are numbered in the order of
    # their pseudonyms, which says nothing of the accounts' order either.
    namer = pseudonyms.Namer(topic.id, key)
    people = db.session.execute(
        sa.select(User.id, User.home_municipality_code).where(User.id.in_(_people(topic.id)))
    )
    accounts = sorted((namer.person(uid), uid, code) for uid, code in people)
    participants = [
        AnonymisedParticipant(topic_id=topic.id, pseudonym=pseudonym, home_municipality_code=code)
        for pseudonym, _uid, code in accounts
    ]
    db.session.add_all(participants)
    db.session.flush()
    pairs = [
        {"account": uid, "participant": p.id}
        for (_pseudonym, uid, _home), p in zip(accounts, participants, strict=True)
    ]

    # 2. Texts first: the nicknames' markers depend on the links still being there.
    for text in TEXTS:
        table = text.model.__table__
        if text.value is Computed.ORGANISATIONS_REASON:
            _keep_organisations_reasons(topic, text)
            continue
        db.session.execute(
            sa.update(table)
            .where(text.where(topic.id))
            .values({text.column: text.value, **_keep_updated_at(table)})
        )

    # 3. Links: participation rows to their participant, then every link cleared.
    for link in LINKS:
        table, column = link.model.__table__, _column(link)
        if link.keep == Keep.DELETE:
            db.session.execute(sa.delete(table).where(link.rows(topic.id)))
            continue
        if link.keep == Keep.PARTICIPANT and pairs:
            db.session.execute(
                sa.update(table)
                .where(link.rows(topic.id), column == sa.bindparam("account"))
                .values({link.participant_column: sa.bindparam("participant")}),
                pairs,
            )
        db.session.execute(
            sa.update(table)
            .where(link.rows(topic.id), column.is_not(None))
            .values({link.column: None, **_keep_updated_at(table)})
        )

    # 3b. The stored opinion groups: by participant instead of by account.
    rekey_people(topic.id, {pair["account"]: -pair["participant"] for pair in pairs})

    # 4. Files prepared before: they hold the data as it was.
    directory = export_dir()
    files = db.session.execute(_files(topic.id)).all()
    for row in files:
        (directory / row.stored_name).unlink(missing_ok=True)
    if files:
        db.session.execute(
            sa.update(ExportJob)
            .where(ExportJob.id.in_([row.id for row in files]))
            .values(stored_name=None)
        )

    text = topic.text(topic.organisation.primary_language)
    record(
        "topic.anonymise",
        organisation=topic.organisation_id,
        target=topic,
        target_label=text.title if text else topic.slug,
        details=done.details(),
        actor=SYSTEM,
        now=now,
    )
    db.session.flush()
    db.session.expire(topic)
    return done


# --- invitations ---------------------------------------------------------------------------


def unanswered_invitation_count(*, now: datetime | None = None) -> int:
    """How many invitations ``remove_unanswered_invitations`` would delete now."""
    now = now or utcnow()
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Invitation).where(unanswered_invitations(now))
    )


def remove_unanswered_invitations(*, now: datetime | None = None) -> int:
    """Delete the invitations nobody accepted, ``coverage.INVITATION_GRACE`` after they
    expired (they hold an address of someone who may have no account); how many."""
    now = now or utcnow()
    return db.session.execute(
        sa.delete(Invitation).where(unanswered_invitations(now)),
        execution_options={"synchronize_session": False},
    ).rowcount


# --- notifications ---------------------------------------------------------------------------


def remove_old_notifications(*, now: datetime | None = None) -> int:
    """Delete the records of e-mails sent or given up over ``NOTIFICATION_KEEP`` ago (who
    was told what, when); how many."""
    from eraati.notifications.models import Notification

    limit = (now or utcnow()) - NOTIFICATION_KEEP
    return db.session.execute(
        sa.delete(Notification).where(
            sa.or_(Notification.sent_at <= limit, Notification.failed_at <= limit)
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
