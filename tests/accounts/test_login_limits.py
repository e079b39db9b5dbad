"""Log-in limits after OWASP's device cookies (``accounts.throttle``): an attacker's wrong
passwords never lock the owner's own browser out, a library's public address serves
thirty residents, a script guessing passwords or trying one password everywhere is
stopped with a growing wait. The counters run in Redis, as in production, and in memory
(the two scripts of a thousand attempts run in Redis only: they take seconds each)."""

from __future__ import annotations

import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from eraati.accounts.models import User
from tests import factories
from tests.accounts.helpers import link_paths, logged_in_user_id, main_of, tr
from tests.factories import PASSWORD

DEVICE_COOKIE = "eraati_device"
LIBRARY = "198.51.100.7"  # the public address of a library's digital-help evening
WRONG = "Wrong-password-123"
NEW_PASSWORD = "uusi-vahva-salasana-42"


def _log_in(client, email: str, password: str = PASSWORD, address: str = LIBRARY):
    return client.post(
        "/account/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _known_browser(app, user, address: str = "192.0.2.10"):
    """A browser the owner has logged in with before (then logged out): it has the
    account's device cookie."""
    browser = app.test_client()
    assert _log_in(browser, user.email, address=address).status_code == 303
    browser.post("/account/logout")
    assert logged_in_user_id(browser) is None
    return browser


def _retry_after(response) -> int:
    assert response.status_code == 429
    return int(response.headers["Retry-After"])


def test_a_thousand_passwords_against_one_account_never_lock_out_the_owner(
    app, resident, redis_limits
):
    owners_browser = _known_browser(app, resident)

    answers = [
        _log_in(
            app.test_client(),
            resident.email,
            f"Arvaus-{n:04d}",
            address=f"10.1.{n // 250}.{n % 250}",
        )
        for n in range(1000)  # "sent from anywhere": a new address every time
    ]

    statuses = [r.status_code for r in answers]
    assert statuses[:5] == [422] * 5  # five passwords were checked ...
    assert set(statuses[5:]) == {429}  # ... the other 995 never were
    first_wait, last_wait = _retry_after(answers[5]), _retry_after(answers[-1])
    assert 0 < first_wait <= 60 and 60 * 60 < last_wait <= 24 * 60 * 60  # the wait grew
    attacker = app.test_client()
    assert _log_in(attacker, resident.email, address="10.9.9.9").status_code == 429
    assert logged_in_user_id(attacker) is None  # even the right password waits

    response = _log_in(owners_browser, resident.email)  # the owner's own browser

    assert response.status_code == 303
    assert logged_in_user_id(owners_browser) == resident.get_id()


def test_one_password_against_a_thousand_accounts_from_one_address_is_stopped(
    app, db, resident, other_resident, redis_limits
):
    neighbours_browser = _known_browser(app, other_resident, address=LIBRARY)
    script = app.test_client()
    emails = [f"arvaus{n}@example.fi" for n in range(1000)]
    emails[600] = resident.email  # PASSWORD is the resident's password

    answers = [_log_in(script, email, PASSWORD) for email in emails]

    statuses = [r.status_code for r in answers]
    assert statuses[:50] == [422] * 50
    assert set(statuses[50:]) == {429}
    assert logged_in_user_id(script) is None
    first_wait, last_wait = _retry_after(answers[50]), _retry_after(answers[-1])
    assert 0 < first_wait <= 10 * 60 and 60 * 60 < last_wait <= 24 * 60 * 60
    # A resident at the same address whose browser knows the account logs in ...
    assert _log_in(neighbours_browser, other_resident.email).status_code == 303
    # ... and the resident whose password the script sent, from anywhere else.
    assert _log_in(app.test_client(), resident.email, address="192.0.2.99").status_code == 303


def test_thirty_residents_register_and_log_in_from_one_public_address(app, db, limit_store):
    """A digital-help evening: thirty residents register at the library and log in, each
    mistyping the password once. (Registrations and log-ins both count in the store under
    test: REGISTER_RATE_LIMIT per address, the log-in limits.)"""
    emails = [f"kirjasto{n}@example.fi" for n in range(30)]
    for email in emails:
        registered = app.test_client().post(
            "/account/register",
            data={
                "email": email,
                "display_name": "Kirjaston asukas",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "home_municipality_code": "",
                "locale": "fi",
                "accept_terms": "y",
            },
            environ_base={"REMOTE_ADDR": LIBRARY},
        )
        assert registered.status_code < 400, email  # the "check your e-mail" answer
    assert set(db.session.scalars(sa.select(User.email))) == set(emails)

    for email in emails:
        computer = app.test_client()  # one of the library's computers, used by many
        assert _log_in(computer, email, "vaara-salasana").status_code == 422, email
        assert _log_in(computer, email, NEW_PASSWORD).status_code == 303, email
        assert logged_in_user_id(computer) is not None


def test_a_known_browser_is_limited_on_its_own(app, resident, limit_store):
    browser = _known_browser(app, resident)
    for _ in range(5):
        assert _log_in(browser, resident.email, WRONG).status_code == 422

    assert _retry_after(_log_in(browser, resident.email)) <= 60
    assert logged_in_user_id(browser) is None
    # Its failures were its own: another browser of the owner's is not held up.
    assert _log_in(app.test_client(), resident.email, address="192.0.2.50").status_code == 303


def test_a_device_cookie_counts_only_for_its_own_account(
    app, resident, other_resident, limit_store
):
    shared = _known_browser(app, resident)  # the family's tablet
    for _ in range(5):
        assert _log_in(shared, other_resident.email, WRONG).status_code == 422

    assert _log_in(shared, other_resident.email).status_code == 429  # an unknown client
    assert _log_in(shared, resident.email).status_code == 303


def test_one_browser_is_known_for_the_accounts_logged_in_on_it(app, resident, other_resident):
    tablet = _known_browser(app, resident)
    assert _log_in(tablet, other_resident.email).status_code == 303
    tablet.post("/account/logout")
    attacker = app.test_client()
    for n in range(10):  # both accounts are locked for unknown clients
        _log_in(attacker, resident.email, WRONG, address=f"10.9.1.{n}")
        _log_in(attacker, other_resident.email, WRONG, address=f"10.9.2.{n}")
    assert _log_in(attacker, resident.email, address="10.9.3.1").status_code == 429

    assert _log_in(tablet, resident.email).status_code == 303
    tablet.post("/account/logout")
    assert _log_in(tablet, other_resident.email).status_code == 303


def test_a_new_password_keeps_the_other_accounts_the_browser_knows(
    app, resident, other_resident, outbox
):
    tablet = _known_browser(app, resident)
    assert _log_in(tablet, other_resident.email).status_code == 303
    tablet.post("/account/logout")
    tablet.post("/account/password/forgot", data={"email": other_resident.email})
    (path,) = link_paths(outbox[-1])
    assert (
        tablet.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 303
    )
    tablet.post("/account/logout")
    for n in range(10):  # the first account is locked for unknown clients
        _log_in(app.test_client(), resident.email, WRONG, address=f"10.9.4.{n}")

    assert _log_in(tablet, resident.email).status_code == 303


def test_the_device_cookie_is_signed_sent_only_to_account_pages_and_shows_no_address(app, resident):
    browser = app.test_client()
    response = _log_in(browser, resident.email)

    (header,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(DEVICE_COOKIE)]
    assert "Path=/account/;" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert "Max-Age=31536000" in header
    value = browser.get_cookie(DEVICE_COOKIE, path="/account/").value
    assert "asukas" not in value.lower()
    entries = URLSafeSerializer(app.config["SECRET_KEY"], salt="eraati-device-cookie").loads(value)
    assert len(entries) == 1 and len(entries[0]) == 2

    # A cookie signed with another key is only an unknown client's.
    forged = URLSafeSerializer("not-the-secret", salt="eraati-device-cookie").dumps(entries)
    thief = app.test_client()
    thief.set_cookie(DEVICE_COOKIE, forged, domain="localhost", path="/account/")
    for _ in range(5):
        assert _log_in(thief, resident.email, WRONG).status_code == 422
    assert _log_in(thief, resident.email).status_code == 429
    assert _log_in(browser, resident.email).status_code == 303


def test_the_refusal_keeps_the_address_and_says_when_to_try_again(app, resident):
    browser = app.test_client()
    for _ in range(5):
        _log_in(browser, resident.email, WRONG)

    response = _log_in(browser, resident.email)

    assert 0 < _retry_after(response) <= 60
    page = main_of(response.get_data(as_text=True))
    assert tr("Please wait a moment", "fi") in page
    assert (
        tr(
            "There have been too many failed attempts to log in. You can try again %(wait)s. "
            "If you have forgotten your password, you can set a new one with the link below.",
            "fi",
            wait="1 minuutin kuluttua",
        )
        in page
    )
    assert f'value="{resident.email}"' in page
    assert PASSWORD not in page


def test_a_new_password_from_the_e_mail_link_lets_a_locked_out_owner_in(app, db, resident, outbox):
    """A new computer of the owner's is an unknown client while the account is locked for
    those: the reset link proves the address, and the browser is known from then on."""
    for n in range(5):
        _log_in(app.test_client(), resident.email, WRONG, address=f"10.2.0.{n}")
    new_computer = app.test_client()
    assert _log_in(new_computer, resident.email).status_code == 429

    new_computer.post("/account/password/forgot", data={"email": resident.email})
    (path,) = link_paths(outbox[-1])
    reset = new_computer.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert reset.status_code == 303
    new_computer.post("/account/logout")

    assert _log_in(new_computer, resident.email, NEW_PASSWORD).status_code == 303


def test_successful_logins_use_up_nothing(app, db):
    users = [factories.make_user(f"palvelutalo{n}@example.fi") for n in range(60)]
    db.session.commit()
    for user in users:
        assert _log_in(app.test_client(), user.email).status_code == 303
