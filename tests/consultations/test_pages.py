"""Front page, organisation page and topic page, as residents and visitors see them."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from eraati.consultations.models import (
    CommentSource,
    CommentStatus,
    Stance,
    TopicStance,
    TopicStatus,
)
from eraati.consultations.views.pages import render_topic_page
from eraati.core.time import utcnow
from tests import factories
from tests.consultations.topic_support import choose_language, make_comment, topic_path


def _text(response) -> str:
    return response.get_data(as_text=True)


def _article(page: str, comment_id: int) -> str:
    """The HTML of one comment's <article>."""
    match = re.search(rf'<article id="c{comment_id}".*?</article>', page, re.S)
    assert match, f"comment {comment_id} not on the page"
    return match.group(0)


# --- front page --------------------------------------------------------------------------------


def test_front_page_card_shows_what_a_resident_needs(db, browser, org, other_org):
    sote = factories.make_org("sote", "Ylä-Savon SOTE")
    topic = factories.make_topic(sote, slug="palveluverkko", title="Palveluverkko 2030")
    topic.concerned_organisations.extend([org, other_org])
    topic.comment_count = 7
    db.session.commit()

    page = _text(browser.get("/", headers={"Accept-Language": "en"}))
    card = re.search(r'<li class="card topic-card">.*?</li>', page, re.S).group(0)
    assert 'href="/sote/palveluverkko">Palveluverkko 2030</a>' in card
    assert "Ylä-Savon SOTE" in card and "Tiivistelmä" in card
    assert '<span class="badge open">' in card
    assert f'<time datetime="{topic.closes_at.isoformat()}">' in card
    assert "7 comments" in card
    assert "Keitele" in card and "Vieremä" in card  # concerned organisations


def test_front_page_shows_only_open_topics_by_default(db, browser, org):
    factories.make_topic(org, slug="auki", title="Avoin aihe")
    factories.make_topic(org, slug="luonnos", title="Luonnosaihe", status=TopicStatus.DRAFT)
    factories.make_topic(org, slug="tuleva", title="Tuleva aihe", opens_in=timedelta(days=3))
    factories.make_topic(
        org,
        slug="mennyt",
        title="Mennyt aihe",
        opens_in=timedelta(days=-9),
        closes_in=timedelta(days=-1),
    )
    db.session.commit()
    page = _text(browser.get("/"))
    cards = "".join(re.findall(r'<li class="card topic-card">.*?</li>', page, re.S))
    assert "Avoin aihe" in cards
    assert "Tuleva aihe" not in cards  # it is listed as coming, above the cards
    assert "Luonnosaihe" not in page and "Mennyt aihe" not in page
    closed = _text(browser.get("/?status=closed"))
    assert "Mennyt aihe" in closed and "Avoin aihe" not in closed
    everything = _text(browser.get("/?status=all"))
    assert "Luonnosaihe" not in everything and "Tuleva aihe" in everything
    upcoming = _text(browser.get("/?status=upcoming"))
    assert "Tuleva aihe" in upcoming and "Avoin aihe" not in upcoming
    assert "Luonnosaihe" not in upcoming and "Mennyt aihe" not in upcoming
    assert '<option selected value="upcoming">Ei vielä avoinna</option>' in upcoming


def test_filters_are_a_get_form_and_narrow_the_list(db, browser, org, other_org):
    factories.make_topic(org, slug="kirjasto", title="Kirjaston aukioloajat")
    factories.make_topic(other_org, slug="koulu", title="Koulukuljetukset")
    db.session.commit()
    page = _text(browser.get("/?organisation=vierema&q=KOULU"))
    assert '<form method="get" action="/"' in page
    assert "Koulukuljetukset" in page and "Kirjaston aukioloajat" not in page
    assert '<option selected value="vierema">' in page
    assert "Kirjaston aukioloajat" not in _text(browser.get("/?q=koulu"))


