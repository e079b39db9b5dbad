"""The demo data behind ``make run``: complete, consistent, idempotent, and every page renders."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.accounts.passwords import check_password, is_common
from eraati.audit.labels import ACTION_LABELS
from eraati.audit.models import AuditEvent
from eraati.consultations import counters, demo, demo_content, participation
from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentFlag,
    CommentSource,
    CommentStatus,
    Follow,
    Phase,
    Question,
    Theme,
    Topic,
    TopicStance,
    TopicStatus,
)
from eraati.core.time import utcnow
from eraati.moderation.models import ModerationReason, UserBlock
from eraati.moderation.reasons import DEFAULT_REASONS
from eraati.organisations.models import Membership, Organisation, Role
from eraati.permissions import can
from tests.consultations.participation_support import counter_mismatches


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _table_sizes(db) -> dict[str, int]:
    return {t.name: _count(db, t) for t in db.metadata.sorted_tables}


def _org(db, slug: str) -> Organisation:
    return db.session.scalar(sa.select(Organisation).filter_by(slug=slug))


def _topic(db, slug: str) -> Topic:
    return db.session.scalar(sa.select(Topic).filter_by(slug=slug))


def _comments(db, topic: Topic, *where) -> list[Comment]:
    return list(
        db.session.scalars(
            sa.select(Comment).where(Comment.topic_id == topic.id, *where).order_by(Comment.id)
        )
    )


def _events(db, action: str, target=None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).filter_by(action=action)
    if target is not None:
        query = query.filter_by(target_type=type(target).__name__, target_id=target.id)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _is_staff(user: User, org: Organisation, *roles: Role) -> bool:
    return bool(user.roles_in(org) & set(roles or Role))


@pytest.fixture
def seeded(db):
    demo.seed()
    db.session.commit()
    return db


def test_demo_has_every_organisation_of_the_pilot_region(seeded):
    orgs = {o.slug: o for o in seeded.session.scalars(sa.select(Organisation))}
    assert set(orgs) == {
        "ylasavon-sote", "iisalmi", "vierema", "keitele", "pielavesi", "tervo", "vesanto",
    }  # fmt: skip
    assert orgs["ylasavon-sote"].language_list == ["fi", "sv"]
    assert all(o.name_fi and o.name_sv and o.name_en for o in orgs.values())


def test_every_municipality_has_an_open_topic_and_every_phase_is_shown(seeded):
    now = utcnow()
    topics = seeded.session.scalars(sa.select(Topic)).all()
    open_by_org = {t.organisation.slug for t in topics if t.phase(now) == Phase.OPEN}
    assert open_by_org == {slug for slug, *_ in demo_content.ORGANISATIONS}
    phases = Counter(t.phase(now) for t in topics)
    assert phases[Phase.CLOSED] >= 2
    assert phases[Phase.PUBLISHED] >= 1
    assert phases[Phase.DRAFT] >= 1
    assert phases[Phase.UPCOMING] >= 1
    anonymous = [t for t in topics if t.allow_anonymous]
    assert anonymous and all(t.premoderated for t in anonymous)
    kinds = {q.kind for t in topics for q in t.questions}
    assert kinds == {"single", "multiple", "open", "scale", "ranking"}
    sote = next(t for t in topics if t.organisation.slug == "ylasavon-sote" and t.is_open(now))
    assert {t.locale for t in sote.translations} == {"fi", "sv"}
    assert {o.slug for o in sote.concerned_organisations} == {"iisalmi", "vierema"}


def test_demo_log_ins_work_with_the_printed_password_and_have_their_roles(seeded):
    assert not is_common(demo.PASSWORD)
    users = {u.email: u for u in seeded.session.scalars(sa.select(User))}
    for email, _label in demo.login_rows():
        assert check_password(users[email].password_hash, demo.PASSWORD)
        assert users[email].is_verified
    keitele, sote, iisalmi = (
        seeded.session.scalar(sa.select(Organisation).filter_by(slug=s))
        for s in ("keitele", "ylasavon-sote", "iisalmi")
    )
    assert users["moderaattori@example.fi"].roles_in(keitele) == {Role.MODERATOR}
    assert users["moderaattori@example.fi"].roles_in(iisalmi) == set()
    assert users["valmistelija@example.fi"].roles_in(sote) == {Role.PREPARER}
    assert users["paakayttaja@example.fi"].roles_in(iisalmi) == {Role.ADMIN}
    assert users["yllapito@example.fi"].is_platform_admin
    assert users["asukas@example.fi"].home_municipality_code == "925"  # Vieremä
    assert not users["asukas@example.fi"].memberships


def test_demo_comments_cover_every_status_and_channel_and_threads_are_consistent(seeded):
    comments = seeded.session.scalars(sa.select(Comment)).all()
    assert {c.status for c in comments} == set(CommentStatus)
    assert {c.source for c in comments} == set(CommentSource)
    by_id = {c.id: c for c in comments}
    replies = [c for c in comments if c.parent_id]
    assert replies
    for reply in replies:
        parent = by_id[reply.parent_id]
        assert parent.topic_id == reply.topic_id
        assert reply.root_id == (parent.root_id or parent.id)
        assert reply.created_at > parent.created_at
    for c in comments:
        assert c.author_id or c.nickname or c.source != CommentSource.WEB
        assert (c.status == CommentStatus.DELETED) == (c.body == "")
    hidden = [c for c in comments if c.status == CommentStatus.HIDDEN]
    assert all(c.hidden_reason and c.hidden_by_id and c.hidden_reason_id for c in hidden)


def test_every_organisation_has_contacts_a_report_threshold_and_reason_templates(seeded):
    orgs = seeded.session.scalars(sa.select(Organisation)).all()
    for org in orgs:
        assert org.contact_email.endswith(".example.fi"), org.slug
        assert org.contact_phone
        assert org.website_url.startswith("https://") and ".example.fi" in org.website_url
        assert org.flag_threshold == 3
        reasons = seeded.session.scalars(
            sa.select(ModerationReason).filter_by(organisation_id=org.id)
        ).all()
        assert sorted(r.texts["fi"] for r in reasons) == sorted(d["fi"] for d in DEFAULT_REASONS)
    by_slug = {o.slug: o for o in orgs}
    assert {m.slug for m in by_slug["ylasavon-sote"].members} == {"iisalmi", "vierema"}
    assert all(not o.members for o in orgs if o.slug != "ylasavon-sote")


def test_several_organisations_have_staff_and_one_person_works_for_two(seeded):
    memberships = seeded.session.scalars(sa.select(Membership)).all()
    roles: dict[str, set[Role]] = {}
    for m in memberships:
        roles.setdefault(m.organisation.slug, set()).add(m.role)
    for slug in ("keitele", "vierema", "ylasavon-sote"):
        assert {Role.ADMIN, Role.MODERATOR} <= roles[slug], slug
    assert Role.MODERATOR in roles["iisalmi"] and Role.ADMIN in roles["iisalmi"]
    orgs_of: dict[int, set[int]] = {}
    for m in memberships:
        orgs_of.setdefault(m.user_id, set()).add(m.organisation_id)
    assert any(len(o) >= 2 for o in orgs_of.values())
    # Every other staff log-in works with the demo password and has the roles it says.
    users = {u.email: u for u in seeded.session.scalars(sa.select(User))}
    for person in demo_content.OTHER_STAFF:
        user = users[person.email]
        assert person.email.endswith("@example.fi")
        assert check_password(user.password_hash, demo.PASSWORD) and user.is_verified
        assert {(m.organisation.slug, m.role) for m in user.memberships} == set(person.roles)
    assert [e for e, _ in demo.staff_rows()] == [p.email for p in demo_content.OTHER_STAFF]
    # Each role was given by the platform admin (admins) or the organisation's admin.
    platform_admin = users["yllapito@example.fi"]
    grants = {
        (e.organisation_id, e.target_id, e.details["role"]): e
        for e in _events(seeded, "role.grant")
    }
    for m in memberships:
        event = grants[(m.organisation_id, m.user_id, m.role)]
        actor = seeded.session.get(User, event.actor_id)
        if m.role == Role.ADMIN:
            assert actor == platform_admin
        else:
            assert actor == platform_admin or _is_staff(actor, m.organisation, Role.ADMIN)


def test_every_demo_organisation_has_a_moderator_whom_its_reports_reach(seeded, client):
    """Tervo had no staff at all, so its reports reached nobody."""
    memberships = seeded.session.scalars(sa.select(Membership)).all()
    moderators = {
        org.slug: [m.user for m in memberships if (m.organisation, m.role) == (org, Role.MODERATOR)]
        for org in seeded.session.scalars(sa.select(Organisation))
    }
    assert all(moderators.values()), [slug for slug, people in moderators.items() if not people]
    (tervo_moderator,) = moderators["tervo"]
    assert tervo_moderator.email == "moderaattori.tervo@example.fi"
    assert ("moderaattori.tervo@example.fi", "moderator, Tervo") in demo.login_rows()
    sauna = _topic(seeded, "rantasaunan-vuorot")
    assert can(tervo_moderator, "moderate", sauna)
    # The platform's list of organisations names nobody as unattended.
    platform_admin = seeded.session.scalar(sa.select(User).filter_by(is_platform_admin=True))
    with client.session_transaction() as session:
        session["_user_id"] = platform_admin.get_id()
        session["lang"] = "en"
    page = client.get("/platform/organisations").get_data(as_text=True)
    assert "No admin yet" in page  # Pielavesi, Tervo and Vesanto have moderators only
    assert "reports reach nobody" not in page


def test_a_premoderated_topic_has_pending_comments_one_under_a_nickname(seeded, client):
    topic = _topic(seeded, "kouluverkko-2028")
    assert topic.premoderated and topic.allow_anonymous and topic.is_open(utcnow())
    pending = _comments(seeded, topic, Comment.status == CommentStatus.PENDING)
    assert len(pending) >= 3
    anonymous = [c for c in pending if c.author_id is None]
    assert anonymous and all(c.nickname for c in anonymous)
    assert all(c.reviewed_at is None and c.auto_hidden_at is None for c in pending)
    # What is visible there went through a moderator, who is in the audit log for it.
    visible = _comments(seeded, topic, Comment.status == CommentStatus.VISIBLE)
    assert visible
    for c in visible:
        assert _is_staff(seeded.session.get(User, c.reviewed_by_id), topic.organisation)
        assert c.reviewed_at > c.created_at
        (event,) = _events(seeded, "comment.approve", c)
        assert event.actor_id == c.reviewed_by_id and event.created_at == c.reviewed_at
    # Nobody replied to a comment on a pre-moderated topic before it was let through.
    replies = seeded.session.scalars(
        sa.select(Comment).join(Topic).where(Topic.premoderated, Comment.parent_id.is_not(None))
    ).all()
    assert replies
    for reply in replies:
        parent = seeded.session.get(Comment, reply.parent_id)
        assert parent.reviewed_at < reply.created_at
    page = client.get("/vierema/kouluverkko-2028").get_data(as_text=True)
    assert visible[0].body in page
    assert all(c.body not in page for c in pending)


def test_the_sote_survey_has_every_kind_and_a_few_hundred_valid_answers(seeded):
    topic = seeded.session.scalar(
        sa.select(Topic).filter_by(slug="laboratorion-naytteenotto-kysely")
    )
    assert topic.is_open(utcnow()) and topic.organisation.slug == "ylasavon-sote"
    kinds = [q.kind.value for q in topic.questions]
    assert kinds == ["single", "scale", "ranking", "open"]
    open_q = topic.questions[3]
    assert not open_q.required and open_q.max_length == 800
    assert topic.questions[1].scale_labels["low"]["sv"] == "Mycket missnöjd"
    answers = seeded.session.scalars(
        sa.select(Answer).where(Answer.question_id.in_([q.id for q in topic.questions]))
    ).all()
    by_question = Counter(a.question_id for a in answers)
    assert by_question[topic.questions[1].id] >= 240  # every respondent, and residents
    assert 40 <= by_question[open_q.id] < by_question[topic.questions[1].id]
    questions = {q.id: q for q in topic.questions}
    for a in answers:  # each by its question's rules
        q = questions[a.question_id]
        reply = {
            "open": a.text,
            "scale": a.value,
            "ranking": [c.option_id for c in sorted(a.choices, key=lambda c: c.rank)],
        }.get(q.kind.value, {c.option_id for c in a.choices})
        participation.check_answer(q, reply)


def test_no_demo_or_generated_answer_holds_an_exclusive_option_with_another(seeded):
    """ "None of these" is chosen alone, in every poll of the demo and of the generated data
    (``seed-demo --comments N``), as the poll's own rules require."""
    demo.add_large_topic(60)
    seeded.session.commit()
    questions = {q.id: q for q in seeded.session.scalars(sa.select(Question))}
    chosen: dict[int, set[int]] = {}
    of_answer: dict[int, int] = {}
    for answer_id, question_id, option_id in seeded.session.execute(
        sa.select(Answer.id, Answer.question_id, AnswerChoice.option_id).join(
            AnswerChoice, AnswerChoice.answer_id == Answer.id
        )
    ):
        chosen.setdefault(answer_id, set()).add(option_id)
        of_answer[answer_id] = question_id
    assert chosen
    for answer_id, options in chosen.items():
        participation.check_answer(questions[of_answer[answer_id]], options)  # raises if not
    exclusive = [o for q in questions.values() for o in q.exclusive_options]
    assert [o.texts["fi"] for o in exclusive] == ["En mitään näistä"]
    (none_of_these,) = exclusive
    alone = [a for a, options in chosen.items() if options == {none_of_these.id}]
    assert alone  # someone chose it, on its own
    assert all(none_of_these.id not in o for a, o in chosen.items() if a not in alone)


