"""E-mail verification links: valid, expired, tampered, resent."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from eraati.accounts import tokens
from eraati.core.time import utcnow
from tests.accounts.helpers import link_paths, tr


def _signed(app, payload: dict, *, age: timedelta = timedelta(0), salt: str = "verify-email"):
    """A token signed the way the app signs, ``age`` ago (a signer with an older clock)."""
    stamp = int((utcnow() - age).timestamp())

    class OldClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt, signer=OldClockSigner)
    return serializer.dumps(payload)


def test_fresh_link_verifies(app, client, db, unverified):
    token = _signed(app, {"uid": unverified.id, "email": unverified.email}, age=timedelta(hours=47))

    response = client.get(f"/account/verify/{token}")

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/login"  # not logged in here
    db.session.refresh(unverified)
    assert unverified.email_verified_at is not None


def test_expired_link_fails_with_a_way_to_get_a_new_one(app, client, db, unverified, login_as):
    max_age = app.config["VERIFY_TOKEN_MAX_AGE"]
    token = _signed(
        app, {"uid": unverified.id, "email": unverified.email}, age=timedelta(seconds=max_age + 60)
    )
    login_as(unverified)

    response = client.get(f"/account/verify/{token}")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert tr("The link does not work", "fi") in page
    assert 'action="/account/verify/resend"' in page
    db.session.refresh(unverified)
    assert unverified.email_verified_at is None


def test_anonymous_visitor_with_bad_link_is_sent_to_log_in(client, db, unverified):
    response = client.get("/account/verify/not-a-token")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="/account/login?next=/account/profile"' in page
    assert "/account/verify/resend" not in page


def test_tampered_or_foreign_links_fail(app, client, db, unverified, resident):
    good = tokens.make_verify_token(unverified.id, unverified.email)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    other_secret = URLSafeTimedSerializer("not-our-secret", salt="verify-email").dumps(
        {"uid": unverified.id, "email": unverified.email}
    )
    wrong_purpose = _signed(
        app, {"uid": unverified.id, "email": unverified.email}, salt="reset-password"
    )
    # A validly signed link for a user id whose address is not the one in the link.
    wrong_email = _signed(app, {"uid": unverified.id, "email": resident.email})

    for token in (tampered, other_secret, wrong_purpose, wrong_email):
        assert client.get(f"/account/verify/{token}").status_code == 400, token

    db.session.refresh(unverified)
    assert unverified.email_verified_at is None


def test_tokens_module_honours_now(app, unverified):
    old = utcnow() - timedelta(days=3)
    token = tokens.make_verify_token(unverified.id, unverified.email, now=old)
    assert tokens.read_verify_token(token, now=old + timedelta(hours=1)) == (
        unverified.id,
        unverified.email,
    )
    try:
        tokens.read_verify_token(token)
    except tokens.TokenError:
        pass
    else:
        raise AssertionError("a three-day-old link must be expired")


def test_resend_sends_a_working_link(client, db, unverified, login_as, outbox):
    unverified.locale = "sv"
    db.session.commit()
    login_as(unverified)

    response = client.post("/account/verify/resend")

    assert response.status_code == 303
    assert response.headers["Location"] == "/account/profile"
    (message,) = outbox
    assert message.to == [unverified.email]
    assert message.subject == tr("Confirm your e-mail address for eRaati", "sv")
    (path,) = link_paths(message)
    assert client.get(path).status_code == 303
    db.session.refresh(unverified)
    assert unverified.email_verified_at is not None


def test_resend_needs_log_in_and_skips_verified_users(client, resident, login_as, outbox):
    anonymous = client.post("/account/verify/resend")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/account/login")

    login_as(resident)
    client.post("/account/verify/resend")
    assert outbox == []


def test_resend_is_rate_limited(client, unverified, login_as, outbox):
    login_as(unverified)
    for _ in range(5):
        assert client.post("/account/verify/resend").status_code == 303
    assert client.post("/account/verify/resend").status_code == 429
    assert len(outbox) == 5


def test_profile_of_unverified_user_offers_a_new_link(client, unverified, login_as):
    login_as(unverified)
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'action="/account/verify/resend"' in page