def test_card_title_is_marked_with_its_language_when_it_differs_from_the_ui(db, browser):
    swedish_only = factories.make_org("sv-org", "Kommun", languages="sv")
    topic = factories.make_topic(swedish_only, slug="simhall", title="x")
    topic.translations[0].locale = "sv"
    topic.translations[0].title = "Simhallens öppettider"
    factories.make_topic(swedish_only, slug="tvasprakig", title="Uimahalli", title_sv="Simhall")
    db.session.commit()

    finnish = _text(browser.get("/", headers={"Accept-Language": "fi"}))
    assert re.search(
        r'<h2 id="topic-\d+-title" lang="sv">\s*<a href="/sv-org/simhall">'
        r"Simhallens öppettider",
        finnish,
    )
    assert re.search(r'<h2 id="topic-\d+-title">\s*<a href="/sv-org/tvasprakig">Uimahalli', finnish)
    swedish = _text(browser.get("/", headers={"Accept-Language": "sv"}))
    assert re.search(r'<h2 id="topic-\d+-title">\s*<a href="/sv-org/tvasprakig">Simhall<', swedish)


def test_page_links_keep_the_filters(db, app, browser, org):
    for i in range(app.config["TOPICS_PER_PAGE"] + 1):
        factories.make_topic(
            org,
            slug=f"aihe-{i}",
            title=f"Kirjasto {i}",
            opens_in=timedelta(days=-30),
            closes_in=timedelta(days=-1 - i),
        )
    db.session.commit()
    page = _text(browser.get("/?status=closed&q=kirjasto&sort=closing"))
    assert page.count('class="card topic-card"') == app.config["TOPICS_PER_PAGE"]
    link = re.search(r'<a href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    assert "status=closed" in link and "q=kirjasto" in link and "sort=closing" in link
    assert "page=2" in link
    second = _text(browser.get(link))
    assert second.count('class="card topic-card"') == 1
    assert "Kirjasto 0<" in second  # the latest deadline comes last when closing soonest first


@pytest.mark.parametrize("signed_in", [False, True])
def test_front_page_query_count_does_not_grow_with_topics(
    db, browser, login_as, resident, org, other_org, signed_in
):
    if signed_in:
        login_as(resident)

    def add_topics(n):
        for _ in range(n):
            topic = factories.make_topic(org, title_sv="Ämne", with_poll=True)
            topic.concerned_organisations.append(other_org)
        db.session.commit()

    add_topics(3)
    assert browser.get("/").status_code == 200
    few = browser.queries
    add_topics(27)
    page = _text(browser.get("/"))
    assert page.count('class="card topic-card"') == 20
    assert browser.queries == few, f"{few} queries for 3 topics, {browser.queries} for 30"


def test_organisation_page_lists_its_topics_and_404s_for_unknown(db, browser, org, other_org):
    factories.make_topic(org, slug="oma", title="Keiteleen aihe")
    factories.make_topic(other_org, slug="muu", title="Vieremän aihe")
    db.session.commit()
    page = _text(browser.get("/keitele"))
    assert re.search(r"<h1[^>]*>.*Keitele</h1>", page)
    assert "Keiteleen aihe" in page and "Vieremän aihe" not in page
    assert '<option selected value="keitele">' in page
    assert browser.get("/ei-ole").status_code == 404


# --- topic page --------------------------------------------------------------------------------


def test_topic_page_shows_text_decision_context_and_share_link(db, browser, org, other_org):
    topic = factories.make_topic(
        org, slug="kaava", title="Keskustan kaava", decision_planned_on=date(2026, 9, 1)
    )
    topic.translations[0].body = (
        '<p>Katso <a href="https://example.fi">kartta</a></p>'
        '<script>alert(1)</script><p onclick="x()">Teksti</p>'
    )
    topic.concerned_organisations.append(other_org)
    db.session.commit()

    response = browser.get(topic_path(topic))
    assert response.status_code == 200
    page = _text(response)
    assert re.search(r"<h1[^>]*>Keskustan kaava</h1>", page)
    assert "Tiivistelmä" in page
    assert '<a href="https://example.fi" rel="nofollow noopener ugc">kartta</a>' in page
    assert "<script>" not in page and "onclick" not in page  # bleach kept the text only
    dl = re.search(r'<dl class="facts">.*?</dl>', page, re.S).group(0)
    assert "Kunnanhallitus" in dl and topic.case_number in dl
    assert '<time datetime="2026-09-01">' in dl
    assert "Vieremä" in page
    assert "mailto:?subject=Keskustan%20kaava" in page
    assert "http%3A//localhost/keitele/kaava" in page  # the absolute address
    assert '<span class="badge open">' in page


def test_unknown_topic_or_wrong_organisation_is_404(db, browser, open_topic, other_org):
    assert browser.get("/keitele/ei-ole").status_code == 404
    assert browser.get(f"/vierema/{open_topic.slug}").status_code == 404


def test_draft_topic_is_for_own_staff_only(db, client, browser, login_as, org, resident, moderator):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    visitor = browser.get(topic_path(draft))
    assert visitor.status_code == 302
    assert visitor.headers["Location"].startswith("/account/login")
    login_as(resident)
    assert browser.get(topic_path(draft)).status_code == 403
    login_as(moderator)
    choose_language(client, "en")
    staff = browser.get(topic_path(draft))
    assert staff.status_code == 200
    assert "This consultation is not public yet." in _text(staff)


def test_closed_topic_says_so_and_offers_no_form(
    db, client, browser, login_as, closed_topic, resident
):
    login_as(resident)
    choose_language(client, "en")
    page = _text(browser.get(topic_path(closed_topic)))
    assert "This consultation closed on" in page
    assert "comments and votes are no longer accepted" in page
    assert 'id="comment-form"' not in page


def test_closed_topic_shows_stances_instead_of_asking_for_one(
    db, client, browser, login_as, closed_topic, resident
):
    db.session.add(
        TopicStance(topic_id=closed_topic.id, user_id=resident.id, stance=Stance.SUPPORT)
    )
    db.session.commit()
    login_as(resident)
    choose_language(client, "en")
    page = _text(browser.get(topic_path(closed_topic)))
    assert '<h2 id="your-view-title">Stances and answers</h2>' in page
    assert "Stances on the proposal" in page
    assert "What do you think of the proposal?" not in page
    assert "You supported the proposal." in page


def test_published_topic_says_results_are_published(db, browser, org):
    topic = factories.make_topic(org, slug="tulokset", status=TopicStatus.PUBLISHED)
    db.session.commit()
    page = _text(browser.get(topic_path(topic), headers={"Accept-Language": "en"}))
    assert "The results of this consultation have been published." in page
    assert '<span class="badge published">' in page


def test_content_falls_back_to_the_organisations_language_and_is_marked(db, browser):
    org = factories.make_org("kaksikielinen", "Kunta", languages="sv,fi")
    topic = factories.make_topic(org, slug="aihe", title="Suomeksi", title_sv="På svenska")
    db.session.commit()
    english = _text(browser.get(topic_path(topic), headers={"Accept-Language": "en"}))
    assert '<h1 id="topic-title" lang="sv">På svenska</h1>' in english
    assert '<div class="topic-content readable" lang="sv">' in english
    # ... and the reader is offered, in their own language, every language the text has
    # (not told it exists in Swedish only): this page's address in each of them.
    assert "only available" not in english
    note = " ".join(re.search(r'<p class="language-note">(.*?)</p>', english, re.S)[1].split())
    assert note == (
        "The text of this consultation is not available in English. Read it in: "
        '<a href="/kaksikielinen/aihe?lang=fi" hreflang="fi" lang="fi">Suomi</a>, '
        '<a href="/kaksikielinen/aihe?lang=sv" hreflang="sv" lang="sv">Svenska</a>'
    )
    finnish = _text(browser.get(topic_path(topic), headers={"Accept-Language": "fi"}))
    assert '<h1 id="topic-title">Suomeksi</h1>' in finnish
    assert '<div class="topic-content readable">' in finnish
    assert 'class="language-note"' not in finnish


# --- comments on the topic page --------------------------------------------------------------


def test_comment_threads_show_every_state_correctly(
    db, client, browser, login_as, open_topic, resident, other_resident
):
    root = make_comment(open_topic, other_resident, "Juurikommentti", age=timedelta(hours=5))
    hidden = make_comment(
        open_topic,
        other_resident,
        "Loukkaava teksti",
        parent=root,
        status=CommentStatus.HIDDEN,
        hidden_reason="Asiaton kielenkäyttö",
        age=timedelta(hours=4),
    )
    under_hidden = make_comment(
        open_topic, resident, "Vastaus piilotettuun", parent=hidden, age=timedelta(hours=3)
    )
    deleted = make_comment(
        open_topic, resident, "", status=CommentStatus.DELETED, age=timedelta(hours=2)
    )
    under_deleted = make_comment(
        open_topic, other_resident, "Vastaus poistettuun", parent=deleted, age=timedelta(hours=1)
    )
    pending = make_comment(
        open_topic,
        resident,
        "Odottaa tarkistusta",
        status=CommentStatus.PENDING,
        age=timedelta(minutes=30),
    )
    db.session.commit()

    visitor = _text(browser.get(topic_path(open_topic), headers={"Accept-Language": "en"}))
    removed = 'Hidden by the moderator: <span lang="fi">Asiaton kielenkäyttö'
    assert removed in _article(visitor, hidden.id)
    assert "Loukkaava teksti" not in visitor
    assert "Vastaus piilotettuun" in _article(visitor, under_hidden.id)
    assert "The writer deleted this comment" in _article(visitor, deleted.id)
    assert "Vastaus poistettuun" in visitor
    assert f'id="c{pending.id}"' not in visitor and "Odottaa tarkistusta" not in visitor
    # Replies are nested lists under their parent.
    nested = re.search(
        rf'<article id="c{hidden.id}".*?</article>\s*<ol class="replies">\s*'
        rf'<li>\s*<article id="c{under_hidden.id}"',
        visitor,
        re.S,
    )
    assert nested
    assert re.search(
        rf'<article id="c{deleted.id}".*?</article>\s*<ol class="replies">\s*'
        rf'<li>\s*<article id="c{under_deleted.id}"',
        visitor,
        re.S,
    )

    login_as(resident)
    choose_language(client, "en")
    own = _text(browser.get(topic_path(open_topic)))
    assert "Waiting for review" in _article(own, pending.id)
    assert "Odottaa tarkistusta" in own
    login_as(other_resident)
    assert "Odottaa tarkistusta" not in _text(browser.get(topic_path(open_topic)))


def test_author_names_by_source_and_account(db, browser, open_topic, resident, moderator):
    named = make_comment(open_topic, resident, "a", age=timedelta(minutes=6))
    anonymous = make_comment(
        open_topic, None, "b", nickname="Mökkiläinen", age=timedelta(minutes=5)
    )
    paper = make_comment(
        open_topic, moderator, "c", source=CommentSource.PAPER, age=timedelta(minutes=4)
    )
    event = make_comment(
        open_topic, None, "d", source=CommentSource.EVENT, age=timedelta(minutes=3)
    )
    former = make_comment(open_topic, None, "e", nickname="—", age=timedelta(minutes=2))
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic), headers={"Accept-Language": "en"}))
    assert "Aino Asukas" in _article(page, named.id)
    assert "Mökkiläinen" in _article(page, anonymous.id)
    assert "(not registered)" in _article(page, anonymous.id)
    assert "Feedback given on paper" in _article(page, paper.id)
    assert moderator.display_name not in page  # never the staff member who typed it in
    assert "Feedback given at an event" in _article(page, event.id)
    assert "Former user" in _article(page, former.id)
    assert "—" not in _article(page, former.id)