def test_hidden_comments_have_the_organisations_reason_a_moderator_and_an_audit_event(
    seeded, client
):
    now = utcnow()
    hidden = seeded.session.scalars(
        sa.select(Comment).filter_by(status=CommentStatus.HIDDEN).order_by(Comment.id)
    ).all()
    assert len(hidden) >= 3
    assert len({c.topic_id for c in hidden}) >= 2
    for c in hidden:
        org = seeded.session.get(Topic, c.topic_id).organisation
        reason = seeded.session.get(ModerationReason, c.hidden_reason_id)
        assert reason.organisation_id == org.id
        assert c.hidden_reason == reason.text(
            c.language if c.language in org.language_list else "fi"
        )
        moderator = seeded.session.get(User, c.hidden_by_id)
        assert _is_staff(moderator, org, Role.MODERATOR, Role.ADMIN)
        assert c.created_at < c.hidden_at <= now
        (event,) = _events(seeded, "comment.hide", c)
        assert (event.actor_id, event.organisation_id) == (moderator.id, org.id)
        assert event.reason == c.hidden_reason and event.created_at == c.hidden_at
        assert event.details["reason_id"] == reason.id
    assert len({c.hidden_reason_id for c in hidden}) >= 2  # different reasons
    # A hidden comment whose replies stay readable: the page shows the reason, not the words.
    with_replies = [
        c
        for c in hidden
        if seeded.session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .filter_by(parent_id=c.id, status=CommentStatus.VISIBLE)
        )
    ]
    assert with_replies
    comment = with_replies[0]
    reply = seeded.session.scalar(sa.select(Comment).filter_by(parent_id=comment.id))
    assert reply.created_at < comment.hidden_at  # replied to while it was still visible
    topic = seeded.session.get(Topic, comment.topic_id)
    page = client.get(f"/{topic.organisation.slug}/{topic.slug}").get_data(as_text=True)
    assert reply.body in page
    assert comment.body not in page
    assert comment.hidden_reason in page


