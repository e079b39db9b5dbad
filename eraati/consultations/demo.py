"""Demo data for trying eRaati: the pilot region's organisations, staff, residents and topics.

``seed()`` is idempotent: organisations, people and topics are found by slug or e-mail
and only what is missing is created, so running it twice changes nothing. Activity
(stances, votes, poll answers, follows) is drawn from a random generator seeded with the
topic's slug, so the same topic always gets the same activity. Counters are set from the
rows at the end with ``counters.recount``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.accounts.passwords import hash_password
from eraati.consultations import demo_content as content
from eraati.consultations.counters import recount
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentFlag,
    CommentSource,
    CommentStatus,
    CommentVote,
    FlagReason,
    Follow,
    Option,
    Question,
    QuestionKind,
    Stance,
    Topic,
    TopicStance,
    TopicStatus,
    TopicTranslation,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Membership, Organisation

PASSWORD = content.PASSWORD
BATCH = 2000


@dataclass
class SeedResult:
    organisations: int = 0
    users: int = 0
    topics: int = 0
    comments: int = 0


def seed(now=None) -> SeedResult:
    """Create whatever of the demo is missing. Flushes; the caller commits."""
    now = now or utcnow()
    result = SeedResult()
    orgs = _organisations(result)
    people = _people(orgs, result)
    residents = [people[p.key] for p in content.RESIDENTS] + [people["asukas"]]
    moderator = people["moderaattori"]
    for spec in content.TOPICS:
        if _find_topic(orgs[spec.org], spec.slug) is None:
            topic = _topic(spec, orgs, now)
            result.topics += 1
            result.comments += _comments(topic, spec, people, residents, moderator, now)
            _activity(topic, spec, residents, now)
            recount([topic.id])
    db.session.flush()
    return result


def has_data() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) > 0


def login_rows() -> list[tuple[str, str]]:
    return [(p.email, p.label) for p in content.STAFF]


def _organisations(result: SeedResult) -> dict[str, Organisation]:
    existing = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    for slug, kind, fi, sv, en, languages in content.ORGANISATIONS:
        if slug not in existing:
            org = Organisation(
                slug=slug, kind=kind, name_fi=fi, name_sv=sv, name_en=en, languages=languages
            )
            db.session.add(org)
            existing[slug] = org
            result.organisations += 1
    db.session.flush()
    return existing


def _people(orgs: dict[str, Organisation], result: SeedResult) -> dict[str, User]:
    everyone = content.STAFF + content.RESIDENTS
    emails = [p.email for p in everyone]
    found = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    password_hash = None
    people = {}
    for person in everyone:
        user = found.get(person.email)
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)
            user = User(
                email=person.email,
                password_hash=password_hash,
                display_name=person.name,
                locale=person.locale,
                home_organisation=orgs[person.home],
                email_verified_at=utcnow(),
                is_platform_admin=person.platform_admin,
            )
            db.session.add(user)
            db.session.flush()
            for slug, role in person.roles:
                db.session.add(Membership(user=user, organisation=orgs[slug], role=role))
            result.users += 1
        people[person.key] = user
    db.session.flush()
    return people


def _find_topic(org: Organisation, slug: str) -> Topic | None:
    return db.session.scalar(
        sa.select(Topic).where(Topic.organisation_id == org.id, Topic.slug == slug)
    )


def _topic(spec: content.T, orgs: dict[str, Organisation], now) -> Topic:
    days = timedelta(days=1)
    topic = Topic(
        organisation=orgs[spec.org],
        slug=spec.slug,
        status=TopicStatus(spec.status),
        opens_at=now + spec.opens * days,
        closes_at=now + spec.closes * days,
        deciding_body=spec.deciding_body,
        case_number=spec.case_number,
        decision_planned_on=(now + spec.decision_in * days).date()
        if spec.decision_in is not None
        else None,
        allow_anonymous=spec.allow_anonymous,
        premoderated=spec.premoderated,
        stances_enabled=spec.stances_enabled,
        created_at=now + (spec.opens - 7) * days,
    )
    for locale, (title, summary, body) in spec.texts.items():
        topic.translations.append(
            TopicTranslation(locale=locale, title=title, summary=summary, body=body)
        )
    topic.concerned_organisations = [orgs[slug] for slug in spec.concerns]
    for position, q in enumerate(spec.questions):
        question = Question(position=position, kind=QuestionKind(q.kind), texts=q.texts)
        for i, texts in enumerate(q.options):
            question.options.append(Option(position=i, texts=texts))
        topic.questions.append(question)
    db.session.add(topic)
    db.session.flush()
    return topic


def _moments(topic: Topic, count: int, now, rng: random.Random) -> Iterator:
    """``count`` increasing moments between the opening and now (or the closing)."""
    start, end = topic.opens_at, min(now, topic.closes_at)
    span = max((end - start).total_seconds(), 60.0)
    for offset in sorted(rng.uniform(0.05, 0.95) * span for _ in range(count)):
        yield start + timedelta(seconds=offset)


def _flatten(specs: list[content.C], parent: content.C | None = None) -> list:
    out = []
    for spec in specs:
        out.append((spec, parent))
        out += _flatten(spec.replies, spec)
    return out


def _comments(topic, spec, people, residents, moderator, now) -> int:
    if topic.opens_at > now:
        return 0
    rng = random.Random(f"comments/{spec.org}/{spec.slug}")
    items = _flatten(spec.comments)
    made: dict[int, Comment] = {}
    for (c, parent_spec), moment in zip(items, _moments(topic, len(items), now, rng), strict=True):
        parent = made.get(id(parent_spec)) if parent_spec else None
        comment = Comment(
            topic_id=topic.id,
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            author_id=people[c.author].id if c.author else None,
            nickname=c.nickname,
            body="" if c.status == "deleted" else c.text,
            language=c.language,
            status=CommentStatus(c.status),
            source=CommentSource(c.source),
            created_at=moment,
        )
        if c.status == "deleted":
            comment.deleted_at = moment + timedelta(minutes=5)
        if c.status == "hidden":
            comment.hidden_at = moment + timedelta(hours=2)
            comment.hidden_by_id = moderator.id
            comment.hidden_reason = c.hidden_reason
        db.session.add(comment)
        db.session.flush()
        made[id(c)] = comment
        flaggers = [r for r in residents if r.id != comment.author_id]
        for user in rng.sample(flaggers, c.flags):
            reason = FlagReason.INSULTING if c.status == "hidden" else FlagReason.OFF_TOPIC
            db.session.add(
                CommentFlag(comment_id=comment.id, user_id=user.id, reason=reason, created_at=now)
            )
    db.session.flush()
    return len(items)


def _activity(topic: Topic, spec: content.T, residents: list[User], now) -> None:
    """Stances, comment votes, poll answers and follows of the demo residents."""
    if topic.opens_at > now or topic.status == TopicStatus.DRAFT:
        return
    rng = random.Random(f"activity/{spec.org}/{spec.slug}")
    when = min(now, topic.closes_at) - timedelta(hours=1)
    visible = db.session.scalars(
        sa.select(Comment).where(
            Comment.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE
        )
    ).all()
    stances = [Stance.SUPPORT] * 5 + [Stance.OPPOSE] * 3 + [Stance.NEUTRAL] * 2
    votes = [VoteValue.AGREE] * 6 + [VoteValue.DISAGREE] * 3 + [VoteValue.PASS]
    for user in residents:
        active = rng.random() < spec.activity
        if active and spec.stances_enabled:
            db.session.add(
                TopicStance(topic_id=topic.id, user_id=user.id, stance=rng.choice(stances))
            )
        for comment in visible:
            if comment.author_id != user.id and rng.random() < 0.45:
                db.session.add(
                    CommentVote(comment_id=comment.id, user_id=user.id, value=rng.choice(votes))
                )
        if active:
            for question in topic.questions:
                answer = Answer(question_id=question.id, user_id=user.id, updated_at=when)
                picks = [rng.choice(question.options)]
                if question.kind == QuestionKind.MULTIPLE:
                    picks = rng.sample(question.options, rng.randint(1, len(question.options)))
                answer.choices = [AnswerChoice(option_id=o.id) for o in picks]
                db.session.add(answer)
        if rng.random() < 0.3:
            db.session.add(Follow(topic_id=topic.id, user_id=user.id))
    db.session.flush()


def add_large_topic(count: int, *, now=None, progress: Callable[[int], Any] | None = None) -> Topic:
    """Make the large demo topic hold at least ``count`` comments, about a fifth replies.

    Inserted in batches of plain rows (no ORM objects), with comment votes by the demo
    residents; counters are recomputed at the end. Needs ``seed()`` first.
    """
    now = now or utcnow()
    spec = content.LARGE_TOPIC
    orgs = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    topic = _find_topic(orgs[spec.org], spec.slug) or _topic(spec, orgs, now)
    have = db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.topic_id == topic.id)
    )
    residents = db.session.scalars(
        sa.select(User.id).where(User.email.in_([p.email for p in content.RESIDENTS]))
    ).all()
    rng = random.Random(f"large/{have}")
    moments = _moments(topic, max(count - have, 0), now, rng)
    roots: list[int] = []
    done = 0
    while done < count - have:
        size = min(BATCH, count - have - done)
        # Top-level comments first, then replies to them (and to earlier batches'), so
        # every reply has a parent written before it.
        batch_moments = [next(moments) for _ in range(size)]
        n_roots = size - size // 5
        root_ids = _insert_comments(
            topic, [(None, m) for m in batch_moments[:n_roots]], residents, rng
        )
        roots += root_ids
        reply_ids = _insert_comments(
            topic, [(rng.choice(roots), m) for m in batch_moments[n_roots:]], residents, rng
        )
        votes = [
            {"comment_id": cid, "user_id": uid, "value": rng.choice(list(VoteValue))}
            for cid in root_ids + reply_ids
            for uid in rng.sample(residents, rng.randint(0, 4))
        ]
        if votes:
            db.session.execute(sa.insert(CommentVote), votes)
        done += size
        if progress:
            progress(size)
    recount([topic.id])
    db.session.flush()
    return topic


def _insert_comments(topic: Topic, items: list, residents: list[int], rng) -> list[int]:
    """Insert (parent id or None, moment) pairs as comments; their ids, in order."""
    if not items:
        return []
    rows = [
        {
            "topic_id": topic.id,
            "parent_id": parent_id,
            "root_id": parent_id,  # parents are always top-level here
            "author_id": rng.choice(residents),
            "body": " ".join(
                (
                    rng.choice(content.LARGE_OPENINGS),
                    rng.choice(content.LARGE_SUBJECTS) + ".",
                    rng.choice(content.LARGE_ENDINGS),
                )
            ),
            "language": "fi",
            "status": CommentStatus.VISIBLE,
            "source": CommentSource.WEB,
            "created_at": moment,
        }
        for parent_id, moment in items
    ]
    return list(
        db.session.scalars(
            sa.insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        )
    )
