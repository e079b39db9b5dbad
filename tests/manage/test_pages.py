"""The staff topic list and what topic management adds to the public topic page; the
query budgets of both; accessibility basics over every management page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eraati.consultations import participation
from eraati.consultations.models import CommentStatus, FileKind, Stance, TopicStatus
from eraati.extensions import db
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language, make_comment
from tests.manage.support import make_file, text
from tests.page_support import is_field, read

LIST = "/staff/keitele/topics"


# --- the staff list --------------------------------------------------------------------------


def test_the_list_shows_every_topic_with_its_figures_and_links(
    browser, client, login_as, org_admin, org, other_org, open_topic, draft_topic
):
    factories.make_topic(other_org, slug="vieras", title="Vieras aihe")
    make_comment(open_topic, None, "odottaa", nickname="Nimetön", status=CommentStatus.PENDING)
    open_topic.hidden_count = 2
    db.session.commit()
    login_as(org_admin)
    choose_language(client, "en")
    page = text(browser.get(LIST))
    assert "Kirjaston aukioloajat" in page and "Luonnos" in page
    assert "Vieras aihe" not in page  # another organisation's
    card = re.search(
        rf'<li class="card manage-topic">\s*<h2 id="topic-{open_topic.id}".*?</li>\s*</ul>\s*</li>',
        page,
        re.S,
    ).group(0)
    assert "1 waiting for review" in card and "2 hidden" in card and "0 shown" in card
    assert f'href="/staff/keitele/moderation?topic={open_topic.id}"' in card
    assert f'href="/staff/keitele/topics/{open_topic.id}/work"' in card
    assert 'href="/keitele/kirjaston-aukioloajat" aria-describedby' in card
    assert "Public page</a>" in card
    assert (
        f'href="/keitele/luonnos" aria-describedby="topic-{draft_topic.id}">Preview (staff only)'
        in page
    )


def test_a_preparer_sees_no_moderation_links(browser, login_as, preparer, open_topic):
    login_as(preparer)
    page = text(browser.get(LIST))
    assert "/moderation?topic=" not in page and "/edit" not in page
    assert "/keitele/kirjaston-aukioloajat" in page


def test_the_list_costs_the_same_queries_for_3_topics_and_30(
    browser, login_as, org_admin, org, app
):
    app.config["TOPICS_PER_PAGE"] = 50
    login_as(org_admin)

    def add(n):
        for _ in range(n):
            topic = factories.make_topic(org, title_sv="Ämne", with_poll=True)
            make_comment(topic, None, "odottaa", nickname="N", status=CommentStatus.PENDING)
        db.session.commit()

    add(3)
    assert browser.get(LIST).status_code == 200
    few = browser.queries
    add(27)
    page = text(browser.get(LIST))
    assert page.count('class="card manage-topic"') == 30
    assert browser.queries == few, f"{few} queries for 3 topics, {browser.queries} for 30"
    app.config["TOPICS_PER_PAGE"] = 20


def test_the_list_is_paginated(browser, login_as, org_admin, org):
    for _ in range(21):
        factories.make_topic(org)
    db.session.commit()
    login_as(org_admin)
    first = text(browser.get(LIST))
    assert (
        first.count('class="card manage-topic"') == 20
        and 'href="/staff/keitele/topics?page=2"' in first
    )
    assert text(browser.get(LIST + "?page=2")).count('class="card manage-topic"') == 1


# --- the public topic page -------------------------------------------------------------------


@pytest.fixture
def two_versions(db, org):
    """A published topic in Finnish and Swedish, each naming the body and the contact."""
    org.languages = "fi,sv"
    topic = factories.make_topic(
        org,
        slug="kaksi",
        title="Kaksi kieltä",
        title_sv="Två språk",
        contact_person="Liisa Virtanen, suunnittelupäällikkö",
        status=TopicStatus.PUBLISHED,
        opens_in=timedelta(days=-30),
        closes_in=timedelta(days=-2),
    )
    topic.translations[1].contact_person = "Liisa Virtanen, planeringschef"
    topic.decided_on = (topic.closes_at + timedelta(days=1)).date()
    topic.results_published_at = topic.closes_at + timedelta(days=1)
    db.session.commit()
    return topic


@pytest.mark.parametrize(
    ("lang", "body", "contact", "other"),
    [
        ("sv", "Kommunstyrelsen", "Liisa Virtanen, planeringschef", "Kunnanhallitus"),
        ("fi", "Kunnanhallitus", "Liisa Virtanen, suunnittelupäällikkö", "Kommunstyrelsen"),
        # No English version: the Finnish one, as the title, marked as Finnish.
        ("en", "Kunnanhallitus", "Liisa Virtanen, suunnittelupäällikkö", "Kommunstyrelsen"),
    ],
)
def test_each_language_version_names_its_own_deciding_body(
    browser, client, two_versions, lang, body, contact, other
):
    choose_language(client, lang)
    mark = ' lang="fi"' if lang == "en" else ""
    page = text(browser.get("/keitele/kaksi"))
    box = re.search(r'<section class="card decision".*?</section>', page, re.S).group(0)
    assert f"<dd{mark}>{body}</dd>" in box
    assert f'<dd class="contact-person"{mark}><p>{contact}</p></dd>' in box
    results = re.search(r'<section id="results".*?</section>', page, re.S).group(0)
    assert f"<dd{mark}>{body}</dd>" in results  # "Decided by"
    public = text(browser.get("/keitele/kaksi/results"))
    assert f"<dd{mark}>{body}</dd>" in public
    for html in (page, public):
        assert other not in html


def test_contact_person_is_in_the_decision_box(browser, db, org):
    topic = factories.make_topic(
        org, slug="yhteys", contact_person="Liisa Virtanen\np. 040 123 4567", deciding_body=""
    )
    topic.case_number = None
    db.session.commit()
    page = text(browser.get("/keitele/yhteys"))
    box = re.search(r'<section class="card decision".*?</section>', page, re.S).group(0)
    assert tr("Contact person", "fi") in box
    assert "Liisa Virtanen<br>" in box


def test_removed_comments_are_counted_with_a_link_to_the_figures(browser, db, open_topic):
    page = text(browser.get("/keitele/kirjaston-aukioloajat"))
    assert "moderation-figures" not in page
    open_topic.hidden_count = 3
    db.session.commit()
    page = text(browser.get("/keitele/kirjaston-aukioloajat", headers={"Accept-Language": "en"}))
    line = re.search(r'<p class="meta moderation-figures">(.*?)</p>', page, re.S).group(1)
    assert 'href="/keitele/kirjaston-aukioloajat/moderation-figures"' in line
    assert "3 comments have been hidden by the moderators." in line


def test_no_results_section_before_publication(browser, closed_topic):
    assert 'id="results"' not in text(browser.get("/keitele/suljettu"))


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_topic_page_stays_within_its_query_budget_with_files(
    browser, login_as, org, resident, other_resident, signed_in
):
    topic = factories.make_topic(org, slug="kysely", with_poll=True, title_sv="Enkät")
    topic.concerned_organisations.append(factories.make_org("naapuri"))
    for i in range(5):
        make_comment(topic, other_resident, f"juuri {i}")
        make_file(topic, FileKind.IMAGE, filename=f"kuva{i}.png", position=i)
        make_file(topic, FileKind.ATTACHMENT, filename=f"liite{i}.pdf", position=i)
    participation.set_stance(topic, resident, Stance.SUPPORT)
    participation.follow_topic(topic, resident)
    db.session.commit()
    if signed_in:
        login_as(resident)
    page = text(browser.get("/keitele/kysely"))
    assert page.count('class="topic-image"') == 5 and page.count("(PDF, ") == 5
    assert browser.queries <= (10 if signed_in else 6), browser.queries


# --- accessibility of the management pages ---------------------------------------------------


@pytest.fixture
def pages(browser, login_as, org_admin, db, org, open_topic):
    org.languages = "fi,sv"
    make_file(open_topic)
    make_file(open_topic, FileKind.ATTACHMENT)
    closed = factories.make_closed_topic(org, title="Suljettu")
    draft = factories.make_topic(
        org, slug="luonnos", status=TopicStatus.DRAFT, opens_in=timedelta(days=1)
    )
    db.session.commit()
    login_as(org_admin)
    base = "/staff/keitele/topics"
    visits = {
        "list": (LIST, {}),
        "new": (f"{base}/new", {}),
        "new with errors": (f"{base}/new", {"title_fi": ""}),
        "edit": (f"{base}/{open_topic.id}/edit", {}),
        "edit with errors": (f"{base}/{open_topic.id}/edit", {"title_fi": ""}),
        "files": (f"{base}/{open_topic.id}/files", {}),
        "files with errors": (f"{base}/{open_topic.id}/files/image", {"image-alt_fi": ""}),
        "publish": (f"{base}/{draft.id}/publish", {}),
        "close": (f"{base}/{open_topic.id}/close", {}),
        "results": (f"{base}/{closed.id}/results", {}),
        "results with errors": (f"{base}/{closed.id}/results", {"action": "publish"}),
    }
    out = {}
    for name, (url, data) in visits.items():
        response = browser.post(url, data=data) if data else browser.get(url)
        assert response.status_code in (200, 422), (name, response.status_code)
        out[name] = text(response)
    return out


def test_management_pages_have_one_heading_labels_and_no_script(pages):
    for name, html in pages.items():
        page = read(html)
        assert len(page.find("h1")) == 1, name
        assert "<script" not in html.lower(), name
        labels = {e.attrs["for"] for e in page.find("label") if e.attrs.get("for")}
        for element in filter(is_field, page.elements):
            assert element.attrs.get("id") in labels, (name, element.attrs)
        ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))


def test_failed_forms_show_an_error_summary(pages):
    for name, html in pages.items():
        if name.endswith("with errors"):
            assert 'id="error-summary"' in html, name
            assert 'aria-invalid="true"' in html, name


def test_every_post_form_carries_a_csrf_token(
    browser, login_as, org_admin, db, org, open_topic, draft_topic, csrf_enabled
):
    make_file(open_topic)
    db.session.commit()
    login_as(org_admin)
    base = "/staff/keitele/topics"
    checked = 0
    for url in (
        f"{base}/new",
        f"{base}/{open_topic.id}/edit",
        f"{base}/{draft_topic.id}/edit",
        f"{base}/{open_topic.id}/files",
        f"{base}/{draft_topic.id}/publish",
        f"{base}/{open_topic.id}/close",
        f"{base}/{open_topic.id}/results",
    ):
        page = read(text(browser.get(url)))
        for index, form in enumerate(page.forms):
            if form.attrs.get("method", "get").lower() == "post":
                names = {e.attrs.get("name", "") for e in page.in_form(index)}
                assert any(n.endswith("csrf_token") for n in names), (url, form.attrs)
                checked += 1
    assert checked > 10