def test_a_comment_hidden_by_reports_waits_for_a_moderator(seeded):
    (comment,) = seeded.session.scalars(
        sa.select(Comment).where(Comment.auto_hidden_at.is_not(None))
    ).all()
    topic = seeded.session.get(Topic, comment.topic_id)
    assert comment.status == CommentStatus.PENDING and not topic.premoderated
    flags = seeded.session.scalars(sa.select(CommentFlag).filter_by(comment_id=comment.id)).all()
    threshold = topic.organisation.flag_threshold
    assert len(flags) == comment.flag_count == threshold == 3
    assert comment.author_id not in {f.user_id for f in flags}
    assert max(f.created_at for f in flags) == comment.auto_hidden_at
    assert all(f.created_at > comment.created_at for f in flags)
    (event,) = _events(seeded, "comment.auto_hide", comment)
    assert event.actor_id is None and event.actor_name == "system"
    assert event.created_at == comment.auto_hidden_at


def test_themes_on_several_topics_with_tagged_comments(seeded):
    themes = seeded.session.scalars(sa.select(Theme).order_by(Theme.topic_id, Theme.position))
    by_topic: dict[int, list[Theme]] = {}
    for theme in themes:
        by_topic.setdefault(theme.topic_id, []).append(theme)
    assert len(by_topic) >= 2
    orgs = set()
    for topic_id, topic_themes in by_topic.items():
        topic = seeded.session.get(Topic, topic_id)
        orgs.add(topic.organisation.slug)
        assert 3 <= len(topic_themes) <= 5
        for theme in topic_themes:
            assert set(topic.organisation.language_list) <= set(theme.texts), theme.texts
            (event,) = _events(seeded, "theme.create", theme)
            assert _is_staff(seeded.session.get(User, event.actor_id), topic.organisation)
        tagged = seeded.session.scalars(
            sa.select(Comment).where(Comment.topic_id == topic_id, Comment.themes.any())
        ).all()
        assert {t.id for c in tagged for t in c.themes} == {t.id for t in topic_themes}
        for c in tagged:
            assert all(t.topic_id == topic_id for t in c.themes)
            (event,) = _events(seeded, "comment.tag", c)
            assert event.details["themes"] == [t.id for t in c.themes]
            assert event.created_at > max(c.created_at, c.themes[0].created_at)
    assert {"ylasavon-sote", "keitele"} <= orgs


