"""Demo data for trying eRaati: the pilot region's organisations, staff, residents and topics.

``seed()`` is idempotent: organisations, people and topics are found by slug or e-mail
and only what is missing is created, so running it twice changes nothing. Activity
(stances, votes, poll answers, follows) is drawn from a random generator seeded with the
topic's slug, so the same topic always gets the same activity. Counters are set from the
rows at the end with ``counters.recount``.

The staff's work comes with the topic that it concerns: themes, approvals, hidden
comments with their reasons, paper feedback, official replies, key comments, a block,
summaries and published results, each with its audit event by the organisation's
moderator or admin at a plausible moment. Appointments come with the new staff member.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.accounts.passwords import hash_password
from eraati.audit.services import SYSTEM, record, record_comment_act
from eraati.consultations import background, participation
from eraati.consultations import demo_content as content
from eraati.consultations.counters import recount
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    BackgroundAnswer,
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
    Theme,
    Topic,
    TopicStance,
    TopicStatus,
    TopicTranslation,
    VoteValue,
)
from eraati.core.time import utcnow
from eraati.extensions import db

# The demo writes the moderation domain's rows too (it is loaded only by the CLI).
from eraati.moderation.models import ModerationReason, UserBlock
from eraati.moderation.reasons import create_default_reasons
from eraati.organisations.models import Membership, Organisation, Role, authority_members
from eraati.organisations.services import member_codes

PASSWORD = content.PASSWORD
BATCH = 2000
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# What residents reported a comment for, by the reason template a moderator hid it with.
FLAG_REASONS = [
    FlagReason.INSULTING,
    FlagReason.PERSONAL_DATA,
    FlagReason.SPAM,
    FlagReason.OFF_TOPIC,
    FlagReason.OTHER,
]


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
    orgs, new_orgs = _organisations(result)
    people, new_staff = _people(orgs, result)
    _organisation_settings(orgs)
    _appointments(new_orgs, new_staff, people, now)
    residents = [people[p.key] for p in content.RESIDENTS] + [people["asukas"]]
    for spec in content.TOPICS:
        if _find_topic(orgs[spec.org], spec.slug) is None:
            staff = _Staff.of(spec.org, people)
            topic = _topic(spec, orgs, now, created_by=staff.admin)
            result.topics += 1
            _topic_history(topic, staff, now)
            themes = _themes(topic, spec, staff, now)
            result.comments += _comments(topic, spec, people, residents, themes, staff, now)
            _activity(topic, spec, residents, now)
            _survey_respondents(topic, spec, orgs, now)
            _results(topic, spec, staff, now)
            recount([topic.id])
    _events(people, now)
    _places(people, residents, now, result)
    _parts(people, now, result)
    db.session.flush()
    return result


def _places(people: dict[str, User], residents: list[User], now: datetime, result) -> None:
    """The demo's topic on a map (eraati.places.demo): Iisalmi's traffic plan."""
    from eraati.places import demo as places_demo

    staff = _Staff.of(places_demo.ORG, people)
    topic = places_demo.seed(now, residents, staff.admin)
    if topic is not None:
        result.topics += 1
        result.comments += len(places_demo.COMMENTS)
        recount([topic.id])


def _parts(people: dict[str, User], now: datetime, result: SeedResult) -> None:
    """The demo's draft read part by part (eraati.parts.demo)."""
    from eraati.parts import demo as parts_demo

    staff = _Staff.of(parts_demo.ORG, people)
    topic_id = parts_demo.seed(now, people, staff.admin)
    if topic_id is not None:
        result.topics += 1
        recount([topic_id])


def _events(people: dict[str, User], now: datetime) -> None:
    """The demo's events and the feedback collected at them (eraati.events.demo)."""
    from eraati.events import demo as events_demo

    staff = _Staff.of(events_demo.ORG, people)
    if events_demo.seed(now, staff.moderator, staff.admin):
        topic = db.session.scalar(
            sa.select(Topic.id)
            .join(Organisation, Organisation.id == Topic.organisation_id)
            .where(Organisation.slug == events_demo.ORG, Topic.slug == events_demo.TOPIC)
        )
        recount([topic])


def has_data() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) > 0


