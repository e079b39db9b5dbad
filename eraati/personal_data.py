"""Everything eRaati stores about one person, as the data download gives it (GDPR art. 15
and 20).

It reads every domain, so it sits beside ``permissions.py`` and ``staff.py`` rather than in
``accounts``. ``PERSONAL_COLUMNS`` names each column that refers to a person and the
section of the download holding the rows it refers to; ``tests/test_personal_data.py``
walks the database's tables and fails on a column that refers to a person and is not
named here, so a new table cannot be left out of the download.

Choices:

- The audit log keeps its actor by id without a foreign key. The person's own acts as
  staff are data about them (art. 15), so they are in the download; so are acts whose
  target is their account (a suspension, a role granted). The staff member who acted on
  them is not named. Of their own acts, the action, time, organisation and kind of target
  are given; the target's id and the free text (reasons, notes) only when the target is
  not another person (``NOT_A_PERSON``: a topic, a theme, ...) or is the person's own (their
  account, comment or invitation). A block, a suspension, an invitation or a hidden
  comment is someone else's, and a moderator's note often names a third person: the copy
  must not disclose others (art. 15(4)). Labels are never given.
- Invitations are by e-mail address: those sent to the person's address are theirs.
  Those they sent as staff are given without the invitee's address.
- The opinion groups (``analysis``) are computed from the votes and stored per topic,
  by person: the group a person was placed in, in each topic they voted on, is theirs.
- A block made by e-mail address before the account existed is taken over by the account
  at registration (``user_id`` filled in), so the person's blocks are found by ``user_id``.

One query per section, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    BackgroundAnswer,
    Comment,
    CommentFlag,
    CommentVote,
    Follow,
    Option,
    Question,
    Topic,
    TopicFile,
    TopicStance,
)
from eraati.core.time import utcnow
from eraati.events.models import TopicEvent
from eraati.extensions import db
from eraati.jobs.models import ExportJob
from eraati.moderation.models import UserBlock
from eraati.organisations.models import Invitation, Membership, Organisation
from eraati.organisations.municipalities import name as municipality_name
from eraati.parts import display as parts_display
from eraati.parts import queries as parts_queries


@dataclass(frozen=True)
class PersonalColumn:
    """A column referring to a person: the section of the download with its rows, what the
    column holds ("id" of the user, their "email", the "email_hash" of blocks, or "row":
    a value of a row another column of the table finds) and any further condition."""

    section: str
    holds: str = "id"
    where: dict[str, Any] = field(default_factory=dict)


PERSONAL_COLUMNS: dict[str, PersonalColumn] = {
    "users.email": PersonalColumn("profile", holds="email"),
    "users.email_verified_at": PersonalColumn("profile", holds="row"),
    "users.home_municipality_code": PersonalColumn("profile", holds="row"),
    "memberships.user_id": PersonalColumn("staff_roles"),
    "comments.author_id": PersonalColumn("comments"),
    "comments.hidden_by_id": PersonalColumn("comments_moderated"),
    "comments.reviewed_by_id": PersonalColumn("comments_moderated"),
    "comments.entered_by_id": PersonalColumn("comments_entered"),
    "topic_stances.user_id": PersonalColumn("stances"),
    "comment_votes.user_id": PersonalColumn("comment_votes"),
    "answers.user_id": PersonalColumn("poll_answers"),
    "answers.hidden_by_id": PersonalColumn("answers_moderated"),
    "background_answers.user_id": PersonalColumn("survey_background_answers"),
    "background_answers.age_group": PersonalColumn("survey_background_answers", holds="row"),
    "background_answers.relation": PersonalColumn("survey_background_answers", holds="row"),
    "background_answers.municipality_code": PersonalColumn(
        "survey_background_answers", holds="row"
    ),
    "follows.user_id": PersonalColumn("follows"),
    "comment_flags.user_id": PersonalColumn("reports"),
    "user_blocks.user_id": PersonalColumn("blocks"),
    "user_blocks.email_hash": PersonalColumn("blocks", holds="email_hash"),
    "user_blocks.email_hint": PersonalColumn("blocks", holds="row"),
    "user_blocks.created_by_id": PersonalColumn("blocks_made"),
    "user_blocks.lifted_by_id": PersonalColumn("blocks_made"),
    "invitations.email": PersonalColumn("invitations_received", holds="email"),
    "invitations.accepted_by_id": PersonalColumn("invitations_received"),
    "invitations.invited_by_id": PersonalColumn("invitations_sent"),
    "topics.created_by_id": PersonalColumn("topics_created"),
    "topic_files.uploaded_by_id": PersonalColumn("files_uploaded"),
    "topic_events.created_by_id": PersonalColumn("events_created"),
    "export_jobs.requested_by_id": PersonalColumn("export_requests"),
    "notification_preferences.user_id": PersonalColumn("notification_preferences"),
    "organisation_subscriptions.user_id": PersonalColumn("organisation_subscriptions"),
    "notifications.user_id": PersonalColumn("notifications"),
    "audit_events.actor_id": PersonalColumn("audit_log_own_acts"),
    "audit_events.target_id": PersonalColumn("audit_log_about_you", where={"target_type": "User"}),
}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_TOPIC = (Organisation.slug, Topic.id, Topic.slug)


def _topic_ref(org_slug: str, topic_id: int, topic_slug: str) -> dict[str, Any]:
    return {"id": topic_id, "organisation": org_slug, "slug": topic_slug}


def _part_ref(found: tuple[Any, Topic] | None) -> dict[str, Any] | None:
    """A comment's part: its number and its title in the topic's primary language."""
    if found is None:
        return None
    part, topic = found
    text = parts_display.reference(part, topic)
    return {"number": part.position, "title": text.title if text else None}


def _with_topic(stmt: sa.Select, topic_id: Any) -> sa.Select:
    return stmt.join(Topic, topic_id == Topic.id).join(
        Organisation, Topic.organisation_id == Organisation.id
    )


def _rows(stmt: sa.Select) -> list:
    return db.session.execute(stmt).all()


def _org_slugs() -> dict[int, str]:
    """Organisation id -> slug (a short table: one query)."""
    return dict(db.session.execute(sa.select(Organisation.id, Organisation.slug)).tuples().all())


def export_user_data(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """The person's data as plain JSON-ready values, one section per kind of row."""
    uid, email = user.id, user.email
    orgs = _org_slugs()
    data: dict[str, Any] = {
        "exported_at": _iso(now or utcnow()),
        "profile": {
            "id": uid,
            "email": email,
            "display_name": user.display_name,
            "language": user.locale,
            "name_in_exports_allowed": bool(user.name_consent),
            "home_municipality_code": user.home_municipality_code,
            "home_municipality_name": municipality_name(user.home_municipality_code, user.locale),
            "email_verified_at": _iso(user.email_verified_at),
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "suspended_at": _iso(user.suspended_at),
            "platform_admin": bool(user.is_platform_admin),
        },
    }
    data["staff_roles"] = [
        {
            "id": m.id,
            "organisation": orgs.get(m.organisation_id),
            "role": str(m.role),
            "created_at": _iso(m.created_at),
        }
        for m in db.session.scalars(
            sa.select(Membership).where(Membership.user_id == uid).order_by(Membership.id)
        )
    ]
    data.update(_participation(uid))
    data["opinion_groups"] = _opinion_groups(uid)
    data.update(_moderation(uid, email, orgs))
    data.update(_staff_work(uid, orgs))
    data.update(_notifications(uid, orgs))
    # What the person's own acts may name: their account, comments and invitations.
    own = {
        ("User", uid),
        *(("Comment", c["id"]) for c in data["comments"]),
        *(("Invitation", i["id"]) for i in data["invitations_received"]),
    }
    data.update(_audit(uid, orgs, own))
    return data