def test_key_comments_and_official_replies(seeded, client):
    key = seeded.session.scalars(sa.select(Comment).filter_by(is_key=True)).all()
    assert len(key) >= 2
    assert all(c.status == CommentStatus.VISIBLE for c in key)
    assert all(len(_events(seeded, "comment.key", c)) == 1 for c in key)
    official = seeded.session.scalars(sa.select(Comment).filter_by(is_official=True)).all()
    assert official
    for reply in official:
        topic = seeded.session.get(Topic, reply.topic_id)
        assert reply.parent_id and reply.status == CommentStatus.VISIBLE
        assert _is_staff(reply.author, topic.organisation)
        (event,) = _events(seeded, "comment.official_reply", reply)
        assert event.actor_id == reply.author_id
    page = client.get("/ylasavon-sote/terveysasemien-aukioloajat").get_data(as_text=True)
    assert 'class="badge official"' in page and 'class="badge key"' in page


def test_paper_and_event_feedback_entered_by_the_keitele_moderator(seeded, client):
    topic = _topic(seeded, "kirjastoauton-pysakit")
    moderator = seeded.session.scalar(sa.select(User).filter_by(email="moderaattori@example.fi"))
    entered = _comments(seeded, topic, Comment.source != CommentSource.WEB)
    assert len(entered) >= 3
    assert {c.source for c in entered} == {CommentSource.PAPER, CommentSource.EVENT}
    for c in entered:
        assert c.author_id is None and c.entered_by_id == moderator.id
        assert c.place and c.received_on
        assert topic.opens_at.date() <= c.received_on <= c.created_at.date()
        (event,) = _events(seeded, "paper.add", c)
        assert event.actor_id == moderator.id and event.details["source"] == c.source
    assert "Keiteleen kirjasto" in {c.place for c in entered}
    page = client.get("/keitele/kirjastoauton-pysakit").get_data(as_text=True)
    assert all(c.body in page for c in entered)
    # Every paper comment of the demo names who entered it, where an organisation has staff.
    paper = seeded.session.scalars(
        sa.select(Comment).where(Comment.source != CommentSource.WEB)
    ).all()
    assert all(c.place and c.received_on and c.entered_by_id for c in paper)