def test_comment_body_is_plain_text_with_safe_links(db, browser, open_topic, resident):
    comment = make_comment(
        open_topic,
        resident,
        "Eka kappale <b>lihava</b>\n\nKatso https://example.fi/sivu",
        edited_at=utcnow(),
    )
    db.session.commit()
    article = _article(
        _text(browser.get(topic_path(open_topic), headers={"Accept-Language": "en"})), comment.id
    )
    assert "&lt;b&gt;lihava&lt;/b&gt;" in article
    assert '<a href="https://example.fi/sivu" rel="nofollow noopener ugc">' in article
    assert "edited" in article
    assert f'<time datetime="{comment.created_at.isoformat()}">' in article


def test_comment_sort_links(db, browser, open_topic, resident):
    old = make_comment(open_topic, resident, "vanha", age=timedelta(hours=2), agree_count=9)
    new = make_comment(open_topic, resident, "uusi", age=timedelta(hours=1))
    db.session.commit()

    def order(query=""):
        page = _text(browser.get(topic_path(open_topic) + query))
        return [int(i) for i in re.findall(r'<article id="c(\d+)"', page)]

    assert order() == [new.id, old.id]
    assert order("?sort=oldest") == [old.id, new.id]
    assert order("?sort=agreed") == [old.id, new.id]
    assert order("?sort=nonsense") == [new.id, old.id]