def login_rows() -> list[tuple[str, str]]:
    """The role log-ins ``make run`` prints."""
    return [(p.email, p.label) for p in content.STAFF]


def staff_rows() -> list[tuple[str, str]]:
    """The other organisations' staff (``seed-demo --list``), same password."""
    return [(p.email, p.label) for p in content.OTHER_STAFF]


@dataclass
class _Staff:
    """Who does an organisation's staff work in the demo: its admin, and its moderator
    (the admin when it has none); ``None`` when the demo has nobody there."""

    admin: User | None
    moderator: User | None

    @classmethod
    def of(cls, slug: str, people: dict[str, User]) -> _Staff:
        def first(role: Role) -> User | None:
            everyone = content.STAFF + content.OTHER_STAFF
            return next((people[p.key] for p in everyone if (slug, role) in p.roles), None)

        admin = first(Role.ADMIN)
        return cls(admin, first(Role.MODERATOR) or admin)


def _at(moment: datetime, now: datetime) -> datetime:
    """A staff act's moment, never in the future."""
    return min(moment, now - timedelta(minutes=1))


def _organisations(result: SeedResult) -> tuple[dict[str, Organisation], list[Organisation]]:
    existing = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
    created = []
    for slug, kind, fi, sv, en, languages in content.ORGANISATIONS:
        if slug not in existing:
            org = Organisation(
                slug=slug, kind=kind, name_fi=fi, name_sv=sv, name_en=en, languages=languages
            )
            db.session.add(org)
            existing[slug] = org
            created.append(org)
            result.organisations += 1
    db.session.flush()
    return existing, created


def _organisation_settings(orgs: dict[str, Organisation]) -> None:
    """Contact details, the report threshold, reason templates and a joint authority's
    members, where missing (what an admin has changed since is kept)."""
    with_reasons = set(db.session.scalars(sa.select(ModerationReason.organisation_id)))
    for slug, org in orgs.items():
        contact = content.CONTACTS.get(slug)
        if contact and not (org.contact_email or org.contact_phone or org.website_url):
            org.contact_email, org.contact_phone, org.website_url = contact
            org.flag_threshold = content.FLAG_THRESHOLD
        if slug in content.EMBED_ORIGINS and org.embed_origins is None:
            org.embed_origins = json.dumps(content.EMBED_ORIGINS[slug])
        if slug in content.CONTACTS and org.id not in with_reasons:
            create_default_reasons(org)
    for slug, members in content.MEMBERS.items():
        if slug in orgs and not orgs[slug].members:
            orgs[slug].members = [orgs[m] for m in members if m in orgs]
    for slug, code in content.MUNICIPALITY_CODES.items():
        if slug in orgs and orgs[slug].municipality_code is None:
            orgs[slug].municipality_code = code
    db.session.flush()
    for slug, codes in content.MEMBER_MUNICIPALITIES.items():
        if slug in orgs and not member_codes(orgs[slug]):
            db.session.execute(
                sa.insert(authority_members),
                [{"authority_id": orgs[slug].id, "municipality_code": c} for c in codes],
            )


def _people(
    orgs: dict[str, Organisation], result: SeedResult
) -> tuple[dict[str, User], list[Membership]]:
    everyone = content.STAFF + content.OTHER_STAFF + content.RESIDENTS
    emails = [p.email for p in everyone]
    found = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    password_hash = None
    people = {}
    memberships = []
    for index, person in enumerate(everyone):
        user = found.get(person.email)
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)
            home_code = content.MUNICIPALITY_CODES.get(person.home)
            if person in content.RESIDENTS:
                home_code = content.HOME_CODE_CYCLE.get(index % 7, home_code)
            user = User(
                email=person.email,
                password_hash=password_hash,
                display_name=person.name,
                locale=person.locale,
                home_municipality_code=home_code,
                email_verified_at=utcnow(),
                is_platform_admin=person.platform_admin,
            )
            db.session.add(user)
            db.session.flush()
            for slug, role in person.roles:
                membership = Membership(user=user, organisation=orgs[slug], role=role)
                db.session.add(membership)
                memberships.append(membership)
            result.users += 1
        people[person.key] = user
    db.session.flush()
    return people, memberships


