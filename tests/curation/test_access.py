"""Who may use the editorial tools: moderators and admins of the topic's organisation.

Every route is checked for every persona, and every id from elsewhere (another
organisation's topic or comment, another topic's comment or theme) is a 404; a refused
request writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from eraati.consultations.models import Comment, Theme, Topic
from eraati.curation.services import text_hash
from tests import factories
from tests.consultations.topic_support import count, make_comment
from tests.curation.support import audit, comment_path, make_theme, staff_path

Paths = Callable[[Topic, Comment, Theme], str]


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Paths
    data: dict | None = None
    ok: int = 200  # what a moderator gets
    uses_comment: bool = False
    uses_theme: bool = False


PAPER = {
    "body": "Paperilla annettu palaute.",
    "source": "paper",
    "received_on": date.today().isoformat(),
    "place": "Keiteleen kirjasto",
}

ROUTES = [
    Route("workspace", "get", lambda t, c, th: staff_path(t, "/work")),
    Route(
        "tag",
        "post",
        lambda t, c, th: comment_path(t, c, "themes"),
        {"themes": "THEME"},
        303,
        uses_comment=True,
    ),
    Route(
        "key",
        "post",
        lambda t, c, th: comment_path(t, c, "key"),
        {"key": "1"},
        303,
        uses_comment=True,
    ),
    Route(
        "reply form",
        "get",
        lambda t, c, th: comment_path(t, c, "official-reply"),
        uses_comment=True,
    ),
    Route(
        "reply",
        "post",
        lambda t, c, th: comment_path(t, c, "official-reply"),
        {"body": "Kiitos palautteesta."},
        303,
        uses_comment=True,
    ),
    Route("themes", "get", lambda t, c, th: staff_path(t, "/themes")),
    Route("add theme", "post", lambda t, c, th: staff_path(t, "/themes"), {"name_fi": "Uusi"}, 303),
    Route(
        "rename form",
        "get",
        lambda t, c, th: staff_path(t, f"/themes/{th.id}/edit"),
        uses_theme=True,
    ),
    Route(
        "rename",
        "post",
        lambda t, c, th: staff_path(t, f"/themes/{th.id}/edit"),
        {"name_fi": "Uusi nimi"},
        303,
        uses_theme=True,
    ),
    Route(
        "delete form",
        "get",
        lambda t, c, th: staff_path(t, f"/themes/{th.id}/delete"),
        uses_theme=True,
    ),
    Route(
        "delete",
        "post",
        lambda t, c, th: staff_path(t, f"/themes/{th.id}/delete"),
        {},
        303,
        uses_theme=True,
    ),
    Route("paper form", "get", lambda t, c, th: staff_path(t, "/paper")),
    Route("paper", "post", lambda t, c, th: staff_path(t, "/paper"), PAPER, 303),
    Route("summary form", "get", lambda t, c, th: staff_path(t, "/summary")),
    Route(
        "summary",
        "post",
        lambda t, c, th: staff_path(t, "/summary"),
        {"summary_fi": "Yhteenveto.", "seen_fi": text_hash("")},
        303,
    ),
]
ROUTES += [
    Route("suggested themes", "get", lambda t, c, th: staff_path(t, "/suggested-themes")),
    Route(
        "accept a suggestion",
        "post",
        lambda t, c, th: staff_path(t, "/suggested-themes"),
        {"accept": "PAIR"},  # ids in the form: another topic's are refused calmly
        303,
    ),
]
IDS = [r.name for r in ROUTES]


def _send(browser, route: Route, topic: Topic, comment: Comment, theme: Theme, org_slug=None):
    """The route's request; ``org_slug`` puts another organisation's slug in the address."""
    path = route.path(topic, comment, theme)
    if org_slug:
        path = path.replace(f"/staff/{topic.organisation.slug}/", f"/staff/{org_slug}/", 1)
    if route.method == "get":
        return browser.get(path)
    values = {"THEME": str(theme.id), "PAIR": f"{comment.id}-{theme.id}"}
    data = {k: values.get(v, v) for k, v in (route.data or {}).items()}
    return browser.post(path, data=data)


def _writes() -> tuple[int, int, int]:
    """Rows a refused request must not have added."""
    return len(audit()), count(Comment), count(Theme)


@pytest.fixture
def world(db, org, other_org, open_topic, resident):
    """Our topic with a comment and a theme; another organisation's topic with the same."""
    comment = make_comment(open_topic, resident, "Oma kommentti")
    theme = make_theme(open_topic, "Aukioloajat")
    foreign_topic = factories.make_topic(other_org, slug="vieras", title="Vieras aihe")
    foreign_comment = make_comment(foreign_topic, resident, "Vieras kommentti")
    foreign_theme = make_theme(foreign_topic, "Vieras teema")
    sibling_topic = factories.make_topic(org, slug="sisar", title="Toinen aihe")
    sibling_comment = make_comment(sibling_topic, resident, "Toisen aiheen kommentti")
    sibling_theme = make_theme(sibling_topic, "Toisen aiheen teema")
    db.session.commit()
    return {
        "topic": open_topic,
        "comment": comment,
        "theme": theme,
        "foreign_topic": foreign_topic,
        "foreign_comment": foreign_comment,
        "foreign_theme": foreign_theme,
        "sibling_comment": sibling_comment,
        "sibling_theme": sibling_theme,
    }


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@pytest.mark.parametrize("persona", ["moderator", "org_admin"])
def test_moderators_and_admins_may_use_every_tool(
    request, browser, login_as, world, route, persona
):
    login_as(request.getfixturevalue(persona))
    response = _send(browser, route, world["topic"], world["comment"], world["theme"])
    assert response.status_code == route.ok, response.get_data(as_text=True)[:2000]
    if route.method == "post":
        assert len(audit()) == 1  # each act leaves its audit row


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@pytest.mark.parametrize("persona", ["preparer", "other_org_moderator", "resident"])
def test_other_people_are_refused(request, browser, login_as, world, route, persona):
    login_as(request.getfixturevalue(persona))
    before = _writes()
    response = _send(browser, route, world["topic"], world["comment"], world["theme"])
    assert response.status_code == 403
    assert _writes() == before


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_logged_out_visitors_are_sent_to_log_in(browser, world, route):
    before = _writes()
    response = _send(browser, route, world["topic"], world["comment"], world["theme"])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert _writes() == before


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_another_organisations_topic_is_not_found(browser, login_as, moderator, world, route):
    """Our address, their topic (and its comment and theme): not found, nothing written."""
    login_as(moderator)
    before = _writes()
    response = _send(
        browser,
        route,
        world["foreign_topic"],
        world["foreign_comment"],
        world["foreign_theme"],
        org_slug="keitele",
    )
    assert response.request.path.startswith("/staff/keitele/")
    assert response.status_code == 404
    assert _writes() == before


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_our_topic_under_another_organisations_address_is_not_found(
    browser, login_as, other_org_moderator, world, route
):
    login_as(other_org_moderator)
    before = _writes()
    response = _send(
        browser, route, world["topic"], world["comment"], world["theme"], org_slug="vierema"
    )
    assert response.status_code == 404
    assert _writes() == before


