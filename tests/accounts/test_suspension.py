"""Suspending an account takes effect at once: its open sessions and remember cookies end,
and its staff roles act through none of them. The platform admin suspends and lifts it on
/platform/accounts, and each act is in the audit log."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from eraati.accounts import services
from eraati.audit.models import AuditEvent
from eraati.core.time import utcnow
from eraati.extensions import db
from tests import factories
from tests.accounts.helpers import log_in, logged_in_user_id, main_of, tr
from tests.consultations.topic_support import choose_language

ACCOUNTS = "/platform/accounts"


@pytest.fixture
def platform_admin(db):
    user = factories.make_user("yllapito@example.fi", name="Ylläpitäjä")
    user.is_platform_admin = True
    db.session.commit()
    return user


def _audit(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def _as(app, user, *, remember: bool = False):
    """A browser of its own, logged in with the password form."""
    browser = app.test_client()
    assert log_in(browser, user.email, remember="y" if remember else None).status_code == 303
    return browser


def test_suspension_ends_open_sessions_and_staff_roles_at_once(
    app, db, client, login_as, platform_admin, moderator, resident
):
    staff_browser = _as(app, moderator)
    resident_browser = _as(app, resident, remember=True)
    assert staff_browser.get("/staff/keitele/moderation").status_code == 200
    assert resident_browser.get("/account/profile").status_code == 200

    login_as(platform_admin)
    for person in (moderator, resident):
        response = client.post(
            f"{ACCOUNTS}/{person.id}/suspend", data={"reason": "Tilin väärinkäyttö"}
        )
        assert response.status_code == 303
        assert response.headers["Location"] == f"{ACCOUNTS}/{person.id}"

    # The very next request of each open session is a visitor's.
    staff_page = staff_browser.get("/staff/keitele/moderation")
    assert staff_page.status_code == 302 and "/account/login" in staff_page.headers["Location"]
    profile = resident_browser.get("/account/profile")
    assert profile.status_code == 302 and "/account/login" in profile.headers["Location"]
    # The remember cookie does not bring the session back either.
    with resident_browser.session_transaction() as session:
        session.clear()
    assert resident_browser.get("/account/profile").status_code == 302
    # Nor does logging in again.
    assert log_in(app.test_client(), resident.email).status_code == 403

    events = _audit("user.suspend")
    assert [(e.target_type, e.target_id, e.actor_id, e.organisation_id) for e in events] == [
        ("User", moderator.id, platform_admin.id, None),
        ("User", resident.id, platform_admin.id, None),
    ]
    assert events[0].reason == "Tilin väärinkäyttö"


def test_a_suspended_flag_alone_refuses_the_session(app, db, resident):
    """However the flag was set (by hand in the database, say), the session loader refuses it."""
    browser = _as(app, resident)
    resident.suspended_at = utcnow()
    db.session.commit()
    assert browser.get("/account/profile").status_code == 302


SUSPENDED = (
    "The administrators of eRaati have suspended this account, so you cannot log in with it."
)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_right_password_of_a_suspended_account_is_told_whom_to_contact(
    app, db, configure, platform_admin, resident, lang
):
    configure(CONTACT_EMAIL="tuki@eraati.example.fi")
    services.suspend_user(resident, "Roskapostia", platform_admin)
    db.session.commit()
    browser = app.test_client()
    choose_language(browser, lang)

    response = log_in(browser, "Asukas@Example.fi")

    assert response.status_code == 403
    page = main_of(response.get_data(as_text=True))
    assert tr("Your account is suspended", lang) in page
    message = tr(SUSPENDED, lang)
    assert (message == SUSPENDED) == (lang == "en")  # the catalogs have it
    assert message in page
    assert tr("If you want to know why, or think this is a mistake, write to:", lang) in page
    assert '<a href="mailto:tuki@eraati.example.fi">tuki@eraati.example.fi</a>' in page
    assert 'value="asukas@example.fi"' in page  # the address typed is kept
    assert tr("Incorrect e-mail address or password.", lang) not in page
    # Nobody is signed in, and the browser does not become a known device of the account.
    assert logged_in_user_id(browser) is None
    assert "eraati_device" not in response.headers.get("Set-Cookie", "")
    assert browser.get("/account/profile").status_code == 302


def test_a_wrong_password_of_a_suspended_account_gets_the_generic_message(
    app, db, platform_admin, resident
):
    services.suspend_user(resident, "Roskapostia", platform_admin)
    db.session.commit()

    wrong = log_in(app.test_client(), resident.email, "vaara-salasana-123")
    unknown = log_in(app.test_client(), "ei-tilia@example.fi", "vaara-salasana-123")

    assert wrong.status_code == unknown.status_code == 422
    generic = tr("Incorrect e-mail address or password.", "fi")
    for response in (wrong, unknown):
        page = main_of(response.get_data(as_text=True))
        assert generic in page
        assert tr("Your account is suspended", "fi") not in page
    assert main_of(wrong.get_data(as_text=True)).replace(
        resident.email, "ei-tilia@example.fi"
    ) == main_of(unknown.get_data(as_text=True))


def test_log_in_attempts_of_a_suspended_account_still_count_in_the_limits(
    app, db, platform_admin, resident
):
    """Its right password is no log-in: an unknown client that keeps sending it waits
    after LOGIN_ACCOUNT_LIMIT's first step (5 a minute) as with wrong ones."""
    services.suspend_user(resident, "Roskapostia", platform_admin)
    db.session.commit()
    answers = [log_in(app.test_client(), resident.email) for _ in range(6)]
    assert [r.status_code for r in answers] == [403] * 5 + [429]
    assert 0 < int(answers[-1].headers["Retry-After"]) <= 60
    assert tr("Your account is suspended", "fi") not in answers[-1].get_data(as_text=True)