def _appointments(new_orgs, new_staff, people, now) -> None:
    """Audit events for the new organisations (by the platform admin) and staff roles
    (an admin by the platform admin, others by their organisation's admin), months ago."""
    platform_admin = people["yllapito"]
    for i, org in enumerate(new_orgs):
        record(
            "organisation.create",
            organisation=None,
            target=org,
            target_label=org.name_fi,
            actor=platform_admin,
            now=now - (240 - i) * DAY,
        )
    for i, membership in enumerate(sorted(new_staff, key=lambda m: m.role != Role.ADMIN)):
        org = membership.organisation
        admin = _Staff.of(org.slug, people).admin
        by_platform = membership.role == Role.ADMIN or admin is None or admin is membership.user
        record(
            "role.grant",
            organisation=org,
            target=membership.user,
            target_label=membership.user.display_name,
            details={"role": str(membership.role)},
            actor=platform_admin if by_platform else admin,
            now=now - (200 - 3 * i) * DAY,
        )
    db.session.flush()


def _find_topic(org: Organisation, slug: str) -> Topic | None:
    return db.session.scalar(
        sa.select(Topic).where(Topic.organisation_id == org.id, Topic.slug == slug)
    )


# Days on which no board meets: weekends, and the public holidays at Christmas and New Year.
_NO_MEETINGS = {(12, 24), (12, 25), (12, 26), (1, 1), (1, 6)}


def _meeting_day(day: date) -> date:
    """``day``, or the first working day after it (a planned decision date of the demo)."""
    while day.weekday() >= 5 or (day.month, day.day) in _NO_MEETINGS:
        day += timedelta(days=1)
    return day


def _topic(
    spec: content.T, orgs: dict[str, Organisation], now, *, created_by: User | None = None
) -> Topic:
    days = timedelta(days=1)
    topic = Topic(
        organisation=orgs[spec.org],
        slug=spec.slug,
        status=TopicStatus(spec.status),
        opens_at=now + spec.opens * days,
        closes_at=now + spec.closes * days,
        case_number=spec.case_number,
        decision_planned_on=_meeting_day((now + spec.decision_in * days).date())
        if spec.decision_in is not None
        else None,
        allow_anonymous=spec.allow_anonymous,
        premoderated=spec.premoderated,
        offers_rating=spec.offers_rating,
        stances_enabled=spec.stances_enabled,
        background_questions=list(spec.background) or None,
        created_at=min(now + (spec.opens - 7) * days, now),
        created_by_id=created_by.id if created_by else None,
    )
    bodies = spec.deciding_bodies(orgs[spec.org].primary_language)
    for locale, (title, summary, body) in spec.texts.items():
        topic.translations.append(
            TopicTranslation(
                locale=locale,
                title=title,
                summary=summary,
                body=body,
                deciding_body=bodies.get(locale, ""),
            )
        )
    topic.concerned_organisations = [orgs[slug] for slug in spec.concerns]
    for position, q in enumerate(spec.questions):
        question = Question(
            position=position,
            kind=QuestionKind(q.kind),
            texts=q.texts,
            required=q.required,
            max_length=q.max_length,
            scale_labels=q.scale_labels,
        )
        for i, texts in enumerate(q.options):
            question.options.append(Option(position=i, texts=texts, exclusive=i in q.exclusive))
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


def _topic_history(topic: Topic, staff: _Staff, now) -> None:
    """The admin created the topic, published it and (status closed) closed it early."""
    if staff.admin is None:
        return
    title = topic.translations[0].title
    acts = [("topic.create", topic.created_at)]
    if topic.status != TopicStatus.DRAFT:
        acts.append(("topic.open", topic.created_at + 2 * DAY))
    if topic.status == TopicStatus.CLOSED:
        acts.append(("topic.close", topic.closes_at))
    for action, moment in acts:
        record(
            action,
            organisation=topic.organisation,
            target=topic,
            target_label=title,
            actor=staff.admin,
            now=_at(moment, now),
        )


