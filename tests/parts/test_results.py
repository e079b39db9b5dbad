"""The results pages give the comments by part and by paragraph, and the most commented
paragraphs with their text."""

import re

import pytest

from eraati.consultations.models import CommentStatus
from eraati.extensions import db
from tests.consultations.topic_support import choose_language
from tests.parts.support import comment_on, make_parts


@pytest.fixture
def staff_page(client, login_as, moderator):
    login_as(moderator)
    choose_language(client, "en")

    def get(topic):
        response = client.get(f"/staff/keitele/topics/{topic.id}/results-overview")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def test_comments_by_part_and_paragraph(staff_page, open_topic, resident, other_resident):
    first, second = make_parts(open_topic, 2)
    for author in (resident, other_resident):
        comment_on(open_topic, second, author, paragraph=3, quote="Kolmas: luettelon kohta.")
    comment_on(open_topic, second, resident, paragraph=1, quote="Ensimmäinen kappale.")
    comment_on(open_topic, first, resident)  # on the part as a whole
    hidden = comment_on(open_topic, first, resident, paragraph=2, quote="Piilotettu.")
    hidden.status = CommentStatus.HIDDEN
    db.session.commit()
    page = staff_page(open_topic)
    assert '<a href="#parts">Comments by part and paragraph</a>' in page
    table = page[
        page.index('id="parts-table"') : page.index("</table>", page.index('id="parts-table"'))
    ]
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>', table)
    assert rows == [("1", "0"), ("3", "3")]
    top = page[page.index('id="top-paragraphs-title"') :]
    top = top[: top.index("</ol>")]
    assert top.index("Part 2, paragraph 3") < top.index("Part 2, paragraph 1")
    assert "(2 comments)" in top and "Kolmas: luettelon kohta." in top
    assert "Piilotettu." not in page


def test_a_topic_without_parts_has_no_such_section(staff_page, open_topic):
    assert 'id="parts"' not in staff_page(open_topic)
