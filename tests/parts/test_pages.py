"""A part's page: the text paragraph by paragraph, counts, the no-JavaScript way to comment
on one paragraph, the part's comments, and what the topic page shows of its parts."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from eraati.consultations import services as topic_services
from eraati.consultations.models import Comment, CommentStatus, FileKind, TopicStatus
from eraati.extensions import db
from eraati.parts import services
from eraati.parts.models import TopicPart
from tests import factories
from tests.consultations.topic_support import choose_language, topic_path
from tests.manage.support import field_error, make_file
from tests.parts.support import BODY_FI, BODY_SV, comment_on, make_parts

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (a signed-in resident's own language would win over EN)."""
    choose_language(client, "en")


def _text(response) -> str:
    return response.get_data(as_text=True)


def _post(browser, topic, position, **data):
    data.setdefault("submission_token", uuid.uuid4().hex)
    data.setdefault("language", "fi")
    return browser.post(topic_path(topic, f"/parts/{position}/comments"), data=data, headers=EN)


def _comments(topic):
    return db.session.scalars(
        sa.select(Comment).where(Comment.topic_id == topic.id).order_by(Comment.id)
    ).all()


def test_the_page_shows_the_text_with_numbered_anchors_and_links(
    browser, login_as, open_topic, resident
):
    make_parts(open_topic, 3)
    db.session.commit()
    login_as(resident)
    page = _text(browser.get(topic_path(open_topic, "/parts/2"), headers=EN))
    assert '<h1 id="part-title" lang="fi">Osa 2</h1>' in page  # Finnish on an English page
    assert "Part 2 of 3" in page
    # Four paragraphs (the heading is not one), each with its anchor and its own link.
    assert re.findall(r'id="(p-\d+)"', page) == ["p-1", "p-2", "p-3", "p-4"]
    for k in range(1, 5):
        assert (
            f'<a href="/keitele/kirjaston-aukioloajat/parts/2?paragraph={k}#comment-form">'
            f"Comment on paragraph {k}</a>" in page
        )
    assert 'rel="prev"' in page and 'href="/keitele/kirjaston-aukioloajat/parts/1"' in page
    assert 'rel="next"' in page and 'href="/keitele/kirjaston-aukioloajat/parts/3"' in page
    assert '<nav class="part-nav" aria-label="Parts of the draft">' in page


def test_a_visitor_reads_the_part_without_comment_links(browser, open_topic):
    make_parts(open_topic, 1)
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic, "/parts/1"), headers=EN))
    assert 'id="p-1"' in page and "Comment on paragraph" not in page
    assert "Log in to comment" in page


def test_a_missing_part_and_a_draft_are_not_shown(browser, login_as, org, open_topic, resident):
    make_parts(open_topic, 1)
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.flush()
    make_parts(draft, 1)
    db.session.commit()
    assert browser.get(topic_path(open_topic, "/parts/2")).status_code == 404
    assert browser.get(topic_path(open_topic, "/parts/0")).status_code == 404
    login_as(resident)
    assert browser.get(topic_path(draft, "/parts/1")).status_code in (403, 404)


def test_paragraph_counts_come_from_visible_comments(browser, open_topic, resident, other_resident):
    (part,) = make_parts(open_topic, 1)
    comment_on(open_topic, part, resident, paragraph=2, quote="x")
    comment_on(open_topic, part, other_resident, paragraph=2, quote="x")
    comment_on(open_topic, part, resident, paragraph=4, quote="x")
    hidden = comment_on(open_topic, part, resident, paragraph=1, quote="x")
    hidden.status = CommentStatus.HIDDEN
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic, "/parts/1"), headers=EN))

    def tools(k):
        start = page.index(f'id="p-{k}"')
        return page[start : page.index("</p>", page.index("paragraph-tools", start))]

    assert "2 comments" in tools(2) and "1 comment<" in tools(4)
    assert "comment" not in tools(1).replace("Comment on", "") and "comment" not in tools(3)


def test_the_no_javascript_flow_comments_on_a_paragraph(browser, login_as, open_topic, resident):
    make_parts(open_topic, 2)
    db.session.commit()
    login_as(resident)
    # The link "Comment on paragraph 2" opens the form with the paragraph chosen and quoted.
    page = _text(browser.get(topic_path(open_topic, "/parts/2?paragraph=2"), headers=EN))
    assert '<option selected value="2">' in page
    assert "You are commenting on paragraph 2:" in page
    assert '<blockquote lang="fi"><p>Toinen kappale kertoo tavoitteen.</p></blockquote>' in page
    assert 'action="/keitele/kirjaston-aukioloajat/parts/2/comments"' in page

    response = _post(browser, open_topic, 2, body="Tavoite on hyvä.", paragraph="2")
    assert response.status_code == 303
    (comment,) = _comments(open_topic)
    assert response.headers["Location"] == f"/keitele/kirjaston-aukioloajat/parts/2#c{comment.id}"
    assert comment.paragraph == 2
    assert comment.paragraph_quote == "Toinen kappale kertoo tavoitteen."
    assert comment.part_id is not None

    # The quote is kept when the part is edited later; the comment links back to #p-2.
    part = db.session.get(TopicPart, comment.part_id)
    services.update_part(part, {"fi": ("Osa 2", "<p>Uusi teksti.</p><p>Muutettu tavoite.</p>")})
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic, "/parts/2"), headers=EN))
    assert '<a href="/keitele/kirjaston-aukioloajat/parts/2#p-2">On paragraph 2:</a>' in page
    assert "<p>Toinen kappale kertoo tavoitteen.</p>" in page  # the quote as it was
    assert "Muutettu tavoite." in page  # the text as it is
    assert "Comments on this part (1)" in page