def _themes(topic: Topic, spec: content.T, staff: _Staff, now) -> list[Theme]:
    """The moderator's themes, made a day after the topic opened."""
    if not spec.themes or topic.opens_at > now:
        return []
    moment = _at(topic.opens_at + DAY, now)
    themes = [
        Theme(topic_id=topic.id, texts=dict(texts), position=i, created_at=moment)
        for i, texts in enumerate(spec.themes)
    ]
    db.session.add_all(themes)
    db.session.flush()
    for theme in themes:
        record(
            "theme.create",
            organisation=topic.organisation,
            target=theme,
            target_label=theme.texts["fi"],
            actor=staff.moderator,
            now=moment,
        )
    return themes


def _comments(topic, spec, people, residents, themes, staff, now) -> int:
    if topic.opens_at > now:
        return 0
    rng = random.Random(f"comments/{spec.org}/{spec.slug}")
    reasons = list(
        db.session.scalars(
            sa.select(ModerationReason)
            .where(ModerationReason.organisation_id == topic.organisation_id)
            .order_by(ModerationReason.position)
        )
    )
    items = _flatten(spec.comments)
    made: dict[int, Comment] = {}
    reported: dict[int, list[datetime]] = {}
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
            is_official=c.official,
            is_key=c.key,
            themes=[themes[i] for i in c.themes] if themes else [],
        )
        if c.source != "web":
            comment.received_on = max(moment - DAY, topic.opens_at).date()
            comment.place = c.place
            comment.entered_by_id = staff.moderator.id if staff.moderator else None
        if c.status == "deleted":
            comment.deleted_at = moment + timedelta(minutes=5)
        db.session.add(comment)
        db.session.flush()
        made[id(c)] = comment
        flaggers = [r for r in residents if r.id != comment.author_id]
        flag_reason = FLAG_REASONS[c.reason] if c.reason is not None else FlagReason.OFF_TOPIC
        if c.auto_hidden:
            flag_reason = FlagReason.INSULTING
        flagged = []  # reports come in after a moderator has let the comment through
        for i, user in enumerate(rng.sample(flaggers, c.flags)):
            flagged.append(_at(moment + HOUR + (i + 1) * timedelta(minutes=40), now))
            db.session.add(
                CommentFlag(
                    comment_id=comment.id,
                    user_id=user.id,
                    reason=flag_reason,
                    created_at=flagged[-1],
                )
            )
        reported[id(c)] = flagged
    for c, _parent in items:
        replies = [made[id(r)].created_at for r in c.replies]
        _staff_acts(topic, made[id(c)], c, staff, reasons, reported[id(c)], replies, people, now)
    db.session.flush()
    return len(items)


def _staff_acts(topic, comment, c, staff, reasons, reports, replies, people, now) -> None:
    """What staff did with one comment, with its audit events, in the order they did it:
    let through before anyone replied, hidden after the reports and replies came in."""
    org = topic.organisation
    moderator = staff.moderator

    def log(action, moment, actor=moderator, **kw):
        record_comment_act(action, comment, actor=actor, now=moment, **kw)

    if c.source != "web" and moderator:
        log("paper.add", comment.created_at, details={"source": c.source, "place": c.place})
    if c.official:
        log("comment.official_reply", comment.created_at, actor=people[c.author])
    # On a pre-moderated topic a moderator let every resident's web comment through,
    # except those hidden at once (hidden without reports), deleted or still waiting.
    rejected = topic.premoderated and c.status == "hidden" and not c.flags
    last = comment.created_at
    if (
        topic.premoderated
        and moderator
        and c.source == "web"
        and not c.official
        and c.status in ("visible", "hidden")
        and not rejected
    ):
        wait = min([HOUR, *((r - comment.created_at) / 2 for r in replies)])
        last = comment.reviewed_at = _at(comment.created_at + wait, now)
        comment.reviewed_by_id = moderator.id
        log("comment.approve", last)
    if c.auto_hidden:
        comment.auto_hidden_at = reports[content.FLAG_THRESHOLD - 1]
        log("comment.auto_hide", comment.auto_hidden_at, actor=SYSTEM, details={"flags": c.flags})
    if c.status == "hidden":
        reason = reasons[c.reason]
        language = c.language if c.language in org.language_list else org.primary_language
        comment.hidden_reason_id = reason.id
        comment.hidden_reason = reason.text(language)
        comment.hidden_by_id = moderator.id
        comment.hidden_at = _at(max([last, *reports, *replies]) + 2 * HOUR, now)
        if rejected:
            comment.reviewed_at, comment.reviewed_by_id = comment.hidden_at, moderator.id
        log(
            "comment.hide",
            comment.hidden_at,
            reason=comment.hidden_reason,
            details={"reason_id": reason.id},
        )
        if c.block_days:
            _block(people[c.author], org, moderator, c, comment.hidden_at + HOUR, now)
    if comment.themes:  # once the themes existed
        last = max(last, comment.themes[0].created_at)
        theme_ids = [t.id for t in comment.themes]
        log("comment.tag", _at(last + 3 * HOUR, now), details={"themes": theme_ids})
    if c.key:
        log("comment.key", _at(last + 4 * HOUR, now))