def _notifications(uid: int, orgs: dict[int, str]) -> dict[str, list]:
    """The person's e-mail choices and the e-mails recorded for them (sent, or waiting)."""
    from eraati.notifications.models import (
        Notification,
        NotificationPreference,
        OrganisationSubscription,
    )

    preferences = db.session.scalars(
        sa.select(NotificationPreference)
        .where(NotificationPreference.user_id == uid)
        .order_by(NotificationPreference.id)
    )
    subscriptions = db.session.scalars(
        sa.select(OrganisationSubscription)
        .where(OrganisationSubscription.user_id == uid)
        .order_by(OrganisationSubscription.id)
    )
    topics = sa.orm.aliased(Topic)
    sent = db.session.execute(
        sa.select(Notification, topics.slug)
        .outerjoin(topics, Notification.topic_id == topics.id)
        .where(Notification.user_id == uid)
        .order_by(Notification.id)
    )
    return {
        "notification_preferences": [
            {"id": p.id, "kind": str(p.kind), "mode": str(p.mode), "updated_at": _iso(p.updated_at)}
            for p in preferences
        ],
        "organisation_subscriptions": [
            {
                "id": s.id,
                "organisation": orgs.get(s.organisation_id),
                # False: one of the person's default organisations they chose not to hear of.
                "subscribed": s.subscribed,
                "created_at": _iso(s.created_at),
            }
            for s in subscriptions
        ],
        "notifications": [
            {
                "id": n.id,
                "kind": str(n.kind),
                "topic": {"id": n.topic_id, "slug": slug} if n.topic_id else None,
                "comment_id": n.comment_id,
                "organisation": orgs.get(n.organisation_id),
                "in_weekly_digest": n.digest,
                "created_at": _iso(n.created_at),
                "due_at": _iso(n.due_at),
                "sent_at": _iso(n.sent_at),
                "failed_at": _iso(n.failed_at),
            }
            for n, slug in sent
        ],
    }


