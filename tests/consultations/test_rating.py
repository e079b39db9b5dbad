"""The page "Rate comments" (consultations.rating, views/rating.py): one comment at a time, the
votes being the same rows the topic page writes, spread over the least-voted comments."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import request_finished
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.consultations import participation, rating
from eraati.consultations.models import Comment, CommentStatus, CommentVote, Topic, VoteValue
from eraati.core.time import utcnow
from eraati.extensions import db
from tests import factories
from tests.consultations import participation_support
from tests.consultations.participation_support import (
    counter_mismatches,
    get,
    path,
    post,
    rows,
    speak,
    text,
)


def add_comment(topic, author=None, **kw) -> Comment:
    """A comment as the services leave it: a visible one is counted in the topic's
    ``comment_count``, from which the page's progress starts."""
    comment = participation_support.add_comment(topic, author, **kw)
    if comment.status == CommentStatus.VISIBLE:
        db.session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(comment_count=Topic.comment_count + 1)
            .execution_options(synchronize_session=False)
        )
    return comment


@pytest.fixture(autouse=True)
def english(client):
    speak(client, "en")


@pytest.fixture
def topic(db, open_topic):
    open_topic.offers_rating = True
    db.session.commit()
    return open_topic


def _offered_id(page: str) -> int | None:
    """The comment the page offers: the id its vote form posts to."""
    match = re.search(r'<form method="post" class="rating-form" action="[^"]*/rate/(\d+)"', page)
    return int(match.group(1)) if match else None


def _vote(client, topic, comment_id: int, value: str = "agree"):
    return post(client, path(topic, f"/rate/{comment_id}"), data={"value": value})


def _people(n: int) -> list:
    people = [factories.make_user(f"arvioija{i}@example.fi") for i in range(n)]
    db.session.commit()
    return people


# --- which comment comes next ----------------------------------------------------------------


def test_the_next_comment_is_one_not_voted_on_not_own_and_shown_to_everyone(
    db, client, login_as, topic, resident, other_resident, moderator
):
    """Only a visible comment of someone else, not an official reply, that the person has
    not voted on (on the topic page either) is offered."""
    add_comment(topic, resident, body="Oma kommentti.")
    voted = add_comment(topic, other_resident, body="Jo arvioitu.")
    add_comment(topic, other_resident, status=CommentStatus.HIDDEN, body="Piilotettu.")
    add_comment(topic, other_resident, status=CommentStatus.PENDING, body="Odottaa.")
    add_comment(topic, other_resident, status=CommentStatus.DELETED, body="Poistettu.")
    official = add_comment(topic, moderator, body="Virallinen vastaus.")
    official.is_official = True
    wanted = add_comment(topic, other_resident, body="<b>Arvioitava</b> kommentti.")
    participation.vote_comment(voted, resident, VoteValue.DISAGREE)
    db.session.commit()

    login_as(resident)
    for _ in range(5):  # the pick is random among the candidates: only one qualifies
        page = text(get(client, path(topic, "/rate")))
        assert _offered_id(page) == wanted.id
    # Its text sanitised as on the topic page (markup escaped), its writer as shown there.
    assert "&lt;b&gt;Arvioitava&lt;/b&gt; kommentti." in page
    assert "<blockquote" in page and other_resident.display_name in page
    assert "You have rated 1 of 2 comments." in page
    # A link to the comment in its thread: the page of the topic that begins with it.
    thread = re.search(r'href="([^"]*)">See the comment in its discussion', page).group(1)
    assert thread.startswith(path(topic) + "?after=") and thread.endswith(f"#c{wanted.id}")
    topic_page = text(get(client, thread.replace("&amp;", "&")))
    assert f'id="c{wanted.id}"' in topic_page


