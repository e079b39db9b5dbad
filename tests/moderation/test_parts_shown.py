"""Staff see which part of a draft, and which paragraph, a comment is on (issue 20 A):
"Part 2: Title, paragraph 3" linking to the paragraph on the part's page, in the queue and
on a comment's own page (with the paragraph quoted), at no statement per comment."""

from __future__ import annotations

from tests.moderation.support import add_comment, text
from tests.parts.support import make_parts

QUEUE = "/staff/keitele/moderation"


def test_the_queue_names_the_part_and_paragraph_and_links_to_it(
    db, browser, login_as, moderator, open_topic, resident
):
    parts = make_parts(open_topic, 2)
    add_comment(
        open_topic,
        resident,
        "Kappaleesta",
        part_id=parts[1].id,
        paragraph=3,
        paragraph_quote="Kolmas: luettelon kohta.",
    )
    add_comment(open_topic, resident, "Osasta", part_id=parts[0].id)
    add_comment(open_topic, resident, "Koko aiheesta")
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(QUEUE, query_string={"tab": "recent"}))
    part_page = f"/keitele/{open_topic.slug}/parts"
    on_paragraph = 'Part 2: <span lang="fi">Osa 2</span>, paragraph 3</a>'
    assert f'<a href="{part_page}/2#p-3">{on_paragraph}' in page
    assert f'<a href="{part_page}/1">Part 1: <span lang="fi">Osa 1</span></a>' in page
    assert page.count('class="comment-part meta"') == 2  # not on the topic's own comment


def test_a_comments_page_quotes_the_paragraph(
    db, browser, login_as, moderator, open_topic, resident
):
    parts = make_parts(open_topic, 2)
    comment = add_comment(
        open_topic,
        resident,
        "Kappaleesta",
        part_id=parts[1].id,
        paragraph=2,
        paragraph_quote="Toinen kappale kertoo tavoitteen.",
    )
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(f"/staff/keitele/moderation/comments/{comment.id}"))
    assert "<dt>Part of the topic</dt>" in page
    part_page = f"/keitele/{open_topic.slug}/parts"
    assert f'{part_page}/2#p-2">Part 2: <span lang="fi">Osa 2</span>, paragraph 2' in page
    # The quote is in the topic's language (Finnish), the page in English.
    assert (
        '<blockquote class="paragraph-quote" lang="fi"><p>Toinen kappale kertoo tavoitteen.</p>'
        in page
    )


def test_the_queue_costs_the_same_statements_with_2_and_30_part_comments(
    db, browser, login_as, moderator, open_topic, resident
):
    parts = make_parts(open_topic, 3)
    db.session.commit()
    login_as(moderator)
    made = 0
    counts = []
    for total in (2, 30):
        while made < total:
            part = parts[made % 3]
            add_comment(
                open_topic,
                resident,
                f"Kommentti {made}",
                part_id=part.id,
                paragraph=made % 4 or None,
            )
            made += 1
        db.session.commit()
        page = text(browser.get(QUEUE, query_string={"tab": "recent"}))
        assert page.count('class="comment-part meta"') == total
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


def test_the_moderators_map_list_names_the_part(
    db, browser, login_as, moderator, open_topic, resident
):
    from eraati.places.models import TopicMap

    db.session.add(
        TopicMap(topic_id=open_topic.id, south=63.55, west=27.17, north=63.57, east=27.21)
    )
    parts = make_parts(open_topic, 2)
    add_comment(open_topic, resident, "Tässä kohdassa", part_id=parts[1].id, paragraph=1,
                lat=63.56, lon=27.19)  # fmt: skip
    add_comment(open_topic, resident, "Torilla", lat=63.56, lon=27.18)
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(f"/staff/keitele/topics/{open_topic.id}/map/comments"))
    part_page = f"/keitele/{open_topic.slug}/parts"
    assert f'{part_page}/2#p-1">Part 2: <span lang="fi">Osa 2</span>, paragraph 1</a>' in page
    assert page.count('class="comment-part meta"') == 1
