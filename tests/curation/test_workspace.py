"""The workspace: figures, the comment list with theme checkboxes, tagging and key comments."""

from __future__ import annotations

import re

import pytest

from eraati.consultations.models import CommentSource, CommentStatus, TopicStatus
from tests import factories
from tests.consultations.topic_support import make_comment
from tests.curation.support import (
    audit,
    comment_path,
    field_error,
    flashes,
    make_theme,
    no_counter_drift,
    staff_path,
    tag,
    text,
    theme_ids_of,
)


def _checked(page: str, comment, theme) -> bool:
    match = re.search(rf'<input [^>]*id="c{comment.id}-t{theme.id}"[^>]*>', page)
    assert match, f"no checkbox for theme {theme.id} of comment {comment.id}"
    return " checked" in match.group(0)


# --- the page --------------------------------------------------------------------------------


def test_workspace_lists_visible_comments_of_the_topic_with_their_themes(
    db, browser, login_as, moderator, org, open_topic, resident, theme, other_theme
):
    shown = make_comment(open_topic, resident, "Näkyvä kommentti")
    paper = make_comment(
        open_topic, None, "Paperilla", source=CommentSource.PAPER, place="Kirjasto"
    )
    make_comment(open_topic, resident, "Odottava", status=CommentStatus.PENDING)
    make_comment(open_topic, resident, "Piilotettu", status=CommentStatus.HIDDEN)
    elsewhere = factories.make_topic(org, slug="muu")
    make_comment(elsewhere, resident, "Muun aiheen kommentti")
    tag(shown, other_theme)
    db.session.commit()
    login_as(moderator)

    response = browser.get(staff_path(open_topic, "/work"))
    page = text(response)
    assert response.status_code == 200
    assert "Kirjaston aukioloajat" in page
    assert "Näkyvä kommentti" in page and "Paperilla" in page
    assert "Feedback given on paper" in page
    for hidden in ("Odottava", "Piilotettu", "Muun aiheen kommentti"):
        assert hidden not in page
    assert _checked(page, shown, other_theme) and not _checked(page, shown, theme)
    assert not _checked(page, paper, other_theme)
    # Each comment's checkboxes are a group with its own legend.
    assert page.count("<fieldset") == 2 and page.count("<legend>Themes") == 2
    # The figures: shown, pending, hidden (the topic's counters and one aggregate).
    assert re.search(r"<dt>Comments shown</dt><dd>2</dd>", page)
    assert re.search(r"<dt>Waiting for review</dt><dd>1</dd>", page)
    assert re.search(r"<dt>Comments without a theme</dt><dd>1</dd>", page)
    # Links to each tool.
    for suffix in ("/themes", "/paper", "/summary", f"/comments/{shown.id}/official-reply"):
        assert f'href="{staff_path(open_topic, suffix)}' in page, suffix


def test_workspace_without_themes_points_to_the_themes_page(
    browser, login_as, moderator, open_topic, comment
):
    login_as(moderator)
    page = text(browser.get(staff_path(open_topic, "/work")))
    assert "This consultation has no themes yet." in page
    assert "<fieldset" not in page  # nothing to tick
    assert "Mark as a key comment" in page


def test_published_topic_offers_no_official_reply(db, browser, login_as, moderator, org, resident):
    topic = factories.make_topic(org, status=TopicStatus.PUBLISHED)
    shown = make_comment(topic, resident, "Vanha kommentti")
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(topic, "/work")))
    assert "Vanha kommentti" in page
    assert f"/comments/{shown.id}/official-reply" not in page
    assert "Enter feedback from paper forms and events" not in page


