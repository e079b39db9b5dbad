"""The platform's audit log (/platform/audit): organisations created, staff appointed by
the platform admin, accounts suspended and let back in; and the suspension's reason, time
and actor on the account's page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.audit.queries import PAGE_SIZE
from eraati.core.time import utcnow
from eraati.organisations import services
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.organisations.support import text

AUDIT = "/platform/audit"


def _rows(page: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_platform_acts_are_listed_with_time_actor_act_and_target(
    db, client, browser, login_as, org, other_org, platform_admin, resident, fresh
):
    login_as(platform_admin)
    choose_language(client, "en")
    created = client.post(
        "/platform/organisations/new",
        data={"kind": "municipality", "slug": "tervo", "name_fi": "Tervo", "languages": ["fi"],
              "primary_language": "fi"},
    )  # fmt: skip
    assert created.status_code == 303
    fresh()
    appointed = client.post(
        f"/platform/organisations/{other_org.id}/admins",
        data={"email": resident.email, "role": "moderator", "mail_locale": "fi"},
    )
    assert appointed.status_code == 303
    invited = client.post(
        f"/platform/organisations/{other_org.id}/admins",
        data={"email": "uusi.ihminen@example.fi", "role": "admin", "mail_locale": "fi"},
    )
    assert invited.status_code == 303
    suspended = factories.make_user("hairikko@example.fi", name="Heikki Häirikkö")
    db.session.commit()
    client.post(f"/platform/accounts/{suspended.id}/suspend", data={"reason": "Roskapostia"})
    client.post(f"/platform/accounts/{suspended.id}/unsuspend")
    # An organisation's own staff act is not a platform act.
    factories.make_user("kunta@example.fi", org=org, roles=(Role.PREPARER,))
    db.session.commit()

    page = text(browser.get(AUDIT))
    rows = [_plain(r) for r in _rows(page)]
    assert len(rows) == 5
    assert "Suspension lifted" in rows[0] and "Heikki Häirikkö" in rows[0]
    assert "Account suspended" in rows[1] and "Roskapostia" in rows[1]
    assert "Staff member appointed by the platform" in rows[2]
    assert "u…@example.fi" in rows[2] and "Organisation admin, Vieremä (invited)" in rows[2]
    assert "uusi.ihminen" not in " ".join(rows)  # the address is never in the log
    assert "Staff member appointed by the platform" in rows[3]
    assert resident.display_name in rows[3] and "Moderator, Vieremä" in rows[3]
    assert "Organisation created" in rows[4] and "Tervo" in rows[4]
    assert all(platform_admin.display_name in r for r in rows)
    assert f'href="/platform/accounts/{suspended.id}"' in page
    assert f'href="/platform/organisations/{other_org.id}/edit"' in page
    assert '<time datetime="' in _rows(page)[0]


def test_only_platform_admins_see_it(
    db, client, login_as, org_admin, moderator, resident, platform_admin
):
    assert client.get(AUDIT).status_code == 302  # a visitor logs in first
    for person in (resident, moderator, org_admin):
        login_as(person)
        assert client.get(AUDIT).status_code == 403
    login_as(platform_admin)
    assert client.get(AUDIT).status_code == 200


def test_the_platform_pages_link_to_it(db, client, login_as, platform_admin):
    login_as(platform_admin)
    for path in ("/staff/", "/platform/organisations", "/platform/accounts"):
        assert f'href="{AUDIT}"' in text(client.get(path)), path


def _platform_events(db, count: int, first: int = 0) -> None:
    start = utcnow() - timedelta(days=1)
    for i in range(first, first + count):
        db.session.add(
            AuditEvent(organisation_id=None, actor_id=None, actor_name="system",
                       action="user.suspend", target_type="User", target_id=10_000 + i,
                       target_label=f"Henkilö {i}", reason="Syy",
                       created_at=start + timedelta(seconds=i))
        )  # fmt: skip
    db.session.commit()


def test_pages_of_fifty_in_a_constant_number_of_queries(db, browser, login_as, platform_admin):
    login_as(platform_admin)
    _platform_events(db, 3)
    few = text(browser.get(AUDIT))
    few_queries = browser.queries
    assert len(_rows(few)) == 3 and 'rel="next"' not in few
    _platform_events(db, PAGE_SIZE + 10, first=3)
    first = text(browser.get(AUDIT))
    assert browser.queries == few_queries
    assert len(_rows(first)) == PAGE_SIZE
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = text(browser.get(older))
    assert len(_rows(second)) == 13
    shown = {re.search(r"Henkilö \d+", r).group(0) for r in _rows(first) + _rows(second)}
    assert len(shown) == PAGE_SIZE + 13


def test_a_suspended_accounts_page_says_why_when_and_by_whom(
    db, client, login_as, platform_admin, resident
):
    login_as(platform_admin)
    choose_language(client, "en")
    client.post(f"/platform/accounts/{resident.id}/suspend", data={"reason": "Häirintää"})
    page = " ".join(text(client.get(f"/platform/accounts/{resident.id}")).split())
    assert "<dt>Reason for the suspension</dt> <dd>Häirintää</dd>" in page
    assert f"<dt>Suspended by</dt> <dd>{platform_admin.display_name}, <time" in page
    client.post(f"/platform/accounts/{resident.id}/unsuspend")
    page = text(client.get(f"/platform/accounts/{resident.id}"))
    assert "<dt>Reason for the suspension</dt>" not in page


def test_appoint_staff_records_a_platform_row(db, org, platform_admin, resident):
    services.appoint_staff(org, resident.email, Role.MODERATOR, inviter=platform_admin)
    db.session.commit()
    row = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "staff.appoint"))
    assert row.organisation_id is None and row.actor_id == platform_admin.id
    assert (row.target_type, row.target_id) == ("User", resident.id)
    assert row.details["organisation_id"] == org.id and row.details["role"] == "moderator"