def _opinion_groups(uid: int) -> list[dict[str, Any]]:
    """The group the person is in, in each topic's last stored opinion groups (one query:
    the analyses of the topics they voted on)."""
    from eraati.analysis.models import AnalysisKind, TopicAnalysis
    from eraati.analysis.opinion import group_letter

    voted = (
        sa.select(Comment.topic_id)
        .join(CommentVote, CommentVote.comment_id == Comment.id)
        .where(CommentVote.user_id == uid)
        .distinct()
    )
    rows = db.session.execute(
        _with_topic(sa.select(TopicAnalysis, *_TOPIC), TopicAnalysis.topic_id)
        .where(
            TopicAnalysis.kind == AnalysisKind.GROUPS,
            TopicAnalysis.topic_id.in_(voted),
            TopicAnalysis.result.is_not(None),
        )
        .order_by(TopicAnalysis.topic_id)
    ).all()
    out = []
    for analysis, *ref in rows:
        for group in analysis.result.get("groups", []):
            if uid in group["members"]:
                out.append(
                    {
                        "topic": _topic_ref(*ref),
                        "group": group_letter(int(group["id"])),
                        "computed_at": _iso(analysis.computed_at),
                    }
                )
                break
    return out


def _participation(uid: int) -> dict[str, list]:
    comments = _rows(
        _with_topic(sa.select(Comment, *_TOPIC), Comment.topic_id)
        .where(Comment.author_id == uid)
        .order_by(Comment.created_at, Comment.id)
    )
    stances = _rows(
        _with_topic(sa.select(TopicStance, *_TOPIC), TopicStance.topic_id)
        .where(TopicStance.user_id == uid)
        .order_by(TopicStance.id)
    )
    votes = _rows(
        _with_topic(
            sa.select(CommentVote, *_TOPIC).join(Comment, CommentVote.comment_id == Comment.id),
            Comment.topic_id,
        )
        .where(CommentVote.user_id == uid)
        .order_by(CommentVote.id)
    )
    answers = _rows(
        _with_topic(
            sa.select(Answer, Question.texts, *_TOPIC).join(
                Question, Answer.question_id == Question.id
            ),
            Question.topic_id,
        )
        .where(Answer.user_id == uid)
        .order_by(Answer.id)
        .options(lazyload(Answer.choices))  # the choices come with their texts below
    )
    choices: dict[int, list[dict[str, Any]]] = {}
    for answer_id, option_id, texts, rank in db.session.execute(
        sa.select(AnswerChoice.answer_id, Option.id, Option.texts, AnswerChoice.rank)
        .join(Option, AnswerChoice.option_id == Option.id)
        .join(Answer, AnswerChoice.answer_id == Answer.id)
        .where(Answer.user_id == uid)
        .order_by(AnswerChoice.rank, Option.position, Option.id)
    ):
        choice = {"option_id": option_id, "text": texts}
        if rank is not None:  # a ranking question: the place given (1 = first)
            choice["rank"] = rank
        choices.setdefault(answer_id, []).append(choice)
    backgrounds = _rows(
        _with_topic(sa.select(BackgroundAnswer, *_TOPIC), BackgroundAnswer.topic_id)
        .where(BackgroundAnswer.user_id == uid)
        .order_by(BackgroundAnswer.id)
    )
    follows = _rows(
        _with_topic(sa.select(Follow, *_TOPIC), Follow.topic_id)
        .where(Follow.user_id == uid)
        .order_by(Follow.id)
    )
    reports = _rows(
        _with_topic(
            sa.select(CommentFlag, *_TOPIC).join(Comment, CommentFlag.comment_id == Comment.id),
            Comment.topic_id,
        )
        .where(CommentFlag.user_id == uid)
        .order_by(CommentFlag.id)
    )
    parts = parts_queries.parts_by_id(c.part_id for c, *_ref in comments)  # 2 statements
    return {
        "comments": [
            {
                "id": c.id,
                "topic": _topic_ref(*ref),
                "parent_id": c.parent_id,
                "body": c.body,
                "language": c.language,
                "status": str(c.status),
                "hidden_reason": c.hidden_reason,
                # The place on the topic's map: a named place's id or a point (WGS 84).
                "place_id": c.place_id,
                "lat": c.lat,
                "lon": c.lon,
                # The part of a draft it is on (number and title), the paragraph and the
                # paragraph's text as quoted; None on the topic as a whole.
                "part": _part_ref(parts.get(c.part_id)) if c.part_id else None,
                "paragraph": c.paragraph,
                "paragraph_quote": c.paragraph_quote,
                "created_at": _iso(c.created_at),
                "edited_at": _iso(c.edited_at),
                "deleted_at": _iso(c.deleted_at),
            }
            for c, *ref in comments
        ],
        "stances": [
            {
                "id": s.id,
                "topic": _topic_ref(*ref),
                "stance": str(s.stance),
                "created_at": _iso(s.created_at),
                "updated_at": _iso(s.updated_at),
            }
            for s, *ref in stances
        ],
        "comment_votes": [
            {
                "id": v.id,
                "comment_id": v.comment_id,
                "topic": _topic_ref(*ref),
                "vote": str(v.value),
                "created_at": _iso(v.created_at),
                "updated_at": _iso(v.updated_at),
            }
            for v, *ref in votes
        ],
        "poll_answers": [
            {
                "id": a.id,
                "question_id": a.question_id,
                "topic": _topic_ref(*ref),
                "question": texts,
                "choices": choices.get(a.id, []),
                "value": a.value,  # a scale question's 1-5
                "text": a.text,  # an open question's answer
                "hidden_by_moderator": a.hidden_at is not None,
                "hidden_reason": a.hidden_reason,
                "created_at": _iso(a.created_at),
                "updated_at": _iso(a.updated_at),
            }
            for a, texts, *ref in answers
        ],
        # The optional background questions of surveys (consultations.background): the
        # codes given, None where the person chose not to say.
        "survey_background_answers": [
            {
                "id": b.id,
                "topic": _topic_ref(*ref),
                "age_group": b.age_group,
                "relation": b.relation,
                "municipality_code": b.municipality_code,
                "created_at": _iso(b.created_at),
                "updated_at": _iso(b.updated_at),
            }
            for b, *ref in backgrounds
        ],
        # Following a topic is also asking for its results e-mail (``notifications``,
        # kind ``results``: when it was sent).
        "follows": [
            {
                "id": f.id,
                "topic": _topic_ref(*ref),
                "created_at": _iso(f.created_at),
            }
            for f, *ref in follows
        ],
        "reports": [
            {
                "id": r.id,
                "comment_id": r.comment_id,
                "topic": _topic_ref(*ref),
                "reason": str(r.reason),
                "details": r.details,
                "created_at": _iso(r.created_at),
            }
            for r, *ref in reports
        ],
    }