def test_a_reply_links_to_the_page_of_its_thread(db, client, login_as, topic, resident, moderator):
    """Its thread begins with its top-level comment, on the page the link opens, even when
    newer threads push it off the first page."""
    root = add_comment(topic, moderator, body="Ketjun aloitus.")
    root.created_at = utcnow() - timedelta(days=2)
    reply = add_comment(topic, moderator, body="Vastaus ketjussa.")
    reply.parent_id = reply.root_id = root.id
    participation.vote_comment(root, resident, VoteValue.PASS)
    newer = [add_comment(topic, resident, body=f"Uudempi {i}.") for i in range(3)]
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic, "/rate")))
    assert _offered_id(page) == reply.id
    assert "A reply to another comment" in page
    thread = re.search(r'href="([^"]*)">See the comment in its discussion', page).group(1)
    topic_page = text(get(client, thread.replace("&amp;", "&")))
    assert f'id="c{root.id}"' in topic_page and f'id="c{reply.id}"' in topic_page
    assert all(f'id="c{c.id}"' not in topic_page for c in newer)  # they come before it


def test_the_least_voted_comments_come_first(db, topic, resident, other_resident):
    """While enough comments have fewer votes, a comment with more is never offered."""
    voters = _people(2)
    fresh = [add_comment(topic, other_resident) for _ in range(rating.WINDOW + 3)]
    voted = [add_comment(topic, other_resident) for _ in range(4)]
    for comment in voted:
        for voter in voters:
            participation.vote_comment(comment, voter, VoteValue.AGREE)
    db.session.commit()
    offered = {rating.next_comment(topic, resident).comment.id for _ in range(40)}
    assert offered <= {c.id for c in fresh}
    assert len(offered) > 1  # a random pick among the least voted, not always the same one


def test_several_people_rating_spread_their_votes_over_the_comments(
    db, client, login_as, topic, other_resident
):
    """Three people rating five comments each through the page: no comment gets a second
    vote while comments without any remain among the first ``WINDOW`` (a pick from all
    comments at random would double some)."""
    people = _people(3)
    comments = [add_comment(topic, other_resident) for _ in range(rating.WINDOW + 15)]
    db.session.commit()
    for person in people:
        login_as(person)
        for _ in range(5):
            offered = _offered_id(text(get(client, path(topic, "/rate"))))
            assert _vote(client, topic, offered, "pass").status_code == 303
    totals = Counter(
        db.session.scalars(
            sa.select(CommentVote.comment_id).where(
                CommentVote.comment_id.in_([c.id for c in comments])
            )
        )
    )
    assert sum(totals.values()) == 15
    assert max(totals.values()) == 1
    assert counter_mismatches() == []


# --- voting ----------------------------------------------------------------------------------


def test_a_vote_is_one_row_through_the_service_and_the_next_comment_follows(
    db, client, login_as, topic, resident, other_resident
):
    first = add_comment(topic, other_resident, body="Ensimmäinen.")
    second = add_comment(topic, other_resident, body="Toinen.")
    db.session.commit()
    login_as(resident)
    offered = _offered_id(text(get(client, path(topic, "/rate"))))
    other = second.id if offered == first.id else first.id

    response = _vote(client, topic, offered, "disagree")
    assert response.status_code == 303
    assert response.headers["Location"] == path(topic, "/rate")
    vote = db.session.scalar(sa.select(CommentVote).where(CommentVote.user_id == resident.id))
    assert (vote.comment_id, vote.value) == (offered, VoteValue.DISAGREE)
    assert db.session.get(Comment, offered).disagree_count == 1

    page = text(get(client, path(topic, "/rate")))
    assert _offered_id(page) == other
    assert "You disagreed." in page  # what was recorded, said once
    assert 'id="rating" class="card rating-comment"' in page and "autofocus" in page
    assert "You have rated 1 of 2 comments." in page
    assert counter_mismatches() == []


