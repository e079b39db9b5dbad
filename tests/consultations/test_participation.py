"""Stances, comment votes and follows: services, views, permissions and what the page shows."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.consultations import participation
from eraati.consultations.models import (
    CommentStatus,
    CommentVote,
    Follow,
    Stance,
    TopicStance,
    TopicStatus,
    VoteValue,
)
from eraati.core.time import utcnow
from tests import factories
from tests.consultations.participation_support import (
    add_comment,
    counter_mismatches,
    get,
    path,
    post,
    rows,
    speak,
    text,
)


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, whatever the profile says (the language buttons' choice wins)."""
    speak(client, "en")


def _stance_of(topic, user):
    return participation.page_state(topic, user, []).stance


def _form(page: str, action: str) -> str:
    match = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert match, f"no form posting to {action}"
    return match.group(0)


def _article(page: str, comment_id: int) -> str:
    match = re.search(rf'<article id="c{comment_id}".*?</article>', page, re.S)
    assert match, f"comment {comment_id} not on the page"
    return match.group(0)


# --- stances: service ------------------------------------------------------------------------


def test_stance_set_change_and_withdraw_keep_counters(db, open_topic, resident):
    participation.set_stance(open_topic, resident, Stance.SUPPORT)
    db.session.commit()
    assert (open_topic.support_count, open_topic.oppose_count) == (1, 0)
    participation.set_stance(open_topic, resident, Stance.OPPOSE)
    db.session.commit()
    assert (open_topic.support_count, open_topic.oppose_count) == (0, 1)
    assert rows(TopicStance) == 1
    assert _stance_of(open_topic, resident) == Stance.OPPOSE
    participation.set_stance(open_topic, resident, Stance.OPPOSE)  # same again: no change
    db.session.commit()
    assert open_topic.oppose_count == 1
    participation.set_stance(open_topic, resident, None)
    db.session.commit()
    assert rows(TopicStance) == 0
    assert (open_topic.support_count, open_topic.oppose_count, open_topic.neutral_count) == (
        0,
        0,
        0,
    )
    participation.set_stance(open_topic, resident, None)  # withdrawing twice is harmless
    db.session.commit()
    assert open_topic.oppose_count == 0
    assert counter_mismatches() == []


def test_stance_refused_on_closed_or_stanceless_topic(db, org, open_topic, resident):
    after_deadline = open_topic.closes_at + timedelta(minutes=1)
    with pytest.raises(participation.ParticipationClosedError):
        participation.set_stance(open_topic, resident, Stance.SUPPORT, now=after_deadline)
    no_stances = factories.make_topic(org, stances_enabled=False)
    with pytest.raises(participation.StancesDisabledError):
        participation.set_stance(no_stances, resident, Stance.SUPPORT)
    db.session.commit()
    assert rows(TopicStance) == 0
    assert open_topic.support_count == 0


def test_stance_counter_is_not_an_edit_of_the_topic(db, open_topic, resident):
    before = open_topic.updated_at
    participation.set_stance(open_topic, resident, Stance.NEUTRAL)
    db.session.commit()
    assert open_topic.updated_at == before


# --- stances: view ---------------------------------------------------------------------------


def test_posting_a_stance_saves_it_and_returns_to_the_buttons(
    db, client, login_as, open_topic, resident
):
    login_as(resident)
    response = post(client, path(open_topic, "/stance"), data={"stance": "support"})
    assert response.status_code == 303
    assert response.headers["Location"] == path(open_topic) + "#stance"
    assert _stance_of(open_topic, resident) == Stance.SUPPORT
    assert open_topic.support_count == 1

    post(client, path(open_topic, "/stance"), data={"stance": "withdraw"})
    assert rows(TopicStance) == 0
    assert open_topic.support_count == 0


