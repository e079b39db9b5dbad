"""The curation pages say which part of a draft, and which paragraph, a comment is on
(issue 20 A), linking to it, at no statement per comment."""

from __future__ import annotations

from tests.consultations.topic_support import make_comment
from tests.curation.support import comment_path, staff_path, text
from tests.parts.support import make_parts


def test_the_workspace_and_the_reply_page_name_the_part_and_paragraph(
    db, browser, login_as, moderator, open_topic, resident
):
    parts = make_parts(open_topic, 2)
    on_paragraph = make_comment(
        open_topic,
        resident,
        "Kappaleesta",
        part_id=parts[1].id,
        paragraph=3,
        paragraph_quote="Kolmas: luettelon kohta.",
    )
    make_comment(open_topic, resident, "Osasta", part_id=parts[0].id)
    make_comment(open_topic, resident, "Koko aiheesta")
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(open_topic, "/work")))
    part_page = f"/keitele/{open_topic.slug}/parts"
    assert (
        f'<a href="{part_page}/2#p-3">Part 2: <span lang="fi">Osa 2</span>, paragraph 3</a>' in page
    )
    assert f'<a href="{part_page}/1">Part 1: <span lang="fi">Osa 1</span></a>' in page
    assert page.count('class="comment-part meta"') == 2
    reply = text(browser.get(comment_path(open_topic, on_paragraph, "official-reply")))
    assert f'{part_page}/2#p-3">Part 2: <span lang="fi">Osa 2</span>, paragraph 3' in reply
    assert "Kolmas: luettelon kohta." in reply


def test_the_workspace_costs_the_same_with_2_and_30_part_comments(
    db, browser, login_as, moderator, open_topic, resident
):
    parts = make_parts(open_topic, 3)
    db.session.commit()
    login_as(moderator)
    made = 0
    counts = []
    for total in (2, 30):
        while made < total:
            make_comment(
                open_topic,
                resident,
                f"Kommentti {made}",
                part_id=parts[made % 3].id,
                paragraph=made % 4 or None,
            )
            made += 1
        db.session.commit()
        page = text(browser.get(staff_path(open_topic, "/work")))
        assert page.count('class="comment-part meta"') == total
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts
