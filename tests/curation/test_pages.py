"""Every editorial page, in Finnish: landmarks, one heading, labelled fields, checkbox
groups in fieldsets with legends, no JavaScript, an error summary on each failed form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations.models import CommentSource
from tests.consultations.topic_support import choose_language, make_comment
from tests.curation.support import comment_path, make_theme, staff_path, tag, text
from tests.page_support import is_field, read


@pytest.fixture
def pages(db, app, browser, client, login_as, moderator, open_topic, resident):
    """{name: (status, HTML)} of each page, shown and failed, as a Finnish moderator."""
    choose_language(client, "fi")
    first = make_comment(open_topic, resident, "Ensimmäinen kommentti")
    make_comment(open_topic, None, "Paperilta", source=CommentSource.PAPER, place="Kirjasto")
    theme = make_theme(open_topic, "Aukioloajat")
    make_theme(open_topic, "Kokoelmat", position=1)
    tag(first, theme)
    db.session.commit()
    login_as(moderator)
    got = {}

    def get(name, path):
        response = browser.get(path)
        got[name] = (response.status_code, text(response))

    def post(name, path, data):
        response = browser.post(path, data=data)
        got[name] = (response.status_code, text(response))

    get("workspace", staff_path(open_topic, "/work"))
    get("themes", staff_path(open_topic, "/themes"))
    get("rename theme", staff_path(open_topic, f"/themes/{theme.id}/edit"))
    get("delete theme", staff_path(open_topic, f"/themes/{theme.id}/delete"))
    get("official reply", comment_path(open_topic, first, "official-reply"))
    get("paper", staff_path(open_topic, "/paper"))
    get("summary", staff_path(open_topic, "/summary"))
    post("failed tag", comment_path(open_topic, first, "themes"), {"themes": "0"})
    post("failed theme", staff_path(open_topic, "/themes"), {"name_fi": ""})
    post("failed rename", staff_path(open_topic, f"/themes/{theme.id}/edit"), {"name_fi": ""})
    post("failed reply", comment_path(open_topic, first, "official-reply"), {"body": ""})
    tomorrow = (open_topic.closes_at + timedelta(days=400)).date().isoformat()
    post("failed paper", staff_path(open_topic, "/paper"), {"received_on": tomorrow})
    post("failed summary", staff_path(open_topic, "/summary"), {"summary_fi": "x" * 20001})
    return got


def test_pages_answer_as_expected(pages):
    for name, (status, _html) in pages.items():
        assert status == (200 if not name.startswith("failed") else 422), name


def test_every_page_has_landmarks_one_heading_and_the_finnish_language(pages):
    for name, (_status, html) in pages.items():
        page = read(html)
        assert len(page.find("main")) == 1 and len(page.find("h1")) == 1, name
        assert all(
            n.attrs.get("aria-label") or n.attrs.get("aria-labelledby") for n in page.find("nav")
        ), name
        assert page.find("html")[0].attrs.get("lang") == "fi", name
        assert "<script" not in html.lower(), name
        assert "curation.css" in html, name


def test_every_field_is_labelled_and_checkboxes_are_grouped(pages):
    checked = 0
    for name, (_status, html) in pages.items():
        page = read(html)
        labels = {e.attrs["for"]: e.text.strip() for e in page.find("label") if e.attrs.get("for")}
        for element in filter(is_field, page.elements):
            assert labels.get(element.attrs.get("id", "")), (name, element.attrs)
            if element.attrs.get("type") in ("checkbox", "radio"):
                fieldset = element.up("fieldset")
                assert fieldset is not None, (name, element.attrs)
                legends = [c for c in fieldset.children if c.tag == "legend"]
                assert legends and legends[0].text.strip(), (name, element.attrs)
            checked += 1
    assert checked > 15


def test_every_button_is_in_a_post_form(pages):
    for name, (_status, html) in pages.items():
        page = read(html)
        for button in page.find("button"):
            assert button.form is not None, (name, button.attrs)
            form = page.forms[button.form].attrs
            # State changes are POST; the one GET form is the search of the comments.
            assert form.get("method") == "post" or form.get("role") == "search", name


def test_every_failed_form_has_an_error_summary_linking_to_the_field(pages):
    for name, (_status, html) in pages.items():
        if not name.startswith("failed"):
            continue
        page = read(html)
        summaries = [e for e in page.elements if "error-summary" in e.attrs.get("class", "")]
        assert len(summaries) == 1, name
        links = [e.attrs["href"] for e in page.find("a") if e.up("div") is summaries[0]]
        assert links and all(link.lstrip("#") in page.ids() for link in links), name
        assert "Korjaa seuraavat kohdat" in html, name