def test_the_same_form_sent_twice_doubles_nothing(
    db, client, login_as, topic, resident, other_resident
):
    """A double click, or the form sent again with the back button: one row, counters equal
    rows, and the next page offers the comment not yet voted on."""
    first = add_comment(topic, other_resident)
    second = add_comment(topic, other_resident)
    db.session.commit()
    login_as(resident)
    assert _vote(client, topic, first.id, "agree").status_code == 303
    assert _vote(client, topic, first.id, "agree").status_code == 303
    assert rows(CommentVote) == 1
    assert db.session.get(Comment, first.id).agree_count == 1
    # An old form for the same comment with another value changes the vote, as the topic
    # page's buttons do: still one row.
    assert _vote(client, topic, first.id, "pass").status_code == 303
    assert rows(CommentVote) == 1
    assert (first.agree_count, first.pass_count) == (0, 1)
    assert counter_mismatches() == []
    assert _offered_id(text(get(client, path(topic, "/rate")))) == second.id


def test_all_rated_shows_the_finished_state(db, client, login_as, topic, resident, other_resident):
    comments = [add_comment(topic, other_resident) for _ in range(3)]
    db.session.commit()
    login_as(resident)
    for _ in comments:
        offered = _offered_id(text(get(client, path(topic, "/rate"))))
        assert _vote(client, topic, offered, "agree").status_code == 303
    page = text(get(client, path(topic, "/rate")))
    assert _offered_id(page) is None
    assert "You have rated all comments. Thank you!" in page
    assert "You have rated 3 of 3 comments." in page
    assert f'href="{path(topic)}#comments"' in page
    assert rows(CommentVote) == 3 and counter_mismatches() == []


def test_a_topic_without_comments_of_others_says_so(db, client, login_as, topic, resident):
    add_comment(topic, resident)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic, "/rate")))
    assert "There are no comments to rate yet." in page and _offered_id(page) is None


def test_a_comment_hidden_since_it_was_shown_is_not_voted_on(
    db, client, login_as, topic, resident, other_resident
):
    comment = add_comment(topic, other_resident)
    db.session.commit()
    login_as(resident)
    assert _offered_id(text(get(client, path(topic, "/rate")))) == comment.id
    comment.status = CommentStatus.HIDDEN
    db.session.commit()
    response = _vote(client, topic, comment.id)
    assert response.headers["Location"] == path(topic, "/rate")
    assert rows(CommentVote) == 0
    assert "This comment can no longer be voted on." in text(get(client, path(topic, "/rate")))


def test_the_writing_limit_of_votes_holds_here_too(
    db, client, login_as, topic, resident, other_resident, rate_limit
):
    """The topic page's limit on votes; a refused vote's comment is offered again, to vote
    on once the wait is over."""
    rate_limit("VOTE_RATE_LIMIT", "1 per minute")
    first, second, *_ = [add_comment(topic, other_resident) for _ in range(8)]
    db.session.commit()
    login_as(resident)
    assert _vote(client, topic, first.id).status_code == 303
    response = _vote(client, topic, second.id)
    assert response.headers["Location"] == path(topic, f"/rate?comment={second.id}")
    assert rows(CommentVote) == 1
    page = text(get(client, response.headers["Location"]))
    assert "You have voted many times in a short time." in page
    assert _offered_id(page) == second.id
    for _ in range(3):  # not by chance: one of eight
        assert _offered_id(text(get(client, response.headers["Location"]))) == second.id


# --- who and when ----------------------------------------------------------------------------


def test_an_own_comment_cannot_be_voted_on_from_here(db, client, login_as, topic, resident):
    own = add_comment(topic, resident)
    db.session.commit()
    login_as(resident)
    assert _vote(client, topic, own.id).status_code == 403
    assert rows(CommentVote) == 0


def test_a_visitor_is_asked_to_log_in_and_comes_back_here(db, client, topic, other_resident):
    comment = add_comment(topic, other_resident)
    db.session.commit()
    response = get(client, path(topic, "/rate"))
    page = text(response)
    assert response.status_code == 200 and _offered_id(page) is None
    login = re.search(r'href="([^"]*)">Log in to rate comments', page).group(1)
    assert login == "/account/login?next=" + path(topic, "/rate")
    # A vote sent without an account goes to the log-in and writes nothing.
    response = _vote(client, topic, comment.id)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert rows(CommentVote) == 0
    # The topic page offers visitors the way in too.
    assert path(topic, "/rate") in text(get(client, path(topic)))