def test_stance_buttons_show_counts_and_the_viewers_choice(
    db, client, login_as, open_topic, resident, other_resident
):
    participation.set_stance(open_topic, other_resident, Stance.OPPOSE)
    participation.set_stance(open_topic, resident, Stance.SUPPORT)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(open_topic)))
    assert "Support 1" in page and "Oppose 1" in page and "Neutral 0" in page
    form = _form(page, path(open_topic, "/stance"))
    # The pressed button withdraws; the others choose.
    pressed = re.search(r'<button[^>]*aria-pressed="true"[^>]*>(.*?)</button>', form, re.S)
    assert 'value="withdraw"' in pressed.group(0)
    assert "I support the proposal" in pressed.group(1) and "Your choice" in pressed.group(1)
    assert re.search(r'value="oppose" aria-pressed="false"', form)
    assert re.search(r'value="neutral" aria-pressed="false"', form)
    assert form.count("Your choice") == 1


def test_visitor_sees_counts_and_a_log_in_link_but_no_buttons(db, client, open_topic, resident):
    participation.set_stance(open_topic, resident, Stance.SUPPORT)
    db.session.commit()
    page = text(get(client, path(open_topic)))
    assert "Support 1" in page
    assert "Log in to take a stand" in page
    assert 'name="stance"' not in page
    assert "/login?next=" in page


def test_unverified_user_sees_counts_and_a_note_to_verify(client, login_as, open_topic, unverified):
    login_as(unverified)
    page = text(get(client, path(open_topic)))
    assert "Support 0" in page
    assert "Confirm your e-mail address to take a stand" in page
    assert 'name="stance"' not in page


def test_closed_topic_shows_stance_counts_only(db, client, login_as, closed_topic, resident):
    closed_topic.support_count = 4  # as left when it closed
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(closed_topic)))
    assert "Support 4" in page
    assert 'name="stance"' not in page and "Log in to take a stand" not in page


# --- comment votes ---------------------------------------------------------------------------


def test_vote_change_and_withdraw_move_the_counters(db, open_topic, resident, other_resident):
    comment = add_comment(open_topic, other_resident)
    participation.vote_comment(comment, resident, VoteValue.AGREE)
    db.session.commit()
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (1, 0, 0)
    participation.vote_comment(comment, resident, VoteValue.PASS)
    db.session.commit()
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (0, 0, 1)
    assert rows(CommentVote) == 1
    participation.vote_comment(comment, resident, None)
    db.session.commit()
    assert rows(CommentVote) == 0
    assert (comment.agree_count, comment.disagree_count, comment.pass_count) == (0, 0, 0)


@pytest.mark.parametrize(
    "status", [CommentStatus.HIDDEN, CommentStatus.PENDING, CommentStatus.DELETED]
)
def test_only_visible_comments_take_votes(db, open_topic, resident, other_resident, status):
    comment = add_comment(open_topic, other_resident, status=status)
    with pytest.raises(participation.CommentNotVotableError):
        participation.vote_comment(comment, resident, VoteValue.AGREE)
    db.session.commit()
    assert rows(CommentVote) == 0 and comment.agree_count == 0


def test_vote_redirects_to_the_comment_keeping_page_and_sort(
    db, client, login_as, open_topic, resident, other_resident
):
    comment = add_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    response = post(
        client,
        path(open_topic, f"/comments/{comment.id}/vote"),
        data={"value": "disagree", "next": path(open_topic, "?after=123_45&sort=oldest&x=1")},
    )
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == path(open_topic)
    assert parse_qs(location.query) == {"after": ["123_45"], "sort": ["oldest"]}
    assert location.fragment == f"c{comment.id}"
    assert comment.disagree_count == 1
    assert db.session.scalar(sa.select(CommentVote.value)) == VoteValue.DISAGREE


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/keitele/kirjaston-aukioloajat?after=1_2",
        "//evil.example/x",
        "/accounts/profile?after=1_2",
        "/keitele/muu-aihe?after=1_2",
        "",
    ],
)
def test_vote_redirect_ignores_foreign_next(
    db, client, login_as, open_topic, resident, other_resident, next_url
):
    comment = add_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    response = post(
        client,
        path(open_topic, f"/comments/{comment.id}/vote"),
        data={"value": "agree", "next": next_url},
    )
    assert response.headers["Location"] == path(open_topic) + f"#c{comment.id}"


