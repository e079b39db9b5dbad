"""Opinion groups are personal data (eraati/personal_data.py, eraati/retention): a
person's download names their group, and removing a topic's personal data keeps the
stored groups while tying them to participants instead of accounts."""

from __future__ import annotations

from datetime import timedelta

from eraati.analysis import opinion, runs
from eraati.analysis.demo import add_planted_topic
from eraati.analysis.models import AnalysisKind
from eraati.consultations.models import TopicStatus
from eraati.core.time import utcnow
from eraati.personal_data import export_user_data
from eraati.retention.services import anonymise


def test_the_data_download_names_the_persons_group_and_retention_keeps_the_groups(db, org):
    made = add_planted_topic(org, participants=60, comments=40, seed=4)
    db.session.commit()
    topic = made.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    before = opinion.stored_groups(topic.id).result
    user_id = int(before.participant_ids[0])
    group = before.group_of(user_id)
    from eraati.accounts.models import User

    data = export_user_data(db.session.get(User, user_id))
    assert data["opinion_groups"] == [
        {
            "topic": {"id": topic.id, "organisation": org.slug, "slug": topic.slug},
            "group": opinion.group_letter(group),
            "computed_at": data["opinion_groups"][0]["computed_at"],
        }
    ]

    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow() - timedelta(days=800)
    db.session.commit()
    assert anonymise(topic) is not None
    db.session.commit()
    after = opinion.stored_groups(topic.id).result
    # No account's id is left; the groups and their sizes are the same, and each key
    # is now the one the votes carry (person_key: minus the participant).
    assert all(int(p) < 0 for p in after.participant_ids)
    assert [g.size for g in after.groups] == [g.size for g in before.groups]
    votes = opinion.load_votes(topic.id)
    assert set(after.participant_ids.tolist()) == set(votes.participant.tolist())
    assert all(m < 0 for g in after.groups for m in g.members)
    # A recomputation by the new keys finds the same groups.
    runs.request(topic.id, AnalysisKind.GROUPS, force=True)
    db.session.commit()
    runs.run(topic.id, "groups")
    fresh = opinion.stored_groups(topic.id).result
    for g in fresh.groups:
        assert len({after.group_of(m) for m in g.members}) == 1


def test_a_deleted_account_leaves_the_stored_groups(db, org):
    from eraati.accounts import services as accounts
    from eraati.accounts.models import User
    from eraati.accounts.passwords import hash_password

    made = add_planted_topic(org, participants=60, comments=40, seed=4)
    db.session.commit()
    topic = made.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    before = opinion.stored_groups(topic.id).result
    user = db.session.get(User, int(before.participant_ids[0]))
    user.password_hash = hash_password("Salasana-123")
    db.session.commit()
    accounts.delete_account(user, "Salasana-123")
    db.session.commit()
    stored = opinion.stored_groups(topic.id)
    after = stored.result
    assert user.id not in after.participant_ids.tolist()
    assert all(user.id not in g.members for g in after.groups)
    assert after.participants == before.participants - 1
    assert sum(g.size for g in after.groups) == after.participants
    assert runs.out_of_date(topic.id, AnalysisKind.GROUPS, stored.row)  # recomputed soon