def test_the_topic_page_offers_rating_to_those_who_may_vote(
    db, client, login_as, topic, resident, other_resident, unverified
):
    add_comment(topic, other_resident)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic)))
    assert f'href="{path(topic, "/rate")}"' in page and "Rate comments" in page
    login_as(unverified)
    assert path(topic, "/rate") not in text(get(client, path(topic)))
    page = text(get(client, path(topic, "/rate")))
    assert "Confirm your e-mail address to rate comments." in page and _offered_id(page) is None


def test_a_resident_blocked_by_the_organisation_is_told_so_and_cannot_vote(
    db, client, login_as, org, topic, resident, other_resident
):
    comment = add_comment(topic, other_resident)
    resident.org_blocks = {str(org.id): (utcnow() + timedelta(days=3)).isoformat()}
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic, "/rate")))
    assert "have blocked you from taking part" in page and _offered_id(page) is None
    assert path(topic, "/rate") not in text(get(client, path(topic)))
    assert _vote(client, topic, comment.id).status_code == 403
    assert rows(CommentVote) == 0


def test_without_the_setting_there_is_no_page(
    db, client, login_as, open_topic, resident, other_resident
):
    comment = add_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    assert path(open_topic, "/rate") not in text(get(client, path(open_topic)))
    assert get(client, path(open_topic, "/rate")).status_code == 404
    assert _vote(client, open_topic, comment.id).status_code == 404
    assert rows(CommentVote) == 0


def test_a_closed_topic_says_so_and_takes_no_votes(db, client, login_as, org, resident):
    closed = factories.make_closed_topic(org, offers_rating=True)
    writer = factories.make_user("kirjoittaja@example.fi")
    db.session.flush()
    comment = add_comment(closed, writer)
    db.session.commit()
    login_as(resident)
    assert path(closed, "/rate") not in text(get(client, path(closed)))
    page = text(get(client, path(closed, "/rate")))
    assert "This consultation is closed. Comments can no longer be rated." in page
    assert _offered_id(page) is None
    assert _vote(client, closed, comment.id).status_code == 303
    assert rows(CommentVote) == 0


def test_a_topic_that_opens_later_says_when(db, client, login_as, org, resident):
    upcoming = factories.make_topic(
        org, opens_in=timedelta(days=3), closes_in=timedelta(days=30), offers_rating=True
    )
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(upcoming, "/rate")))
    assert "This consultation opens on" in page and "Comments can be rated once it opens." in page
    assert _offered_id(page) is None


def test_the_page_is_translated(db, client, login_as, topic, resident, other_resident):
    add_comment(topic, other_resident)
    db.session.commit()
    login_as(resident)
    speak(client, "fi")
    page = text(get(client, path(topic, "/rate")))
    assert "Arvioi kommentteja" in page and "Samaa mieltä" in page and "Ohita" in page
    speak(client, "sv")
    page = text(get(client, path(topic, "/rate")))
    assert "Bedöm kommentarer" in page and "Instämmer inte" in page and "Hoppa över" in page


# --- cost ------------------------------------------------------------------------------------


def test_the_page_costs_the_same_statements_for_3_and_300_comments(
    app, db, client, login_as, topic, resident, other_resident
):
    """A constant number of SQL statements, however many comments and votes there are."""
    counts: list[int] = []

    def record(sender, response, **extra):
        counts.append(len(get_recorded_queries()))

    def add(n: int, voted: int) -> None:
        new = [add_comment(topic, other_resident) for _ in range(n)]
        for comment in new[:voted]:
            participation.vote_comment(comment, resident, VoteValue.AGREE)
        db.session.commit()

    login_as(resident)
    with request_finished.connected_to(record, app):
        add(3, 1)
        assert _offered_id(text(get(client, path(topic, "/rate"))))
        add(297, 150)
        assert _offered_id(text(get(client, path(topic, "/rate"))))
    assert counts[0] == counts[1], f"{counts[0]} statements for 3 comments, {counts[1]} for 300"
    assert counts[0] <= 4, counts  # the user, the topic, the progress, the next comment