def test_filters_show_comments_without_a_theme_and_key_comments(
    db, browser, login_as, moderator, open_topic, resident, theme
):
    tagged = make_comment(open_topic, resident, "Teemoitettu")
    untagged = make_comment(open_topic, resident, "Teemoittamaton")
    key = make_comment(open_topic, resident, "Keskeinen", is_key=True)
    tag(tagged, theme)
    tag(key, theme)
    db.session.commit()
    login_as(moderator)

    page = text(browser.get(staff_path(open_topic, "/work?show=untagged")))
    assert "Teemoittamaton" in page and "Teemoitettu" not in page and "Keskeinen" not in page
    page = text(browser.get(staff_path(open_topic, "/work?show=key")))
    assert "Keskeinen" in page and "Teemoittamaton" not in page and "Teemoitettu" not in page
    page = text(browser.get(staff_path(open_topic, "/work?show=nonsense")))
    assert all(word in page for word in ("Teemoitettu", "Teemoittamaton", "Keskeinen"))
    assert untagged.id  # the comment exists; it is only left out above


def test_comments_are_paginated_fifty_a_page(
    db, browser, login_as, moderator, open_topic, resident
):
    for i in range(51):
        make_comment(open_topic, resident, f"Kommentti numero {i:02d}.")
    db.session.commit()
    login_as(moderator)
    first = text(browser.get(staff_path(open_topic, "/work")))
    second = text(browser.get(staff_path(open_topic, "/work?page=2")))
    assert first.count('class="comment curation-comment"') == 50
    assert second.count('class="comment curation-comment"') == 1
    assert "Kommentti numero 00." in first and "Kommentti numero 50." in second
    assert f'href="{staff_path(open_topic, "/work?page=2")}"' in first
    # A page past the end (the list got shorter meanwhile) shows the last page.
    beyond = browser.get(staff_path(open_topic, "/work?page=9"))
    assert beyond.status_code == 200 and "Kommentti numero 50." in text(beyond)


def test_workspace_costs_the_same_for_2_and_30_comments(
    db, browser, login_as, moderator, open_topic, resident, other_resident
):
    """Themes, authors and figures of a page of comments are loaded in a fixed number of
    queries (no query per comment)."""
    themes = [make_theme(open_topic, f"Teema {i}", position=i) for i in range(4)]
    db.session.commit()
    login_as(moderator)
    made = 0

    def add_until(total: int) -> None:
        nonlocal made
        while made < total:
            if made % 5 == 4:
                c = make_comment(open_topic, None, "Paperilla", source=CommentSource.PAPER)
            else:
                author = resident if made % 2 else other_resident
                c = make_comment(open_topic, author, f"Kommentti {made}", is_key=made % 3 == 0)
            tag(c, *themes[: made % 3 + 1])
            made += 1
        db.session.commit()

    counts = []
    for total in (2, 30):
        add_until(total)
        response = browser.get(staff_path(open_topic, "/work"))
        assert text(response).count('class="comment curation-comment"') == total
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


# --- tagging ---------------------------------------------------------------------------------


def test_tagging_saves_the_comments_themes_and_logs_it(
    db, browser, login_as, moderator, open_topic, comment, theme, other_theme
):
    login_as(moderator)
    path = comment_path(open_topic, comment, "themes")

    response = browser.post(path, data={"themes": [str(theme.id), str(other_theme.id)]})
    assert response.status_code == 303
    assert response.headers["Location"] == staff_path(open_topic, f"/work#c{comment.id}")
    assert theme_ids_of(comment) == {theme.id, other_theme.id}
    page = text(browser.get(response.headers["Location"]))
    assert "The themes of the comment were saved." in flashes(page)
    assert _checked(page, comment, theme) and _checked(page, comment, other_theme)

    browser.post(path, data={"themes": [str(other_theme.id)], "page": "1", "show": "all"})
    assert theme_ids_of(comment) == {other_theme.id}
    browser.post(path, data={})  # nothing ticked: no themes
    assert theme_ids_of(comment) == set()

    events = audit("comment.tag")
    assert [(e.details["added"], e.details["removed"]) for e in events] == [
        ([theme.id, other_theme.id], []),
        ([], [theme.id]),
        ([], [other_theme.id]),
    ]
    assert all(e.target_id == comment.id and e.actor_id == moderator.id for e in events)
    assert {e.organisation_id for e in events} == {open_topic.organisation_id}
    assert no_counter_drift()