def test_published_results_have_the_decision_its_use_of_feedback_and_a_summary(seeded, client):
    now = utcnow()
    published = seeded.session.scalars(
        sa.select(Topic).filter_by(status=TopicStatus.PUBLISHED)
    ).all()
    assert {t.slug for t in published} >= {
        "keskustan-pyoratiet",
        "suun-terveydenhuollon-ajanvaraus",
    }
    for topic in published:
        assert topic.closes_at < topic.results_published_at <= now
        assert topic.decided_on and topic.decided_on <= topic.results_published_at.date()
        assert topic.minutes_url.startswith("https://") and ".example.fi/" in topic.minutes_url
        assert {t.locale for t in topic.translations} == set(topic.organisation.language_list)
        for translation in topic.translations:
            assert translation.decision_outcome and translation.feedback_use
            assert translation.moderator_summary
        (event,) = _events(seeded, "topic.publish_results", topic)
        assert event.created_at == topic.results_published_at
        assert _is_staff(seeded.session.get(User, event.actor_id), topic.organisation, Role.ADMIN)
        assert len(_events(seeded, "topic.summary", topic)) == 1
        assert client.get(f"/{topic.organisation.slug}/{topic.slug}").status_code == 200
    sote = next(t for t in published if t.organisation.slug == "ylasavon-sote")
    assert {t.locale for t in sote.translations} == {"fi", "sv"}
    # The closed SOTE topic of journey 3 has the moderator's summary in both languages.
    closed = _topic(seeded, "kotihoidon-etahoiva")
    assert all(t.moderator_summary for t in closed.translations)
    assert {t.locale for t in closed.translations} == {"fi", "sv"}


