"""The audit log: append-only at every level, per organisation, constant queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from eraati.audit.models import AuditEvent, AuditLogIsAppendOnly
from eraati.audit.services import record
from eraati.core.time import utcnow
from eraati.organisations.models import Role
from tests import factories


def _events(org, n, *, action="comment.hide", start=None):
    start = start or utcnow() - timedelta(days=1)
    for i in range(n):
        record(
            action,
            organisation=org,
            actor=None,
            target_label=f"kommentti {i}",
            reason=f"syy {i}",
            now=start + timedelta(minutes=i),
        )


def test_the_orm_refuses_to_change_or_delete_an_entry(db, org):
    event = record("comment.hide", organisation=org, actor=None, reason="Loukkaava")
    db.session.commit()
    event.reason = "muutettu"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).reason == "Loukkaava"


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET reason = 'muutettu'", "DELETE FROM audit_events"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(db, org, statement):
    record("comment.hide", organisation=org, actor=None, reason="Loukkaava")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(sa.select(AuditEvent.reason)) == "Loukkaava"


def test_no_route_writes_to_the_log_except_by_recording(app):
    """The only audit route reads: nothing under /audit takes POST, PUT or DELETE."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert rules
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_admin_sees_own_organisation_log_newest_first(db, browser, login_as, org, other_org):
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    _events(org, 3)
    record("comment.hide", organisation=other_org, actor=None, target_label="vieremän asia")
    db.session.commit()
    login_as(admin)
    page = browser.get("/staff/keitele/audit").get_data(as_text=True)
    assert page.index("kommentti 2") < page.index("kommentti 1") < page.index("kommentti 0")
    assert "vieremän asia" not in page
    assert "Comment hidden" in page or "Kommentti piilotettu" in page


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.PREPARER])
def test_only_admins_read_the_log(db, browser, login_as, org, role):
    login_as(factories.make_user("staff@keitele.fi", org=org, roles=(role,)))
    db.session.commit()
    assert browser.get("/staff/keitele/audit").status_code == 403


def test_other_organisations_admin_is_refused(db, browser, login_as, org, other_org):
    login_as(factories.make_user("admin@vierema.fi", org=other_org, roles=(Role.ADMIN,)))
    db.session.commit()
    assert browser.get("/staff/keitele/audit").status_code == 403


def test_logged_out_visitor_is_sent_to_log_in(db, browser, org):
    response = browser.get("/staff/keitele/audit")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_filter_by_act(db, browser, login_as, org):
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    _events(org, 2, action="comment.hide")
    record("user.block", organisation=org, actor=None, target_label="estetty käyttäjä")
    db.session.commit()
    login_as(admin)
    page = browser.get("/staff/keitele/audit?action=user.block").get_data(as_text=True)
    assert "estetty käyttäjä" in page and "kommentti 0" not in page


def test_pages_continue_from_the_last_entry_without_gaps_or_repeats(db, browser, login_as, org):
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    _events(org, 120)
    db.session.commit()
    login_as(admin)
    seen, url = [], "/staff/keitele/audit"
    while url:
        html = browser.get(url).get_data(as_text=True)
        seen += [int(n) for n in re.findall(r"kommentti (\d+)<", html)]
        nxt = re.search(r'href="([^"]+)" rel="next"', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert seen == list(range(119, -1, -1))


def test_log_page_makes_the_same_number_of_queries_however_long(db, browser, login_as, org):
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    _events(org, 2)
    db.session.commit()
    login_as(admin)
    browser.get("/staff/keitele/audit")
    few = browser.queries
    _events(org, 60, start=utcnow() - timedelta(days=2), action="topic.edit")
    db.session.commit()
    browser.get("/staff/keitele/audit")
    assert browser.queries == few


def test_the_filter_offers_each_action_of_this_organisations_log_once(db, org, other_org):
    from eraati.audit.queries import actions

    _events(org, 3, action="topic.edit")
    _events(org, 2, action="comment.hide")
    record("user.block", organisation=org, actor=None)
    _events(other_org, 2, action="export.download")  # another organisation's act
    db.session.commit()
    assert actions(org.id) == ["comment.hide", "topic.edit", "user.block"]
    assert actions(other_org.id) == ["export.download"]
