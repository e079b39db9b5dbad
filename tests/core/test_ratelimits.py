"""``core.ratelimits``: ladders of limits whose wait grows, the wait in words, and what
happens when the counters' storage is away."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_babel import force_locale

from eraati.core import ratelimits
from tests.consultations.topic_support import topic_path
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent


def test_acts_refused_while_waiting_fill_the_longer_limits(app, rate_limit, limit_store):
    rate_limit("LOGIN_ACCOUNT_LIMIT", "2 per minute;4 per hour;6 per day")
    with app.test_request_context():
        assert [ratelimits.hit("LOGIN_ACCOUNT_LIMIT", "k") for _ in range(2)] == [0, 0]
        waits = [ratelimits.hit("LOGIN_ACCOUNT_LIMIT", "k") for _ in range(6)]
        assert ratelimits.wait("LOGIN_ACCOUNT_LIMIT", "k") == waits[-1]
        assert ratelimits.wait("LOGIN_ACCOUNT_LIMIT", "other key") == 0

    assert 0 < waits[0] <= 60  # the minute is full
    assert 60 < waits[1] <= 3600  # four acts: the hour is full too
    assert 3600 < waits[3] <= 86400  # six: the day
    assert max(waits[3:]) - min(waits[3:]) <= 1  # the day's window ends when it ends


@pytest.mark.parametrize(
    ("seconds", "en", "fi", "sv"),
    [
        (1, "in 1 minute", "1 minuutin kuluttua", "om 1 minut"),
        (600, "in 10 minutes", "10 minuutin kuluttua", "om 10 minuter"),
        (59 * 60 + 1, "in 1 hour", "1 tunnin kuluttua", "om 1 timme"),
        (3601, "in 2 hours", "2 tunnin kuluttua", "om 2 timmar"),
    ],
)
def test_the_wait_in_words_is_rounded_up(app, seconds, en, fi, sv):
    with app.test_request_context():
        for locale, expected in (("en", en), ("fi", fi), ("sv", sv)):
            with force_locale(locale):
                assert ratelimits.wait_phrase(seconds) == expected


def test_limits_turned_off_count_nothing(app, rate_limit):
    rate_limit("LOGIN_ACCOUNT_LIMIT", "1 per hour")
    rate_limit("RATELIMIT_ENABLED", False)
    with app.test_request_context():
        assert [ratelimits.hit("LOGIN_ACCOUNT_LIMIT", "k") for _ in range(3)] == [0, 0, 0]


def test_without_its_storage_log_ins_and_comments_go_on_and_are_still_limited(
    app, client, login_as, open_topic, resident, rate_limit, caplog
):
    """Redis away: residents still log in and write (no error page), the limits still hold,
    counted in this process, and the log says why."""
    rate_limit("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/15")  # nothing listens there
    rate_limit("LOGIN_ACCOUNT_LIMIT", "3 per hour")
    rate_limit("COMMENT_RATE_LIMIT", "1 per hour")
    caplog.set_level(logging.ERROR)

    def log_in(password: str, address: str):
        data = {"email": resident.email, "password": password}
        return app.test_client().post(
            "/account/login", data=data, environ_base={"REMOTE_ADDR": address}
        )

    assert [log_in("x", "192.0.2.1").status_code for _ in range(2)] == [422, 422]
    assert log_in(PASSWORD, "192.0.2.2").status_code == 303
    guesses = [log_in(f"x{n}", f"198.51.100.{n}").status_code for n in range(3)]
    assert guesses == [422, 429, 429]  # the account's three failures: unknown clients wait
    login_as(resident)
    first = client.post(topic_path(open_topic, "/comments"), data={"body": "Hei 1"})
    second = client.post(topic_path(open_topic, "/comments"), data={"body": "Hei 2"})
    assert (first.status_code, second.status_code) == (303, 429)
    assert "rate limit storage unavailable, counting in this process" in caplog.text


# Flask-Limiter's decorated limits (a new password's e-mail, the open data API) with Redis
# away, in a process of their own: the extension is one object for every app of a
# process, and it stays on its fallback for a while after an app whose Redis was away.
_LIMITER_WITHOUT_REDIS = """
import json, sys
from config import TestingConfig
from eraati import create_app
from eraati.extensions import db

app = create_app(
    TestingConfig,
    SQLALCHEMY_DATABASE_URI="sqlite:///" + sys.argv[1],
    RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/15",
    MAIL_RATE_LIMIT="2 per hour",
    API_RATE_LIMIT="2 per minute",
)
with app.app_context():
    db.create_all()
client = app.test_client()
forgot = [
    client.post("/account/password/forgot", data={"email": "a@example.fi"}).status_code
    for _ in range(3)
]
api = [client.get("/api/v1/organisations").status_code for _ in range(3)]
print(json.dumps({"forgot": forgot, "api": api}))
"""


def test_without_redis_flask_limiters_limits_count_in_memory(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    result = subprocess.run(  # noqa: S603 - this file's own script
        [sys.executable, "-c", _LIMITER_WITHOUT_REDIS, str(tmp_path / "db.sqlite3")],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    # Not 500 (the storage's error), not unlimited: the third is refused.
    assert answers == {"forgot": [303, 303, 429], "api": [200, 200, 429]}, result.stderr[-3000:]
    assert "falling back to in-memory storage" in result.stderr
