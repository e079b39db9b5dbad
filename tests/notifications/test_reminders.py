"""A reminder reaches the followers who chose reminders, once, a settable number of days
(``Topic.reminder_days``) before the consultation closes: through ``flask eraati tick`` and
a real SMTP server, in the follower's language, with a link that opens the topic and a
one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations import participation
from eraati.consultations.models import TopicStatus
from eraati.core.time import HELSINKI, utcnow
from eraati.extensions import db
from eraati.notifications import reminders, services
from eraati.notifications.models import Kind, Mode, Notification
from tests import factories
from tests.notifications.support import parts, path_of, unsubscribe_url


def _closing_at(days: int) -> datetime:
    """16.00 Helsinki time, ``days`` days from now (at least a day ahead: inside a 3-day
    reminder window for days <= 2)."""
    day = (utcnow().astimezone(HELSINKI) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, 16, 0, tzinfo=HELSINKI)


@pytest.fixture
def bilingual_org(db):
    org = factories.make_org("kuopio", "Kuopio", languages="fi,sv")
    org.name_sv = "Kuopio stad"
    db.session.commit()
    return org


@pytest.fixture
def closing_topic(db, bilingual_org):
    """Open, with a poll and stances, closing the day after tomorrow at 16.00 (inside the
    default 3-day reminder window)."""
    topic = factories.make_topic(
        bilingual_org,
        slug="uimahalli",
        title="Uimahallin aukioloajat",
        title_sv="Simhallens öppettider",
        with_poll=True,
    )
    topic.closes_at = _closing_at(2)
    db.session.commit()
    return topic


def follower(topic, email: str, locale: str = "fi", mode: Mode | None = Mode.INSTANT, **kw):
    """A resident who follows ``topic`` and chose reminders (``mode``; None: the default)."""
    user = factories.make_user(email, locale=locale, **kw)
    participation.follow_topic(topic, user)
    if mode is not None:
        services.set_mode(user.id, Kind.REMINDER, mode)
    db.session.commit()
    return user


def tick(runner) -> str:
    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


EXPECTED = {
    "fi": (
        "Päättyy pian: Uimahallin aukioloajat",
        "Kuopio",
        "klo 16.00",
        "Uimahallin aukioloajat",
    ),
    "sv": (
        "Stänger snart: Simhallens öppettider",
        "Kuopio stad",
        "kl. 16.00",
        "Simhallens öppettider",
    ),
    "en": ("Closing soon: Uimahallin aukioloajat", "Kuopio", "at 16:00", "Uimahallin aukioloajat"),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_follower_is_reminded_in_their_language_with_a_link_that_works(
    db, client, runner, closing_topic, smtp, lang
):
    person = follower(closing_topic, f"{lang}@example.fi", lang, name="Maija Muistaja")
    output = tick(runner)
    assert "1 reminder(s)" in output

    (message,) = smtp.messages()
    subject, org_name, time_text, title = EXPECTED[lang]
    assert message["To"] == person.email
    assert message["Subject"] == subject
    assert message["Content-Language"] == lang
    text, html = (p.replace("\xa0", " ") for p in parts(message))
    assert f'lang="{lang}"' in html
    for part in (text, html):
        assert "Maija Muistaja" in part and org_name in part and time_text in part
    # What the follower can still do: this topic asks for stances and has a poll.
    assert text.count("\n- ") == 4 and html.count("<li>") == 4
    # The closing day, as people write it in the language.
    closes = closing_topic.closes_at.astimezone(HELSINKI)
    assert str(closes.year) in text and f"{closes.day}" in text
    link = re.search(r"(http://localhost/kuopio/uimahalli\S*)", text).group(1)
    assert link.endswith(f"?lang={lang}") and link in html
    page = client.get(path_of(link))
    assert page.status_code == 200 and title in page.text
    # RFC 8058: one-click unsubscribe, its address in the footer too.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url(message) in text and unsubscribe_url(message) in html


def test_tick_twice_reminds_once_and_a_moved_deadline_reminds_again(
    db, runner, closing_topic, smtp
):
    follower(closing_topic, "a@example.fi")
    tick(runner)
    assert "reminder" not in tick(runner)  # nothing new to record
    assert len(smtp.messages()) == 1
    # Recording again the same deadline adds nobody.
    assert reminders.record_due() == 0
    # The deadline moved to another day: one reminder of the new one.
    closing_topic.closes_at = _closing_at(1)
    db.session.commit()
    tick(runner)
    tick(runner)
    assert len(smtp.messages()) == 2


def test_no_reminder_before_the_window_for_0_days_or_closed_draft_and_published_topics(
    db, runner, bilingual_org, closing_topic, smtp
):
    early = factories.make_topic(bilingual_org, slug="aikaisin", closes_in=timedelta(days=10))
    none = factories.make_topic(bilingual_org, slug="ei-muistutusta", reminder_days=0)
    none.closes_at = _closing_at(1)
    draft = factories.make_topic(bilingual_org, slug="luonnos", status=TopicStatus.DRAFT)
    draft.closes_at = _closing_at(1)
    closed = factories.make_topic(bilingual_org, slug="suljettu", status=TopicStatus.CLOSED)
    closed.closes_at, closed.closed_at = _closing_at(1), utcnow()
    published = factories.make_closed_topic(bilingual_org, slug="julkaistu")
    published.status, published.results_published_at = TopicStatus.PUBLISHED, utcnow()
    past = factories.make_closed_topic(bilingual_org, slug="mennyt")  # its deadline has passed
    db.session.commit()
    person = follower(early, "a@example.fi")
    for topic in (none, draft, closed, published, past):
        participation.follow_topic(topic, person)
    db.session.commit()
    assert reminders.record_due() == 0
    tick(runner)
    assert smtp.messages() == []
    # A longer window reaches the topic that closes in 10 days.
    early.reminder_days = 10
    db.session.commit()
    tick(runner)
    (message,) = smtp.messages()
    assert message["To"] == "a@example.fi"


def test_only_followers_who_chose_reminders_and_not_after_unsubscribing(
    db, client, runner, closing_topic, smtp
):
    chose = follower(closing_topic, "chose@example.fi")
    follower(closing_topic, "default@example.fi", mode=None)  # the default: off
    follower(closing_topic, "off@example.fi", mode=Mode.OFF)
    follower(closing_topic, "unverified@example.fi", verified=False)
    stranger = factories.make_user("stranger@example.fi")  # chose reminders, follows nothing
    services.set_mode(stranger.id, Kind.REMINDER, Mode.INSTANT)
    db.session.commit()
    tick(runner)
    (message,) = smtp.messages()
    assert message["To"] == "chose@example.fi"
    # One click in the mail program, without logging in: reminders stop.
    anonymous = client.application.test_client()
    response = anonymous.post(
        path_of(unsubscribe_url(message)), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 204
    assert services.modes(chose.id)[Kind.REMINDER] == Mode.OFF
    closing_topic.closes_at = _closing_at(1)  # a new deadline would remind again
    db.session.commit()
    tick(runner)
    assert len(smtp.messages()) == 1


def test_a_reminder_recorded_before_the_topic_closed_early_is_not_sent(
    db, runner, closing_topic, smtp
):
    follower(closing_topic, "a@example.fi")
    assert reminders.record_due() == 1
    closing_topic.status, closing_topic.closed_at = TopicStatus.CLOSED, utcnow()
    db.session.commit()
    tick(runner)
    assert smtp.messages() == []
    row = db.session.scalar(sa.select(Notification))
    assert row.sent_at is None and row.failed_at is not None  # ended, never sent


def test_a_follower_who_stops_following_before_the_sending_is_not_reminded(
    db, runner, closing_topic, smtp
):
    stays = follower(closing_topic, "stays@example.fi")
    leaves = follower(closing_topic, "leaves@example.fi")
    assert reminders.record_due() == 2
    assert participation.unfollow_topic(closing_topic, leaves)
    db.session.commit()
    tick(runner)
    assert [m["To"] for m in smtp.messages()] == [stays.email]
