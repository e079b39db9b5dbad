"""Redis goes away and comes back (issue 21, "Back after a bad day"), a Redis server this
test starts and stops itself: while it is down the pages are served, the limits hold
(counted in the process, as documented in ``core.ratelimits``), an export fails at once
as "unavailable" instead of hanging; once it is back jobs are queued in it again."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid

import pytest

from eraati.core import ratelimits
from eraati.jobs import services
from eraati.jobs.models import JobState
from tests.consultations.topic_support import topic_path
from tests.jobs.support import fresh
from tests.needs import missing


class RedisServer:
    def __init__(self) -> None:
        self.program = shutil.which("redis-server")
        if self.program is None:
            missing("redis-server")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
            [self.program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_pages_limits_and_exports_while_redis_is_away(
    client, world, preparer, resident, jobs_backend, rate_limit, redis_server
):
    jobs_backend("rq", REDIS_URL=redis_server.url, JOBS_QUEUE=f"outage-{uuid.uuid4().hex}")
    rate_limit("RATELIMIT_STORAGE_URI", redis_server.url)
    rate_limit("LOGIN_ACCOUNT_LIMIT", "2 per hour")
    from eraati.jobs.queue import rq_queue

    queued = services.start(world.topic, "xlsx", "fi", user=preparer)
    assert fresh(queued.id).state == JobState.QUEUED and rq_queue().count == 1
    with client.application.test_request_context():
        assert ratelimits.hit("LOGIN_ACCOUNT_LIMIT", "k") == 0  # counted in Redis

    redis_server.stop()
    assert client.get(topic_path(world.topic)).status_code == 200
    started = time.monotonic()
    refused = services.start(world.topic, "xlsx", "fi", user=preparer)
    assert time.monotonic() - started < 5
    job = fresh(refused.id)
    assert (job.state, job.error) == (JobState.FAILED, services.QUEUE_UNAVAILABLE)

    def log_in(password: str, address: str) -> int:
        data = {"email": resident.email, "password": password}
        return (
            client.application.test_client()
            .post("/account/login", data=data, environ_base={"REMOTE_ADDR": address})
            .status_code
        )

    # Still limited while Redis is away: the third wrong password of the account waits.
    assert [log_in(f"x{n}", f"198.51.100.{n}") for n in range(3)] == [422, 422, 429]

    redis_server.start()  # back, empty (it kept nothing): new jobs are queued in it again
    again = services.start(world.topic, "xlsx", "fi", user=preparer)
    assert fresh(again.id).state == JobState.QUEUED and rq_queue().count == 1
    with client.application.test_request_context():
        ratelimits.reset()
