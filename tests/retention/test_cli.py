"""``flask eraati retention [--dry-run]`` and the retention part of ``flask eraati tick``."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from eraati.consultations.models import AnonymisedParticipant, Comment, Topic
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.retention.services import add_months


def _due_now(db, world, months_ago: int = 25) -> None:
    """The world's results published ``months_ago`` months before the real clock."""
    world.topic.results_published_at = add_months(utcnow(), -months_ago)
    db.session.commit()


def _anonymised(world) -> bool:
    db.session.expire_all()
    return db.session.get(Topic, world.topic.id).anonymised_at is not None


def test_dry_run_lists_what_would_go_and_changes_nothing(db, world, runner):
    _due_now(db, world)
    result = runner.invoke(args=["eraati", "retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would anonymise keitele/kirjaston-aukioloajat" in result.output
    assert "kept 24 months" in result.output
    assert "4 people detached, their pseudonyms kept" in result.output
    assert "5 votes (comment_votes.user_id)" in result.output
    assert "1 nicknames of anonymous writers" in result.output
    assert "1 prepared file(s) removed" in result.output
    assert "1 topic(s) would be anonymised. Nothing was changed." in result.output
    assert not _anonymised(world)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnonymisedParticipant)) == 0
    anonymous = db.session.get(Comment, world.comments["anonymous"].id)
    assert anonymous.nickname == "Salainen Nimimerkki"


def test_retention_anonymises_due_topics_once(db, world, runner):
    _due_now(db, world)
    result = runner.invoke(args=["eraati", "retention"])
    assert result.exit_code == 0, result.output
    assert "anonymised keitele/kirjaston-aukioloajat" in result.output
    assert _anonymised(world)
    again = runner.invoke(args=["eraati", "retention"])
    assert "No topic is due for the removal of personal data." in again.output


def test_a_topic_not_yet_due_is_left_alone(db, world, runner):
    _due_now(db, world, months_ago=23)
    result = runner.invoke(args=["eraati", "retention", "--dry-run"])
    assert "No topic is due" in result.output
    world.org.retention_months = 12  # the organisation keeps data for a shorter time
    db.session.commit()
    result = runner.invoke(args=["eraati", "retention"])
    assert "anonymised keitele/kirjaston-aukioloajat" in result.output
    assert _anonymised(world)


def test_tick_removes_the_personal_data_of_due_topics(db, world, runner):
    _due_now(db, world)
    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    assert "anonymised keitele/kirjaston-aukioloajat" in result.output
    assert _anonymised(world)
    again = runner.invoke(args=["eraati", "tick"])
    assert "Retention: no topic is due." in again.output


def test_tick_removes_invitations_nobody_accepted_a_month_after_they_expired(db, org, runner):
    """An invitation holds the address of someone who may have no account: one nobody
    accepted goes 30 days after it expired (a withdrawn one expires too); one still in
    its grace period, or accepted, stays (the accepted one goes with the account)."""
    from eraati.organisations import services as organisations
    from eraati.organisations.models import Invitation, Role
    from eraati.organisations.tokens import lifetime
    from tests import factories

    now = utcnow()
    expired = now - lifetime() - timedelta(days=31)  # sent then: expired 31 days ago

    def invite(address: str, sent) -> Invitation:
        return organisations.invite(org, address, Role.MODERATOR, now=sent)

    old = invite("vanha@example.org", expired)
    withdrawn = invite("peruttu@example.org", expired)
    organisations.revoke_invitation(org, withdrawn, now=expired)
    recent = invite("tuore@example.org", now - lifetime() - timedelta(days=29))
    waiting = invite("odottaa@example.org", now)
    accepted = invite("hyvaksyi@example.org", expired)
    organisations.accept_invitation(
        accepted, factories.make_user("hyvaksyi@example.org"), now=expired
    )
    db.session.commit()
    gone = {old.id, withdrawn.id}
    kept = {recent.id, waiting.id, accepted.id}

    dry = runner.invoke(args=["eraati", "retention", "--dry-run"])
    assert "2 invitation(s) that nobody accepted would be removed." in dry.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 5
    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    assert "2 invitation(s) that nobody accepted removed." in result.output
    db.session.expire_all()
    left = set(db.session.scalars(sa.select(Invitation.id)))
    assert left == kept and not left & gone
    again = runner.invoke(args=["eraati", "tick"])
    assert "invitation" not in again.output
