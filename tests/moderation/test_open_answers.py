"""A survey's open answers in the moderation, as comments are: the list of those waiting
for a check (with its count on the queue and the staff results), marking them checked,
hiding and restoring from the list, the audit rows, the pages' cost and their pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations import participation
from eraati.consultations.models import Answer
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from tests import factories
from tests.results.support import html

LIST = "/staff/keitele/moderation/answers"


@pytest.fixture
def open_q(db, open_topic):
    open_q, _scale, _ranking = factories.add_survey_questions(open_topic)
    db.session.commit()
    return open_q


def _answer(topic, open_q, n: int, text: str | None = None, *, now=None):
    """Person ``n`` answers (their account made on their first answer)."""
    email = f"vastaaja{n}@example.fi"
    person = db.session.scalar(sa.select(User).where(User.email == email))
    person = person or factories.make_user(email)
    participation.answer_poll(
        topic, person, {open_q.id: text or f"Vastaus numero {n}"}, now=now or utcnow()
    )
    db.session.commit()


def _id(text: str) -> int:
    return db.session.scalar(sa.select(Answer.id).where(Answer.text == text))


def _listed(page: str) -> list[str]:
    return re.findall(r"Vastaus numero \d+(?: muutettu)?", page)


def test_waiting_answers_are_listed_counted_and_leave_when_checked(
    client, login_as, browser, open_topic, open_q, moderator
):
    start = utcnow() - timedelta(hours=1)
    for n in range(3):
        _answer(open_topic, open_q, n, now=start + timedelta(minutes=n))
    login_as(moderator)
    queue = html(browser.get("/staff/keitele/moderation"))
    assert f'href="{LIST}"' in queue and "3 waiting" in queue
    page = html(browser.get(LIST))
    assert _listed(page) == ["Vastaus numero 0", "Vastaus numero 1", "Vastaus numero 2"]

    first = _id("Vastaus numero 0")
    response = browser.post(f"{LIST}/checked", data={"ids": [str(first)], "next": LIST})
    assert response.status_code == 303 and response.headers["Location"] == LIST
    assert db.session.get(Answer, first).checked_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "answer.check"))
    assert event.target_id == first and event.actor_id == moderator.id
    assert "Vastaus" not in str(event.details)  # the log never holds the text
    assert _listed(html(browser.get(LIST))) == ["Vastaus numero 1", "Vastaus numero 2"]
    assert "2 waiting" in html(browser.get("/staff/keitele/moderation"))
    # "All" still lists it, newest first, marked checked.
    every = html(browser.get(f"{LIST}?tab=all"))
    assert _listed(every) == ["Vastaus numero 2", "Vastaus numero 1", "Vastaus numero 0"]

    # Checking it again changes nothing and writes no second audit row.
    browser.post(f"{LIST}/checked", data={"ids": [str(first)]})
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "answer.check"))
        == 1
    )

    # The writer changes the answer: it waits again.
    _answer(open_topic, open_q, 0, "Vastaus numero 0 muutettu")
    assert _listed(html(browser.get(LIST)))[-1] == "Vastaus numero 0 muutettu"


def test_hiding_from_the_list_takes_a_reason_and_returns_to_the_list(
    client, login_as, browser, open_topic, open_q, moderator
):
    _answer(open_topic, open_q, 0)
    _answer(open_topic, open_q, 1)
    reason = ModerationReason(
        organisation_id=open_topic.organisation_id,
        texts={"en": "Names a person", "fi": "Nimeää henkilön"},
    )
    db.session.add(reason)
    db.session.commit()
    login_as(moderator)
    hidden = _id("Vastaus numero 1")
    page = html(browser.get(LIST))
    link = f"{LIST}/{hidden}?next="
    assert link in page
    response = browser.post(f"{LIST}/{hidden}/hide", data={"next": LIST, "details": ""})
    assert response.status_code == 422  # no reason: the form again, nothing hidden
    assert db.session.get(Answer, hidden).hidden_at is None
    response = browser.post(
        f"{LIST}/{hidden}/hide", data={"reason": str(reason.id), "details": "", "next": LIST}
    )
    assert response.status_code == 303 and response.headers["Location"] == LIST
    answer = db.session.get(Answer, hidden)
    assert answer.hidden_reason == "Nimeää henkilön" and answer.checked_at is not None
    assert _listed(html(browser.get(LIST))) == ["Vastaus numero 0"]  # hidden: not waiting
    every = html(browser.get(f"{LIST}?tab=all"))
    assert "Vastaus numero 1" in every and "Nimeää henkilön" in every
    response = browser.post(f"{LIST}/{hidden}/restore", data={"next": f"{LIST}?tab=all"})
    assert response.headers["Location"] == f"{LIST}?tab=all"
    assert db.session.get(Answer, hidden).hidden_at is None
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.target_id == hidden).order_by(AuditEvent.id)
    ).all()
    assert actions == ["answer.hide", "answer.restore"]


def test_the_staff_results_say_how_many_wait_and_link_the_list(
    client, login_as, browser, open_topic, open_q, moderator, preparer
):
    _answer(open_topic, open_q, 0)
    _answer(open_topic, open_q, 1)
    url = f"/staff/keitele/topics/{open_topic.id}/results-overview"
    login_as(moderator)
    page = html(browser.get(url))
    assert "2 open answers are waiting for a moderator&#39;s check." in page or (
        "2 open answers are waiting for a moderator's check." in page
    )
    assert f"{LIST}?topic={open_topic.id}" in page
    login_as(preparer)  # no right to moderate: no count, no link
    page = html(browser.get(url))
    assert "waiting for a moderator" not in page and LIST not in page
    assert browser.get(LIST).status_code == 403


def test_another_organisations_answer_cannot_be_checked(
    client, login_as, browser, open_topic, open_q, other_org_moderator, other_org
):
    _answer(open_topic, open_q, 0)
    login_as(other_org_moderator)
    answer_id = _id("Vastaus numero 0")
    response = browser.post(
        f"/staff/{other_org.slug}/moderation/answers/checked", data={"ids": [str(answer_id)]}
    )
    assert response.status_code == 404
    assert db.session.get(Answer, answer_id).checked_at is None
    assert browser.get(f"{LIST}?topic=999999").status_code == 403


def test_no_selection_is_an_error_beside_the_list(
    client, login_as, browser, open_topic, open_q, moderator
):
    _answer(open_topic, open_q, 0)
    login_as(moderator)
    response = browser.post(f"{LIST}/checked", data={})
    assert response.status_code == 422
    assert "Select at least one answer." in html(response)


def test_the_list_costs_the_same_statements_and_pages_through_every_answer(
    app, client, login_as, browser, open_topic, open_q, moderator
):
    login_as(moderator)
    start = utcnow() - timedelta(days=1)
    counts = []
    for first, last in ((0, 3), (3, 30)):
        for n in range(first, last):
            _answer(open_topic, open_q, n, now=start + timedelta(minutes=n))
        assert browser.get(LIST).status_code == 200
        counts.append(browser.queries)
        assert browser.get(f"{LIST}?tab=all").status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts

    app.config["MODERATION_PER_PAGE"] = 7
    try:
        for tab, expected in (
            ("", [f"Vastaus numero {n}" for n in range(30)]),
            ("tab=all&", [f"Vastaus numero {n}" for n in reversed(range(30))]),
        ):
            seen: list[str] = []
            url = f"{LIST}?{tab}".rstrip("?&")
            while url:
                page = html(browser.get(url))
                seen += _listed(page)
                more = re.search(r'href="([^"]*after=[^"]*)"[^>]*rel="next"', page)
                url = more.group(1).replace("&amp;", "&") if more else None
            assert seen == expected
    finally:
        app.config.pop("MODERATION_PER_PAGE")


def test_a_hidden_open_answer_is_left_out_of_the_report_and_marked_in_every_export(
    db, open_topic, open_q, moderator
):
    """The rule, in one place: the report (DOCX and PDF) quotes only shown answers; the
    staff's raw exports keep every answer, the hidden one marked hidden with its reason."""
    import io
    import json

    import openpyxl

    from eraati.exports import services as exports
    from eraati.moderation import services
    from tests.reports.support import docx_text, make, pdf_text, squeeze

    _answer(open_topic, open_q, 0)
    _answer(open_topic, open_q, 1)
    reason = ModerationReason(organisation_id=open_topic.organisation_id, texts={"fi": "Syy"})
    db.session.add(reason)
    db.session.flush()
    answer = db.session.get(Answer, _id("Vastaus numero 1"))
    services.hide_answer(answer, open_q, reason, None, moderator)
    db.session.commit()

    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = squeeze(read(make(open_topic, fmt, "en")))
        assert squeeze("Vastaus numero 0") in text
        assert squeeze("Vastaus numero 1") not in text

    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(exports.prepare(open_topic, "xlsx", "en").chunks))
    )
    header, *rows = [[c.value for c in row] for row in book["Poll answers"].iter_rows()]
    mine = [dict(zip(header, r, strict=True)) for r in rows if r[1] == "What else?"]
    assert [(r["Hidden by a moderator"], r["Reason for hiding"]) for r in mine] == [
        ("no", None),
        ("yes", "Syy"),
    ]
    assert mine[1]["Open answer"] != "Vastaus numero 1"  # its text left out by default

    data = json.loads(b"".join(exports.prepare(open_topic, "json", "en").chunks))
    texts = json.dumps(data, ensure_ascii=False)
    assert "Vastaus numero 0" in texts and "Vastaus numero 1" not in texts
    assert '"Syy"' in texts
