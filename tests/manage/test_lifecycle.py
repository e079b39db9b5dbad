"""Draft -> open -> closed: publishing (with the missing-language warning), closing early,
the preview link, and ``flask eraati tick``."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.api.resources import timestamp
from eraati.audit.models import AuditEvent
from eraati.consultations.models import FileKind, Topic, TopicStatus
from eraati.core.time import local, utcnow
from eraati.extensions import db
from eraati.manage import services
from eraati.reports.words import moment
from eraati.results.figures import topic_figures
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language
from tests.manage.support import PNG, count, main_of, make_file, text
from tests.reports.support import docx_text, make, pdf_text, squeeze


def _base(topic) -> str:
    return f"/staff/keitele/topics/{topic.id}"


def _reload(topic) -> Topic:
    db.session.expire_all()
    return db.session.get(Topic, topic.id)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


# --- publish ---------------------------------------------------------------------------------


def test_publishing_a_draft_opens_it(browser, admin, draft_topic):
    page = text(browser.get(f"{_base(draft_topic)}/edit"))
    assert f'action="{_base(draft_topic)}/publish"' in page
    response = browser.post(f"{_base(draft_topic)}/publish")
    assert response.status_code == 303
    topic = _reload(draft_topic)
    assert topic.status == TopicStatus.OPEN and topic.revision == 2
    (event,) = _events("topic.open")
    assert event.target_id == topic.id and event.actor_id == admin.id


def test_a_published_topic_is_public_at_once_and_open_from_its_opening_time(
    browser, admin, draft_topic, client
):
    assert browser.post(f"{_base(draft_topic)}/publish").status_code == 303
    with client.session_transaction() as session:
        session.clear()  # log out
    before = browser.get("/keitele/luonnos")  # opens tomorrow: readable, takes nothing yet
    assert before.status_code == 200
    assert "Avautuu" in text(before) and 'id="write"' not in text(before)
    topic = _reload(draft_topic)
    topic.opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert 'id="write"' in text(browser.get("/keitele/luonnos"))


def test_missing_language_versions_are_confirmed_first(browser, admin, db, org, client):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    topic = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    choose_language(client, "en")
    response = browser.post(f"{_base(topic)}/publish")
    assert response.status_code == 200
    page = main_of(text(response))
    assert "Some language versions are missing" in page and "<li>Swedish</li>" in page
    assert 'name="confirmed" value="1"' in page
    assert _reload(topic).status == TopicStatus.DRAFT  # not yet
    assert browser.post(f"{_base(topic)}/publish", data={"confirmed": "1"}).status_code == 303
    assert _reload(topic).status == TopicStatus.OPEN


def test_no_warning_when_every_language_is_there(browser, admin, db, org):
    org.languages = "fi,sv"
    topic = factories.make_topic(org, slug="kaksikielinen", title_sv="Tvåspråkig")
    topic.status = TopicStatus.DRAFT
    db.session.commit()
    assert browser.post(f"{_base(topic)}/publish").status_code == 303
    assert _reload(topic).status == TopicStatus.OPEN


def test_a_draft_whose_closing_time_has_passed_is_not_published(browser, admin, db, org):
    topic = factories.make_topic(
        org, slug="vanha", status=TopicStatus.DRAFT, closes_in=timedelta(hours=-1)
    )
    db.session.commit()
    response = browser.post(f"{_base(topic)}/publish")
    assert response.status_code == 303
    assert _reload(topic).status == TopicStatus.DRAFT
    page = text(browser.get(response.headers["Location"]))
    assert (
        tr("The closing time has already passed. Change the closing date before publishing.", "fi")
        in page
    )
    assert _events("topic.open") == []


def test_publishing_twice_does_nothing_more(browser, admin, open_topic):
    response = browser.post(f"{_base(open_topic)}/publish")
    assert response.status_code == 303
    assert _reload(open_topic).revision == 1 and _events("topic.open") == []


# --- close -----------------------------------------------------------------------------------


def test_closing_early_asks_first_then_closes(browser, admin, open_topic):
    page = text(browser.get(f"{_base(open_topic)}/close"))
    assert f'action="{_base(open_topic)}/close"' in page
    assert _reload(open_topic).status == TopicStatus.OPEN
    assert browser.post(f"{_base(open_topic)}/close").status_code == 303
    topic = _reload(open_topic)
    assert topic.status == TopicStatus.CLOSED and topic.revision == 2
    (event,) = _events("topic.close")
    assert event.actor_id is not None and event.details["early"] is True
    public = text(browser.get("/keitele/kirjaston-aukioloajat"))
    assert 'name="body"' not in public  # no comment form on a closed topic


def _time(moment) -> str:
    return f'<time datetime="{moment.isoformat()}">'


def test_closing_early_records_when_it_really_closed_everywhere(
    app, browser, client, admin, open_topic
):
    planned = open_topic.closes_at
    choose_language(client, "en")
    before = utcnow()
    assert browser.post(f"{_base(open_topic)}/close").status_code == 303
    topic = _reload(open_topic)
    closed = topic.closed_at
    assert closed is not None and before <= closed <= utcnow()
    assert topic.closes_at == planned  # the planned deadline is kept
    (event,) = _events("topic.close")
    assert event.actor_id is not None and event.created_at == closed
    assert event.details == {
        "early": True,
        "closed_at": closed.isoformat(),
        "deadline": planned.isoformat(),
    }

    # The topic page: the period ends when it was closed, the planned deadline said too.
    page = text(browser.get("/keitele/kirjaston-aukioloajat"))
    assert f"This consultation closed on {_time(closed)}" in page
    period = page.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert _time(closed) in period and _time(planned) in period
    assert "closed before the planned deadline" in period
    # The list of consultations: closed on the day it was closed.
    listing = text(browser.get("/?status=closed"))
    card = listing.split("kirjaston-aukioloajat", 1)[1]
    assert f"Closed on {_time(closed)}" in card
    assert _time(planned) not in card.split("</li>", 1)[0]
    # The staff topic list keeps the planned deadline and adds the closing.
    staff_list = text(browser.get("/staff/keitele/topics"))
    assert _time(planned) in staff_list and _time(closed) in staff_list
    # The results overview.
    results = text(browser.get(f"/staff/keitele/topics/{topic.id}/results-overview"))
    header = results.split('<header class="result-header">', 1)[1].split("</header>", 1)[0]
    assert _time(closed) in header and _time(planned) in header

    # The open data API and the JSON export keep both.
    api = browser.get(f"/api/v1/topics/{topic.id}").get_json()
    assert api["closed_at"] == timestamp(closed) and api["closes_at"] == timestamp(planned)
    # The report, DOCX and PDF: the consultation period ends when it was closed.
    with app.app_context():
        fresh = db.session.get(Topic, topic.id)
        for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
            report = squeeze(read(make(fresh, fmt, "en")))
            start, end = moment(fresh.opens_at, "en"), moment(closed, "en")
            expected = (
                f"{start} – {end} (closed early; the planned deadline was {moment(planned, 'en')})"
            )
            assert squeeze(expected) in report, fmt
            assert squeeze(f"{start} – {moment(planned, 'en')}") not in report, fmt


def test_the_timeline_of_a_topic_closed_early_ends_on_the_day_it_closed(db, open_topic):
    closing = open_topic.opens_at + timedelta(days=2)
    services.close_topic(open_topic, now=closing)
    db.session.commit()
    assert open_topic.closed_at == closing
    periods = topic_figures(open_topic, now=utcnow()).timeline.periods
    assert periods[-1].start == local(closing).date()


def test_a_draft_cannot_be_closed(browser, admin, draft_topic):
    assert browser.post(f"{_base(draft_topic)}/close").status_code == 303
    assert _reload(draft_topic).status == TopicStatus.DRAFT


# --- tick ------------------------------------------------------------------------------------


def test_tick_closes_topics_past_their_deadline_once(db, org, runner):
    due = factories.make_topic(org, slug="mennyt", closes_in=timedelta(minutes=-5))
    factories.make_topic(org, slug="auki")
    factories.make_topic(
        org, slug="luonnos", status=TopicStatus.DRAFT, closes_in=timedelta(days=-1)
    )
    db.session.commit()
    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    assert f"closed: keitele/mennyt (topic {due.id}" in result.output
    assert "1 topic(s) closed." in result.output
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Topic.slug, Topic.status)).all())
    assert statuses == {
        "mennyt": TopicStatus.CLOSED,
        "auki": TopicStatus.OPEN,
        "luonnos": TopicStatus.DRAFT,
    }
    (event,) = _events("topic.close")
    assert event.actor_id is None and event.actor_name == "system"
    assert event.target_id == due.id and event.organisation_id == org.id

    again = runner.invoke(args=["eraati", "tick"])
    assert again.exit_code == 0 and "Nothing to close." in again.output
    assert len(_events("topic.close")) == 1


def test_close_due_topics_takes_the_time_as_a_parameter(db, org):
    topic = factories.make_topic(org, slug="huomenna", closes_in=timedelta(days=1))
    db.session.commit()
    assert services.close_due_topics(now=utcnow()) == []
    closed = services.close_due_topics(now=utcnow() + timedelta(days=2))
    assert [t.id for t in closed] == [topic.id] and topic.status == TopicStatus.CLOSED


# --- preview ---------------------------------------------------------------------------------


def _token(topic) -> str | None:
    return _reload(topic).preview_token


def test_a_preview_link_shows_the_draft_to_anyone_with_it(browser, admin, draft_topic, client):
    assert browser.post(f"{_base(draft_topic)}/preview").status_code == 303
    token = _token(draft_topic)
    assert token and len(token) >= 40
    (event,) = _events("topic.preview")
    assert event.details == {"change": "created"}
    edit = text(browser.get(f"{_base(draft_topic)}/edit"))
    assert f"http://localhost/preview/{token}" in edit
    with client.session_transaction() as session:
        session.clear()  # a colleague without an account
    assert browser.get("/keitele/luonnos").status_code == 302  # the draft itself is closed
    response = browser.get(f"/preview/{token}")
    assert response.status_code == 200
    page = main_of(text(response))
    assert "Luonnos" in page
    assert tr("Preview.", "fi") in page
    assert (
        tr(
            "This consultation is not public yet. Only the organisation's staff can see this page.",
            "fi",
        )
        not in page
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert 'name="body"' not in page  # read only


def test_a_drafts_preview_shows_its_poll_to_read_not_empty_results(browser, admin, db, org, client):
    """As the page of an upcoming topic: the questions and options, nothing to answer, no
    "No answers yet" results and no stance counts."""
    topic = factories.make_topic(
        org,
        slug="luonnos",
        title="Luonnos",
        status=TopicStatus.DRAFT,
        opens_in=timedelta(days=1),
        closes_in=timedelta(days=30),
        with_poll=True,
        stances_enabled=True,
    )
    db.session.commit()
    browser.post(f"{_base(topic)}/preview")
    token = _token(topic)
    staff_page = main_of(text(browser.get("/keitele/luonnos")))  # staff at its address
    with client.session_transaction() as session:
        session.clear()
    preview_page = main_of(text(browser.get(f"/preview/{token}")))

    for page in (preview_page, staff_page):
        poll = page.split('id="poll"')[1].split("</section>")[0]
        for shown in ("Mikä vaihtoehto?", "Kyllä", "En osaa sanoa", "Mitkä palvelut?", "Uimahalli"):
            assert shown in poll
        assert (
            tr(
                "The poll can be answered once the consultation opens. Here are its questions and "
                "options, so that you can think about your answers beforehand.",
                "fi",
            )
            in poll
        )
        assert tr("No answers yet.", "fi") not in page
        assert tr("Results", "fi") not in poll
        assert "stance-counts" not in page and 'name="stance"' not in page
        assert 'name="q' not in page  # nothing to answer
        assert tr("How to take part", "fi") in page


def test_a_renewed_link_replaces_the_old_and_a_revoked_one_stops(browser, admin, draft_topic):
    browser.post(f"{_base(draft_topic)}/preview")
    first = _token(draft_topic)
    browser.post(f"{_base(draft_topic)}/preview")
    second = _token(draft_topic)
    assert second != first
    assert browser.get(f"/preview/{first}").status_code == 404
    assert browser.get(f"/preview/{second}").status_code == 200
    assert browser.post(f"{_base(draft_topic)}/preview/revoke").status_code == 303
    assert _token(draft_topic) is None
    assert browser.get(f"/preview/{second}").status_code == 404
    changes = [e.details["change"] for e in _events("topic.preview")]
    assert changes == ["created", "renewed", "revoked"]


def test_unknown_preview_links_are_not_found(browser, draft_topic):
    assert browser.get("/preview/arvaus").status_code == 404
    assert browser.get("/preview/" + "x" * 100).status_code == 404


def test_the_preview_shows_images_through_the_link(browser, admin, draft_topic, client):
    image = make_file(draft_topic, FileKind.IMAGE, texts={"fi": "Kartta"})
    db.session.commit()
    browser.post(f"{_base(draft_topic)}/preview")
    token = _token(draft_topic)
    with client.session_transaction() as session:
        session.clear()
    page = text(browser.get(f"/preview/{token}"))
    src = f"/files/{image.id}/kartta.png?preview={token}"
    assert f'<img src="{src}" alt="Kartta">' in page
    response = browser.get(src)
    assert response.status_code == 200 and response.data == PNG
    assert browser.get(f"/files/{image.id}/kartta.png?preview=wrong").status_code == 302
    assert count(Topic) == 1
