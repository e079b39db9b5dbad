"""Staff search comments in the moderation queue and the curation workspace
(eraati.analysis.search): inflected forms, hidden comments too (staff see them), never
another organisation's, and a page costs the same statements whatever it finds."""

from __future__ import annotations

import re

from eraati.consultations.models import CommentStatus
from tests import factories
from tests.moderation.support import add_comment, text

QUEUE = "/staff/keitele/moderation"


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="c(\d+)"', html)]


def _queue_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)}


def test_the_queue_finds_inflected_forms_hidden_comments_too_and_keeps_the_words(
    db, browser, login_as, moderator, open_topic, other_org, resident
):
    school = add_comment(open_topic, resident, "Koulujen pihat ovat huonossa kunnossa.")
    hidden = add_comment(
        open_topic, resident, "Koulu on kamala.", status=CommentStatus.HIDDEN, hidden_reason="S"
    )
    waiting = add_comment(
        open_topic, resident, "Kouluun pitää päästä.", status=CommentStatus.PENDING
    )
    add_comment(open_topic, resident, "Kirjasto on hyvä.")
    elsewhere = add_comment(factories.make_topic(other_org, slug="muu"), resident, "Koulut!")
    db.session.commit()
    login_as(moderator)
    html = text(browser.get(QUEUE, query_string={"tab": "recent", "q": "koulu"}))
    assert _queue_ids(html) == {school.id, hidden.id, waiting.id}
    assert elsewhere.id not in _queue_ids(html)  # another organisation's: never
    assert 'value="koulu"' in html and "3 comments found." in html
    pending = text(browser.get(QUEUE, query_string={"q": "koulu"}))
    assert _queue_ids(pending) == {waiting.id}  # the search narrows the tab, not widens it
    none = text(browser.get(QUEUE, query_string={"tab": "recent", "q": '" NEAR( * OR'}))
    assert _queue_ids(none) == set() and "No comments found." in none


def test_another_organisations_moderator_never_finds_these_comments(
    db, browser, login_as, other_org_moderator, open_topic, resident
):
    add_comment(open_topic, resident, "Koulujen pihat.")
    db.session.commit()
    login_as(other_org_moderator)
    html = text(
        browser.get("/staff/vierema/moderation", query_string={"tab": "recent", "q": "koulu"})
    )
    assert _queue_ids(html) == set()
    assert browser.get(QUEUE, query_string={"q": "koulu"}).status_code == 403


def test_a_queue_search_costs_the_same_statements_for_2_and_30_matches(
    db, browser, login_as, moderator, open_topic, resident
):
    login_as(moderator)

    def add(n: int) -> None:
        for i in range(n):
            add_comment(open_topic, resident, f"Koulun asia {i}")
        db.session.commit()

    add(2)
    browser.get(QUEUE, query_string={"tab": "recent", "q": "koulu"})
    few = browser.queries
    add(28)
    html = text(browser.get(QUEUE, query_string={"tab": "recent", "q": "koulu"}))
    assert len(_queue_ids(html)) == 30 and browser.queries == few


def test_the_workspace_finds_visible_comments_by_any_form_and_pages_keep_the_words(
    app, db, browser, login_as, moderator, open_topic, other_org, resident
):
    stop = add_comment(open_topic, resident, "Pysäkit ovat kaukana.")
    add_comment(open_topic, resident, "Pysäkki piiloon.", status=CommentStatus.HIDDEN)
    add_comment(open_topic, resident, "Kirjasto on hyvä.")
    db.session.commit()
    login_as(moderator)
    path = f"/staff/keitele/topics/{open_topic.id}/work"
    html = text(browser.get(path, query_string={"q": "pysäkki"}))
    assert _ids(html) == [stop.id]  # the workspace lists visible comments only
    assert "1 comment found." in html and 'name="q" value="pysäkki"' in html
    everything = text(browser.get(path))
    assert (
        len(_ids(everything)) == 2
        and 'role="status"' not in everything.split("comments-title")[1][:2000]
    )
    other = factories.make_topic(other_org, slug="muu")
    db.session.commit()
    assert browser.get(f"/staff/keitele/topics/{other.id}/work?q=koulu").status_code == 404
