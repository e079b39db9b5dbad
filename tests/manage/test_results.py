"""Results: saved, published once (followers e-mailed in their own language, once, by the
notifications mechanism: ``Kind.RESULTS``),
shown on the topic page with the moderators' summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import Follow, Topic, TopicStatus
from eraati.extensions import db
from eraati.notifications import sending, services
from eraati.notifications.models import Kind, Mode, Notification
from tests import factories
from tests.accounts.helpers import link_paths, tr
from tests.consultations.topic_support import choose_language
from tests.manage.support import field_error, form_values, main_of, text


def _results(topic) -> str:
    return f"/staff/keitele/topics/{topic.id}/results"


def _reload(topic) -> Topic:
    db.session.expire_all()
    return db.session.get(Topic, topic.id)


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


@pytest.fixture
def closed(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    topic = factories.make_closed_topic(org, title="Koulureitit", title_sv="Skolvägar")
    db.session.commit()
    return topic


def _follow(topic, user) -> None:
    db.session.add(Follow(topic_id=topic.id, user_id=user.id))
    topic.follower_count += 1


@pytest.fixture
def followers(db, closed):
    people = {
        "fi": factories.make_user("fi@example.fi", name="Aino", locale="fi"),
        "sv": factories.make_user("sv@example.fi", name="Britt", locale="sv"),
        "en": factories.make_user("en@example.fi", name="Chris", locale="en"),
        "unverified": factories.make_user("uusi@example.fi", verified=False),
    }
    for person in people.values():
        _follow(closed, person)
    db.session.commit()
    return people


def _publish_data(**over) -> dict[str, str]:
    data = {
        "revision": "1",
        "decided_on": "2027-03-15",
        "outcome_fi": "Kunnanhallitus hyväksyi uudet reitit.",
        "feedback_use_fi": "Palautteen perusteella lisättiin suojatie.",
        "outcome_sv": "Kommunstyrelsen godkände de nya vägarna.",
        "feedback_use_sv": "",
        "minutes_url": "https://keitele.fi/poytakirjat/2027-03-15",
        "action": "publish",
    }
    data.update(over)
    return data


def test_saving_results_without_publishing(browser, admin, closed, outbox):
    response = browser.post(_results(closed), data=_publish_data(action="save"))
    assert response.status_code == 303
    topic = _reload(closed)
    assert topic.status == TopicStatus.OPEN  # closed by its deadline, not published
    assert topic.decided_on == date(2027, 3, 15) and topic.revision == 2
    assert topic.text("sv").decision_outcome == "Kommunstyrelsen godkände de nya vägarna."
    assert topic.results_published_at is None and outbox == []
    assert "Kunnanhallitus hyväksyi" not in text(browser.get("/keitele/suljettu"))
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "topic.results_edit")
    )
    assert event.target_id == closed.id


def test_publishing_results_tells_each_follower_in_their_language_once(
    browser, admin, closed, followers, outbox
):
    response = browser.post(_results(closed), data=_publish_data())
    assert response.status_code == 303
    topic = _reload(closed)
    assert topic.status == TopicStatus.PUBLISHED and topic.results_published_at is not None
    by_address = {m.to[0]: m for m in outbox}
    assert sorted(by_address) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]  # verified
    fi, sv, en = (
        by_address["fi@example.fi"],
        by_address["sv@example.fi"],
        by_address["en@example.fi"],
    )
    assert fi.subject == tr("Results published: %(title)s", "fi", title="Koulureitit")
    assert sv.subject == tr("Results published: %(title)s", "sv", title="Skolvägar")
    assert en.subject == "Results published: Koulureitit"  # no English text: the first language
    assert "Kunnanhallitus hyväksyi uudet reitit." in fi.body
    assert "Kommunstyrelsen godkände" in sv.body
    assert tr("Hello %(name)s,", "sv", name="Britt") in sv.body
    # The results, then the footer's preferences and this kind's unsubscribe link.
    assert link_paths(fi)[0] == "/keitele/suljettu"
    assert link_paths(fi)[1:] == ["/account/notifications", link_paths(fi)[2]]
    assert link_paths(fi)[2].startswith("/account/unsubscribe/")
    assert "#results" in fi.body
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "topic.publish_results")
    )
    assert event.details == {"first": True}

    page = text(browser.get(_results(closed)))
    again = form_values(page, _results(closed))
    again.update(action="publish", outcome_fi="Korjattu päätösteksti.")
    assert browser.post(_results(closed), data=again).status_code == 303
    assert len(outbox) == 3  # nobody is told twice
    assert _reload(closed).text("fi").decision_outcome == "Korjattu päätösteksti."


def test_results_of_an_open_topic_cannot_be_published(browser, admin, open_topic, outbox):
    page = text(browser.get(_results(open_topic)))
    assert 'value="publish"' not in page
    response = browser.post(_results(open_topic), data=_publish_data(outcome_sv=""))
    assert response.status_code == 409
    assert _reload(open_topic).status == TopicStatus.OPEN and outbox == []
    assert _reload(open_topic).revision == 1


def test_publishing_needs_the_date_and_the_decision(browser, admin, closed, followers, outbox):
    response = browser.post(_results(closed), data=_publish_data(decided_on="", outcome_fi=""))
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "decided_on") == tr(
        "Enter the date of the decision to publish the results.", "fi"
    )
    assert field_error(page, "outcome_fi") == tr(
        "Write what was decided in %(language)s to publish the results.",
        "fi",
        language=tr("Finnish", "fi"),
    )
    assert "Kommunstyrelsen godkände" in page  # kept
    topic = _reload(closed)
    assert topic.status == TopicStatus.OPEN and topic.decided_on is None and outbox == []


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://keitele.fi/x", "keitele.fi", "https://"]
)
def test_the_minutes_link_must_be_a_web_address(browser, admin, closed, url):
    response = browser.post(_results(closed), data=_publish_data(minutes_url=url))
    assert response.status_code == 422
    assert field_error(text(response), "minutes_url") == tr(
        "Enter a web address that begins with https:// or http://.", "fi"
    )
    assert _reload(closed).minutes_url is None


def test_a_stale_results_form_overwrites_nothing(browser, admin, closed):
    assert browser.post(_results(closed), data=_publish_data(action="save")).status_code == 303
    response = browser.post(
        _results(closed), data=_publish_data(action="save", outcome_fi="Vanhan lomakkeen teksti")
    )
    assert response.status_code == 409
    page = main_of(text(response))
    assert "Vanhan lomakkeen teksti" in page  # shown to copy
    assert tr("Your changes were not saved", "fi") in page
    assert _reload(closed).text("fi").decision_outcome == "Kunnanhallitus hyväksyi uudet reitit."


# --- on the topic page -----------------------------------------------------------------------


def test_the_topic_page_shows_the_results_section(browser, admin, closed, client):
    closed.translations[0].moderator_summary = "Keskustelussa toivottiin turvallisempia reittejä."
    db.session.commit()
    browser.post(_results(closed), data=_publish_data())
    choose_language(client, "sv")
    page = main_of(text(browser.get("/keitele/suljettu")))
    section = page[page.index('id="results"') :]
    assert "Kommunstyrelsen godkände de nya vägarna." in section
    assert '<div class="readable" lang="fi"><p>Palautteen perusteella' in section  # fallback
    assert 'href="https://keitele.fi/poytakirjat/2027-03-15"' in section
    assert 'datetime="2027-03-15"' in section
    assert "Keskustelussa toivottiin" in section  # the moderators' summary, in Finnish


def test_no_summary_heading_without_a_summary(browser, admin, closed):
    browser.post(_results(closed), data=_publish_data(minutes_url=""))
    page = text(browser.get("/keitele/suljettu"))
    assert 'id="results"' in page
    assert tr("Summary of the discussion", "fi") not in page
    assert "poytakirjat" not in page


def test_the_local_worker_tells_the_followers_in_their_languages(
    app, browser, admin, closed, followers, outbox
):
    from flask_babel import force_locale, ngettext

    from eraati.jobs.queue import wait_local

    saved = app.config["JOBS_BACKEND"]
    app.config["JOBS_BACKEND"] = "local"  # the embedded default: a thread of the web process
    try:
        response = browser.post(_results(closed), data=_publish_data())
        assert response.status_code == 303
        page = text(browser.get(response.headers["Location"]))
        with app.test_request_context(), force_locale("fi"):
            told = ngettext(
                "The results were published. %(num)d follower will be told by e-mail.",
                "The results were published. %(num)d followers will be told by e-mail.",
                3,
            )
        assert told in page and "3" in told
        assert wait_local(timeout=30)
    finally:
        app.config["JOBS_BACKEND"] = saved
    by_address = {m.to[0]: m for m in outbox}
    assert sorted(by_address) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]
    assert by_address["sv@example.fi"].subject == tr(
        "Results published: %(title)s", "sv", title="Skolvägar"
    )
    assert "#results" in by_address["fi@example.fi"].body


def _rows(topic) -> dict[str, Notification]:
    """The topic's results notifications, by address."""
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Notification, User.email)
        .join(User, User.id == Notification.user_id)
        .where(Notification.kind == Kind.RESULTS, Notification.topic_id == topic.id)
    ).all()
    return {address: row for row, address in rows}


