"""Who counts as having taken part: the same figure on every page and in every file.

The results pages (staff and public), the council report (DOCX and PDF) and the API all
read ``results.queries.participants``; a comment that is hidden or waiting for review
makes nobody a participant, as it is not in the discussion a reader sees.
"""

from __future__ import annotations

import re

import pytest

from eraati.consultations.models import CommentStatus, TopicStatus
from eraati.core.time import utcnow
from eraati.organisations.models import Role
from eraati.results.figures import topic_figures
from tests import factories
from tests.api.support import API, get_json
from tests.consultations.topic_support import choose_language, topic_path
from tests.page_support import read
from tests.reports.support import docx_text, make, pdf_text, squeeze
from tests.results.support import (
    add_comment,
    days_ago,
    html,
    public_url,
    staff_url,
    visible_text,
    vote,
)


@pytest.fixture
def topic_with_unseen(db, org):
    """Two registered writers whose comments are shown; Hilkka, whose only comment was
    hidden; Kalle, whose only comment is waiting for review; Sanna, who only voted on
    Hilkka's comment; an anonymous writer with a shown and a waiting comment."""
    topic = factories.make_closed_topic(org, title="Uimahallin aukiolo", allow_anonymous=True)
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow()
    names = ["Aino Asukas", "Olli Oravainen", "Hilkka Hiltunen", "Kalle Kärsämäki", "Sanna S"]
    aino, olli, hilkka, kalle, sanna = (
        factories.make_user(f"p{i}@example.fi", name=name) for i, name in enumerate(names)
    )
    staff = factories.make_user("staff@example.fi", name="Ville V", org=org, roles=(Role.ADMIN,))
    first = add_comment(topic, aino, "Auki myös aamuisin.", created_at=days_ago(9))
    add_comment(topic, olli, "Samaa mieltä.", parent=first, created_at=days_ago(8))
    add_comment(topic, aino, "Ja sunnuntaisin.", created_at=days_ago(7))
    hidden = add_comment(
        topic,
        hilkka,
        "Asiaton.",
        status=CommentStatus.HIDDEN,
        hidden_at=utcnow(),
        hidden_reason="Asiaton",
        created_at=days_ago(6),
    )
    vote(hidden, sanna)
    add_comment(topic, kalle, "Odottaa.", status=CommentStatus.PENDING, created_at=days_ago(5))
    add_comment(topic, None, "Nimettömänä.", nickname="Nimetön", created_at=days_ago(4))
    add_comment(
        topic,
        None,
        "Nimetön odottaa.",
        nickname="Toinen",
        status=CommentStatus.PENDING,
        created_at=days_ago(3),
    )
    db.session.commit()
    return topic, staff


# The participation facts, in the order every page and file lists them.
FACTS = (
    ("registered", "Registered people who took part"),
    ("commented", "… who commented"),
    ("voted", "… who voted on comments"),
    ("stance", "… who took a stance"),
    ("poll", "… who answered the poll"),
    ("anonymous", "Comments and replies without an account"),
)


def read_figures(text: str) -> dict[str, int]:
    """The participation facts of a page or a file (any white space between them)."""
    pattern = "".join(re.escape(squeeze(label)) + r"(\d+)" for _key, label in FACTS)
    found = re.search(pattern, squeeze(text))
    assert found, text
    return {key: int(n) for (key, _label), n in zip(FACTS, found.groups(), strict=True)}


def _shown_writers(page: str) -> set[str]:
    """The registered writers of the shown comments in a topic page's comment list."""
    names = set()
    for article in read(page).find("article"):
        classes = article.attrs.get("class", "").split()
        if "comment-visible" not in classes:
            continue
        author = next(e for e in article.children[0].children if e.tag == "p")
        if not any(c.tag == "span" for c in author.children):  # no "not registered" mark
            names.add(author.text.strip())
    return names


def test_hidden_and_waiting_comments_make_nobody_a_participant_anywhere(
    app, client, login_as, topic_with_unseen
):
    topic, staff = topic_with_unseen
    choose_language(client, "en")

    # What a reader sees: Aino's and Olli's comments, and one written without an account.
    writers = _shown_writers(html(client.get(topic_path(topic))))
    assert writers == {"Aino Asukas", "Olli Oravainen"}
    expected = {
        "registered": 2,
        "commented": 2,
        "voted": 0,
        "stance": 0,
        "poll": 0,
        "anonymous": 1,
    }

    figures = topic_figures(topic)
    p = figures.participants
    got = {
        "registered": p.registered,
        "commented": p.commenters,
        "voted": p.voters,
        "stance": p.stance_takers,
        "poll": p.respondents,
        "anonymous": p.anonymous_comments,
    }
    assert got == expected

    public = visible_text(html(client.get(public_url(topic))))
    assert read_figures(public) == expected
    docx = docx_text(make(topic, "docx", "en"))
    assert read_figures(docx) == expected
    pdf = pdf_text(make(topic, "pdf", "en"))
    assert read_figures(pdf) == expected
    _response, body = get_json(client, f"{API}/topics/{topic.id}/results")
    people = body["participants"]
    assert (people["registered"], people["commenters"], people["voters"]) == (2, 2, 0)
    assert people["anonymous_comments"] == 1

    login_as(staff)
    choose_language(client, "en")
    staff_page = visible_text(html(client.get(staff_url(topic))))
    assert read_figures(staff_page) == expected
