"""Themes of a topic: the list with counts, add, rename, delete (with its tags)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.consultations.models import CommentStatus, Theme, comment_themes
from eraati.extensions import db as _db
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import count, make_comment
from tests.curation.support import (
    audit,
    field_error,
    flashes,
    make_theme,
    staff_path,
    tag,
    text,
    theme_ids_of,
)


def _themes(topic) -> list[Theme]:
    return list(
        _db.session.scalars(
            sa.select(Theme).where(Theme.topic_id == topic.id).order_by(Theme.position)
        )
    )


def _row(page: str, theme: Theme) -> str:
    match = re.search(rf'<tr id="theme-{theme.id}".*?</tr>', page, re.S)
    assert match, f"no row for theme {theme.id}"
    return match.group(0)


def test_list_shows_each_theme_with_its_count_of_visible_comments(
    db, browser, login_as, moderator, open_topic, resident, theme, other_theme
):
    a = make_comment(open_topic, resident, "Yksi")
    b = make_comment(open_topic, resident, "Kaksi")
    hidden = make_comment(open_topic, resident, "Piilossa", status=CommentStatus.HIDDEN)
    tag(a, theme, other_theme)
    tag(b, theme)
    tag(hidden, theme)
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(open_topic, "/themes")))
    assert "<caption" in page and '<th scope="col"' in page
    assert re.search(r'<td class="number">2</td>', _row(page, theme))
    assert re.search(r'<td class="number">1</td>', _row(page, other_theme))
    assert f"/themes/{theme.id}/edit" in page and f"/themes/{theme.id}/delete" in page


def test_adding_a_theme(db, browser, login_as, moderator, open_topic, theme):
    login_as(moderator)
    response = browser.post(staff_path(open_topic, "/themes"), data={"name_fi": "  Liikenne "})
    assert response.status_code == 303
    assert response.headers["Location"] == staff_path(open_topic, "/themes")
    new = _themes(open_topic)[-1]
    assert new.texts == {"fi": "Liikenne"} and new.position == theme.position + 1
    page = text(browser.get(response.headers["Location"]))
    assert "The theme was added." in flashes(page) and "Liikenne" in _row(page, new)
    [event] = audit("theme.create")
    assert event.target_id == new.id and event.target_label == "Liikenne"
    assert event.actor_id == moderator.id and event.organisation_id == open_topic.organisation_id


def test_a_bilingual_organisation_names_themes_in_both_languages(db, browser, login_as, resident):
    org = factories.make_org("ylasavo", "Ylä-Savon SOTE", languages="fi,sv")
    moderator = factories.make_user("mod@ylasavo.fi", org=org, roles=(Role.MODERATOR,))
    topic = factories.make_topic(org, title="Palveluverkko", title_sv="Servicenätet")
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(topic, "/themes")))
    assert 'id="name_fi"' in page and 'id="name_sv"' in page and 'lang="sv"' in page

    # Only the first language is required.
    response = browser.post(staff_path(topic, "/themes"), data={"name_sv": "Trafik"})
    assert response.status_code == 422
    assert field_error(text(response), "name_fi") == "Write the name of the theme."
    assert 'value="Trafik"' in text(response)  # what was typed stays
    assert _themes(topic) == []

    browser.post(staff_path(topic, "/themes"), data={"name_fi": "Liikenne", "name_sv": "Trafik"})
    browser.post(staff_path(topic, "/themes"), data={"name_fi": "Kustannukset", "name_sv": ""})
    assert [t.texts for t in _themes(topic)] == [
        {"fi": "Liikenne", "sv": "Trafik"},
        {"fi": "Kustannukset"},
    ]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Write the name of the theme."),
        ("   ", "Write the name of the theme."),
        ("x" * 101, "Use at most 100 characters."),
        ("aukioloajat", "The topic already has this theme."),
    ],
)
def test_a_bad_theme_name_is_refused(
    db, browser, login_as, moderator, open_topic, theme, name, error
):
    login_as(moderator)
    response = browser.post(staff_path(open_topic, "/themes"), data={"name_fi": name})
    page = text(response)
    assert response.status_code == 422
    assert field_error(page, "name_fi") == error
    assert 'class="error-summary"' in page
    if name.strip():
        assert f'value="{name}"' in page
    assert len(_themes(open_topic)) == 1 and audit() == []


def test_the_same_name_in_another_topic_is_fine(
    db, browser, login_as, moderator, org, open_topic, theme
):
    other = factories.make_topic(org, slug="muu")
    db.session.commit()
    login_as(moderator)
    response = browser.post(staff_path(other, "/themes"), data={"name_fi": "Aukioloajat"})
    assert response.status_code == 303
    assert [t.texts for t in _themes(other)] == [{"fi": "Aukioloajat"}]


def test_renaming_a_theme(db, browser, login_as, moderator, open_topic, resident, theme):
    tagged = make_comment(open_topic, resident, "Teemalla")
    tag(tagged, theme)
    db.session.commit()
    login_as(moderator)
    path = staff_path(open_topic, f"/themes/{theme.id}/edit")
    assert 'value="Aukioloajat"' in text(browser.get(path))

    response = browser.post(path, data={"name_fi": "Aukiolo"})
    assert response.status_code == 303
    assert theme.texts == {"fi": "Aukiolo"}
    assert theme_ids_of(tagged) == {theme.id}  # the tags stay
    assert "The theme was renamed." in flashes(text(browser.get(response.headers["Location"])))
    [event] = audit("theme.edit")
    assert event.details["before"] == {"fi": "Aukioloajat"}
    assert event.details["after"] == {"fi": "Aukiolo"}

    browser.post(path, data={"name_fi": "Aukiolo"})  # no change: no audit row
    assert len(audit("theme.edit")) == 1


def test_renaming_to_another_themes_name_is_refused(
    db, browser, login_as, moderator, open_topic, theme, other_theme
):
    login_as(moderator)
    path = staff_path(open_topic, f"/themes/{other_theme.id}/edit")
    response = browser.post(path, data={"name_fi": "AUKIOLOAJAT"})
    assert response.status_code == 422
    assert field_error(text(response), "name_fi") == "The topic already has this theme."
    assert 'value="AUKIOLOAJAT"' in text(response)
    assert other_theme.texts == {"fi": "Kokoelmat"} and audit() == []
    # Its own name, in another case, is fine.
    assert browser.post(path, data={"name_fi": "KOKOELMAT"}).status_code == 303


def test_an_empty_new_name_is_refused(db, browser, login_as, moderator, open_topic, theme):
    login_as(moderator)
    response = browser.post(staff_path(open_topic, f"/themes/{theme.id}/edit"), data={})
    assert response.status_code == 422
    assert field_error(text(response), "name_fi") == "Write the name of the theme."
    assert theme.texts == {"fi": "Aukioloajat"} and audit() == []


def test_deleting_asks_first_then_removes_the_theme_and_its_tags(
    db, browser, login_as, moderator, open_topic, resident, theme, other_theme
):
    a = make_comment(open_topic, resident, "Yksi")
    b = make_comment(open_topic, resident, "Kaksi")
    tag(a, theme, other_theme)
    tag(b, theme)
    db.session.commit()
    login_as(moderator)
    theme_id = theme.id
    path = staff_path(open_topic, f"/themes/{theme_id}/delete")

    page = text(browser.get(path))
    assert 'Delete the theme “<span lang="fi">Aukioloajat</span>”?' in page
    assert "2 comments shown have this theme." in page
    assert count(Theme) == 2  # asking deletes nothing

    response = browser.post(path)
    assert response.status_code == 303
    assert [t.id for t in _themes(open_topic)] == [other_theme.id]
    assert theme_ids_of(a) == {other_theme.id} and theme_ids_of(b) == set()
    assert count(comment_themes) == 1
    assert count(Theme, Theme.id == theme_id) == 0
    [event] = audit("theme.delete")
    assert event.target_id == theme_id and event.details["tagged_comments"] == 2
    assert event.target_label == "Aukioloajat"
    page = text(browser.get(response.headers["Location"]))
    assert "The theme was deleted." in flashes(page)
    assert browser.get(path).status_code == 404  # gone


def test_a_theme_named_only_in_finnish_is_marked_on_an_english_page(
    db, browser, login_as, moderator, open_topic, resident, theme
):
    make_comment(open_topic, resident, "Yksi")
    english = make_theme(open_topic, "Kokoelmat", position=1)
    english.texts = {"fi": "Kokoelmat", "en": "Collections"}
    db.session.commit()
    login_as(moderator)
    marked = '<span lang="fi">Aukioloajat</span>'
    themes = text(browser.get(staff_path(open_topic, "/themes")))
    assert f'<th scope="row">\n          {marked}' in _row(themes, theme)
    assert f'<span class="visually-hidden">: {marked}</span>' in _row(themes, theme)
    assert '<th scope="row">\n          Collections' in _row(themes, english)
    work = text(browser.get(staff_path(open_topic, "/work")))
    assert f">{marked}</label>" in work and ">Collections</label>" in work
    delete = text(browser.get(staff_path(open_topic, f"/themes/{theme.id}/delete")))
    assert f"“{marked}”" in delete