def _block(user: User, org: Organisation, moderator: User, c, starts_at, now) -> None:
    """Block ``user`` from the organisation's topics (unless already blocked there)."""
    if db.session.scalar(
        sa.select(UserBlock.id).where(
            UserBlock.user_id == user.id, UserBlock.organisation_id == org.id
        )
    ):
        return
    starts_at = _at(starts_at, now)
    ends_at = starts_at + c.block_days * DAY
    block = UserBlock(
        organisation_id=org.id,
        user_id=user.id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=c.block_reason,
        created_by_id=moderator.id,
    )
    db.session.add(block)
    db.session.flush()
    if ends_at > now:
        user.org_blocks = {**(user.org_blocks or {}), str(org.id): ends_at.isoformat()}
    record(
        "user.block",
        organisation=org,
        target=user,
        target_label=user.display_name,
        reason=c.block_reason,
        details={"ends_at": ends_at.isoformat(), "days": c.block_days},
        actor=moderator,
        now=starts_at,
    )


def _results(topic: Topic, spec: content.T, staff: _Staff, now) -> None:
    """The moderator's summary after closing, and the results the admin published."""
    title = topic.translations[0].title
    figures = quoted_figures(topic) if spec.summary or spec.results else {}
    if spec.summary and topic.closes_at < now:
        for translation in topic.translations:
            text = spec.summary.get(translation.locale, "")
            translation.moderator_summary = text.format_map(figures)
        record(
            "topic.summary",
            organisation=topic.organisation,
            target=topic,
            target_label=title,
            details={"languages": sorted(spec.summary)},
            actor=staff.moderator,
            now=_at(topic.closes_at + 3 * DAY, now),
        )
    if spec.results:
        result = spec.results
        topic.decided_on = topic.decision_planned_on
        topic.minutes_url = result.minutes_url
        topic.results_published_at = _at(now + result.published * DAY, now)
        for translation in topic.translations:
            outcome, use = result.texts.get(translation.locale, ("", ""))
            translation.decision_outcome = outcome.format_map(figures)
            translation.feedback_use = use.format_map(figures)
        record(
            "topic.publish_results",
            organisation=topic.organisation,
            target=topic,
            target_label=title,
            actor=staff.admin or staff.moderator,
            now=topic.results_published_at,
        )
        db.session.flush()
        # Its followers were told then: no results notification is recorded, so neither
        # a worker nor flask eraati tick tells them.
    db.session.flush()