def _failing_for(address: str, error: Exception, attempts: list[str]):
    """``Outbox.send`` that fails for ``address`` as the mail server would."""
    real = sending.Outbox.send

    def send(self, message, raw=None):
        attempts.append(message.to[0])
        if message.to[0] == address:
            raise error
        return real(self, message, raw)

    return send


def test_a_second_sending_tells_only_those_the_first_did_not_reach(
    app, browser, admin, closed, followers, outbox, monkeypatch
):
    import smtplib

    attempts: list[str] = []
    later = smtplib.SMTPRecipientsRefused({"sv@example.fi": (450, b"try again later")})
    monkeypatch.setattr(sending.Outbox, "send", _failing_for("sv@example.fi", later, attempts))
    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "fi@example.fi"]
    monkeypatch.undo()

    britt = _rows(closed)["sv@example.fi"]
    assert (britt.sent_at, britt.claimed_at, britt.attempts) == (None, None, 1)  # released
    assert sending.send_due() == 0  # it waits a while before trying again
    assert sending.send_due(now=britt.due_at) == 1  # Britt only
    assert sending.send_due(now=britt.due_at) == 0  # nobody twice
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]
    rows = _rows(closed)
    assert sorted(rows) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]  # never unverified
    assert all(r.sent_at is not None for r in rows.values())


