"""Computing a topic's analyses in the background: at most one computation per topic and
kind at a time, at most once every ``ANALYSIS_INTERVAL_SECONDS`` (a few minutes), never in
a request.

A computation is asked for (``ask``) by ``flask eraati tick`` when a topic's inputs
changed after the stored result (``ask_due``), by a staff page that finds its result out
of date, by the staff's "compute now" button (``force``) and by ``flask eraati analyse``.
Asking claims the row (``requested_at``, a conditional UPDATE: two askers queue one job),
commits and hands ``run`` to the job queue (RQ, the local worker, or inline in tests).
``run`` claims the request (``started_at``), reads the newest input time *before*
computing (so that a change during the computation asks for another), computes, and
stores the result; on failure it stores a reason code and logs one line.

Each kind names two functions by import path (``ANALYSERS``), so that this module needs
none of them imported:
- ``compute(topic_id, progress) -> dict``: the result as plain JSON, ``progress(step,
  share)`` called as it goes;
- ``inputs_at(topic_id) -> datetime | None``: the time of the newest input (vote, comment,
  tag); None while there is none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eraati.analysis.models import AnalysisKind, TopicAnalysis
from eraati.consultations.models import Topic, TopicStatus
from eraati.core.time import utcnow
from eraati.extensions import db

log = logging.getLogger(__name__)

RUN = "eraati.analysis.runs.run"
# A computation that started this long ago and never ended (its worker stopped) is
# given up: asking again may start another.
STUCK_AFTER = timedelta(hours=1)
# After a topic closes, its analyses are still brought up to date for this long (votes
# counted at the deadline, late moderation), then tick leaves them as they are.
AFTER_CLOSING = timedelta(days=14)


class Analyser:
    """The two functions of a kind of analysis, by import path."""

    def __init__(self, compute: str, inputs_at: str) -> None:
        self.compute = compute
        self.inputs_at = inputs_at


ANALYSERS: dict[AnalysisKind, Analyser] = {
    AnalysisKind.GROUPS: Analyser(
        "eraati.analysis.opinion.compute", "eraati.analysis.opinion.inputs_at"
    ),
    AnalysisKind.THEMES: Analyser(
        "eraati.analysis.suggestions.compute", "eraati.analysis.suggestions.inputs_at"
    ),
    AnalysisKind.CAMPAIGNS: Analyser(
        "eraati.analysis.campaigns.compute", "eraati.analysis.campaigns.inputs_at"
    ),
}


def interval() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("ANALYSIS_INTERVAL_SECONDS", 180)))


def analysis_of(topic_id: int, kind: AnalysisKind) -> TopicAnalysis | None:
    return db.session.scalar(
        sa.select(TopicAnalysis).where(
            TopicAnalysis.topic_id == topic_id, TopicAnalysis.kind == kind
        )
    )


def _ensure_row(topic_id: int, kind: AnalysisKind) -> None:
    """The row of ``topic_id`` and ``kind``, made if missing (safe against a second asker
    doing the same: the unique constraint keeps one)."""
    if analysis_of(topic_id, kind) is not None:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(TopicAnalysis)
        .values(topic_id=topic_id, kind=kind)
        .on_conflict_do_nothing(index_elements=["topic_id", "kind"])
    )


def request(
    topic_id: int, kind: AnalysisKind, *, force: bool = False, now: datetime | None = None
) -> bool:
    """Claim a new computation of ``kind`` for ``topic_id``; True when this call claimed it
    (the caller commits, then hands ``run`` to the queue: ``ask`` does both). Nothing is
    claimed while one is queued, while one runs (unless stuck), or, without ``force``,
    within ``interval()`` of the last result."""
    now = now or utcnow()
    _ensure_row(topic_id, kind)
    row = TopicAnalysis.__table__.c
    conditions = [
        row.topic_id == topic_id,
        row.kind == kind.value,
        row.requested_at.is_(None),
        sa.or_(row.started_at.is_(None), row.started_at < now - STUCK_AFTER),
    ]
    if not force:
        conditions.append(sa.or_(row.computed_at.is_(None), row.computed_at <= now - interval()))
    done = db.session.execute(
        sa.update(TopicAnalysis.__table__).where(*conditions).values(requested_at=now)
    )
    return done.rowcount == 1


def ask(topic_id: int, kind: AnalysisKind, *, force: bool = False) -> bool:
    """``request``, commit, and hand the computation to the job queue. Called by views
    (which commit anyway), ``tick`` and the CLI. True when a computation was queued."""
    from eraati.jobs.queue import submit

    claimed = request(topic_id, kind, force=force)
    db.session.commit()
    if claimed:
        submit(RUN, topic_id, kind.value)
    return claimed


def run(
    topic_id: int, kind: str, progress: Callable[[str, float], None] | None = None
) -> TopicAnalysis | None:
    """Compute and store one analysis (the job). Returns the row, or None when the
    request was gone (another worker took it)."""
    from eraati.jobs.queue import call

    kind = AnalysisKind(kind)
    analyser = ANALYSERS[kind]
    now = utcnow()
    row = TopicAnalysis.__table__.c
    claimed = db.session.execute(
        sa.update(TopicAnalysis.__table__)
        .where(row.topic_id == topic_id, row.kind == kind.value, row.requested_at.is_not(None))
        .values(started_at=now, requested_at=None)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    inputs_at = call(analyser.inputs_at, topic_id)
    try:
        result = call(analyser.compute, topic_id, progress or (lambda step, share: None))
    except Exception as exc:  # the job's boundary: stored as a reason, logged once
        db.session.rollback()
        log.exception("analysis %s of topic %s failed", kind.value, topic_id)
        values = {"started_at": None, "failed_at": utcnow(), "failure": type(exc).__name__}
    else:
        values = {
            "started_at": None,
            "computed_at": utcnow(),
            "inputs_at": inputs_at,
            "result": result,
            "failed_at": None,
            "failure": None,
        }
    db.session.execute(
        sa.update(TopicAnalysis.__table__)
        .where(row.topic_id == topic_id, row.kind == kind.value)
        .values(**values)
    )
    db.session.commit()
    return analysis_of(topic_id, kind)


def out_of_date(topic_id: int, kind: AnalysisKind, stored: TopicAnalysis | None) -> bool:
    """The topic's inputs changed after the stored result (or there is none yet, and
    there are inputs)."""
    from eraati.jobs.queue import call

    newest = call(ANALYSERS[kind].inputs_at, topic_id)
    if newest is None:
        return False
    return stored is None or stored.inputs_at is None or newest > stored.inputs_at


def stored_asking(topic_id: int, kind: AnalysisKind) -> tuple[TopicAnalysis | None, bool]:
    """For a staff page: the stored result, after asking for a new computation when the
    topic's inputs changed after it (queued, never computed in the request); and whether
    the page must say the result is out of date (inputs changed, nothing queued or running:
    asked too recently, the next tick asks again)."""
    stored = analysis_of(topic_id, kind)
    if stored is not None and stored.pending:
        return stored, False
    if not out_of_date(topic_id, kind, stored):
        return stored, False
    if ask(topic_id, kind):  # queued (computed already when the queue is inline)
        return analysis_of(topic_id, kind), False
    return stored, True


def ask_due(now: datetime | None = None) -> list[tuple[Topic, AnalysisKind]]:
    """``tick``'s part: ask for the analyses of open topics (and of topics closed within
    ``AFTER_CLOSING``) whose inputs changed after their stored result."""
    now = now or utcnow()
    topics = db.session.scalars(
        sa.select(Topic)
        .where(
            Topic.status.in_((TopicStatus.OPEN, TopicStatus.CLOSED)),
            Topic.opens_at <= now,
            sa.func.coalesce(Topic.closed_at, Topic.closes_at) > now - AFTER_CLOSING,
        )
        .order_by(Topic.id)
    ).all()
    stored = {
        (a.topic_id, a.kind): a
        for a in db.session.scalars(
            sa.select(TopicAnalysis).where(TopicAnalysis.topic_id.in_([t.id for t in topics]))
        )
    }
    asked = []
    for topic in topics:
        for kind in ANALYSERS:
            if out_of_date(topic.id, kind, stored.get((topic.id, kind))) and ask(topic.id, kind):
                asked.append((topic, kind))
    return asked