def quoted_figures(topic: Topic) -> dict[str, int]:
    """The figures a demo summary or decision text may quote (``{comments}``,
    ``{q0_respondents}``, ``{q0_o1}``, ...; see ``demo_content``), counted from the rows
    written, as the results pages and the report count them."""
    db.session.flush()

    def count(stmt) -> int:
        return int(db.session.scalar(stmt) or 0)

    figures = {
        "comments": count(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(
                Comment.topic_id == topic.id,
                Comment.status == CommentStatus.VISIBLE,
                Comment.is_official.is_(False),
            )
        )
    }
    for value in Stance:
        figures[value.value] = count(
            sa.select(sa.func.count())
            .select_from(TopicStance)
            .where(TopicStance.topic_id == topic.id, TopicStance.stance == value)
        )
    for i, question in enumerate(topic.questions):
        figures[f"q{i}_respondents"] = count(
            sa.select(sa.func.count()).select_from(Answer).where(Answer.question_id == question.id)
        )
        for j, option in enumerate(question.options):
            figures[f"q{i}_o{j}"] = count(
                sa.select(sa.func.count())
                .select_from(AnswerChoice)
                .where(AnswerChoice.option_id == option.id)
            )
    return figures


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
    support, oppose, neutral = spec.stance_mix
    stances = [Stance.SUPPORT] * support + [Stance.OPPOSE] * oppose + [Stance.NEUTRAL] * neutral
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
                reply = _demo_reply(question, spec.questions[question.position], rng)
                if reply is not None:
                    db.session.add(_answer(question, reply, user.id, when))
        if rng.random() < 0.3:
            db.session.add(Follow(topic_id=topic.id, user_id=user.id))
    db.session.flush()


def _demo_reply(question: Question, q: content.Q, rng: random.Random) -> Any:
    """A demo person's reply to a question (see ``participation.Reply``; None: an optional
    question left empty), drawn by the question's weights and checked by its rules."""
    kind = question.kind
    if kind == QuestionKind.OPEN:
        if not q.answers or rng.random() > 0.3:
            return None
        reply: Any = rng.choice(q.answers)
    elif kind == QuestionKind.SCALE:
        reply = rng.choices(range(1, 6), weights=q.weights or None)[0]
    elif kind == QuestionKind.RANKING:
        weights = q.weights or (1,) * len(question.options)
        drawn = {o.id: w * rng.random() for o, w in zip(question.options, weights, strict=True)}
        reply = sorted(drawn, key=lambda option_id: -drawn[option_id])
    elif kind == QuestionKind.MULTIPLE:
        picks = rng.sample(question.options, rng.randint(1, len(question.options)))
        if len(picks) > 1 and any(o.exclusive for o in picks):
            # "None of these" only alone: if drawn first, it is the answer.
            first = picks[0]
            picks = [first] if first.exclusive else [o for o in picks if not o.exclusive]
        reply = {o.id for o in picks}
    elif q.weights:
        reply = {rng.choices(question.options, weights=q.weights)[0].id}
    else:
        reply = {rng.choice(question.options).id}
    # The rules every answer obeys (the demo writes its rows directly).
    participation.check_answer(question, reply)
    return reply


def _answer(question: Question, reply: Any, user_id: int, when: datetime) -> Answer:
    answer = Answer(question_id=question.id, user_id=user_id, created_at=when, updated_at=when)
    if question.kind == QuestionKind.OPEN:
        answer.text = reply
    elif question.kind == QuestionKind.SCALE:
        answer.value = reply
    elif question.kind == QuestionKind.RANKING:
        answer.choices = [
            AnswerChoice(option_id=o, rank=place) for place, o in enumerate(reply, start=1)
        ]
    else:
        answer.choices = [AnswerChoice(option_id=o) for o in sorted(reply)]
    return answer


def _survey_respondents(topic: Topic, spec: content.T, orgs, now) -> None:
    """The survey's generated respondents (``spec.respondents``): accounts that answer
    the survey and nothing else, at moments spread over the time it has been open."""
    if not spec.respondents or topic.opens_at > now:
        return
    rng = random.Random(f"survey/{spec.org}/{spec.slug}")
    emails = [f"vastaaja-{n:03d}@example.fi" for n in range(1, spec.respondents + 1)]
    found = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}
    password_hash = None
    homes = [content.MUNICIPALITY_CODES[slug] for slug in ("iisalmi", "vierema", "keitele")]
    homes = [*homes, None]
    people = []
    for n, email in enumerate(emails, start=1):
        user = found.get(email)
        if user is None:
            password_hash = password_hash or hash_password(PASSWORD)
            user = User(
                email=email,
                password_hash=password_hash,
                display_name=f"Vastaaja {n}",
                home_municipality_code=rng.choice(homes),
                email_verified_at=topic.opens_at,
            )
            db.session.add(user)
        people.append(user)
    db.session.flush()
    span = (min(now, topic.closes_at) - topic.opens_at).total_seconds()
    for user in people:
        when = topic.opens_at + timedelta(seconds=rng.random() * span)
        for question in topic.questions:
            reply = _demo_reply(question, spec.questions[question.position], rng)
            if reply is not None:
                db.session.add(_answer(question, reply, user.id, when))
    _survey_backgrounds(topic, spec, people, rng.random())
    db.session.flush()