def test_comments_are_paginated_fifty_a_page(db, browser, open_topic, resident):
    for i in range(51):
        make_comment(open_topic, resident, f"Kommentti numero {i}.", age=timedelta(minutes=100 - i))
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic)))
    assert page.count('<article id="c') == 50
    assert "Kommentti numero 0." not in page
    assert 'rel="prev"' not in page
    link = re.search(
        r'href="(/keitele/kirjaston-aukioloajat\?after=[0-9_]+)#comments" rel="next"', page
    )
    second = _text(browser.get(html.unescape(link[1]), headers={"Accept-Language": "en"}))
    assert second.count('<article id="c') == 1 and "Kommentti numero 0." in second
    assert "Comments (51)" in second
    assert 'rel="next"' not in second
    back = re.search(r'href="([^"]+)#comments" rel="prev"', second)
    assert _text(browser.get(html.unescape(back[1]))).count('<article id="c') == 50


@pytest.mark.parametrize("sort", ["newest", "oldest", "agreed"])
def test_walking_the_pages_shows_every_comment_once_in_order(
    db, browser, open_topic, resident, sort
):
    """Keyset pages: forwards and back again, in every order, with ties in time and votes."""
    same_moment = utcnow() - timedelta(hours=3)
    made = [
        make_comment(
            open_topic,
            resident,
            f"k{i}",
            created_at=same_moment + timedelta(minutes=i // 7),
            agree_count=i % 4,
        )
        for i in range(120)
    ]
    db.session.commit()
    seen, pages, url = [], [], topic_path(open_topic) + f"?sort={sort}"
    while url:
        page = _text(browser.get(url))
        ids = [int(i) for i in re.findall(r'<article id="c(\d+)"', page)]
        pages.append(ids)
        seen += ids
        nxt = re.search(r'href="([^"]+)#comments" rel="next"', page)
        url = html.unescape(nxt[1]) if nxt else None
    assert [len(p) for p in pages] == [50, 50, 20]
    key = {
        "newest": lambda c: (c.created_at, c.id),
        "oldest": lambda c: (c.created_at, c.id),
        "agreed": lambda c: (c.agree_count, c.created_at, c.id),
    }[sort]
    expected = sorted(made, key=key, reverse=sort != "oldest")
    assert seen == [c.id for c in expected]
    # ... and back from the last page, page by page.
    back = []
    while True:
        prev = re.search(r'href="([^"]+)#comments" rel="prev"', page)
        if not prev:
            break
        page = _text(browser.get(html.unescape(prev[1])))
        back.append([int(i) for i in re.findall(r'<article id="c(\d+)"', page)])
    assert back == [pages[1], pages[0]]


def test_a_deep_page_costs_the_same_queries_as_the_first(db, browser, open_topic, resident):
    for i in range(160):
        make_comment(open_topic, resident, f"k{i}", age=timedelta(minutes=500 - i))
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic)))
    first = browser.queries
    for _ in range(3):
        nxt = re.search(r'href="([^"]+)#comments" rel="next"', page)
        page = _text(browser.get(html.unescape(nxt[1])))
    assert browser.queries == first