def test_vote_buttons_show_counts_and_the_viewers_vote(
    db, client, login_as, open_topic, resident, other_resident
):
    theirs = add_comment(open_topic, other_resident)
    mine = add_comment(open_topic, resident, body="Oma kommentti")
    participation.vote_comment(theirs, resident, VoteValue.AGREE)
    participation.vote_comment(mine, other_resident, VoteValue.DISAGREE)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(open_topic, "?sort=oldest")))

    voting = _article(page, theirs.id)
    assert f'action="{path(open_topic, f"/comments/{theirs.id}/vote")}"' in voting
    pressed = re.search(r'<button[^>]*aria-pressed="true"[^>]*>(.*?)</button>', voting, re.S)
    assert 'value="withdraw"' in pressed.group(0) and "Agree (1)" in pressed.group(1)
    assert re.search(r'value="disagree" aria-pressed="false"[^>]*>\s*Disagree \(0\)', voting)
    assert re.search(r'value="pass" aria-pressed="false"[^>]*>\s*Pass', voting)
    assert f'name="next" value="{path(open_topic, "?sort=oldest")}"' in voting

    own = _article(page, mine.id)  # one's own comment: counts only
    assert "<button" not in own.split('class="comment-actions"')[0]
    assert "Disagree 1" in own


def test_visitor_and_closed_topic_see_vote_counts_without_buttons(
    db, client, login_as, open_topic, closed_topic, resident, other_resident
):
    comment = add_comment(open_topic, other_resident)
    old = add_comment(closed_topic, other_resident)
    participation.vote_comment(comment, resident, VoteValue.AGREE)
    db.session.commit()
    visitor_view = _article(text(get(client, path(open_topic))), comment.id)
    assert "Agree 1" in visitor_view and 'name="value"' not in visitor_view
    login_as(resident)
    closed_view = _article(text(get(client, path(closed_topic))), old.id)
    assert "Agree 0" in closed_view and 'name="value"' not in closed_view


# --- follows ---------------------------------------------------------------------------------


def test_a_draft_seen_by_its_staff_cannot_be_followed(db, client, login_as, org, moderator):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    login_as(moderator)
    response = get(client, path(draft))
    assert response.status_code == 200  # staff read the draft at its address
    page = text(response)
    assert path(draft, "/follow") not in page
    assert post(client, path(draft, "/follow")).status_code == 403
    assert rows(Follow) == 0


def test_follow_and_unfollow_keep_follower_count(db, client, login_as, open_topic, resident):
    login_as(resident)
    response = post(client, path(open_topic, "/follow"))
    assert response.status_code == 303
    assert response.headers["Location"] == path(open_topic) + "#follow"
    post(client, path(open_topic, "/follow"))  # twice: still one follow
    assert rows(Follow) == 1 and open_topic.follower_count == 1
    page = text(get(client, path(open_topic)))
    assert "Stop following" in _form(page, path(open_topic, "/unfollow"))
    assert "We will e-mail you when the results are published." in page

    post(client, path(open_topic, "/unfollow"))
    post(client, path(open_topic, "/unfollow"))
    assert rows(Follow) == 0 and open_topic.follower_count == 0
    page = text(get(client, path(open_topic)))
    assert "Follow this consultation" in _form(page, path(open_topic, "/follow"))


@pytest.mark.parametrize("status", [TopicStatus.CLOSED, TopicStatus.PUBLISHED])
def test_following_works_after_closing(db, client, login_as, org, resident, status):
    topic = factories.make_topic(org, status=status)
    db.session.commit()
    login_as(resident)
    post(client, path(topic, "/follow"))
    assert rows(Follow, Follow.topic_id == topic.id) == 1 and topic.follower_count == 1


def test_following_once_the_results_are_out_says_no_e_mail_will_come(
    db, client, login_as, org, resident
):
    """The follow starts told (no results e-mail), and the page and the message say so
    instead of promising one."""
    now = utcnow()
    topic = factories.make_topic(
        org,
        status=TopicStatus.PUBLISHED,
        opens_in=timedelta(days=-40),
        closes_in=timedelta(days=-10),
        results_published_at=now - timedelta(days=2),
    )
    waiting = factories.make_topic(org, status=TopicStatus.CLOSED, closes_in=timedelta(days=-1))
    db.session.commit()
    promise = "We will e-mail you when the results are published."
    no_more = (
        "The results have already been published, so no more e-mails will be sent about "
        "this consultation."
    )
    page = text(get(client, path(topic)))
    assert no_more in page and promise not in page
    login_as(resident)
    response = post(client, path(topic, "/follow"), follow_redirects=True)
    page = text(response)
    assert (
        "You now follow this consultation. Its results have already been published, so no "
        "more e-mails will be sent about it." in page
    )
    assert no_more in page and promise not in page
    assert db.session.scalar(sa.select(Follow).where(Follow.topic_id == topic.id)) is not None
    # Before the results, following still promises the e-mail.
    page = text(post(client, path(waiting, "/follow"), follow_redirects=True))
    assert "We will e-mail you when the results are published." in page and no_more not in page
    speak(client, "fi")
    page = text(get(client, path(topic)))
    assert "Lähetämme sinulle sähköpostia, kun tulokset julkaistaan." not in page


def test_unverified_user_may_follow(db, client, login_as, open_topic, unverified):
    login_as(unverified)
    post(client, path(open_topic, "/follow"))
    assert rows(Follow) == 1


# --- permissions -----------------------------------------------------------------------------


def _login_path() -> str:
    return urlsplit(url_for("accounts.login")).path


def _actions(topic, comment):
    return [
        (path(topic, "/stance"), {"stance": "support"}),
        (path(topic, f"/comments/{comment.id}/vote"), {"value": "agree"}),
        (path(topic, "/follow"), {}),
    ]


def _no_rows() -> bool:
    return rows(TopicStance) == rows(CommentVote) == rows(Follow) == 0


def test_visitor_posts_go_to_log_in_and_save_nothing(db, client, open_topic, resident):
    comment = add_comment(open_topic, resident)
    db.session.commit()
    for url, data in _actions(open_topic, comment):
        response = post(client, url, data=data)
        assert response.status_code == 302, url
        assert urlsplit(response.headers["Location"]).path == _login_path(), url
    assert _no_rows()


def test_after_log_in_the_action_address_shows_the_topic(
    db, client, login_as, open_topic, resident
):
    login_as(resident)
    response = get(client, path(open_topic, "/stance"))
    assert response.status_code == 303
    assert response.headers["Location"] == path(open_topic) + "#your-view"


def test_unverified_user_gets_403_and_no_row(
    db, client, login_as, open_topic, resident, unverified
):
    comment = add_comment(open_topic, resident)
    db.session.commit()
    login_as(unverified)
    for url, data in _actions(open_topic, comment)[:2]:
        assert post(client, url, data=data).status_code == 403, url
    assert _no_rows()


def test_no_vote_on_ones_own_comment(db, client, login_as, open_topic, resident):
    comment = add_comment(open_topic, resident)
    db.session.commit()
    login_as(resident)
    response = post(
        client, path(open_topic, f"/comments/{comment.id}/vote"), data={"value": "agree"}
    )
    assert response.status_code == 403
    assert rows(CommentVote) == 0 and comment.agree_count == 0


