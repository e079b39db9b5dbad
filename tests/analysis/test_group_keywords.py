"""Each opinion group's keywords (analysis/group_keywords.py, computed in
opinion.compute): on a planted topic whose groups agree with comments of their own
vocabulary, each group's keywords are words of its own comments; the staff page's group
card and the council report show them; a result stored before keywords existed still
renders, without them."""

from __future__ import annotations

import io
from collections import Counter

import pytest
import sqlalchemy as sa

from eraati.analysis import opinion, runs
from eraati.analysis.demo import add_planted_topic
from eraati.analysis.models import AnalysisKind
from eraati.consultations.models import Comment

# Each planted group's own words (base forms, so the lemma is the word itself).
VOCABULARY = (
    ("pyörätie", "katuvalo", "suojatie", "jalkakäytävä"),
    ("kirjasto", "museo", "teatteri", "konsertti"),
    ("uimahalli", "jäähalli", "urheilukenttä", "kuntosali"),
)
COMMON = "Tämä on tärkeä asia kaupungille ja asukkaille."


@pytest.fixture
def planted(db, org):
    """Comments that exactly one planted group agrees with speak of that group's things
    (three of its four words, in turn); every other comment says only the common line."""
    made = add_planted_topic(org, participants=90, comments=40, seed=2)
    stance = made.planted.stance
    for j, comment_id in enumerate(made.comment_ids):
        agreeing = [g for g in range(stance.shape[0]) if stance[g, j] == 1]
        if len(agreeing) == 1:
            words = VOCABULARY[agreeing[0]]
            picked = [words[(j + i) % len(words)] for i in range(3)]
            body = f"{COMMON} Tarvitaan {', '.join(picked)}."
        else:
            body = COMMON
        db.session.execute(sa.update(Comment).where(Comment.id == int(comment_id)), {"body": body})
    db.session.commit()
    runs.ask(made.topic.id, AnalysisKind.GROUPS)
    return made


def _planted_group(made, members) -> int:
    """The planted group most of a found group's members were planted in."""
    truth = dict(zip(made.user_ids.tolist(), made.planted.truth.tolist(), strict=True))
    return Counter(truth[m] for m in members).most_common(1)[0][0]


def test_each_groups_keywords_are_words_of_the_comments_it_agrees_with(planted):
    result = opinion.stored_groups(planted.topic.id).result
    assert len(result.groups) == 3
    for g in result.groups:
        own = set(VOCABULARY[_planted_group(planted, g.members)])
        assert g.keywords, f"group {g.id} has no keywords"
        assert set(g.keywords) <= own, (g.id, g.keywords, own)


def _staff_page(topic) -> str:
    return f"/staff/{topic.organisation.slug}/topics/{topic.id}/opinion-groups"


def test_the_group_cards_and_the_report_show_the_keywords(planted, client, login_as, moderator):
    from eraati.reports.build import build
    from tests.reports.support import docx_text

    topic = planted.topic
    result = opinion.stored_groups(topic.id).result
    login_as(moderator)
    html = client.get(_staff_page(topic)).get_data(as_text=True)
    out = io.BytesIO()
    build(topic, "docx", "fi", out)
    text = docx_text(out.getvalue())
    for g in result.groups:
        line = "Esiin nousevia sanoja: " + ", ".join(g.keywords)
        assert line in html
        assert line in text


def test_a_result_stored_before_keywords_still_renders_without_them(
    planted, client, login_as, moderator, db
):
    topic = planted.topic
    row = opinion.stored_groups(topic.id).row
    data = dict(row.result)
    data["groups"] = [{k: v for k, v in g.items() if k != "keywords"} for g in data["groups"]]
    row.result = data
    db.session.commit()
    stored = opinion.stored_groups(topic.id)
    assert all(g.keywords == () for g in stored.result.groups)
    login_as(moderator)
    response = client.get(_staff_page(topic))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="opinion-map"' in html and "Esiin nousevia sanoja" not in html