@pytest.fixture
def published_untold(app, browser, admin, closed, followers, outbox, monkeypatch):
    """Results published, but the worker that was to tell the followers never ran."""
    from eraati.jobs import queue

    monkeypatch.setattr(queue, "submit", lambda *args: None)
    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    monkeypatch.undo()
    assert outbox == []
    return closed


def test_tick_tells_the_followers_a_stopped_sending_did_not_reach(
    configure, runner, published_untold, outbox
):
    configure(PUBLIC_URL="https://eraati.example.fi/")
    result = runner.invoke(args=["eraati", "tick"])
    again = runner.invoke(args=["eraati", "tick"])
    assert "notifications: 3 sent" in result.output
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]
    mailed = {m.to[0]: m.body for m in outbox}
    assert "https://eraati.example.fi/keitele/suljettu?lang=sv#results" in mailed["sv@example.fi"]
    assert "notifications: 0 sent" in again.output and len(outbox) == 3  # nobody twice


def test_tick_leaves_a_sending_that_may_still_run_and_asks_for_the_address(
    app, configure, runner, published_untold, outbox
):
    from datetime import timedelta

    from eraati.core.time import utcnow

    now = utcnow()
    assert len(sending._claim(now, digest=False)) == 3  # a worker took them and stopped
    result = runner.invoke(args=["eraati", "tick"])  # its claim still holds
    assert "notifications: 0 sent" in result.output and outbox == []
    after_lease = now + timedelta(seconds=app.config["NOTIFY_LEASE_SECONDS"] + 1)
    assert sending.send_due(now=after_lease) == 3  # the next run after the lease: everyone
    assert sending.send_due(now=after_lease) == 0
    configure(PUBLIC_URL=None)  # production cannot start without it; tick says so anyway
    result = runner.invoke(args=["eraati", "tick"])
    assert "set ERAATI_PUBLIC_URL" in result.output and len(outbox) == 3


