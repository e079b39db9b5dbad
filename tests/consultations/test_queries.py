"""Read side of the resident pages: which topics and comments are listed, in what order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from eraati.consultations import queries
from eraati.consultations.models import CommentStatus, TopicStatus
from eraati.consultations.queries import CommentSort, StatusFilter, TopicFilters, TopicSort
from eraati.core.time import utcnow
from tests import factories
from tests.consultations.topic_support import make_comment


def _slugs(filters: TopicFilters, now=None) -> list[str]:
    return [t.slug for t in queries.front_page(filters, 1, now or utcnow()).items]


@pytest.fixture
def phases(db, org):
    """One topic in every phase, plus one open past its deadline (closed by the clock)."""
    now = utcnow()
    make = factories.make_topic
    topics = {
        "draft": make(org, slug="draft", status=TopicStatus.DRAFT, now=now),
        "upcoming": make(org, slug="upcoming", opens_in=timedelta(days=2), now=now),
        "open-late": make(org, slug="open-late", closes_in=timedelta(days=30), now=now),
        "open-soon": make(org, slug="open-soon", closes_in=timedelta(days=3), now=now),
        "closed-early": make(org, slug="closed-early", status=TopicStatus.CLOSED, now=now),
        "past-deadline": make(
            org,
            slug="past-deadline",
            opens_in=timedelta(days=-20),
            closes_in=timedelta(days=-2),
            now=now,
        ),
        "published": make(
            org,
            slug="published",
            status=TopicStatus.PUBLISHED,
            opens_in=timedelta(days=-40),
            closes_in=timedelta(days=-10),
            now=now,
        ),
    }
    db.session.commit()
    return topics


def test_front_page_lists_open_topics_latest_deadline_first(phases):
    assert _slugs(TopicFilters()) == ["open-late", "open-soon"]


def test_closing_soonest_order(phases):
    assert _slugs(TopicFilters(sort=TopicSort.CLOSING_SOON)) == ["open-soon", "open-late"]


def test_status_filters_match_topic_phase_and_never_show_drafts(phases):
    now = utcnow()
    for status in StatusFilter:
        listed = set(_slugs(TopicFilters(status=status), now))
        assert "draft" not in listed
        for slug in listed:
            phase = phases[slug].phase(now)
            assert status == StatusFilter.ALL or phase == status.value, (status, slug)
    assert set(_slugs(TopicFilters(status=StatusFilter.CLOSED))) == {
        "closed-early",
        "past-deadline",
    }
    assert _slugs(TopicFilters(status=StatusFilter.PUBLISHED)) == ["published"]
    assert _slugs(TopicFilters(status=StatusFilter.UPCOMING)) == ["upcoming"]
    assert len(_slugs(TopicFilters(status=StatusFilter.ALL))) == 6  # all but the draft


def test_topic_is_open_until_the_second_it_closes(db, org):
    now = utcnow()
    topic = factories.make_topic(org, slug="edge", closes_in=timedelta(hours=1), now=now)
    db.session.commit()
    assert _slugs(TopicFilters(), now + timedelta(minutes=59)) == ["edge"]
    assert _slugs(TopicFilters(), topic.closes_at) == []
    assert _slugs(TopicFilters(status=StatusFilter.CLOSED), topic.closes_at) == ["edge"]


def test_organisation_filter_includes_topics_that_concern_it(db, org, other_org):
    sote = factories.make_org("sote", "Ylä-Savon SOTE")
    factories.make_topic(org, slug="own")
    shared = factories.make_topic(sote, slug="shared")
    shared.concerned_organisations.append(org)
    factories.make_topic(other_org, slug="elsewhere")
    db.session.commit()
    assert set(_slugs(TopicFilters(organisation=org))) == {"own", "shared"}
    assert _slugs(TopicFilters(organisation=other_org)) == ["elsewhere"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("KIRJASTO", {"library"}),  # title, other case
        ("äänestys", {"vote"}),  # non-ASCII, upper case stored
        ("ÖLJY", {"summary"}),  # summary, non-ASCII
        ("simhall", {"swedish"}),  # Swedish translation
        ("%", {"percent"}),  # LIKE wildcards are literal
        ("_", set()),
    ],
)
def test_text_search_is_case_insensitive_over_titles_and_summaries(db, org, q, expected):
    factories.make_topic(org, slug="library", title="Kirjaston aukioloajat")
    factories.make_topic(org, slug="vote", title="ÄÄNESTYSPAIKAT 2027")
    topic = factories.make_topic(org, slug="summary", title="Lämmitys")
    topic.translations[0].summary = "Öljylämmityksestä luovutaan"
    factories.make_topic(org, slug="swedish", title="Uimahalli", title_sv="Simhallen")
    factories.make_topic(org, slug="percent", title="Vero 1 % nousee")
    db.session.commit()
    assert set(_slugs(TopicFilters(q=q))) == expected


def test_topic_or_404_needs_the_right_organisation(db, open_topic, other_org):
    assert queries.topic_or_404("keitele", open_topic.slug).id == open_topic.id
    with pytest.raises(NotFound):
        queries.topic_or_404("vierema", open_topic.slug)
    with pytest.raises(NotFound):
        queries.topic_or_404("keitele", "no-such-topic")


def test_comment_or_404_refuses_a_comment_of_another_topic(db, org, open_topic, resident):
    other = factories.make_topic(org, slug="toinen")
    comment = make_comment(other, resident)
    db.session.commit()
    assert queries.comment_or_404(other, comment.id).id == comment.id
    with pytest.raises(NotFound):
        queries.comment_or_404(open_topic, comment.id)


# --- comment threads ---------------------------------------------------------------------------


@pytest.fixture
def thread(db, open_topic, resident, other_resident):
    """Three top-level comments and a reply tree under the oldest."""
    first = make_comment(open_topic, resident, "eka", age=timedelta(hours=3), agree_count=1)
    second = make_comment(open_topic, other_resident, "toka", age=timedelta(hours=2), agree_count=5)
    third = make_comment(open_topic, resident, "kolmas", age=timedelta(hours=1), agree_count=1)
    reply_late = make_comment(
        open_topic, other_resident, "vastaus 2", parent=first, age=timedelta(minutes=10)
    )
    reply_early = make_comment(
        open_topic, other_resident, "vastaus 1", parent=first, age=timedelta(minutes=50)
    )
    deep = make_comment(open_topic, resident, "syvä", parent=reply_early, age=timedelta(minutes=5))
    db.session.commit()
    return {
        "first": first,
        "second": second,
        "third": third,
        "reply_early": reply_early,
        "reply_late": reply_late,
        "deep": deep,
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (CommentSort.NEWEST, ["third", "second", "first"]),
        (CommentSort.OLDEST, ["first", "second", "third"]),
        (CommentSort.AGREED, ["second", "third", "first"]),  # ties: newest first
    ],
)
def test_comment_sort_orders(open_topic, thread, sort, order):
    page = queries.comment_page(open_topic, None, sort)
    assert [c.id for c in page.roots] == [thread[k].id for k in order]


def test_replies_hang_under_their_parent_oldest_first(open_topic, thread):
    page = queries.comment_page(open_topic, None, CommentSort.OLDEST)
    first = thread["first"].id
    assert [c.body for c in page.replies[first]] == ["vastaus 1", "vastaus 2"]
    assert [c.body for c in page.replies[thread["reply_early"].id]] == ["syvä"]
    assert [c.body for c in page.shown()] == [
        "eka",
        "vastaus 1",
        "syvä",
        "vastaus 2",
        "toka",
        "kolmas",
    ]
    assert set(page.comment_ids) == {c.id for c in thread.values()}


def test_pending_comments_are_shown_only_to_their_writer(db, open_topic, resident, other_resident):
    make_comment(
        open_topic, resident, "odottaa", status=CommentStatus.PENDING, age=timedelta(minutes=1)
    )
    make_comment(
        open_topic, resident, "piilotettu", status=CommentStatus.HIDDEN, age=timedelta(minutes=2)
    )
    db.session.commit()

    def bodies(viewer):
        return [
            c.body for c in queries.comment_page(open_topic, viewer, CommentSort.NEWEST).shown()
        ]

    assert bodies(resident) == ["odottaa", "piilotettu"]
    assert bodies(other_resident) == ["piilotettu"]
    assert bodies(None) == ["piilotettu"]


def test_fifty_top_level_comments_a_page_with_their_replies(db, app, open_topic, resident):
    assert app.config["COMMENTS_PER_PAGE"] == 50
    roots = [
        make_comment(open_topic, resident, f"c{i}", age=timedelta(minutes=100 - i))
        for i in range(51)
    ]
    reply = make_comment(open_topic, resident, "reply", parent=roots[0], age=timedelta(minutes=1))
    db.session.commit()
    first = queries.comment_page(open_topic, None, CommentSort.NEWEST)
    second = queries.comment_page(open_topic, None, CommentSort.NEWEST, **first.next_args)
    assert len(first.roots) == 50 and first.has_next and not first.has_prev
    assert second.has_prev and not second.has_next
    assert [c.body for c in second.roots] == ["c0"]
    assert reply.id not in first.comment_ids
    assert second.replies[roots[0].id][0].id == reply.id