def test_a_comment_on_the_whole_part_has_no_paragraph(browser, login_as, open_topic, resident):
    make_parts(open_topic, 1)
    db.session.commit()
    login_as(resident)
    assert _post(browser, open_topic, 1, body="Koko osasta.", paragraph="").status_code == 303
    (comment,) = _comments(open_topic)
    assert comment.part_id is not None and comment.paragraph is None
    assert comment.paragraph_quote is None


@pytest.mark.parametrize("value", ["5", "0", "abc", "-1", "99999999999999999999"])
def test_a_paragraph_that_is_not_there_is_a_field_error(
    browser, login_as, open_topic, resident, value
):
    make_parts(open_topic, 1)
    db.session.commit()
    login_as(resident)
    response = _post(browser, open_topic, 1, body="Tekstini säilyy.", paragraph=value)
    assert response.status_code == 422
    page = _text(response)
    assert field_error(page, "paragraph") == "Choose a paragraph of this part from the list."
    assert "Tekstini säilyy." in page
    assert _comments(open_topic) == []


def test_a_reply_on_the_part_page_stays_on_the_part(
    browser, login_as, open_topic, resident, other_resident
):
    (part,) = make_parts(open_topic, 1)
    root = comment_on(open_topic, part, resident, paragraph=1, quote="x")
    db.session.commit()
    login_as(other_resident)
    page = _text(browser.get(topic_path(open_topic, f"/parts/1?reply_to={root.id}"), headers=EN))
    assert 'id="reply-form"' in page
    response = _post(browser, open_topic, 1, body="Vastaus.", parent_id=str(root.id))
    assert response.status_code == 303
    reply = _comments(open_topic)[-1]
    assert reply.parent_id == root.id and reply.part_id == part.id and reply.paragraph is None
    assert response.headers["Location"].startswith("/keitele/kirjaston-aukioloajat/parts/1")