def test_closed_topic_refuses_changes_with_a_message(
    db, client, login_as, closed_topic, resident, other_resident
):
    comment = add_comment(closed_topic, other_resident)
    db.session.add(
        TopicStance(topic_id=closed_topic.id, user_id=resident.id, stance=Stance.SUPPORT)
    )
    db.session.add(CommentVote(comment_id=comment.id, user_id=resident.id, value=VoteValue.AGREE))
    closed_topic.support_count = comment.agree_count = 1
    db.session.commit()
    login_as(resident)
    for url, data in [
        (path(closed_topic, "/stance"), {"stance": "oppose"}),
        (path(closed_topic, "/stance"), {"stance": "withdraw"}),
        (path(closed_topic, f"/comments/{comment.id}/vote"), {"value": "withdraw"}),
    ]:
        response = post(client, url, data=data, follow_redirects=True)
        assert "This consultation is closed." in text(response), url
    assert db.session.scalar(sa.select(TopicStance.stance)) == Stance.SUPPORT
    assert db.session.scalar(sa.select(CommentVote.value)) == VoteValue.AGREE
    assert (closed_topic.support_count, closed_topic.oppose_count, comment.agree_count) == (1, 0, 1)


@pytest.mark.parametrize("status", [CommentStatus.HIDDEN, CommentStatus.PENDING])
def test_hidden_or_pending_comment_takes_no_vote(
    db, client, login_as, open_topic, resident, other_resident, status
):
    comment = add_comment(open_topic, other_resident, status=status)
    db.session.commit()
    login_as(resident)
    response = post(
        client,
        path(open_topic, f"/comments/{comment.id}/vote"),
        data={"value": "agree"},
        follow_redirects=True,
    )
    assert "This comment can no longer be voted on." in text(response)
    assert rows(CommentVote) == 0 and comment.agree_count == 0


def test_comment_of_another_topic_is_not_found(
    db, client, login_as, org, open_topic, resident, other_resident
):
    elsewhere = factories.make_topic(org)
    comment = add_comment(elsewhere, other_resident)
    db.session.commit()
    login_as(resident)
    response = post(
        client, path(open_topic, f"/comments/{comment.id}/vote"), data={"value": "agree"}
    )
    assert response.status_code == 404
    assert rows(CommentVote) == 0


def test_stance_on_a_topic_without_stances_is_refused(db, client, login_as, org, resident):
    topic = factories.make_topic(org, stances_enabled=False)
    db.session.commit()
    login_as(resident)
    page = text(get(client, path(topic)))
    assert "I support the proposal" not in page
    response = post(
        client, path(topic, "/stance"), data={"stance": "support"}, follow_redirects=True
    )
    assert "does not ask for stances" in text(response)
    assert rows(TopicStance) == 0


@pytest.mark.parametrize(
    ("suffix", "data"),
    [("/stance", {"stance": "love"}), ("/stance", {}), ("/comments/{id}/vote", {"value": "+1"})],
)
def test_unknown_button_values_are_rejected(
    db, client, login_as, open_topic, resident, other_resident, suffix, data
):
    comment = add_comment(open_topic, other_resident)
    db.session.commit()
    login_as(resident)
    response = post(client, path(open_topic, suffix.format(id=comment.id)), data=data)
    assert response.status_code == 400
    assert _no_rows()


def test_buttons_carry_a_csrf_token_and_need_it(
    db, client, login_as, open_topic, resident, csrf_enabled
):
    login_as(resident)
    page = text(get(client, path(open_topic)))
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', _form(page, path(open_topic, "/stance"))
    )
    assert post(client, path(open_topic, "/stance"), data={"stance": "support"}).status_code == 400
    assert rows(TopicStance) == 0
    response = post(
        client,
        path(open_topic, "/stance"),
        data={"stance": "support", "csrf_token": token.group(1)},
    )
    assert response.status_code == 303
    assert rows(TopicStance) == 1


# --- the viewer's state in a constant number of queries --------------------------------------


def _queries_for_state(topic, user, comment_ids) -> tuple[int, participation.ParticipationState]:
    # What the topic page has loaded before it asks: the topic with its poll, the viewer.
    [len(q.options) for q in topic.questions]
    if user is not None:
        user.id  # noqa: B018
    before = len(get_recorded_queries())
    state = participation.page_state(topic, user, comment_ids)
    return len(get_recorded_queries()) - before, state


