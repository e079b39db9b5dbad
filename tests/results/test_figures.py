"""The aggregates of ``topic_figures`` on a small topic with one of everything."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from eraati.consultations.models import Phase, TopicStatus
from eraati.core.pseudonyms import person as pseudonym
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.results.figures import (
    Channel,
    Unit,
    for_public,
    topic_figures,
)
from tests import factories
from tests.results.support import EXPECTED, add_comment, build_world, days_ago, tag


@pytest.fixture
def figures(app, world):
    return topic_figures(world.topic)


def test_unique_participants_count_each_registered_person_once(figures):
    p = figures.participants
    assert p.registered == EXPECTED["registered"]
    assert p.commenters == EXPECTED["commenters"]
    assert p.voters == EXPECTED["voters"]
    assert p.stance_takers == EXPECTED["stance_takers"]
    assert p.respondents == EXPECTED["respondents"]


def test_feedback_without_an_account_is_counted_as_comments(figures):
    p = figures.participants
    assert (p.anonymous_comments, p.paper_comments, p.event_comments) == (2, 1, 1)


def test_comments_and_replies_by_channel_count_shown_ones_without_official_replies(figures):
    got = {c.channel.value: (c.comments, c.replies) for c in figures.channels}
    assert got == EXPECTED["channels"]
    assert [c.channel for c in figures.channels] == list(Channel)
    assert figures.comments_total == 8


def test_municipalities_of_registered_commenters_with_a_not_given_bucket(figures):
    got = [(m.name, m.people, m.comments) for m in figures.municipalities]
    assert got == EXPECTED["municipalities"]
    assert figures.municipalities[-1].organisation_id is None


def test_stances_come_from_the_topic_counters(figures):
    s = figures.stances
    assert (s.support, s.oppose, s.neutral) == EXPECTED["stances"]
    assert s.enabled and s.total == 3
    assert s.percent(s.support) == pytest.approx(2 / 3)


def test_poll_results_per_question_and_option(figures):
    got = [[(o.count, o.share) for o in q.options] for q in figures.polls]
    assert got == EXPECTED["poll"]
    assert [q.respondents for q in figures.polls] == EXPECTED["respondents_per_question"]
    assert [q.multiple for q in figures.polls] == [False, True]
    assert figures.polls[0].options[0].text == "Kyllä"


def test_themes_with_counts_most_comments_first_and_untagged(figures):
    assert [(t.name, t.count) for t in figures.themes] == EXPECTED["themes"]
    assert figures.untagged == EXPECTED["untagged"]


def test_representative_quotes_are_the_most_agreed_shown_comments_verbatim(world, figures):
    c = world.comments
    hours = figures.themes[0]
    assert [q.comment_id for q in hours.quotes] == [c["aino"].id, c["olli"].id, c["event"].id]
    assert hours.quotes[0].body == "Kirjasto auki myös sunnuntaisin."
    assert hours.quotes[2].channel == Channel.EVENT and hours.quotes[2].pseudonym is None
    assert hours.quotes[2].received_on == c["event"].received_on
    books = figures.themes[1]
    assert [q.comment_id for q in books.quotes] == [c["olli"].id, c["eero"].id]
    assert figures.themes[2].quotes == []


def test_no_more_than_three_quotes_per_theme(app, db, world):
    theme = world.themes["empty"]
    for n in range(5):
        tag(add_comment(world.topic, world.users["aino"], f"Lisää {n}", agree_count=n), theme)
    db.session.commit()
    found = next(t for t in topic_figures(world.topic).themes if t.theme_id == theme.id)
    assert found.count == 5
    assert [q.agree_count for q in found.quotes] == [4, 3, 2]


def test_quotes_name_writers_by_a_stable_pseudonym_only(app, world, figures):
    aino = world.users["aino"]
    key = world.topic.pseudonym_key
    assert len(key) == 32  # the topic's own random key, made with the topic
    expected = (
        "P-"
        + hmac.new(
            app.config["SECRET_KEY"].encode(), f"{key}:{aino.id}".encode(), hashlib.sha256
        ).hexdigest()[:8]
    )
    quote = figures.key_comments[0]
    assert quote.pseudonym == expected == pseudonym(key, aino.id)
    assert figures.themes[0].quotes[0].pseudonym == expected  # the same in every place
    other = factories.make_topic(world.topic.organisation, slug="toinen-aihe")
    db.session.flush()
    assert other.pseudonym_key != key
    assert pseudonym(other.pseudonym_key, aino.id) != expected  # another topic, another code
    assert len({q.pseudonym for t in figures.themes for q in t.quotes if q.pseudonym}) == 3


def test_key_comments_and_official_replies(world, figures):
    c = world.comments
    assert [q.comment_id for q in figures.key_comments] == [c["aino"].id]
    (reply,) = figures.official_replies
    assert reply.comment_id == c["official"].id
    assert reply.body == "Selvitämme uutuuksien hankintaa."
    assert reply.parent is not None and reply.parent.comment_id == c["olli"].id


def test_an_official_reply_to_a_hidden_comment_shows_no_parent(db, world):
    parent = world.comments["olli"]
    parent.status = "hidden"
    db.session.commit()
    (reply,) = topic_figures(world.topic).official_replies
    assert reply.parent is None


def test_moderation_figures_hidden_by_reason_in_the_readers_language(app, world):
    fi = topic_figures(world.topic, locale="fi").moderation
    assert [(r.text, r.count) for r in fi.hidden] == EXPECTED["hidden"]
    assert fi.hidden_total == 2 and fi.waiting == EXPECTED["waiting"]
    assert fi.hidden[0].reason_id == world.reason.id
    sv = topic_figures(world.topic, locale="sv").moderation
    assert sv.hidden[0].text == "Kränkande"
    sv_themes = topic_figures(world.topic, locale="sv").themes
    assert sv_themes[0].name == "Öppettider"


def test_the_timeline_counts_shown_comments_per_helsinki_day(app, world, figures):
    timeline = figures.timeline
    assert timeline.unit == Unit.DAY
    by_day = {p.start: p.count for p in timeline.periods}
    assert by_day[days_ago(10).date()] == 2  # Aino and Olli
    assert by_day[days_ago(8).date()] == 2  # Eero and Olli's reply
    assert by_day[days_ago(5).date()] == 1  # the paper form, on the day received
    assert by_day[days_ago(4).date()] == 1  # the event
    assert by_day.get(days_ago(1).date(), 0) == 0  # not on the day they were typed in
    assert timeline.total == figures.comments_total
    days = [p.start for p in timeline.periods]
    assert days == sorted(days) and all(
        b - a == timedelta(days=1) for a, b in itertools.pairwise(days)
    )


def test_a_comment_late_in_the_evening_counts_on_the_helsinki_day(app, db, org):
    topic = factories.make_closed_topic(org)
    # 22:30 UTC on 1 March is 00:30 on 2 March in Helsinki (UTC+2 in winter).
    add_comment(
        topic,
        None,
        "Myöhään",
        nickname="Yökyöpeli",
        created_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
    )
    topic.opens_at = datetime(2026, 2, 20, tzinfo=UTC)
    topic.closes_at = datetime(2026, 3, 10, tzinfo=UTC)
    db.session.commit()
    by_day = {p.start: p.count for p in topic_figures(topic).timeline.periods}
    assert by_day[date(2026, 3, 2)] == 1
    assert by_day[date(2026, 3, 1)] == 0


def test_a_long_topic_is_counted_per_week(app, db, org):
    topic = factories.make_topic(
        org, opens_in=timedelta(days=-120), closes_in=timedelta(days=-1), title="Pitkä"
    )
    add_comment(topic, None, "A", nickname="X", created_at=days_ago(100))
    add_comment(topic, None, "B", nickname="X", created_at=days_ago(100, 13))
    add_comment(topic, None, "C", nickname="X", created_at=days_ago(30))
    db.session.commit()
    timeline = topic_figures(topic).timeline
    assert timeline.unit == Unit.WEEK
    assert all(p.start.weekday() == 0 for p in timeline.periods)  # Mondays
    assert 17 <= len(timeline.periods) <= 19
    assert timeline.total == 3 and max(p.count for p in timeline.periods) == 2


def test_an_empty_topic_has_zeros_everywhere(app, db, org):
    topic = factories.make_topic(org, title="Tyhjä", with_poll=True)
    db.session.commit()
    figures = topic_figures(topic)
    assert figures.participants.registered == 0
    assert figures.comments_total == 0 and figures.municipalities == []
    assert figures.themes == [] and figures.key_comments == [] and figures.official_replies == []
    assert figures.moderation.hidden == [] and figures.moderation.waiting == 0
    assert all(o.share == 0 for q in figures.polls for o in q.options)
    assert figures.timeline.periods and figures.timeline.total == 0


def test_figures_are_interim_until_the_topic_closes(app, db, org, world):
    assert topic_figures(world.topic).phase == Phase.CLOSED
    assert not topic_figures(world.topic).interim
    open_topic = factories.make_topic(org, title="Auki")
    db.session.commit()
    assert topic_figures(open_topic).interim
    world.topic.status = TopicStatus.PUBLISHED
    assert not topic_figures(world.topic).interim


def test_a_deleted_accounts_comments_stay_registered_with_home_not_given(app, db, org):
    topic = factories.make_closed_topic(org)
    add_comment(topic, None, "Entinen käyttäjä", nickname="—")
    db.session.commit()
    figures = topic_figures(topic)
    assert figures.channels[0].comments == 1  # registered
    assert figures.channels[1].comments == 0  # not anonymous
    assert [(m.organisation_id, m.people, m.comments) for m in figures.municipalities] == [
        (None, 0, 1)
    ]
    public = for_public(figures).municipalities
    assert [(m.organisation_id, m.people, m.comments) for m in public] == [(None, 0, 1)]


def test_the_public_figures_drop_pseudonyms_and_small_municipalities(app, world, figures):
    public = for_public(figures)
    assert public.public and not figures.public
    quotes = [q for t in public.themes for q in t.quotes] + public.key_comments
    quotes += [r.parent for r in public.official_replies if r.parent]
    assert quotes and all(q.pseudonym is None for q in quotes)
    # Every municipality here has fewer than five commenters: one bucket of three.
    assert [(m.organisation_id, m.people, m.comments) for m in public.municipalities] == [
        (None, 3, 4)
    ]
    bigger = for_public(figures, min_group=1)
    assert [m.name for m in bigger.municipalities] == ["Tervo", "Keitele", None]
    # The rest is the same.
    assert public.channels == figures.channels and public.moderation == figures.moderation


def test_the_figures_need_no_request(app, org, db):
    """The council report calls it from a command: an application context is enough."""
    built = build_world(org)
    db.session.commit()
    assert not _has_request()
    figures = topic_figures(built.topic, locale="sv", now=utcnow())
    assert figures.locale == "sv" and figures.participants.registered == EXPECTED["registered"]


def _has_request() -> bool:
    from flask import has_request_context

    return has_request_context()