@pytest.mark.parametrize(
    "junk", ["x", "1_2_3_4", "-5_3", "9" * 90, "99999999999999999999999_1", "9" * 22 + "_1_2"]
)
def test_a_nonsense_page_address_shows_the_first_page(db, browser, open_topic, resident, junk):
    make_comment(open_topic, resident, "ainoa")
    db.session.commit()
    for position in ("after", "before"):
        response = browser.get(topic_path(open_topic) + f"?{position}={junk}&sort=agreed")
        assert response.status_code == 200 and "ainoa" in _text(response)
        response = browser.get(topic_path(open_topic) + f"?{position}={junk}")
        assert response.status_code == 200
        assert "ainoa" in _text(response)


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_page_query_count_does_not_grow_with_comments(
    db, browser, login_as, open_topic, resident, other_resident, signed_in
):
    if signed_in:
        login_as(resident)

    def add_threads(n):
        for _ in range(n):
            author = factories.make_user()
            root = make_comment(open_topic, author, "juuri")
            reply = make_comment(open_topic, resident, "vastaus", parent=root)
            make_comment(open_topic, other_resident, "syvempi", parent=reply)
            make_comment(open_topic, author, "odottaa", parent=reply, status=CommentStatus.PENDING)
        db.session.commit()

    assert browser.get(topic_path(open_topic)).status_code == 200
    none = browser.queries
    add_threads(3)
    assert browser.get(topic_path(open_topic)).status_code == 200
    few = browser.queries
    add_threads(27)
    page = _text(browser.get(topic_path(open_topic)))
    assert page.count('<article id="c') == 90
    assert browser.queries == few == none, f"{none}, {few} and {browser.queries} queries"


