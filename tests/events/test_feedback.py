"""Paper and event feedback names the event where it was collected; the report lists the
events and says how much feedback came from each; the raw data carries the event's id."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from eraati.consultations.models import Comment, CommentSource, CommentStatus
from eraati.core.time import HELSINKI, utcnow
from eraati.exports import services as exports
from eraati.extensions import db
from tests.curation.support import audit, comments_of, field_error, staff_path, text
from tests.events.support import make_event
from tests.reports.support import docx_text, make, pdf_text, squeeze


def _form(**overrides) -> dict[str, str]:
    data = {
        "body": "Kirjastoauto lauantaisin kyläkaupalle.",
        "source": "paper",
        "received_on": (utcnow().astimezone(HELSINKI).date() - timedelta(days=1)).isoformat(),
        "place": "Keiteleen kirjasto",
        "language": "fi",
    }
    data.update(overrides)
    return data


def test_feedback_entered_from_an_event_is_linked_to_it(
    db, browser, login_as, moderator, open_topic
):
    event = make_event(open_topic, days=-1, place="Keiteleen kirjasto")
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(staff_path(open_topic, "/paper")))
    assert f'<option value="{event.id}">' in page and "Not at an event" in page
    response = browser.post(staff_path(open_topic, "/paper"), data=_form(event=str(event.id)))
    assert response.status_code == 303
    [entry] = [c for c in comments_of(open_topic) if c.source != CommentSource.WEB]
    assert entry.event_id == event.id
    [row] = audit("paper.add")
    assert row.details["event_id"] == event.id
    # The next form is filled in like the previous one, the event too.
    page = text(browser.get(response.headers["Location"]))
    assert f'<option selected value="{event.id}">' in page


def test_an_event_of_another_topic_is_refused(
    db, browser, login_as, moderator, open_topic, closed_topic
):
    other = make_event(closed_topic, days=-3)
    db.session.commit()
    login_as(moderator)
    response = browser.post(staff_path(open_topic, "/paper"), data=_form(event=str(other.id)))
    assert response.status_code == 422
    assert field_error(text(response), "event") == "Choose an event from the list."
    assert [c for c in comments_of(open_topic) if c.source != CommentSource.WEB] == []


def test_without_events_the_form_has_no_event_choice(db, browser, login_as, moderator, open_topic):
    login_as(moderator)
    assert 'name="event"' not in text(browser.get(staff_path(open_topic, "/paper")))
    assert browser.post(staff_path(open_topic, "/paper"), data=_form()).status_code == 303


def _with_feedback(topic, event, count: int, *, hidden: int = 0) -> None:
    for i in range(count + hidden):
        topic_comment = Comment(
            topic_id=topic.id,
            body=f"Palaute {i}",
            source=CommentSource.EVENT,
            status=CommentStatus.HIDDEN if i >= count else CommentStatus.VISIBLE,
            received_on=date(2027, 1, 12),
            place=event.place,
            event_id=event.id,
        )
        db.session.add(topic_comment)
    db.session.flush()


@pytest.fixture
def report_topic(db, closed_topic):
    evening = make_event(closed_topic, days=-10, place="Keiteleen kirjasto")
    quiet = make_event(closed_topic, days=-8, place="Tervon kirjasto", languages="sv")
    _with_feedback(closed_topic, evening, 34, hidden=2)
    db.session.commit()
    return closed_topic, evening, quiet


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fi", "Tilaisuudesta {date}, Keiteleen kirjasto, kirjattiin 34 kommenttia."),
        ("sv", "Från evenemanget den {date}, Keiteleen kirjasto, fördes 34 kommentarer in."),
        ("en", "34 comments were entered from the event of {date} at Keiteleen kirjasto."),
    ],
)
def test_the_report_tells_the_feedback_of_each_event(report_topic, lang, sentence):
    from eraati.reports.words import day

    topic, evening, _quiet = report_topic
    with_date = sentence.format(date=day(evening.starts_at.astimezone(HELSINKI).date(), lang))
    docx = docx_text(make(topic, "docx", lang))
    assert with_date in docx
    assert "Tervon kirjasto" in docx  # listed, though nothing was entered from it
    assert (
        docx.count("comments were entered") + docx.count("kirjattiin") + docx.count("fördes") == 1
    )
    assert squeeze(with_date) in squeeze(pdf_text(make(topic, "pdf", lang)))


def test_one_comment_is_said_in_the_singular(db, closed_topic):
    event = make_event(closed_topic, days=-10, place="Keiteleen kirjasto")
    _with_feedback(closed_topic, event, 1)
    db.session.commit()
    assert "1 comment was entered from the event" in docx_text(make(closed_topic, "docx", "en"))
    assert "kirjattiin 1 kommentti." in docx_text(make(closed_topic, "docx", "fi"))


def test_the_raw_data_names_the_event_of_each_comment(db, report_topic):
    topic, evening, _quiet = report_topic
    data = b"".join(exports.prepare(topic, "json", "en").chunks)
    rows = json.loads(data)["comments"]
    assert len([r for r in rows if r["event_id"] == evening.id]) == 36  # hidden ones too
    assert {r["event_id"] for r in rows} <= {evening.id, None}