def test_a_vote_on_a_part_comment_returns_to_the_part(
    browser, login_as, open_topic, resident, other_resident
):
    (part,) = make_parts(open_topic, 1)
    comment = comment_on(open_topic, part, resident)
    db.session.commit()
    login_as(other_resident)
    response = browser.post(
        topic_path(open_topic, f"/comments/{comment.id}/vote"),
        data={"value": "agree", "next": "/keitele/kirjaston-aukioloajat/parts/1?sort=oldest"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"/keitele/kirjaston-aukioloajat/parts/1?sort=oldest#c{comment.id}"
    )


def test_the_topic_page_lists_the_parts_and_keeps_their_comments_there(
    browser, open_topic, resident
):
    _first, second = make_parts(open_topic, 2)
    topic_services.post_comment(open_topic, resident, "Yleinen kommentti")
    comment_on(open_topic, second, resident, "Osan kommentti", paragraph=1, quote="x")
    comment_on(open_topic, second, resident, "Toinen osan kommentti")
    db.session.commit()
    page = _text(browser.get(topic_path(open_topic), headers=EN))
    assert '<section id="parts" class="card parts-toc"' in page
    assert '<a href="/keitele/kirjaston-aukioloajat/parts/1" lang="fi">Osa 1</a>' in page
    assert "(0 comments)" in page and "(2 comments)" in page
    assert "Comments on the consultation as a whole (1)" in page
    assert "Yleinen kommentti" in page and "Osan kommentti" not in page
    part_page = _text(browser.get(topic_path(open_topic, "/parts/2"), headers=EN))
    assert "Osan kommentti" in part_page and "Yleinen kommentti" not in part_page


def test_a_topic_without_parts_looks_as_before(browser, open_topic):
    page = _text(browser.get(topic_path(open_topic), headers=EN))
    assert 'id="parts"' not in page and "Comments (0)" in page


def test_the_swedish_reader_gets_the_swedish_text(browser, client, bilingual_topic):
    services.add_part(bilingual_topic, {"fi": ("Tausta", BODY_FI), "sv": ("Bakgrund", BODY_SV)})
    services.add_part(bilingual_topic, {"fi": ("Vain suomeksi", BODY_FI)})
    db.session.commit()
    choose_language(client, "sv")
    page = _text(browser.get(topic_path(bilingual_topic, "/parts/1")))
    assert '<h1 id="part-title">Bakgrund</h1>' in page
    assert "Första stycket berättar om bakgrunden." in page
    page = _text(browser.get(topic_path(bilingual_topic, "/parts/2")))
    assert '<h1 id="part-title" lang="fi">Vain suomeksi</h1>' in page
    assert '<div class="part-text readable" lang="fi">' in page


def test_a_parts_files_are_on_its_page_and_not_on_the_topics(browser, open_topic):
    (part,) = make_parts(open_topic, 1)
    make_file(open_topic, FileKind.ATTACHMENT, filename="osan-liite.pdf")
    db.session.flush()
    open_topic.files[-1].part_id = part.id
    make_file(open_topic, FileKind.ATTACHMENT, filename="aiheen-liite.pdf")
    db.session.commit()
    part_page = _text(browser.get(topic_path(open_topic, "/parts/1")))
    topic_page = _text(browser.get(topic_path(open_topic)))
    assert "osan-liite.pdf" in part_page and "aiheen-liite.pdf" not in part_page
    assert "aiheen-liite.pdf" in topic_page and "osan-liite.pdf" not in topic_page


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_part_page_makes_the_same_statements_whatever_its_size(
    browser, login_as, org, resident, other_resident, signed_in
):
    """Statements of the page do not grow with comments, replies or paragraphs."""

    def statements(topic, position) -> int:
        response = browser.get(topic_path(topic, f"/parts/{position}"))
        assert response.status_code == 200
        return browser.queries

    small = factories.make_topic(org, slug="pieni")
    big = factories.make_topic(org, slug="iso")
    db.session.flush()
    (small_part,) = make_parts(small, 1)
    comment_on(small, small_part, other_resident, paragraph=1, quote="x")
    big_parts = make_parts(big, 3)
    long_body = "".join(f"<p>Kappale {k}.</p>" for k in range(1, 41))
    services.update_part(big_parts[1], {"fi": ("Pitkä osa", long_body)})
    for k in range(30):
        root = comment_on(
            big, big_parts[1], other_resident, f"Kommentti {k}", paragraph=k % 40 + 1, quote="x"
        )
        topic_services.post_comment(big, resident, f"Vastaus {k}", parent=root)
    db.session.commit()
    if signed_in:
        login_as(resident)
    assert statements(big, 2) == statements(small, 1)


def test_rating_a_part_comment_links_to_its_thread_on_the_part_page(
    client, login_as, open_topic, resident, other_resident
):
    open_topic.offers_rating = True
    (part,) = make_parts(open_topic, 1)
    comment = comment_on(open_topic, part, resident, "Osan kommentti")
    db.session.commit()
    login_as(other_resident)
    page = _text(client.get(topic_path(open_topic, "/rate")))
    assert "Osan kommentti" in page
    assert re.search(
        rf'href="/keitele/kirjaston-aukioloajat/parts/1\?after=[0-9_]+#c{comment.id}"', page
    )


def test_a_found_part_comment_links_to_the_part_page(client, open_topic, resident):
    (part,) = make_parts(open_topic, 1)
    found = comment_on(open_topic, part, resident, "Kirjastoauto kylille")
    general = topic_services.post_comment(open_topic, resident, "Kirjastoauto keskustaan")
    db.session.commit()
    page = _text(client.get(topic_path(open_topic, "/search?q=kirjastoauto")))
    assert re.search(
        rf'href="/keitele/kirjaston-aukioloajat/parts/1\?after=[0-9_]+#c{found.id}"', page
    )
    assert re.search(rf'href="/keitele/kirjaston-aukioloajat\?after=[0-9_]+#c{general.id}"', page)


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_parts_comments_are_selected_by_the_part_alone(signed_in):
    """The statement of a part's top-level comments names the part and not its topic: with
    the topic beside it, PostgreSQL's generic plan of the prepared statement ANDed the
    topic's whole index of top-level comments with the part's and sorted them (a ten-part
    topic's part page read ten times the rows, benchmark F1). The topic's own discussion
    still selects by topic and "on no part"."""
    from eraati.consultations import queries
    from eraati.consultations.queries import CommentSort

    for sort in CommentSort:
        of_part = queries._roots_statement(sort, True, False, signed_in, True)
        where = str(of_part.whereclause)
        assert "comments.part_id = :part_id" in where
        assert "comments.topic_id" not in where
        assert "topic_id" not in of_part.compile().params
        own = str(queries._roots_statement(sort, True, False, signed_in, False).whereclause)
        assert "comments.topic_id = :topic_id" in own and "comments.part_id IS NULL" in own