def _moderation(uid: int, email: str, orgs: dict[int, str]) -> dict[str, list]:
    blocks = db.session.scalars(
        sa.select(UserBlock)
        .where(UserBlock.user_id == uid)
        .order_by(UserBlock.id)
        .options(lazyload(UserBlock.user), lazyload(UserBlock.organisation))
    ).all()
    made = db.session.scalars(
        sa.select(UserBlock)
        .where(sa.or_(UserBlock.created_by_id == uid, UserBlock.lifted_by_id == uid))
        .order_by(UserBlock.id)
        .options(lazyload(UserBlock.user), lazyload(UserBlock.organisation))
    ).all()
    received = db.session.scalars(
        sa.select(Invitation)
        .where(sa.or_(Invitation.email == email, Invitation.accepted_by_id == uid))
        .order_by(Invitation.id)
        .options(lazyload(Invitation.organisation))
    ).all()
    sent = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.invited_by_id == uid)
        .order_by(Invitation.id)
        .options(lazyload(Invitation.organisation))
    ).all()

    def invitation(i: Invitation) -> dict[str, Any]:
        return {
            "id": i.id,
            "organisation": orgs.get(i.organisation_id),
            "role": str(i.role),
            "created_at": _iso(i.created_at),
            "expires_at": _iso(i.expires_at),
            "accepted_at": _iso(i.accepted_at),
            "revoked_at": _iso(i.revoked_at),
        }

    return {
        "blocks": [
            {
                "id": b.id,
                "organisation": orgs.get(b.organisation_id),
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "reason": b.reason,
                "lifted_at": _iso(b.lifted_at),
                "made_by_e_mail_address": b.email_hash is not None,
            }
            for b in blocks
        ],
        "blocks_made": [
            {
                "id": b.id,
                "organisation": orgs.get(b.organisation_id),
                "made_by_you": b.created_by_id == uid,
                "lifted_by_you": b.lifted_by_id == uid,
                "starts_at": _iso(b.starts_at),
                "ends_at": _iso(b.ends_at),
                "lifted_at": _iso(b.lifted_at),
            }
            for b in made
        ],
        "invitations_received": [invitation(i) for i in received],
        "invitations_sent": [invitation(i) for i in sent],  # without the invitee's address
    }


