"""Search that knows Finnish and Swedish inflection (eraati.analysis.search), on SQLite
(FTS5 over lemmas) and PostgreSQL (finnish/swedish configurations over lemmas)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.analysis.search import comments as found
from eraati.analysis.search.index import index_text, query_terms
from eraati.analysis.search.queries import comment_matches, match_expression, tsquery_text
from eraati.consultations import services
from eraati.consultations.models import Comment, CommentStatus, TopicTranslation
from eraati.consultations.queries import TopicFilters, front_page
from eraati.core.time import utcnow
from eraati.extensions import db
from tests import factories
from tests.consultations.topic_support import Browser, topic_path
from tests.consultations.topic_support import make_comment as _make_comment


def make_comment(topic, *args, **kw) -> Comment:
    kw.setdefault("nickname", "Nimimerkki")
    return _make_comment(topic, *args, **kw)


def _found(topic, q: str, **kw) -> list[str]:
    page = found.newest_matches(found.visible_in_topic(topic.id), q, **kw)
    return [f.body for f in page.items]


def _ids(q: str) -> set[int]:
    return set(db.session.scalars(sa.select(Comment.id).where(comment_matches(q))))


@pytest.mark.parametrize(
    ("written", "language", "searched"),
    [
        ("Bussin pysäkit ovat kaukana.", "fi", "pysäkki"),  # the examples
        ("Koulujen kunto huolettaa.", "fi", "koulu"),
        ("Flytta hållplatsen närmare.", "sv", "hållplats"),
        ("Pysäkki on liian kaukana.", "fi", "pysäkit"),  # and the other way round
        ("Kadun valaistus on huono.", "fi", "kadun"),  # consonant gradation
        ("Tuvan katto vuotaa.", "fi", "tupa"),
        ("Lehden juttu oli hyvä.", "fi", "lehti"),
        ("Skolorna behöver mer pengar.", "sv", "skola"),
        ("Kirjastoon pitää päästä.", "fi", "KIRJASTO"),  # case does not matter
    ],
)
def test_a_word_finds_its_inflected_forms(db, open_topic, written, language, searched):
    comment = make_comment(open_topic, body=written, language=language)
    make_comment(open_topic, body="Aivan muuta asiaa, ei mitään yhteistä.", language=language)
    db.session.commit()
    assert _ids(searched) == {comment.id}
    assert _found(open_topic, searched) == [written]


def test_every_word_of_the_query_must_match(db, open_topic):
    both = make_comment(open_topic, body="Koulujen pysäkit ovat vaarallisia.")
    make_comment(open_topic, body="Pysäkit ovat kaukana.")
    db.session.commit()
    assert _ids("koulu pysäkki") == {both.id}


@pytest.mark.parametrize(
    ("q", "finds"),
    [
        ("", False),
        ("   ", False),
        ("!!! ??? ...", False),
        ('"', False),
        ('"pysäkki', True),
        ("pysäkki*", True),
        ("OR", False),
        ("pysäkki OR", False),  # "or" is a word here, and not in the comment
        ("NEAR(pysäkki koulu)", False),
        ("(pysäkki) [koulu]", True),
        ("'; DROP TABLE comments; --", False),
        ("a:b ^c -d +e {f} [g] (h) & | ! <->", False),
        ("pysäkki " * 500, True),
        ("x" * 5000, False),
    ],
)
def test_odd_queries_give_a_calm_answer(db, open_topic, q, finds):
    """Query syntax of either database (FTS5's quotes, *, OR, NEAR; tsquery's & | ! <->)
    never reaches it: the words are searched as words, anything else is dropped."""
    comment = make_comment(open_topic, body="Pysäkki on hyvä ja koulu lähellä.")
    db.session.commit()
    assert _ids(q) == ({comment.id} if finds else set())
    assert _found(open_topic, q) == ([comment.body] if finds else [])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_query_terms_are_words_only_and_few():
    assert query_terms('NEAR("a" *') == [frozenset({"near"}), frozenset({"a"})]
    assert len(query_terms("sana " * 100 + " ".join(f"w{i}" for i in range(50)))) <= 8
    assert match_expression([frozenset({'a"b'})]) == '("a""b")'
    assert tsquery_text([frozenset({"a'b", "c"}), frozenset({"d"})]) == "('a''b' | 'c') & ('d')"


def test_the_index_holds_lemmas_and_the_written_forms():
    assert index_text("Pysäkit ja kadun", "fi").split() == [
        "pysäkki", "pysäkit", "ja", "katua", "kadun",
    ]  # fmt: skip
    assert index_text("", "fi") == "" and index_text(None, None) == ""


def test_a_comment_posted_through_the_service_is_found_at_once(db, open_topic, resident):
    """The service writes comments with its own INSERT statement: the index has it too."""
    comment = services.post_comment(
        open_topic, resident, "Flytta hållplatsen!", token="t" * 32, language="sv"
    )
    db.session.commit()
    assert _ids("hållplats") == {comment.id}


def test_an_edited_comment_is_found_by_its_new_words_only(db, open_topic, resident):
    comment = make_comment(
        open_topic, resident, body="Koulujen kunto on huono.", created_at=utcnow()
    )
    db.session.commit()
    services.edit_comment(comment, "Pysäkkien kunto on huono.", now=utcnow())
    db.session.commit()
    assert _ids("koulu") == set()
    assert _ids("pysäkki") == {comment.id}


def test_a_deleted_comment_leaves_the_index(db, open_topic, resident):
    comment = make_comment(open_topic, resident, body="Koulujen kunto on huono.")
    db.session.commit()
    services.delete_comment(comment, now=utcnow())
    db.session.commit()
    assert _ids("koulu") == set()
    db.session.delete(db.session.get(Comment, comment.id))
    db.session.commit()
    assert _ids("koulu") == set() and _ids("kunto") == set()


def test_residents_never_find_hidden_waiting_or_deleted_comments(db, open_topic):
    shown = make_comment(open_topic, body="Koulu on hyvä.")
    for status in (CommentStatus.HIDDEN, CommentStatus.PENDING, CommentStatus.DELETED):
        make_comment(open_topic, body=f"Koulu ({status}) on huono.", status=status)
    db.session.commit()
    assert _found(open_topic, "koulu") == [shown.body]
    assert len(_ids("koulu")) == 4  # the index has them all: staff may find them


def test_only_the_topics_own_comments_are_found(db, open_topic, org):
    other = factories.make_topic(org, slug="toinen")
    make_comment(other, body="Koulu on toisessa aiheessa.")
    mine = make_comment(open_topic, body="Koulu on tässä aiheessa.")
    db.session.commit()
    assert _found(open_topic, "koulu") == [mine.body]


def test_a_topic_is_found_by_a_word_of_its_swedish_summary(db, org):
    topic = factories.make_topic(org, slug="linja", title="Bussilinja", title_sv="Busslinje")
    text = db.session.scalar(
        sa.select(TopicTranslation).where(
            TopicTranslation.topic_id == topic.id, TopicTranslation.locale == "sv"
        )
    )
    text.summary = "Vi flyttar hållplatsen vid skolan."
    factories.make_topic(org, slug="muu", title="Uimahalli")
    db.session.commit()
    slugs = [t.slug for t in front_page(TopicFilters(q="hållplats"), 1, utcnow()).items]
    assert slugs == ["linja"]
    assert [t.slug for t in front_page(TopicFilters(q="skola"), 1, utcnow()).items] == ["linja"]
    text.summary = "Vi bygger en ny simhall."  # the old words leave the index
    db.session.commit()
    assert front_page(TopicFilters(q="hållplats"), 1, utcnow()).items == []


def test_pages_follow_each_other_newest_first(db, open_topic):
    from datetime import timedelta

    now = utcnow()
    for i in range(5):
        make_comment(open_topic, body=f"Koulu {i}", created_at=now - timedelta(minutes=10 - i))
    db.session.commit()
    first = found.newest_matches(found.visible_in_topic(open_topic.id), "koulu", per_page=2)
    assert [f.body for f in first.items] == ["Koulu 4", "Koulu 3"] and first.has_next
    second = found.newest_matches(
        found.visible_in_topic(open_topic.id), "koulu", per_page=2, after=first.next_key
    )
    assert [f.body for f in second.items] == ["Koulu 2", "Koulu 1"]
    bad = found.newest_matches(
        found.visible_in_topic(open_topic.id), "koulu", per_page=2, after="zz_1"
    )
    assert [f.body for f in bad.items] == ["Koulu 4", "Koulu 3"]  # a bad key: the first page


def test_matched_words_are_marked_as_text(db):
    parts = found.marked_parts("Pysäkit <b>ja</b> koulu.", "pysäkki", "fi")
    assert parts[0] == ("Pysäkit", True) and ("koulu", True) not in parts
    assert "".join(p for p, _m in parts) == "Pysäkit <b>ja</b> koulu."


# --- the page ------------------------------------------------------------------------------


def _page(app, client, topic, query: str) -> tuple[str, int]:
    browser = Browser(app, client)
    response = browser.get(topic_path(topic, "/search"), query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True), browser.queries


def test_the_search_page_lists_visible_matches_with_links_to_their_thread(
    app, client, db, open_topic
):
    root = make_comment(open_topic, body="Aloitus")
    reply = make_comment(open_topic, body="Pysäkit <script>x</script>", parent=root)
    make_comment(open_topic, body="Piilotettu pysäkki", status=CommentStatus.HIDDEN)
    db.session.commit()
    html, _q = _page(app, client, open_topic, "pysäkki")
    assert "<mark>Pysäkit</mark> &lt;script&gt;x&lt;/script&gt;" in html
    assert "Piilotettu" not in html
    key = found.key_of(root).split("_")
    assert f'?after={key[0]}_{root.id + 1}#c{reply.id}"' in html  # its thread comes first
    assert 'role="status"' in html and 'role="search"' in html


def test_a_search_page_costs_the_same_statements_for_3_and_30_matches(
    app, client, db, open_topic, org
):
    big = factories.make_topic(org, slug="iso")
    for i in range(30):
        make_comment(big, body=f"Koulun asia {i}")
    for i in range(3):
        make_comment(open_topic, body=f"Koulun asia {i}")
    db.session.commit()
    small_html, small = _page(app, client, open_topic, "koulu")
    big_html, many = _page(app, client, big, "koulu")
    assert small == many and small is not None
    assert 'rel="next"' in big_html and 'rel="next"' not in small_html