def test_lifting_lets_the_person_log_in_but_old_sessions_stay_ended(
    app, db, client, login_as, platform_admin, resident
):
    old = _as(app, resident)
    services.suspend_user(resident, "Roskapostia", platform_admin)
    db.session.commit()
    login_as(platform_admin)
    response = client.post(f"{ACCOUNTS}/{resident.id}/unsuspend")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{ACCOUNTS}/{resident.id}"
    db.session.refresh(resident)
    assert resident.suspended_at is None
    assert old.get("/account/profile").status_code == 302
    assert log_in(app.test_client(), resident.email).status_code == 303
    (event,) = _audit("user.unsuspend")
    assert (event.target_id, event.actor_id) == (resident.id, platform_admin.id)


def test_the_accounts_page_finds_an_account_and_lists_the_suspended(
    db, client, login_as, platform_admin, resident, other_resident
):
    """The address is looked up by POST and the account shown at /platform/accounts/<id>:
    no resident's address is ever in a URL (access logs, history)."""
    services.suspend_user(other_resident, "Häirintää", platform_admin)
    db.session.commit()
    login_as(platform_admin)
    choose_language(client, "en")
    found = client.post(ACCOUNTS, data={"email": "ASUKAS@example.fi"})
    assert found.status_code == 303
    assert found.headers["Location"] == f"{ACCOUNTS}/{resident.id}"
    page = main_of(client.get(found.headers["Location"]).get_data(as_text=True))
    assert resident.display_name in page and "Suspend the account" in page
    assert resident.email in page
    listed = main_of(client.get(ACCOUNTS).get_data(as_text=True))
    assert other_resident.email in listed  # in the list of suspended accounts
    assert f'href="{ACCOUNTS}/{other_resident.id}"' in listed
    missing = client.post(ACCOUNTS, data={"email": "ei-ole@example.fi"})
    assert missing.status_code == 200
    text = missing.get_data(as_text=True)
    assert "No account has this e-mail address." in text
    assert 'value="ei-ole@example.fi"' in text  # kept in the field
    bad = client.post(ACCOUNTS, data={"email": "ei-osoite"})
    assert bad.status_code == 422 and 'id="email-error"' in bad.get_data(as_text=True)
    assert client.get(f"{ACCOUNTS}/{other_resident.id + 999}").status_code == 404


def test_no_address_goes_into_a_url(db, client, login_as, platform_admin, resident):
    """Searching, suspending, lifting and every link of the pages they lead to keep
    addresses out of the URL; an old ?email= link finds nothing."""
    login_as(platform_admin)
    urls = []

    def follow(response):
        while response.status_code in (302, 303):
            urls.append(response.headers["Location"])
            response = client.get(response.headers["Location"])
        urls.extend(re.findall(r'(?:href|action)="([^"]+)"', response.get_data(as_text=True)))
        return response

    follow(client.post(ACCOUNTS, data={"email": resident.email}))
    follow(client.post(f"{ACCOUNTS}/{resident.id}/suspend", data={"reason": "Roskapostia"}))
    follow(client.get(ACCOUNTS))
    follow(client.post(f"{ACCOUNTS}/{resident.id}/unsuspend"))
    assert f"{ACCOUNTS}/{resident.id}" in urls
    assert not [url for url in urls if "@" in unquote(url)], urls
    old_link = main_of(client.get(f"{ACCOUNTS}?email={resident.email}").get_data(as_text=True))
    assert resident.display_name not in old_link


def test_the_search_needs_the_csrf_token(db, client, login_as, platform_admin, csrf_enabled):
    login_as(platform_admin)
    assert client.post(ACCOUNTS, data={"email": platform_admin.email}).status_code == 400


def test_a_reason_is_needed_and_the_admin_cannot_suspend_themselves(
    db, client, login_as, platform_admin, resident
):
    login_as(platform_admin)
    response = client.post(f"{ACCOUNTS}/{resident.id}/suspend", data={"reason": "  "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="reason-error"' in page
    assert tr("Write the reason for the suspension.", "fi") in page
    own = client.post(f"{ACCOUNTS}/{platform_admin.id}/suspend", data={"reason": "Kokeilu"})
    assert own.status_code == 422
    assert tr("You cannot suspend your own account.", "fi") in own.get_data(as_text=True)
    db.session.expire_all()
    assert resident.suspended_at is None and platform_admin.suspended_at is None
    assert _audit("user.suspend") == []


def test_only_the_platform_admin_reaches_the_accounts_page(client, login_as, org_admin, resident):
    login_as(org_admin)
    assert client.get(ACCOUNTS).status_code == 403
    assert client.post(f"{ACCOUNTS}/{resident.id}/suspend", data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert resident.suspended_at is None and _audit("user.suspend") == []
