"""The public moderation figures of a topic: hidden comments by reason, and waiting ones."""

from __future__ import annotations

import re

import pytest

from eraati.consultations.models import CommentStatus, TopicStatus
from eraati.moderation import services
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.moderation.support import add_comment, main_of, text


def _path(topic) -> str:
    return f"/{topic.organisation.slug}/{topic.slug}/moderation-figures"


@pytest.fixture
def moderated(db, open_topic, reasons, moderator, resident):
    comments = [add_comment(open_topic, resident, f"K{i}") for i in range(6)]
    add_comment(open_topic, resident, "Odottaa", status=CommentStatus.PENDING)
    add_comment(open_topic, None, "Nimetön", nickname="N", status=CommentStatus.PENDING)
    db.session.commit()
    services.hide_comment(comments[0], reasons[0], "Salainen lisäselitys", moderator)
    services.hide_comment(comments[1], reasons[0], None, moderator)
    services.hide_comment(comments[2], reasons[2], None, moderator)
    db.session.commit()
    return open_topic


def _rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<th scope="row">(.*?)</th>\s*<td class="num">(\d+)</td>', page))


def test_visitors_see_hidden_comments_by_reason_in_their_language(app, client, browser, moderated):
    choose_language(client, "sv")
    response = browser.get(_path(moderated))
    assert response.status_code == 200
    page = main_of(text(response))
    assert _rows(page) == {
        "Kränkande eller osakligt språk": "2",
        "Reklam eller skräppost": "1",
        "Dolda sammanlagt": "3",
    }
    assert "Salainen lisäselitys" not in page  # the moderator's free text is never shown here
    waiting = re.search(r"<dd>(\d+)</dd>\s*</dl>", page).group(1)
    assert waiting == "2"


def test_english_reader(browser, moderated):
    page = main_of(text(browser.get(_path(moderated))))
    rows = _rows(page)
    assert rows["Insulting or inappropriate language"] == "2"
    assert rows["Advertising or spam"] == "1"
    assert rows["Hidden in total"] == "3"
    assert "<caption>Hidden comments by reason</caption>" in page


def test_no_hidden_comments(browser, open_topic):
    page = main_of(text(browser.get(_path(open_topic))))
    assert "No comments have been hidden." in page


def test_a_draft_is_for_staff_only(db, browser, login_as, org, preparer, resident):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    assert browser.get(_path(draft)).status_code == 302  # log in first
    login_as(resident)
    assert browser.get(_path(draft)).status_code == 403
    login_as(preparer)
    assert browser.get(_path(draft)).status_code == 200


def test_unknown_topic_is_not_found(browser, org):
    assert browser.get("/keitele/ei-ole/moderation-figures").status_code == 404


def test_figures_cost_the_same_however_many_reasons(
    db, browser, open_topic, reasons, moderator, resident
):
    def hide(n, reason):
        for _ in range(n):
            comment = add_comment(open_topic, resident)
            db.session.commit()
            services.hide_comment(comment, reason, None, moderator)
        db.session.commit()

    hide(1, reasons[0])
    browser.get(_path(open_topic))
    few = browser.queries
    for reason in reasons:
        hide(3, reason)
    page = main_of(text(browser.get(_path(open_topic))))
    assert browser.queries == few
    assert _rows(page)["Hidden in total"] == "16"


def test_the_note_on_waiting_comments_reads_as_a_sentence_in_every_language(client, moderated):
    expected = {
        "en": "Comments waiting for review are new comments on topics where",
        "fi": "Tarkistusta odottavia ovat uudet kommentit",
        "sv": "Kommentarer som väntar på granskning är nya kommentarer",
    }
    for lang, words in expected.items():
        choose_language(client, lang)
        assert words in main_of(text(client.get(_path(moderated)))), lang