def test_followers_of_published_results_count_as_told(seeded):
    """The demo's published topics were announced when published: nothing is recorded for
    their followers, so neither a worker nor tick tells them."""
    from eraati.notifications.models import Kind, Notification

    follows = seeded.session.execute(
        sa.select(Follow.id, Topic.results_published_at).join(Topic)
    ).all()
    assert any(published for _id, published in follows)  # some follow a published topic
    results = sa.select(sa.func.count()).where(Notification.kind == Kind.RESULTS)
    assert seeded.session.scalar(results) == 0


def test_a_resident_is_blocked_in_one_organisation_only(seeded):
    now = utcnow()
    (block,) = seeded.session.scalars(sa.select(UserBlock)).all()
    user, org = block.user, block.organisation
    assert block.starts_at <= now < block.ends_at and block.lifted_at is None
    assert _is_staff(seeded.session.get(User, block.created_by_id), org, Role.MODERATOR, Role.ADMIN)
    assert block.reason
    assert user.org_blocks == {str(org.id): block.ends_at.isoformat()}
    assert user.blocked_in(org.id, now)
    topics = seeded.session.scalars(sa.select(Topic)).all()
    own = next(t for t in topics if t.organisation_id == org.id and t.is_open(now))
    other = next(t for t in topics if t.organisation_id != org.id and t.is_open(now))
    assert not can(user, "comment", own)
    assert can(user, "comment", other)
    (event,) = _events(seeded, "user.block", user)
    assert event.actor_id == block.created_by_id and event.created_at == block.starts_at
    assert event.reason == block.reason


def test_audit_events_are_staff_acts_in_their_own_organisation_in_the_past(seeded):
    now = utcnow()
    events = seeded.session.scalars(sa.select(AuditEvent)).all()
    assert {e.action for e in events} >= {
        "comment.hide", "comment.approve", "comment.auto_hide", "comment.tag", "comment.key",
        "comment.official_reply", "paper.add", "theme.create", "user.block", "role.grant",
        "topic.create", "topic.summary", "topic.publish_results",
    }  # fmt: skip
    assert {e.action for e in events} <= set(ACTION_LABELS)
    users = {u.id: u for u in seeded.session.scalars(sa.select(User))}
    orgs = {o.id: o for o in seeded.session.scalars(sa.select(Organisation))}
    for e in events:
        assert e.created_at <= now
        if e.actor_id is None:
            assert e.action == "comment.auto_hide"
            continue
        actor = users[e.actor_id]
        assert e.actor_name == actor.display_name
        if e.organisation_id is None:
            assert actor.is_platform_admin
        else:
            assert actor.is_platform_admin or _is_staff(actor, orgs[e.organisation_id]), e.action


def test_seeding_an_older_demo_fills_in_organisation_settings_without_doubling(seeded):
    seeded.session.execute(
        sa.update(Organisation).values(contact_email=None, contact_phone=None, website_url=None)
    )
    keitele = _org(seeded, "keitele")
    seeded.session.execute(sa.delete(ModerationReason).filter_by(organisation_id=keitele.id))
    _org(seeded, "ylasavon-sote").members = []
    seeded.session.commit()
    demo.seed()
    seeded.session.commit()
    assert all(o.contact_email for o in seeded.session.scalars(sa.select(Organisation)))
    assert _count(seeded, ModerationReason) == 7 * len(DEFAULT_REASONS)
    assert {m.slug for m in _org(seeded, "ylasavon-sote").members} == {"iisalmi", "vierema"}


