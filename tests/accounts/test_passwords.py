"""Forgotten password, reset links (once, expiring) and changing the password."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from eraati.accounts import passwords, tokens
from eraati.core.time import utcnow
from tests.accounts.helpers import link_paths, log_in, logged_in_user_id, tr
from tests.factories import PASSWORD

NEW_PASSWORD = "kanerva-purje-lakka-42"


def _check(app, user, password: str) -> bool:
    with app.test_request_context():
        return passwords.check_password(user.password_hash, password)


def _reset_link(client, email: str, outbox) -> str:
    client.post("/account/password/forgot", data={"email": email})
    (message,) = outbox
    (path,) = link_paths(message)
    return path


def test_forgot_password_answers_the_same_for_every_address(app, resident, outbox):
    known = app.test_client().post("/account/password/forgot", data={"email": resident.email})
    unknown = app.test_client().post("/account/password/forgot", data={"email": "no@example.fi"})

    assert known.status_code == unknown.status_code == 303
    assert (
        known.headers["Location"] == unknown.headers["Location"] == "/account/password/forgot/sent"
    )
    assert [m.to for m in outbox] == [[resident.email]]
    assert outbox[0].subject == tr("Choose a new password for eRaati", "fi")


def test_forgot_password_does_the_same_work_for_every_address_and_mails_later(
    app, resident, outbox, redis_queue
):
    """The request only hands the address to the job queue: looking it up, making the link
    and talking to the mail server (tens of milliseconds) happen in the worker, so the
    answer takes as long for an address with an account as for one without."""
    from rq import SimpleWorker

    from eraati.accounts.mails import SEND_PASSWORD_RESET
    from tests.consultations.topic_support import Browser

    browser = Browser(app, app.test_client())
    known = browser.post("/account/password/forgot", data={"email": resident.email})
    known_queries = browser.queries
    unknown = browser.post("/account/password/forgot", data={"email": "No@Example.fi"})

    assert known.headers["Location"] == unknown.headers["Location"]
    assert known_queries == browser.queries  # the same statements (none) for both
    assert outbox == []  # nothing was sent inside the request
    assert [j.args for j in redis_queue.get_jobs()] == [
        (SEND_PASSWORD_RESET, resident.email),
        (SEND_PASSWORD_RESET, "no@example.fi"),
    ]
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True
    assert [m.to for m in outbox] == [[resident.email]]
    assert outbox[0].subject == tr("Choose a new password for eRaati", "fi")


def test_reset_link_sets_the_password_once_and_logs_in(app, client, db, unverified, outbox):
    other_device = app.test_client()
    log_in(other_device, unverified.email)
    path = _reset_link(client, unverified.email, outbox)
    assert path.startswith("/account/password/reset/")
    assert client.get(path).status_code == 200

    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    db.session.refresh(unverified)
    assert _check(app, unverified, NEW_PASSWORD) and not _check(app, unverified, PASSWORD)
    assert unverified.password_hash.startswith("$argon2id$")
    assert unverified.email_verified_at is not None  # the link proved the address
    assert logged_in_user_id(client) == unverified.get_id()
    assert other_device.get("/account/profile").status_code == 302  # other sessions ended

    # The same link does not work a second time.
    hash_after_first_use = unverified.password_hash
    again = client.post(
        path, data={"password": "toinen-uusi-salasana-7", "confirm": "toinen-uusi-salasana-7"}
    )
    assert again.status_code == 400
    assert tr("The link does not work", "fi") in again.get_data(as_text=True)
    db.session.refresh(unverified)
    assert unverified.password_hash == hash_after_first_use


def test_expired_reset_link_fails(app, client, db, resident):
    age = app.config["RESET_TOKEN_MAX_AGE"] + 60
    stamp = int((utcnow() - timedelta(seconds=age)).timestamp())

    class OldClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="reset-password", signer=OldClockSigner
    )
    token = serializer.dumps(
        {"uid": resident.id, "fp": tokens.password_fingerprint(resident.password_hash)}
    )

    response = client.post(
        f"/account/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert 'href="/account/password/forgot"' in response.get_data(as_text=True)
    db.session.refresh(resident)
    assert _check(app, resident, PASSWORD)


def test_reset_link_does_not_carry_the_password_hash(resident, app):
    with app.test_request_context():
        token = tokens.make_reset_token(resident.id, resident.password_hash)
    payload = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="reset-password").loads(token)
    assert payload["fp"] not in resident.password_hash


def test_weak_new_password_is_refused_and_the_link_still_works(app, client, db, resident, outbox):
    path = _reset_link(client, resident.email, outbox)

    weak = client.post(path, data={"password": "asukas12345", "confirm": "asukas12345"})

    assert weak.status_code == 422
    db.session.refresh(resident)
    assert _check(app, resident, PASSWORD)
    assert (
        client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 303
    )


def test_forgot_password_is_rate_limited(client, resident, outbox):
    for _ in range(5):
        response = client.post("/account/password/forgot", data={"email": resident.email})
        assert response.status_code == 303
    assert (
        client.post("/account/password/forgot", data={"email": resident.email}).status_code == 429
    )
    assert len(outbox) == 5


def test_forgot_password_form_errors_are_shown(client, outbox):
    response = client.post("/account/password/forgot", data={"email": ""})
    assert response.status_code == 422
    assert tr("Enter your e-mail address.", "fi") in response.get_data(as_text=True)
    assert outbox == []


def test_changing_the_password_ends_only_the_other_sessions(app, db, resident):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, resident.email)
    log_in(elsewhere, resident.email)

    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    db.session.refresh(resident)
    assert _check(app, resident, NEW_PASSWORD)
    assert here.get("/account/profile").status_code == 200
    assert elsewhere.get("/account/profile").status_code == 302


def test_change_password_needs_the_current_password(app, client, db, resident, login_as):
    login_as(resident)
    old_hash, old_version = resident.password_hash, resident.session_version

    response = client.post(
        "/account/password",
        data={
            "current_password": "arvaus-123456",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 422
    assert tr("The current password is not right.", "fi") in response.get_data(as_text=True)
    db.session.refresh(resident)
    assert (resident.password_hash, resident.session_version) == (old_hash, old_version)


def test_change_password_applies_the_strength_rules(client, db, resident, login_as):
    login_as(resident)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "lyhyt", "confirm": "lyhyt"},
    )
    assert response.status_code == 422
    assert tr("The password must be at least %(min)d characters long.", "fi", min=10) in (
        response.get_data(as_text=True)
    )