def _staff_work(uid: int, orgs: dict[int, str]) -> dict[str, list]:
    moderated = _rows(
        _with_topic(
            sa.select(
                Comment.id, Comment.hidden_by_id, Comment.reviewed_by_id, Comment.hidden_at, *_TOPIC
            ),
            Comment.topic_id,
        )
        .where(sa.or_(Comment.hidden_by_id == uid, Comment.reviewed_by_id == uid))
        .order_by(Comment.id)
    )
    answers_moderated = _rows(
        _with_topic(
            sa.select(Answer.id, Answer.hidden_at, *_TOPIC).join(
                Question, Answer.question_id == Question.id
            ),
            Question.topic_id,
        )
        .where(Answer.hidden_by_id == uid)
        .order_by(Answer.id)
    )
    entered = _rows(
        _with_topic(
            sa.select(Comment.id, Comment.source, Comment.created_at, *_TOPIC), Comment.topic_id
        )
        .where(Comment.entered_by_id == uid)
        .order_by(Comment.id)
    )
    topics = _rows(
        sa.select(Topic.id, Topic.organisation_id, Topic.slug, Topic.created_at)
        .where(Topic.created_by_id == uid)
        .order_by(Topic.id)
    )
    files = _rows(
        _with_topic(
            sa.select(TopicFile.id, TopicFile.filename, TopicFile.created_at, *_TOPIC),
            TopicFile.topic_id,
        )
        .where(TopicFile.uploaded_by_id == uid)
        .order_by(TopicFile.id)
    )
    events = _rows(
        _with_topic(
            sa.select(TopicEvent.id, TopicEvent.place, TopicEvent.starts_at, *_TOPIC),
            TopicEvent.topic_id,
        )
        .where(TopicEvent.created_by_id == uid)
        .order_by(TopicEvent.id)
    )
    jobs = _rows(
        _with_topic(
            sa.select(
                ExportJob.id,
                ExportJob.format,
                ExportJob.language,
                ExportJob.state,
                ExportJob.created_at,
                *_TOPIC,
            ),
            ExportJob.topic_id,
        )
        .where(ExportJob.requested_by_id == uid)
        .order_by(ExportJob.id)
    )
    return {
        "comments_moderated": [
            {
                "id": cid,
                "topic": _topic_ref(*ref),
                "hidden_by_you": hidden_by == uid,
                "reviewed_by_you": reviewed_by == uid,
                "hidden_at": _iso(hidden_at),
            }
            for cid, hidden_by, reviewed_by, hidden_at, *ref in moderated
        ],
        # Open survey answers this person hid as a moderator (without their texts).
        "answers_moderated": [
            {"id": aid, "topic": _topic_ref(*ref), "hidden_at": _iso(hidden_at)}
            for aid, hidden_at, *ref in answers_moderated
        ],
        "comments_entered": [
            {
                "id": cid,
                "topic": _topic_ref(*ref),
                "source": str(source),
                "created_at": _iso(at),
            }
            for cid, source, at, *ref in entered
        ],
        "topics_created": [
            {"id": tid, "organisation": orgs.get(org_id), "slug": slug, "created_at": _iso(at)}
            for tid, org_id, slug, at in topics
        ],
        "files_uploaded": [
            {"id": fid, "topic": _topic_ref(*ref), "filename": name, "created_at": _iso(at)}
            for fid, name, at, *ref in files
        ],
        "events_created": [
            {"id": eid, "topic": _topic_ref(*ref), "place": place, "starts_at": _iso(at)}
            for eid, place, at, *ref in events
        ],
        "export_requests": [
            {
                "id": jid,
                "topic": _topic_ref(*ref),
                "format": fmt,
                "language": language,
                "state": str(state),
                "created_at": _iso(at),
            }
            for jid, fmt, language, state, at, *ref in jobs
        ],
    }