def test_demo_counters_equal_the_rows(seeded):
    assert counter_mismatches() == []
    assert counters.mismatches() == []
    assert _count(seeded, TopicStance) > 0


def test_seeding_twice_changes_nothing(seeded):
    before = _table_sizes(seeded)
    staff_work = ("audit_events", "themes", "comment_themes", "user_blocks", "comment_flags",
                  "moderation_reasons", "organisation_members", "memberships")  # fmt: skip
    assert all(before[name] > 0 for name in staff_work)
    again = demo.seed()
    seeded.session.commit()
    assert (again.organisations, again.users, again.topics, again.comments) == (0, 0, 0, 0)
    assert _table_sizes(seeded) == before


def test_seeding_adds_only_what_is_missing(seeded):
    before = _table_sizes(seeded)
    topic = seeded.session.scalar(sa.select(Topic).filter_by(slug="rantasaunan-vuorot"))
    seeded.session.delete(topic)
    seeded.session.commit()
    again = demo.seed()
    seeded.session.commit()
    assert (again.organisations, again.users, again.topics) == (0, 0, 1)
    assert _table_sizes(seeded) == before


def test_recount_repairs_a_drifted_counter_and_mismatches_sees_it(seeded):
    topic = seeded.session.scalar(sa.select(Topic).filter_by(slug="digituki-kylille"))
    seeded.session.execute(
        sa.update(Topic).where(Topic.id == topic.id).values(comment_count=Topic.comment_count + 3)
    )
    seeded.session.execute(sa.update(Comment).values(agree_count=0))
    found = counters.mismatches()
    assert ("topics", topic.id, "comment_count") in {f[:3] for f in found}
    assert any(f[2] == "agree_count" for f in found)
    counters.recount()
    assert counters.mismatches() == []
    assert counter_mismatches() == []


def test_large_topic_is_filled_to_the_asked_size_with_threads_and_exact_counters(seeded):
    topic = demo.add_large_topic(230)
    seeded.session.commit()
    comments = seeded.session.scalars(sa.select(Comment).filter_by(topic_id=topic.id)).all()
    assert len(comments) == 230
    roots = {c.id for c in comments if c.parent_id is None}
    replies = [c for c in comments if c.parent_id is not None]
    assert replies and all(c.parent_id in roots and c.root_id == c.parent_id for c in replies)
    assert topic.comment_count == 230
    assert counter_mismatches() == []
    demo.add_large_topic(260)
    seeded.session.commit()
    seeded.session.refresh(topic)
    assert topic.comment_count == 260
    assert counter_mismatches() == []


def test_every_public_demo_page_renders(seeded, client):
    now = utcnow()
    paths = ["/", "/?status=closed", "/?status=published", "/?status=upcoming"]
    for org in seeded.session.scalars(sa.select(Organisation)):
        paths.append(f"/{org.slug}")
    topics = seeded.session.scalars(sa.select(Topic)).all()
    for topic in topics:
        paths.append(f"/{topic.organisation.slug}/{topic.slug}")
    for path in paths:
        topic = next((t for t in topics if path.endswith(f"/{t.slug}")), None)
        response = client.get(path)
        if topic and not topic.is_public(now):  # drafts: staff only
            assert response.status_code == 302 and "/account/login" in response.location, path
        else:
            assert response.status_code == 200, path
    page = client.get("/keitele/kirjastoauton-pysakit").get_data(as_text=True)
    assert "Idiootteja" not in page  # the hidden comment's words
    assert "Kotalahdentien" not in page
    assert "Nälkäinen" not in page  # pending anonymous comments wait for the moderator
    page = client.get("/iisalmi/kirjaston-omatoimiaukiolo").get_data(as_text=True)
    assert "kaljaporukoista" not in page  # hidden by reports until a moderator looks