COMMENT_ROUTES = [r for r in ROUTES if r.uses_comment]
THEME_ROUTES = [r for r in ROUTES if r.uses_theme]


@pytest.mark.parametrize("route", COMMENT_ROUTES, ids=[r.name for r in COMMENT_ROUTES])
@pytest.mark.parametrize("whose", ["sibling_comment", "foreign_comment"])
def test_a_comment_of_another_topic_is_not_found(browser, login_as, moderator, world, route, whose):
    login_as(moderator)
    before = _writes()
    response = _send(browser, route, world["topic"], world[whose], world["theme"])
    assert response.status_code == 404
    assert _writes() == before
    assert not world[whose].is_key


@pytest.mark.parametrize("route", THEME_ROUTES, ids=[r.name for r in THEME_ROUTES])
@pytest.mark.parametrize("whose", ["sibling_theme", "foreign_theme"])
def test_a_theme_of_another_topic_is_not_found(browser, login_as, moderator, world, route, whose):
    login_as(moderator)
    before = _writes()
    response = _send(browser, route, world["topic"], world["comment"], world[whose])
    assert response.status_code == 404
    assert _writes() == before


def test_unknown_organisation_and_topic_are_not_found(browser, login_as, moderator, world):
    login_as(moderator)
    topic = world["topic"]
    assert browser.get(staff_path(topic, "/work", org_slug="ei-ole")).status_code == 404
    assert browser.get(f"/staff/keitele/topics/{topic.id + 999}/work").status_code == 404


def test_a_theme_id_of_another_topic_cannot_be_tagged(browser, login_as, moderator, world):
    """The tag form only takes the topic's own themes: another topic's theme id is refused."""
    login_as(moderator)
    response = browser.post(
        comment_path(world["topic"], world["comment"], "themes"),
        data={"themes": [str(world["sibling_theme"].id)]},
    )
    assert response.status_code == 422
    assert audit() == []


def test_every_post_needs_the_csrf_token(browser, login_as, moderator, world, csrf_enabled):
    login_as(moderator)
    before = _writes()
    for route in ROUTES:
        if route.method == "post":
            response = _send(browser, route, world["topic"], world["comment"], world["theme"])
            assert response.status_code == 400, route.name
    assert _writes() == before