@pytest.mark.parametrize("signed_in", [True, False])
def test_page_state_costs_the_same_for_3_and_30_comments(
    db, org, open_topic, resident, other_resident, signed_in
):
    viewer = resident if signed_in else None
    comments = [add_comment(open_topic, other_resident) for _ in range(30)]
    for c in comments:
        participation.vote_comment(c, resident, VoteValue.AGREE)
    participation.set_stance(open_topic, resident, Stance.NEUTRAL)
    participation.follow_topic(open_topic, resident)
    q1, q2 = open_topic.questions
    participation.answer_poll(
        open_topic, resident, {q1.id: {q1.options[0].id}, q2.id: {o.id for o in q2.options}}
    )
    db.session.commit()

    few, _ = _queries_for_state(open_topic, viewer, [c.id for c in comments[:3]])
    many, state = _queries_for_state(open_topic, viewer, [c.id for c in comments])
    assert few == many
    assert many <= (5 if signed_in else 2)
    if signed_in:
        assert state.votes == {c.id: VoteValue.AGREE for c in comments}
        assert state.stance == Stance.NEUTRAL and state.following
        assert state.answers == {q1.id: {q1.options[0].id}, q2.id: {o.id for o in q2.options}}
    else:
        assert state.votes == {} and state.stance is None and not state.following
    assert state.respondents == {q1.id: 1, q2.id: 1}


def test_page_state_costs_the_same_for_few_and_many_options(db, org, resident):
    from eraati.consultations.models import Option, Question

    small = factories.make_topic(org, with_poll=True)
    big = factories.make_topic(org)
    for i in range(6):
        question = Question(position=i, texts={"fi": f"Kysymys {i}"})
        question.options = [Option(position=j, texts={"fi": f"V{j}"}) for j in range(8)]
        big.questions.append(question)
    db.session.commit()
    for topic in (small, big):
        participation.answer_poll(
            topic, resident, {q.id: {q.options[-1].id} for q in topic.questions}
        )
    db.session.commit()
    assert _queries_for_state(small, resident, [])[0] == _queries_for_state(big, resident, [])[0]


def test_topic_page_with_votes_costs_the_same_for_3_and_30_comments(
    app, db, client, login_as, open_topic, resident, other_resident
):
    from flask import request_finished

    login_as(resident)
    counts: list[int] = []

    def record(sender, response, **extra):
        counts.append(len(get_recorded_queries()))

    def add(n):
        for _ in range(n):
            comment = add_comment(open_topic, other_resident)
            participation.vote_comment(comment, resident, VoteValue.PASS)
        db.session.commit()

    with request_finished.connected_to(record, app):
        add(3)
        get(client, path(open_topic))
        add(27)
        page = text(get(client, path(open_topic)))
    assert page.count('aria-pressed="true"') == 30
    assert counts[0] == counts[1], f"{counts[0]} queries for 3 comments, {counts[1]} for 30"


def test_mixed_operations_leave_no_counter_drift(db, org, open_topic, resident, other_resident):
    """A quick smoke version; test_counters.py runs the long random sequence."""
    comment = add_comment(open_topic, other_resident)
    now = utcnow()
    participation.set_stance(open_topic, resident, Stance.SUPPORT, now=now)
    participation.vote_comment(comment, resident, VoteValue.AGREE, now=now)
    participation.follow_topic(open_topic, resident, now=now)
    participation.set_stance(open_topic, other_resident, Stance.SUPPORT, now=now)
    participation.set_stance(open_topic, resident, Stance.OPPOSE, now=now)
    db.session.commit()
    assert counter_mismatches() == []


def test_participation_block_speaks_finnish(db, client, login_as, open_topic, resident):
    speak(client, "fi")
    login_as(resident)
    page = text(get(client, path(open_topic)))
    assert '<h2 id="your-view-title">Sinun näkemyksesi</h2>' in page
    assert "Kannatus 0" in page and "Kannatan ehdotusta" in page
    assert "Tallenna vastaukseni" in page
    assert "Seuraa tätä kuulemista" in page