def test_seed_demo_command_prints_the_log_ins_and_respects_if_empty(seeded, runner):
    result = runner.invoke(args=["eraati", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "already has data" in result.output
    for email, _ in demo.login_rows():
        assert email in result.output
    assert demo.PASSWORD in result.output


def test_seed_demo_command_loads_an_empty_database(db, runner):
    result = runner.invoke(args=["eraati", "seed-demo", "--if-empty", "--comments", "120"])
    assert result.exit_code == 0, result.output
    assert "7 organisations" in result.output
    assert "/iisalmi/suuri-kuuleminen" in result.output
    large = db.session.scalar(sa.select(Topic).filter_by(slug="suuri-kuuleminen"))
    assert large.comment_count == 120
    assert counters.mismatches() == []


def test_seed_demo_lists_the_other_staff_only_on_request(seeded, runner):
    short = runner.invoke(args=["eraati", "seed-demo"])
    assert short.exit_code == 0, short.output
    assert "seed-demo --list" in short.output
    assert all(email not in short.output for email, _ in demo.staff_rows())
    before = _table_sizes(seeded)
    full = runner.invoke(args=["eraati", "seed-demo", "--list"])
    assert full.exit_code == 0, full.output
    lines = full.output.splitlines()
    for email, label in demo.login_rows() + demo.staff_rows():
        assert any(line.split() == [email, *label.split()] for line in lines), email
    assert "Demo data" not in full.output  # listing loads nothing
    assert _table_sizes(seeded) == before


def test_planned_decision_dates_are_working_days(seeded):
    planned = seeded.session.scalars(
        sa.select(Topic.decision_planned_on).where(Topic.decision_planned_on.is_not(None))
    ).all()
    assert planned and all(day.weekday() < 5 for day in planned)
    # A date on a weekend or a Christmas holiday moves to the next working day.
    assert demo._meeting_day(date(2026, 12, 24)) == date(2026, 12, 28)  # Thu 24 -> Mon 28
    assert demo._meeting_day(date(2027, 1, 1)) == date(2027, 1, 4)  # Fri (New Year) -> Mon
    assert demo._meeting_day(date(2026, 12, 2)) == date(2026, 12, 2)  # a Wednesday stays


def test_every_language_version_of_a_demo_topic_names_its_deciding_body(seeded):
    """A Swedish reader of a bilingual demo topic reads the Swedish body's name."""
    topics = list(seeded.session.scalars(sa.select(Topic)))
    assert all(t.deciding_body for topic in topics for t in topic.translations)
    sote = [
        t
        for topic in topics
        if topic.organisation.slug == "ylasavon-sote"
        for t in topic.translations
    ]
    assert {t.locale for t in sote} == {"fi", "sv"}
    assert {t.deciding_body for t in sote if t.locale == "sv"} == {
        "Styrelsen för samkommunen Ylä-Savon SOTE"
    }


def test_the_production_configuration_is_marked_as_such():
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert ProductionConfig.PRODUCTION is True
    assert DevelopmentConfig.PRODUCTION is TestingConfig.PRODUCTION is False


def test_seed_demo_refuses_production_unless_told_explicitly(app, db, runner):
    app.config["PRODUCTION"] = True
    try:
        refused = runner.invoke(args=["eraati", "seed-demo"])
        assert refused.exit_code != 0
        assert "production configuration" in refused.output
        assert "--load-into-production" in refused.output
        assert demo.PASSWORD not in refused.output
        assert _count(db, User) == _count(db, Organisation) == _count(db, Topic) == 0
        loaded = runner.invoke(args=["eraati", "seed-demo", "--load-into-production"])
    finally:
        app.config["PRODUCTION"] = False
    assert loaded.exit_code == 0, loaded.output
    assert "7 organisations" in loaded.output
    assert _count(db, Organisation) == 7


def test_the_keitele_library_evening_has_the_feedback_collected_there(seeded, client):
    from eraati.core.time import local
    from eraati.events.models import TopicEvent

    topic = _topic(seeded, "kirjastoauton-pysakit")
    events = seeded.session.scalars(
        sa.select(TopicEvent).filter_by(topic_id=topic.id).order_by(TopicEvent.starts_at)
    ).all()
    evening, coming = events
    assert evening.place == "Keiteleen kirjasto" and evening.ends_at < utcnow() < coming.starts_at
    linked = _comments(seeded, topic, Comment.event_id == evening.id)
    assert len(linked) == 4 and all(c.source != CommentSource.WEB for c in linked)
    assert all(c.received_on == local(evening.starts_at).date() for c in linked)
    page = client.get("/keitele/kirjastoauton-pysakit").get_data(as_text=True)
    assert "Keiteleen kirjasto" in page and "Tervon kirjasto" in page
