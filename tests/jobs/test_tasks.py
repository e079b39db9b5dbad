"""``queue.submit``: background work other than exports (the followers' e-mails), handed
to RQ, to the local worker, or run at once, always inside an application context."""

from __future__ import annotations

from eraati.jobs import queue
from tests.jobs.support import DONE, TASK


def _ran(app) -> list[tuple]:
    return [(n, w) for n, w, name in DONE if name == app.name]


def setup_function():
    DONE.clear()


def test_inline_a_task_runs_at_once(app):
    queue.submit(TASK, 1, "yksi")
    assert _ran(app) == [(1, "yksi")]


def test_the_local_worker_runs_a_task_in_an_app_context(app, jobs_backend):
    jobs_backend("local")
    queue.submit(TASK, 2, "kaksi")
    assert queue.wait_local(timeout=30)
    assert _ran(app) == [(2, "kaksi")]


def test_with_redis_the_task_waits_for_the_rq_worker(app, redis_queue):
    from rq import SimpleWorker

    queue.submit(TASK, 3, "kolme")
    assert DONE == []  # queued, not run
    assert [j.args for j in redis_queue.get_jobs()] == [(TASK, 3, "kolme")]
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True
    assert _ran(app) == [(3, "kolme")]


def test_when_redis_does_not_answer_the_local_worker_runs_the_task(app, jobs_backend):
    jobs_backend("rq", REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens on port 9
    queue.submit(TASK, 4, "neljä")
    assert queue.wait_local(timeout=30)
    assert _ran(app) == [(4, "neljä")]
