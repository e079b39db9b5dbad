"""The demo data behind ``make run``: complete, consistent, idempotent, and every page renders."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.accounts.passwords import check_password, is_common
from eraati.consultations import counters, demo, demo_content
from eraati.consultations.models import (
    Comment,
    CommentSource,
    CommentStatus,
    Phase,
    Topic,
    TopicStance,
)
from eraati.core.time import utcnow
from eraati.organisations.models import Organisation, Role
from tests.consultations.participation_support import counter_mismatches


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _table_sizes(db) -> dict[str, int]:
    return {t.name: _count(db, t) for t in db.metadata.sorted_tables}


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
    assert kinds == {"single", "multiple"}
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
    assert users["asukas@example.fi"].home_organisation.slug == "vierema"
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
    assert all(c.hidden_reason and c.hidden_by_id for c in hidden)


def test_demo_counters_equal_the_rows(seeded):
    assert counter_mismatches() == []
    assert counters.mismatches() == []
    assert _count(seeded, TopicStance) > 0


def test_seeding_twice_changes_nothing(seeded):
    before = _table_sizes(seeded)
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
    paths = ["/", "/?status=closed", "/?status=published"]
    for org in seeded.session.scalars(sa.select(Organisation)):
        paths.append(f"/{org.slug}")
    topics = seeded.session.scalars(sa.select(Topic)).all()
    for topic in topics:
        paths.append(f"/{topic.organisation.slug}/{topic.slug}")
    for path in paths:
        topic = next((t for t in topics if path.endswith(f"/{t.slug}")), None)
        response = client.get(path)
        if topic and not topic.is_public(now):  # drafts and upcoming: staff only
            assert response.status_code == 302 and "/account/login" in response.location, path
        else:
            assert response.status_code == 200, path
    page = client.get("/keitele/kirjastoauton-pysakit").get_data(as_text=True)
    assert "Idiootteja" not in page  # the hidden comment's words
    assert "Nälkäinen" not in page  # pending anonymous comments wait for the moderator


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