# Kinds of audit target that are not a person, nor a person's act or words: the person's
# own acts on them keep the target's id and the reason. Any other kind (an account, a
# block, an invitation, a comment, or a kind added later) is another person's unless it
# is the person's own.
NOT_A_PERSON = frozenset(
    {"Organisation", "Topic", "TopicFile", "TopicEvent", "Theme", "ModerationReason"}
)


def _own_act(e: AuditEvent, own: set[tuple[str, int]], orgs: dict[int, str]) -> dict[str, Any]:
    """One of the person's own acts: the target's id and the reason left out when the
    target is another person (or their act or words)."""
    about_others = e.target_type is not None and not (
        e.target_type in NOT_A_PERSON or (e.target_type, e.target_id) in own
    )
    return {
        "id": e.id,
        "organisation": orgs.get(e.organisation_id),
        "action": e.action,
        "target_type": e.target_type,
        "target_id": None if about_others else e.target_id,
        "reason": None if about_others else e.reason,
        "created_at": _iso(e.created_at),
    }


def _audit(uid: int, orgs: dict[int, str], own: set[tuple[str, int]]) -> dict[str, list]:
    rows = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            sa.or_(
                AuditEvent.actor_id == uid,
                sa.and_(AuditEvent.target_type == "User", AuditEvent.target_id == uid),
            )
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    acts = [e for e in rows if e.actor_id == uid]
    about = [e for e in rows if e.target_type == "User" and e.target_id == uid]
    return {
        "audit_log_own_acts": [_own_act(e, own, orgs) for e in acts],
        "audit_log_about_you": [
            {
                "id": e.id,
                "organisation": orgs.get(e.organisation_id),
                "action": e.action,
                "reason": e.reason,
                "created_at": _iso(e.created_at),
            }
            for e in about
        ],
    }
