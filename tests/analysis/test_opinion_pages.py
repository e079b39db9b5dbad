"""The opinion groups pages (results/views.py, results/opinion.py, templates/results/
_groups.html): staff see the groups or "being computed", the map has a text alternative
and its table matches the stored result, other organisations' staff see nothing, the
public results page shows the groups only when published and allowed, and the page's
statements do not grow with the groups."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.analysis import opinion, runs
from eraati.analysis.demo import add_planted_topic
from eraati.analysis.models import AnalysisKind
from eraati.consultations.models import TopicStatus
from eraati.core.time import utcnow
from eraati.results.display import number


@pytest.fixture
def planted(db, org):
    made = add_planted_topic(org, participants=90, comments=40, seed=2)
    db.session.commit()
    return made


def _page(topic) -> str:
    return f"/staff/{topic.organisation.slug}/topics/{topic.id}/opinion-groups"


def test_staff_see_being_computed_while_pending_and_the_groups_after(
    planted, client, login_as, moderator, db
):
    topic = planted.topic
    # Queued (claimed) but not run: the page says so and asks for nothing more.
    assert runs.request(topic.id, AnalysisKind.GROUPS)
    db.session.commit()
    login_as(moderator)
    html = client.get(_page(topic)).get_data(as_text=True)
    assert "Lasketaan." in html or "Being computed." in html
    assert 'id="opinion-map"' not in html
    runs.run(topic.id, "groups")
    response = client.get(_page(topic))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="opinion-map"' in html and "Lasketaan." not in html


def test_the_map_has_a_title_and_description_and_the_table_matches_the_result(
    planted, client, login_as, preparer
):
    topic = planted.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    result = opinion.stored_groups(topic.id).result
    login_as(preparer)
    html = client.get(_page(topic)).get_data(as_text=True)
    svg = re.search(r'<svg[^>]*id="opinion-map".*?</svg>', html, re.S)[0]
    assert 'role="img"' in svg and 'aria-labelledby="opinion-map-title opinion-map-desc"' in svg
    assert re.search(r'<title id="opinion-map-title">[^<]+</title>', svg)
    assert re.search(r'<desc id="opinion-map-desc">[^<]+</desc>', svg)
    table = re.search(
        r'<table class="data-table">.*?</table>', html[html.index("opinion-groups-block") :], re.S
    )[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', table)
    sizes = [c for i, c in enumerate(cells) if i % 2 == 0]
    assert sizes == [number(g.size) for g in result.groups] + [number(result.participants)]
    # Every analysed person drawn once, in a group's shape.
    assert svg.count("<circle") + svg.count("<rect") + svg.count("<path") >= result.participants
    # A card per group, each quoting its representative comments with their shares.
    for g in result.groups:
        assert f"Ryhmä {opinion.group_letter(g.id)}" in html
    first = result.groups[0].representative[0]
    assert planted_body(first.comment_id) in html


def planted_body(comment_id: int) -> str:
    from eraati.consultations.models import Comment
    from eraati.extensions import db

    return db.session.get(Comment, comment_id).body


def test_another_organisations_staff_and_residents_get_nothing(
    planted, client, login_as, other_org_moderator, resident
):
    topic = planted.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    login_as(other_org_moderator)
    assert client.get(_page(topic)).status_code in (403, 404)
    assert client.post(_page(topic)).status_code in (400, 403, 404)
    login_as(resident)
    assert client.get(_page(topic)).status_code in (403, 404)


def test_the_compute_now_button_queues_a_new_computation(planted, client, login_as, org_admin, app):
    topic = planted.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    first = opinion.stored_groups(topic.id).computed_at
    login_as(org_admin)
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get(_page(topic)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]
    assert client.post(_page(topic)).status_code == 400  # no token
    response = client.post(_page(topic), data={"csrf_token": token})
    assert response.status_code == 303
    assert opinion.stored_groups(topic.id).computed_at > first  # inline in tests


def test_the_public_results_page_shows_the_groups_only_when_published_and_allowed(
    planted, client, db
):
    topic = planted.topic
    runs.ask(topic.id, AnalysisKind.GROUPS)
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow()
    db.session.commit()
    url = f"/{topic.organisation.slug}/{topic.slug}/results"
    assert 'id="opinion-map"' not in client.get(url).get_data(as_text=True)
    topic.organisation.opinion_groups_public = True
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'id="opinion-map"' in html and "Miten ryhmät muodostettiin" in html
    # Not published: no results page at all, whatever the setting.
    topic.results_published_at = None
    topic.status = TopicStatus.OPEN
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_page_makes_as_many_statements_whatever_the_number_of_groups(
    db, org, client, login_as, moderator
):
    counts = []
    for groups, slug in ((2, "kaksi"), (4, "nelja")):
        made = add_planted_topic(
            org, participants=40 * groups, comments=40, groups=groups, seed=groups, slug=slug
        )
        db.session.commit()
        runs.ask(made.topic.id, AnalysisKind.GROUPS)
        assert opinion.stored_groups(made.topic.id).result.k == groups
        login_as(moderator)
        client.get(_page(made.topic))  # warm caches (translations, the user)
        seen: list[str] = []

        def count(conn, cursor, statement, *args, seen=seen):
            seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(_page(made.topic)).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(seen))
    assert counts[0] == counts[1]
