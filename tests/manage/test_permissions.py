"""Who may use each topic management address: the organisation's admin only (the list is
for all its staff); staff of another organisation get 403 for its addresses and 404 for
its topic ids under their own; residents 403; visitors are sent to log in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import FileKind, Topic, TopicStatus
from eraati.extensions import db
from tests import factories
from tests.manage.support import make_file

BASE = "/staff/keitele/topics"

# (method, address under the organisation, form data, status for the organisation's admin)
ADMIN_ROUTES = [
    ("get", "/new", None, 200),
    ("post", "/new", {}, 422),
    ("get", "/{draft}/edit", None, 200),
    ("post", "/{draft}/edit", {}, 422),
    ("get", "/{draft}/publish", None, 200),
    ("post", "/{draft}/publish", {}, 303),
    ("get", "/{open}/close", None, 200),
    ("post", "/{open}/close", {}, 303),
    ("post", "/{draft}/preview", {}, 303),
    ("post", "/{draft}/preview/revoke", {}, 303),
    ("get", "/{draft}/files", None, 200),
    ("post", "/{draft}/files/image", {}, 422),
    ("post", "/{draft}/files/attachment", {}, 422),
    ("post", "/{draft}/files/{file}/move", {"direction": "up"}, 303),
    ("post", "/{draft}/files/{file}/delete", {}, 303),
    ("get", "/{closed}/results", None, 200),
    ("post", "/{closed}/results", {"action": "save", "revision": "1"}, 303),
]


@pytest.fixture
def topics(db, org):
    draft = factories.make_topic(
        org, slug="luonnos", status=TopicStatus.DRAFT, opens_in=timedelta(days=1)
    )
    draft.translations[0].title = "Luonnos"
    factories.make_topic(org, slug="auki")
    factories.make_closed_topic(org)
    topic_file = make_file(draft)
    db.session.commit()
    ids = {t.slug: t.id for t in db.session.query(Topic)}
    return {
        "draft": ids["luonnos"],
        "open": ids["auki"],
        "closed": ids["suljettu"],
        "file": topic_file.id,
    }


def _url(path: str, topics: dict, org_slug: str = "keitele") -> str:
    return f"/staff/{org_slug}/topics" + path.format(**topics)


def _call(browser, method: str, url: str, data):
    if method == "get":
        return browser.get(url)
    return browser.post(url, data=data or {})


@pytest.mark.parametrize(("method", "path", "data", "status"), ADMIN_ROUTES)
def test_the_organisations_admin_may_use_every_address(
    browser, login_as, org_admin, topics, method, path, data, status
):
    login_as(org_admin)
    response = _call(browser, method, _url(path, topics), data)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == 303:
        assert "/account/login" not in response.headers["Location"]


@pytest.mark.parametrize("persona", ["moderator", "preparer", "resident", "other_org_admin"])
@pytest.mark.parametrize(("method", "path", "data", "status"), ADMIN_ROUTES)
def test_nobody_else_may_manage_topics(
    request, browser, login_as, topics, persona, method, path, data, status
):
    login_as(request.getfixturevalue(persona))
    response = _call(browser, method, _url(path, topics), data)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "data", "status"), ADMIN_ROUTES)
def test_visitors_are_sent_to_log_in(browser, topics, method, path, data, status):
    response = _call(browser, method, _url(path, topics), data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(("method", "path", "data", "status"), ADMIN_ROUTES)
def test_another_organisations_topic_ids_are_not_found_under_ones_own(
    browser, login_as, topics, other_org_admin, method, path, data, status
):
    login_as(other_org_admin)
    response = _call(browser, method, _url(path, topics, org_slug="vierema"), data)
    if "{" in path:  # an address with a Keitele topic id
        assert response.status_code == 404
    else:  # their own organisation's new-topic page works
        assert response.status_code in (200, 422)


def test_nothing_changed_for_the_refused(
    browser, login_as, topics, moderator, preparer, resident, other_org_admin
):
    for persona in (moderator, preparer, resident, other_org_admin):
        login_as(persona)
        for method, path, data, _status in ADMIN_ROUTES:
            if method == "post":
                _call(browser, method, _url(path, topics), data)
    db.session.expire_all()
    draft = db.session.get(Topic, topics["draft"])
    assert draft.status == TopicStatus.DRAFT and draft.preview_token is None
    assert len(draft.files) == 1
    assert db.session.get(Topic, topics["open"]).status == TopicStatus.OPEN


# --- the list --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "edit_links"),
    [("org_admin", 200, True), ("moderator", 200, False), ("preparer", 200, False)],
)
def test_all_staff_see_the_list_only_admins_get_edit_links(
    request, browser, login_as, topics, persona, status, edit_links
):
    login_as(request.getfixturevalue(persona))
    response = browser.get(BASE)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert (f"/staff/keitele/topics/{topics['draft']}/edit" in page) is edit_links
    assert ("/staff/keitele/topics/new" in page) is edit_links


@pytest.mark.parametrize(("persona", "status"), [("resident", 403), ("other_org_admin", 403)])
def test_others_may_not_see_the_list(request, browser, login_as, topics, persona, status):
    login_as(request.getfixturevalue(persona))
    assert browser.get(BASE).status_code == status


def test_visitors_are_sent_to_log_in_from_the_list(browser, topics):
    response = browser.get(BASE)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_unknown_organisation_is_not_found(browser, login_as, org_admin):
    login_as(org_admin)
    assert browser.get("/staff/ei-ole/topics").status_code == 404
    assert browser.get("/staff/ei-ole/topics/new").status_code == 404


# --- public addresses: files and preview -----------------------------------------------------


@pytest.fixture
def draft_file(db, org):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    pdf = make_file(draft, FileKind.ATTACHMENT)
    db.session.commit()
    return pdf


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("org_admin", 200),
        ("moderator", 200),
        ("preparer", 200),
        ("resident", 403),
        ("other_org_admin", 403),
        ("other_org_moderator", 403),
    ],
)
def test_files_of_a_draft_are_for_its_staff(
    request, browser, login_as, draft_file, persona, status
):
    login_as(request.getfixturevalue(persona))
    response = browser.get(f"/files/{draft_file.id}/selvitys.pdf")
    assert response.status_code == status


def test_files_of_a_draft_send_visitors_to_log_in(browser, draft_file):
    response = browser.get(f"/files/{draft_file.id}/selvitys.pdf")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