# How the generated respondents answer the background questions: weights of the answers
# (None: "I'd rather not say"). Young and very old respondents are few, so the demo's
# breakdowns show small groups hidden.
_AGE_WEIGHTS = {"0-17": 1, "18-29": 10, "30-44": 22, "45-64": 38, "65-74": 20, "75-": 6, None: 8}
_RELATION_WEIGHTS = {"resident": 78, "works": 9, "second_home": 5, "other": 2, None: 6}


def _survey_backgrounds(topic: Topic, spec: content.T, people: list[User], seed: float) -> None:
    """Background answers of the generated respondents (about one in ten skips all):
    drawn with their own generator, so that the answers to the questions stay as they
    were. The home municipality is the account's own when it is one of the choices, else
    mostly one of the members by their size."""
    if not spec.background:
        return
    rng = random.Random(f"background/{spec.org}/{spec.slug}/{seed}")
    members = background.municipality_codes(topic.organisation)
    sizes = {"140": 20, "263": 7, "762": 4, "925": 4}  # roughly, thousands of residents

    def draw(weights: dict) -> Any:
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    for user in people:
        if rng.random() < 0.1:
            continue  # skips them all
        home = user.home_municipality_code
        if home in members and rng.random() < 0.9:
            municipality = home
        elif rng.random() < 0.1:
            municipality = draw({background.OTHER: 1, None: 1})
        else:
            municipality = draw({code: sizes.get(code, 3) for code in members} or {None: 1})
        values = {
            "age_group": draw(_AGE_WEIGHTS) if "age" in spec.background else None,
            "relation": draw(_RELATION_WEIGHTS) if "relation" in spec.background else None,
            "municipality_code": municipality if "municipality" in spec.background else None,
        }
        if any(values.values()):
            db.session.add(BackgroundAnswer(topic_id=topic.id, user_id=user.id, **values))


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


def _large_body(rng, *, reply: bool) -> str:
    """A generated comment of the large topic. About one top-level comment in 25 is the
    campaign letter (its case and punctuation varied) and one in 50 the second letter with
    a word changed or a sentence added: the campaign texts the moderators' analysis finds.
    """
    draw = 1.0 if reply else rng.random()
    if draw < 0.04:
        letter = content.LARGE_CAMPAIGN
        return rng.choice((letter, letter.upper(), letter.lower(), letter.replace(".", "!")))
    if draw < 0.06:
        letter = content.LARGE_NEAR_CAMPAIGN
        if rng.random() < 0.5:
            old, new = rng.choice(content.LARGE_NEAR_WORDS)
            return letter.replace(old, new, 1)
        return f"{letter} {rng.choice(content.LARGE_NEAR_ADDITIONS)}"
    # Four of the sentences: two generated comments seldom share them all, so they are
    # seldom nearly the same text (with two or three, thousands would be).
    opening = f"{rng.choice(content.LARGE_OPENINGS)} {rng.choice(content.LARGE_SUBJECTS)}."
    return " ".join((opening, *rng.sample(content.LARGE_SENTENCES, 4)))


def _insert_comments(topic: Topic, items: list, residents: list[int], rng) -> list[int]:
    """Insert (parent id or None, moment) pairs as comments; their ids, in order."""
    from eraati.analysis.search.index import comment_row  # the search index's copy

    if not items:
        return []
    rows = [
        comment_row(
            {
                "topic_id": topic.id,
                "parent_id": parent_id,
                "root_id": parent_id,  # parents are always top-level here
                "author_id": rng.choice(residents),
                "body": _large_body(rng, reply=parent_id is not None),
                "language": "fi",
                "status": CommentStatus.VISIBLE,
                "source": CommentSource.WEB,
                "created_at": moment,
            }
        )
        for parent_id, moment in items
    ]
    return list(
        db.session.scalars(
            sa.insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        )
    )
