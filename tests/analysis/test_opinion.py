"""Opinion groups of a topic in the database (eraati/analysis/opinion.py): the job reads
the votes of visible comments, recovers the planted groups and stores them; the CLI
computes and prints them."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa
from sklearn.metrics import adjusted_rand_score

from eraati.analysis import opinion, runs
from eraati.analysis.demo import add_planted_topic
from eraati.analysis.models import AnalysisKind
from eraati.consultations.models import Comment, CommentStatus


@pytest.fixture
def planted(db, org):
    made = add_planted_topic(org, participants=200, comments=40, seed=0)
    db.session.commit()
    return made


def test_the_job_recovers_the_planted_groups_of_a_topic_and_stores_them(planted):
    topic = planted.topic
    assert runs.out_of_date(topic.id, AnalysisKind.GROUPS, None)
    assert runs.ask(topic.id, AnalysisKind.GROUPS)  # inline in tests
    stored = opinion.stored_groups(topic.id)
    assert stored.computed_at is not None and not stored.pending
    result = stored.result
    assert result.k == 3
    # Participant keys are user ids; the planted truth is by planted key (1..n).
    truth_of = dict(zip(planted.user_ids.tolist(), planted.planted.truth.tolist(), strict=True))
    found = [result.group_of(int(u)) for u in result.participant_ids]
    truth = [truth_of[int(u)] for u in result.participant_ids]
    assert adjusted_rand_score(truth, found) >= 0.99
    assert stored.row.inputs_at == opinion.inputs_at(topic.id)
    assert not runs.out_of_date(topic.id, AnalysisKind.GROUPS, stored.row)


def test_votes_on_hidden_comments_do_not_count(planted, db):
    topic = planted.topic
    before = opinion.load_votes(topic.id)
    hidden = int(planted.comment_ids[0])
    db.session.execute(
        sa.update(Comment).where(Comment.id == hidden).values(status=CommentStatus.HIDDEN)
    )
    after = opinion.load_votes(topic.id)
    assert hidden in set(before.comment.tolist())
    assert hidden not in set(after.comment.tolist())
    assert len(after) == len(before) - int(np.sum(before.comment == hidden))


def test_the_cli_computes_and_prints_the_groups(planted, runner):
    topic = planted.topic
    out = runner.invoke(args=["eraati", "analyse", f"{topic.organisation.slug}/{topic.slug}"])
    assert out.exit_code == 0, out.output
    stored = opinion.stored_groups(topic.id)
    assert "3 opinion groups" in out.output
    for group in stored.result.groups:
        assert f"Group {opinion.group_letter(group.id)}: {group.size} people" in out.output
    missing = runner.invoke(args=["eraati", "analyse", "no-such-topic"])
    assert missing.exit_code != 0 and "No topic" in missing.output


def test_seed_demo_planted_groups_makes_the_topic_with_its_groups_once(db, runner):
    from tests import factories

    factories.make_org("iisalmi", "Iisalmi")
    db.session.commit()
    args = ["eraati", "seed-demo", "--if-empty", "--planted-groups"]
    out = runner.invoke(args=args)
    assert out.exit_code == 0, out.output
    assert "/opinion-groups" in out.output
    from eraati.analysis.demo import SLUG
    from eraati.consultations.models import Topic

    (topic,) = db.session.scalars(sa.select(Topic).where(Topic.slug == SLUG)).all()
    assert opinion.stored_groups(topic.id).result.k == 3
    assert runner.invoke(args=args).exit_code == 0  # again: the same one topic
    assert db.session.scalar(sa.select(sa.func.count()).where(Topic.slug == SLUG)) == 1
