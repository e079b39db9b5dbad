"""``core.ratelimits``: ladders of limits whose wait grows, the wait in words, and what
happens when the counters' storage is away."""

from __future__ import annotations

import logging

import pytest
from flask_babel import force_locale

from eraati.core import ratelimits
from tests.consultations.topic_support import topic_path
from tests.factories import PASSWORD


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


def test_without_its_storage_log_ins_and_comments_go_on(
    app, client, login_as, open_topic, resident, rate_limit, caplog
):
    """Redis away: residents still log in and write (unlimited), and the log says why."""
    rate_limit("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/15")  # nothing listens there
    rate_limit("LOGIN_ACCOUNT_LIMIT", "1 per hour")
    rate_limit("COMMENT_RATE_LIMIT", "1 per hour")
    caplog.set_level(logging.ERROR)

    for _ in range(2):
        wrong = client.post("/account/login", data={"email": resident.email, "password": "x"})
        assert wrong.status_code == 422
    logged_in = client.post("/account/login", data={"email": resident.email, "password": PASSWORD})
    assert logged_in.status_code == 303
    login_as(resident)
    for n in range(2):
        response = client.post(topic_path(open_topic, "/comments"), data={"body": f"Hei {n}"})
        assert response.status_code == 303
    assert "rate limit storage unavailable" in caplog.text
