"""Every moderation page, as a screen reader and a keyboard meet it: one heading, labelled
fields and landmarks, tables with captions and header cells, unique ids, error summaries
that lead to the fields, CSRF tokens in every POST form, no scripts and no inline styles."""

from __future__ import annotations

import pytest

from eraati.consultations import services as comment_services
from eraati.consultations.models import CommentSource, CommentStatus, FlagReason
from eraati.moderation import services
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language
from tests.moderation.support import add_comment, text
from tests.page_support import is_field, read

BASE = "/staff/keitele"


@pytest.fixture
def pages(
    app,
    db,
    client,
    browser,
    login_as,
    moderator,
    open_topic,
    reasons,
    resident,
    other_resident,
    csrf_enabled,
):
    """{name: (status, HTML)} of every moderation page, with content in every state."""
    choose_language(client, "fi")
    visible = add_comment(open_topic, resident, "Näkyvä")
    add_comment(open_topic, None, "Odottava", nickname="N", status=CommentStatus.PENDING)
    add_comment(open_topic, None, "Paperi", source=CommentSource.PAPER)
    hidden = add_comment(open_topic, other_resident, "Piilotettava")
    db.session.commit()
    comment_services.flag_comment(visible, other_resident, FlagReason.SPAM, "Mainos")
    services.hide_comment(hidden, reasons[0], "Lisäys", moderator)
    services.block_user(open_topic.organisation, factories.make_user(), 3, "Syy", moderator)
    db.session.commit()
    login_as(moderator)
    out = {}

    def visit(name, path, method="get", data=None):
        response = getattr(browser, method)(path, data=data) if data else browser.get(path)
        out[name] = (response.status_code, text(response))

    for tab in ("pending", "flagged", "recent"):
        visit(f"queue {tab}", f"{BASE}/moderation?tab={tab}")
    visit("comment", f"{BASE}/moderation/comments/{visible.id}")
    visit("hidden comment", f"{BASE}/moderation/comments/{hidden.id}")
    visit("reasons", f"{BASE}/moderation/reasons")
    visit("edit reason", f"{BASE}/moderation/reasons/{reasons[0].id}/edit")
    visit("blocks", f"{BASE}/blocks")
    visit("block the writer", f"{BASE}/blocks?comment={visible.id}")
    visit("figures", f"/keitele/{open_topic.slug}/moderation-figures")
    # With CSRF on, the failed forms are sent with the token of the page they came from.
    app.config["WTF_CSRF_ENABLED"] = False
    visit("failed bulk", f"{BASE}/moderation/bulk?tab=recent", "post", {"action": "hide"})
    visit("failed hide", f"{BASE}/moderation/comments/{visible.id}/hide", "post", {"details": "x"})
    visit("failed reason", f"{BASE}/moderation/reasons", "post", {"text_sv": "x"})
    visit("failed edit", f"{BASE}/moderation/reasons/{reasons[0].id}/edit", "post", {"text_fi": ""})
    visit("failed block", f"{BASE}/blocks", "post", {"email": "x", "days": "0"})
    return out


def test_pages_answer(pages):
    for name, (status, _html) in pages.items():
        assert status == (422 if name.startswith("failed") else 200), name


def test_one_heading_landmarks_and_unique_ids(pages):
    for name, (_status, html) in pages.items():
        page = read(html)
        assert len(page.find("h1")) == 1, name
        assert len(page.find("main")) == 1, name
        assert all(n.attrs.get("aria-label") for n in page.find("nav")), name
        ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))


def test_every_field_has_a_label(pages):
    checked = 0
    for name, (_status, html) in pages.items():
        page = read(html)
        labels = {e.attrs["for"] for e in page.find("label") if e.attrs.get("for")}
        for element in filter(is_field, page.elements):
            assert element.attrs.get("id") in labels or element.attrs.get("aria-label"), (
                name,
                element.attrs,
            )
            checked += 1
    assert checked > 60


def test_radio_groups_are_fieldsets_with_legends(pages):
    for name, (_status, html) in pages.items():
        page = read(html)
        for radio in (e for e in page.find("input") if e.attrs.get("type") == "radio"):
            fieldset = radio.up("fieldset")
            assert fieldset is not None, name
            assert any(c.tag == "legend" and c.text.strip() for c in fieldset.children), name


def test_tables_have_captions_and_header_cells(pages):
    seen = 0
    for name, (_status, html) in pages.items():
        page = read(html)
        for table in page.find("table"):
            seen += 1
            assert table.children[0].tag == "caption" and table.children[0].text.strip(), name
            headers = [e for e in page.elements if e.tag == "th" and e.up("table") is table]
            assert all(h.attrs.get("scope") in ("col", "row") for h in headers), name
    assert seen >= 5


def test_post_forms_carry_a_csrf_token_and_nothing_needs_scripts(pages):
    for name, (_status, html) in pages.items():
        if name.startswith("failed"):
            continue
        page = read(html)
        assert "<script" not in html.lower() and " style=" not in html, name
        for index, form in enumerate(page.forms):
            if form.attrs.get("method", "get").lower() != "post":
                continue
            tokens = [
                e
                for e in page.in_form(index)
                if e.tag == "input" and e.attrs.get("name") == "csrf_token" and e.attrs.get("value")
            ]
            assert tokens, (name, form.attrs)
        # A button outside its own form names the form it belongs to, and that form exists.
        for button in page.find("button"):
            owner = button.attrs.get("form")
            if owner:
                assert owner in page.ids(), name
            else:
                assert button.form is not None, (name, button.attrs)


def test_error_summaries_lead_to_the_fields(pages):
    for name, (_status, html) in pages.items():
        if not name.startswith("failed"):
            continue
        page = read(html)
        summaries = [e for e in page.elements if "error-summary" in e.attrs.get("class", "")]
        assert len(summaries) == 1, name
        links = [e for e in page.find("a") if e.up("div") is summaries[0]]
        assert links, name
        for link in links:
            assert link.attrs["href"].lstrip("#") in page.ids(), (name, link.attrs)
        assert summaries[0].text.strip().startswith(tr("Please correct the following", "fi"))
