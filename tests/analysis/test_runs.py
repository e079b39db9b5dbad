"""Background computation of a topic's analyses (eraati/analysis/runs.py): one at a time
per topic and kind, not more often than the interval, recomputed when inputs change,
and a failure stored as a reason, not lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.analysis import runs
from eraati.analysis.models import AnalysisKind
from eraati.core.time import utcnow
from tests import factories

CALLS: list[int] = []
NEWEST: dict[int, object] = {}


def compute(topic_id, progress):
    progress("counting", 1.0)
    CALLS.append(topic_id)
    return {"topic": topic_id, "n": len(CALLS)}


def broken(topic_id, progress):
    raise ValueError("no")


def inputs_at(topic_id):
    return NEWEST.get(topic_id)


@pytest.fixture
def analyser(monkeypatch):
    CALLS.clear()
    NEWEST.clear()
    monkeypatch.setitem(
        runs.ANALYSERS,
        AnalysisKind.GROUPS,
        runs.Analyser(f"{__name__}.compute", f"{__name__}.inputs_at"),
    )
    return runs.ANALYSERS[AnalysisKind.GROUPS]


@pytest.fixture
def topic(org, db):
    topic = factories.make_topic(org)
    db.session.commit()
    return topic


def test_asking_computes_once_and_stores_the_result_with_its_inputs_time(topic, analyser):
    NEWEST[topic.id] = utcnow() - timedelta(minutes=1)
    assert runs.ask(topic.id, AnalysisKind.GROUPS) is True  # inline in tests
    stored = runs.analysis_of(topic.id, AnalysisKind.GROUPS)
    assert stored.result == {"topic": topic.id, "n": 1}
    assert stored.inputs_at == NEWEST[topic.id]
    assert not stored.pending and stored.computed_at is not None
    # Within the interval a second ask does nothing, unless forced (the staff's button).
    assert runs.ask(topic.id, AnalysisKind.GROUPS) is False
    assert [topic.id] == CALLS
    assert runs.ask(topic.id, AnalysisKind.GROUPS, force=True) is True
    assert [topic.id, topic.id] == CALLS


def test_a_queued_or_running_computation_is_not_asked_for_twice(topic, analyser, db, jobs_backend):
    jobs_backend("local")
    from eraati.jobs import queue

    # Claimed but not yet run: the next asker finds it queued (even when forced).
    assert runs.request(topic.id, AnalysisKind.GROUPS) is True
    db.session.commit()
    assert runs.request(topic.id, AnalysisKind.GROUPS, force=True) is False
    assert runs.analysis_of(topic.id, AnalysisKind.GROUPS).pending
    # The run takes the claim; a second run of the same request finds nothing to do.
    assert runs.run(topic.id, "groups") is not None
    assert runs.run(topic.id, "groups") is None
    assert [topic.id] == CALLS
    assert queue.wait_local(5)


def test_a_stuck_computation_is_given_up_after_an_hour(topic, analyser, db):
    now = utcnow()
    assert runs.request(topic.id, AnalysisKind.GROUPS, now=now - timedelta(hours=2))
    db.session.commit()
    # A worker took it two hours ago and stopped.
    stored = runs.analysis_of(topic.id, AnalysisKind.GROUPS)
    stored.requested_at, stored.started_at = None, now - timedelta(hours=2)
    db.session.commit()
    assert runs.request(topic.id, AnalysisKind.GROUPS, now=now) is True


def test_a_failure_is_stored_as_a_reason_and_the_old_result_kept(topic, analyser, monkeypatch):
    runs.ask(topic.id, AnalysisKind.GROUPS)
    monkeypatch.setattr(analyser, "compute", f"{__name__}.broken")
    runs.ask(topic.id, AnalysisKind.GROUPS, force=True)
    stored = runs.analysis_of(topic.id, AnalysisKind.GROUPS)
    assert stored.failure == "ValueError" and stored.failed_at is not None
    assert stored.result == {"topic": topic.id, "n": 1}
    assert not stored.pending


def test_tick_asks_only_for_topics_whose_inputs_changed(org, analyser, db, runner, configure):
    configure(ANALYSIS_INTERVAL_SECONDS=0)
    changed = factories.make_topic(org, title="Muuttunut")
    quiet = factories.make_topic(org, title="Hiljainen")
    draft = factories.make_topic(org, status=factories.TopicStatus.DRAFT)
    db.session.commit()
    NEWEST.update({changed.id: utcnow(), quiet.id: None, draft.id: utcnow()})
    out = runner.invoke(args=["eraati", "tick"]).output
    assert f"analysis groups: keitele/{changed.slug}" in out
    assert [changed.id] == CALLS
    # Nothing new since: the next tick leaves it; a new vote asks again.
    runner.invoke(args=["eraati", "tick"])
    assert [changed.id] == CALLS
    NEWEST[changed.id] = utcnow() + timedelta(seconds=1)
    runner.invoke(args=["eraati", "tick"])
    assert [changed.id, changed.id] == CALLS