def test_saving_the_same_themes_again_changes_nothing(
    db, browser, login_as, moderator, open_topic, comment, theme
):
    tag(comment, theme)
    db.session.commit()
    login_as(moderator)
    response = browser.post(
        comment_path(open_topic, comment, "themes"), data={"themes": [str(theme.id)]}
    )
    assert response.status_code == 303
    assert audit() == []
    assert "already these" in flashes(text(browser.get(response.headers["Location"])))


def test_tagging_keeps_the_place_in_the_list(
    db, browser, login_as, moderator, open_topic, comment, theme
):
    login_as(moderator)
    response = browser.post(
        comment_path(open_topic, comment, "themes"),
        data={"themes": [str(theme.id)], "page": "2", "show": "key"},
    )
    assert response.headers["Location"] == staff_path(
        open_topic, f"/work?show=key&page=2#c{comment.id}"
    )


@pytest.mark.parametrize("bad", ["999999", "abc", ""])
def test_an_unknown_theme_is_refused_with_the_choices_kept(
    db, browser, login_as, moderator, open_topic, comment, theme, other_theme, bad
):
    login_as(moderator)
    response = browser.post(
        comment_path(open_topic, comment, "themes"), data={"themes": [str(theme.id), bad]}
    )
    page = text(response)
    assert response.status_code == 422
    assert "no longer available" in field_error(page, f"c{comment.id}-themes")
    assert 'class="error-summary"' in page and f'href="#c{comment.id}-themes"' in page
    assert _checked(page, comment, theme) and not _checked(page, comment, other_theme)
    assert theme_ids_of(comment) == set() and audit() == []


def test_a_hidden_comment_cannot_be_tagged(
    db, browser, login_as, moderator, open_topic, resident, theme
):
    hidden = make_comment(open_topic, resident, "Piilossa", status=CommentStatus.HIDDEN)
    db.session.commit()
    login_as(moderator)
    response = browser.post(
        comment_path(open_topic, hidden, "themes"), data={"themes": [str(theme.id)]}
    )
    assert response.status_code == 303
    assert "no longer shown" in flashes(text(browser.get(response.headers["Location"])))
    assert theme_ids_of(hidden) == set() and audit() == []


def test_tagging_works_the_same_after_the_topic_closed(
    db, browser, login_as, moderator, closed_topic, resident
):
    old = make_comment(closed_topic, resident, "Vanha")
    theme = make_theme(closed_topic, "Teema")
    db.session.commit()
    login_as(moderator)
    browser.post(comment_path(closed_topic, old, "themes"), data={"themes": [str(theme.id)]})
    assert theme_ids_of(old) == {theme.id}


# --- key comments ----------------------------------------------------------------------------


def test_marking_and_unmarking_a_key_comment(db, browser, login_as, moderator, open_topic, comment):
    login_as(moderator)
    path = comment_path(open_topic, comment, "key")

    response = browser.post(path, data={"key": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/work#c{comment.id}")
    assert comment.is_key is True
    page = text(browser.get(response.headers["Location"]))
    assert "marked as a key comment" in flashes(page)
    assert "Remove the key comment mark" in page and 'class="badge key"' in page

    browser.post(path, data={"key": "1"})  # sent twice: still one mark, one audit row
    browser.post(path, data={"key": "0"})
    assert comment.is_key is False
    assert [e.action for e in audit()] == ["comment.key", "comment.unkey"]
    assert {e.target_id for e in audit()} == {comment.id}
    assert no_counter_drift()


def test_a_hidden_comment_cannot_become_a_key_comment(
    db, browser, login_as, moderator, open_topic, resident
):
    hidden = make_comment(open_topic, resident, "Piilossa", status=CommentStatus.HIDDEN)
    db.session.commit()
    login_as(moderator)
    response = browser.post(comment_path(open_topic, hidden, "key"), data={"key": "1"})
    assert response.status_code == 303
    assert hidden.is_key is False and audit() == []


@pytest.mark.parametrize("value", ["2", "", "yes"])
def test_a_changed_key_form_is_refused(
    db, browser, login_as, moderator, open_topic, comment, value
):
    login_as(moderator)
    response = browser.post(comment_path(open_topic, comment, "key"), data={"key": value})
    assert response.status_code == 400
    assert comment.is_key is False and audit() == []