# --- who sees which form ------------------------------------------------------------------------


def test_visitor_gets_login_links_back_to_the_topic(db, browser, open_topic):
    page = _text(browser.get(topic_path(open_topic)))
    assert 'href="/account/login?next=/keitele/kirjaston-aukioloajat"' in page
    assert 'href="/account/register?next=/keitele/kirjaston-aukioloajat"' in page
    assert 'name="body"' not in page


def test_visitor_may_comment_anonymously_where_allowed(db, browser, org):
    topic = factories.make_topic(org, slug="avoin", allow_anonymous=True)
    db.session.commit()
    page = _text(browser.get(topic_path(topic)))
    assert 'href="/account/login?next=/keitele/avoin"' in page
    form = re.search(
        r'<form method="post".*?</form>', page[page.index('id="write"') :], re.S
    ).group(0)
    assert 'action="/keitele/avoin/comments"' in form
    assert 'name="nickname"' in form and 'name="body"' in form
    assert re.search(r'<div class="hp" aria-hidden="true">.*?name="website"', form, re.S)
    assert re.search(r'name="submission_token" type="hidden" value="[0-9a-f]{32}"', form)


def test_unverified_user_is_asked_to_confirm_the_address(
    db, browser, login_as, open_topic, unverified
):
    login_as(unverified)
    page = _text(browser.get(topic_path(open_topic)))
    assert 'action="/account/verify/resend"' in page
    assert 'name="body"' not in page


def test_resident_form_has_token_and_csrf(
    db, browser, login_as, open_topic, resident, csrf_enabled
):
    login_as(resident)
    page = _text(browser.get(topic_path(open_topic)))
    form = re.search(
        r'<form method="post" novalidate class="stack comment-form".*?</form>', page, re.S
    ).group(0)
    assert 'name="csrf_token"' in form
    assert re.search(r'name="submission_token" type="hidden" value="[0-9a-f]{32}"', form)
    assert 'name="nickname"' not in form
    # Every POST form on the page carries a CSRF token.
    for post_form in re.findall(r'<form method="post".*?</form>', page, re.S):
        assert 'name="csrf_token"' in post_form


def test_reply_link_opens_a_reply_form_under_the_comment(
    db, browser, login_as, open_topic, resident, other_resident
):
    comment = make_comment(open_topic, other_resident, "Mitä mieltä olette?")
    db.session.commit()
    login_as(resident)
    page = _text(browser.get(topic_path(open_topic)))
    assert f'?reply_to={comment.id}#reply-form"' in _article(page, comment.id)
    replying = _text(browser.get(topic_path(open_topic) + f"?reply_to={comment.id}"))
    form = re.search(
        rf'<article id="c{comment.id}".*?</article>\s*<section class="reply-box"'
        r".*?</form>",
        replying,
        re.S,
    ).group(0)
    assert f'name="parent_id" type="hidden" value="{comment.id}"' in form
    assert replying.count('name="body"') == 1  # the new-comment form steps aside


def test_edit_and_delete_links_only_for_the_writer_and_edit_only_in_time(
    db, browser, login_as, open_topic, resident, other_resident
):
    fresh = make_comment(open_topic, resident, "tuore", age=timedelta(minutes=5))
    old = make_comment(open_topic, resident, "vanha", age=timedelta(minutes=16))
    theirs = make_comment(open_topic, other_resident, "toisen")
    db.session.commit()
    login_as(resident)
    page = _text(browser.get(topic_path(open_topic)))
    assert f"/comments/{fresh.id}/edit" in _article(page, fresh.id)
    assert f"/comments/{fresh.id}/delete" in _article(page, fresh.id)
    assert f"/comments/{old.id}/edit" not in page
    assert f"/comments/{old.id}/delete" in _article(page, old.id)
    assert "/edit" not in _article(page, theirs.id) and "/delete" not in _article(page, theirs.id)
    assert f"/comments/{theirs.id}/flag" in _article(page, theirs.id)
    assert f"/comments/{fresh.id}/flag" not in page  # not one's own