def test_following_once_the_results_are_out_brings_no_late_results_mail(
    configure, runner, browser, admin, closed, followers, outbox
):
    from eraati.consultations import participation

    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    assert len(outbox) == 3
    topic = _reload(closed)
    late = factories.make_user("myohainen@example.fi")
    participation.follow_topic(topic, late)
    participation.unfollow_topic(topic, followers["fi"])
    participation.follow_topic(topic, followers["fi"])  # following again
    db.session.commit()
    configure(PUBLIC_URL="https://eraati.example.fi/")
    result = runner.invoke(args=["eraati", "tick"])
    assert "notifications: 0 sent" in result.output and len(outbox) == 3
    assert len(_rows(closed)) == 3


def test_an_address_refused_for_good_is_not_tried_again(
    app, browser, admin, closed, followers, outbox, monkeypatch
):
    import smtplib

    attempts: list[str] = []
    refused = smtplib.SMTPRecipientsRefused({"sv@example.fi": (550, b"no such user")})
    monkeypatch.setattr(sending.Outbox, "send", _failing_for("sv@example.fi", refused, attempts))
    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    britt = _rows(closed)["sv@example.fi"]
    assert britt.failed_at is not None and britt.sent_at is None
    assert sending.send_due(now=britt.due_at + timedelta(days=1)) == 0
    assert sorted(attempts) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]  # once
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "fi@example.fi"]


def test_any_failure_for_one_follower_leaves_the_others_told_and_them_to_tell(
    app, browser, admin, closed, followers, outbox, monkeypatch
):
    attempts: list[str] = []
    broken = ValueError("a header the mail library refuses")
    monkeypatch.setattr(sending.Outbox, "send", _failing_for("fi@example.fi", broken, attempts))
    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "sv@example.fi"]
    monkeypatch.undo()
    aino = _rows(closed)["fi@example.fi"]
    assert sending.send_due(now=aino.due_at) == 1
    assert sorted(m.to[0] for m in outbox) == ["en@example.fi", "fi@example.fi", "sv@example.fi"]


def test_a_follower_who_turned_results_off_is_not_told_and_a_digest_reader_waits(
    browser, admin, closed, followers, outbox
):
    services.set_mode(followers["fi"].id, Kind.RESULTS, Mode.OFF)
    services.set_mode(followers["sv"].id, Kind.RESULTS, Mode.DIGEST)
    db.session.commit()
    assert browser.post(_results(closed), data=_publish_data()).status_code == 303
    assert [m.to[0] for m in outbox] == ["en@example.fi"]
    rows = _rows(closed)
    assert sorted(rows) == ["en@example.fi", "sv@example.fi"]
    britt = rows["sv@example.fi"]
    assert britt.digest and britt.sent_at is None
    assert sending.send_digests(now=britt.due_at) == 1
    (digest,) = outbox[1:]
    assert digest.to == ["sv@example.fi"]
    assert digest.subject == tr("Your weekly eRaati digest", "sv")
    assert "Skolvägar" in digest.body and "#results" in digest.body