def test_render_topic_page_takes_extra_context_and_status(app, db, open_topic):
    with app.test_request_context(topic_path(open_topic)):
        response = render_topic_page(open_topic, status=422, poll_form=object())
    assert response.status_code == 422
    assert "Kirjaston aukioloajat" in response.get_data(as_text=True)


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_page_with_poll_votes_and_replies_needs_at_most_ten_queries(
    db, browser, login_as, org, resident, other_resident, signed_in
):
    """The budget of benchmark B2: the whole request, with the viewer's session."""
    from eraati.consultations import participation
    from eraati.consultations.models import Stance, VoteValue

    topic = factories.make_topic(org, slug="kysely", with_poll=True, title_sv="Enkät")
    topic.concerned_organisations.append(factories.make_org("naapuri"))
    for i in range(20):
        root = make_comment(topic, other_resident, f"juuri {i}")
        make_comment(topic, other_resident, "vastaus", parent=root)
        participation.vote_comment(root, resident, VoteValue.AGREE)
    participation.set_stance(topic, resident, Stance.SUPPORT)
    single, multiple = topic.questions
    participation.answer_poll(
        topic, resident, {single.id: [single.options[0].id], multiple.id: [multiple.options[1].id]}
    )
    participation.follow_topic(topic, resident)
    db.session.commit()
    if signed_in:
        login_as(resident)
    page = _text(browser.get(topic_path(topic)))
    assert page.count('<article id="c') == 40
    assert browser.queries <= 10, browser.queries


def test_an_organisation_name_in_finnish_only_is_marked_on_other_pages(db, browser, client):
    org = factories.make_org("pieksamaki", "Pieksämäen kaupunki")
    org.name_sv = org.name_en = None  # the organisation has only its Finnish name
    other = factories.make_org("kuopio", "Kuopion kaupunki")
    topic = factories.make_topic(org, slug="aihe", title="Aihe")
    topic.concerned_organisations.append(other)
    other.name_sv, other.name_en = "Kuopio stad", None
    staff = factories.make_user("viestinta@pieksamaki.fi", org=org)
    official = make_comment(topic, staff, "Kiitos palautteesta.", is_official=True)
    db.session.commit()
    marked = '<span lang="fi">Pieksämäen kaupunki</span>'

    choose_language(client, "sv")
    page = _text(browser.get(topic_path(topic)))
    assert f'<a href="/pieksamaki">{marked}</a>' in page  # the breadcrumb
    assert f"<span>{marked}</span>" in page  # above the title
    assert f'<p class="comment-author" id="c{official.id}-by">{marked}' in page
    assert "Kuopio stad" in page and '<span lang="fi">Kuopion' not in page
    front = _text(browser.get("/"))
    assert f">{marked}</a>" in front
    assert '<option lang="fi" value="pieksamaki">Pieksämäen kaupunki</option>' in front
    assert '<option value="kuopio">Kuopio stad</option>' in front
    own = _text(browser.get("/pieksamaki"))
    assert f"{marked}</h1>" in own
    assert "<title>Pieksämäen kaupunki" in own  # no markup inside the title

    choose_language(client, "en")
    english = _text(browser.get(topic_path(topic)))
    assert marked in english and '<span lang="fi">Kuopion kaupunki</span>' in english

    choose_language(client, "fi")
    finnish = _text(browser.get(topic_path(topic)))
    assert "Pieksämäen kaupunki" in finnish and '<span lang="fi">' not in finnish


def test_decision_facts_written_once_are_marked_with_their_language(db, browser, client, org):
    topic = factories.make_topic(
        org, slug="paatos", title="Päätös", contact_person="Liisa Virtanen"
    )
    db.session.commit()
    choose_language(client, "sv")
    page = _text(browser.get(topic_path(topic)))
    assert '<dd lang="fi">Kunnanhallitus</dd>' in page  # Finnish on a Swedish page
    assert 'class="contact-person" lang="fi"' in page
    choose_language(client, "fi")
    page = _text(browser.get(topic_path(topic)))
    assert "<dd>Kunnanhallitus</dd>" in page
