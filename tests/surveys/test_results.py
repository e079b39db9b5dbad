"""Survey results per kind, checked against the answer rows: the figures, the staff and
public pages (open texts only for the staff), the report, the raw exports, moderation of
open answers, and the cost of the pages in respondents."""

from __future__ import annotations

import io
import itertools
import statistics

import openpyxl
import pytest
import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations import participation
from eraati.consultations.models import Answer, AnswerChoice, TopicStatus
from eraati.core.time import utcnow
from eraati.exports import services as exports
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.results import queries
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.exports.support import read_csv
from tests.reports.support import docx_text, make, pdf_text, squeeze
from tests.results.support import html, public_url, staff_url, tables

ORDERS = list(itertools.permutations(range(3)))


@pytest.fixture
def survey(db, open_topic):
    single, multiple = open_topic.questions
    extra = factories.add_survey_questions(open_topic)
    db.session.commit()
    return (single, multiple, *extra)


def _answer_many(topic, survey, start: int, stop: int) -> None:
    """People ``start``..``stop`` answer: scale n % 5 + 1, ranking the n-th order, open
    text for every third."""
    single, _multiple, open_q, scale, ranking = survey
    for n in range(start, stop):
        person = factories.make_user(f"vastaaja{n}@example.fi")
        order = [ranking.options[i].id for i in ORDERS[n % len(ORDERS)]]
        replies = {
            single.id: {single.options[n % 3].id},
            scale.id: n % 5 + 1,
            ranking.id: order,
            open_q.id: f"Vastaus numero {n}" if n % 3 == 0 else None,
        }
        participation.answer_poll(topic, person, replies)
    db.session.commit()


def _rows(question_id: int):
    return db.session.execute(
        sa.select(Answer.id, Answer.value, Answer.text).where(Answer.question_id == question_id)
    ).all()


def test_figures_agree_with_the_rows(db, open_topic, survey):
    _answer_many(open_topic, survey, 0, 23)
    _single, _multiple, open_q, scale, ranking = survey
    figures = {q.question_id: q for q in queries.polls(open_topic, "en")}

    values = [v for _id, v, _t in _rows(scale.id)]
    s = figures[scale.id]
    assert s.kind == "scale" and s.respondents == len(values) == 23
    assert [c.count for c in s.scale] == [values.count(v) for v in range(1, 6)]
    assert s.mean == pytest.approx(statistics.mean(values))
    assert s.median == statistics.median(values)

    places = db.session.execute(
        sa.select(AnswerChoice.option_id, AnswerChoice.rank)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.question_id == ranking.id)
    ).all()
    r = figures[ranking.id]
    assert r.respondents == 23
    for option in r.options:
        mine = [rank for o, rank in places if o == option.option_id]
        assert option.mean_rank == pytest.approx(statistics.mean(mine))
        assert option.count == mine.count(1)
    assert [o.mean_rank for o in r.options] == sorted(o.mean_rank for o in r.options)

    texts = [t for _id, _v, t in _rows(open_q.id)]
    assert figures[open_q.id].respondents == len(texts) == 8  # 0, 3, ..., 21
    assert figures[open_q.id].options == []


def test_staff_page_shows_each_kind_and_the_open_answers(
    db, client, login_as, browser, open_topic, survey, preparer, moderator
):
    _answer_many(open_topic, survey, 0, 6)
    open_q = survey[2]
    choose_language(client, "en")
    login_as(moderator)
    page = html(browser.get(staff_url(open_topic)))
    found = tables(page)
    scale_rows = found["How satisfied?"]
    assert scale_rows[1][:2] == ["1 – Very unhappy", "2"]  # values 1 and 2 came twice
    assert scale_rows[5][:2] == ["5 – Very happy", "1"]
    assert "Mean 2.7, median 2.5" in page
    assert found["What matters most?"][0] == ["Option", "Average place", "First place"]
    assert "Vastaus numero 3" in page and "Vastaus numero 0" in page
    assert "2 people answered in their own words." in page
    answer_id = db.session.scalar(
        sa.select(Answer.id).where(
            Answer.question_id == open_q.id, Answer.text == "Vastaus numero 3"
        )
    )
    assert f"/staff/keitele/moderation/answers/{answer_id}" in page  # a moderator may hide it

    login_as(preparer)  # staff who do not moderate read them without the link
    page = html(browser.get(staff_url(open_topic)))
    assert "Vastaus numero 3" in page and "/moderation/answers/" not in page


def test_public_results_count_but_do_not_show_the_open_answers(
    db, client, browser, open_topic, survey
):
    _answer_many(open_topic, survey, 0, 6)
    open_topic.status = TopicStatus.PUBLISHED
    db.session.commit()
    choose_language(client, "en")
    page = html(browser.get(public_url(open_topic)))
    assert "2 people answered in their own words." in page
    assert "Vastaus numero" not in page
    assert "How satisfied?" in tables(page)
    topic_page = html(browser.get(f"/{open_topic.organisation.slug}/{open_topic.slug}"))
    assert "Vastaus numero" not in topic_page
    assert "Average 2.7, median 2.5" in topic_page


def test_staff_results_cost_the_same_statements_for_few_and_many_respondents(
    db, client, login_as, browser, open_topic, survey, moderator
):
    login_as(moderator)
    counts = []
    for start, stop in ((0, 4), (4, 40)):
        _answer_many(open_topic, survey, start, stop)
        assert browser.get(staff_url(open_topic)).status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts
    counts = []
    for start, stop in ((40, 41), (41, 60)):
        _answer_many(open_topic, survey, start, stop)
        assert browser.get(f"/{open_topic.organisation.slug}/{open_topic.slug}").status_code == 200
        counts.append(browser.queries)
    assert counts[0] == counts[1], counts


def test_a_moderator_hides_and_restores_an_open_answer(
    db, client, login_as, browser, open_topic, survey, moderator
):
    _answer_many(open_topic, survey, 0, 4)
    open_q = survey[2]
    reason = ModerationReason(
        organisation_id=open_topic.organisation_id,
        texts={"en": "Names a person", "fi": "Nimeää henkilön"},
    )
    db.session.add(reason)
    db.session.commit()
    answer_id = db.session.scalar(
        sa.select(Answer.id).where(
            Answer.question_id == open_q.id, Answer.text == "Vastaus numero 3"
        )
    )
    url = f"/staff/keitele/moderation/answers/{answer_id}"
    choose_language(client, "en")
    login_as(moderator)
    assert "Vastaus numero 3" in html(browser.get(url))
    response = browser.post(f"{url}/hide", data={"details": "liian tarkka"})
    assert response.status_code == 422  # no reason chosen: shown beside the field
    assert "Choose a reason." in html(response) and "liian tarkka" in html(response)
    assert db.session.get(Answer, answer_id).hidden_at is None
    response = browser.post(f"{url}/hide", data={"reason": str(reason.id), "details": ""})
    assert response.status_code == 303
    answer = db.session.get(Answer, answer_id)
    assert (
        answer.hidden_at is not None and answer.hidden_reason == "Nimeää henkilön"
    )  # the organisation's language
    assert answer.text == "Vastaus numero 3"  # kept
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "answer.hide"))
    assert event.target_id == answer_id and "Vastaus" not in str(event.details)
    page = html(browser.get(staff_url(open_topic)))
    assert "Hidden by a moderator: Nimeää henkilön" in page
    # Left out of the report; in the raw export marked hidden, its text left out.
    report = docx_text(make(open_topic, "docx", "en"))
    assert "Vastaus numero 0" in report and "Vastaus numero 3" not in report
    assert browser.post(f"{url}/restore").status_code == 303
    assert db.session.get(Answer, answer_id).hidden_at is None


def test_the_report_has_every_kind(db, open_topic, survey):
    _answer_many(open_topic, survey, 0, 6)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = squeeze(read(make(open_topic, fmt, "en")))
        assert squeeze("How satisfied?") in text
        assert squeeze("Mean 2.7, median 2.5") in text
        assert squeeze("What matters most?") in text and squeeze("Average place") in text
        assert squeeze("Vastaus numero 3") in text
        assert squeeze("What else?") in text


def test_the_raw_exports_carry_every_kind(db, open_topic, survey):
    _answer_many(open_topic, survey, 0, 3)
    data = b"".join(exports.prepare(open_topic, "csv-answers-excel", "en").chunks)
    header, *rows = read_csv(data, excel=True)
    assert header == [
        "Participant (pseudonym)",
        "Question",
        "Kind of question",
        "Chosen options",
        "Value (1–5)",
        "Open answer",
        "Hidden by a moderator",
        "Reason for hiding",
        "Time",
    ]
    by_question: dict[str, list[list[str]]] = {}
    for row in rows:
        by_question.setdefault(row[1], []).append(row)
    assert [r[4] for r in by_question["How satisfied?"]] == ["1", "2", "3"]
    assert {r[2] for r in by_question["How satisfied?"]} == {"Scale 1–5"}
    first = by_question["What matters most?"][0]
    assert first[3] == "1. Aamut; 2. Illat; 3. Viikonloput"  # person 0: the first order
    assert [r[5] for r in by_question["What else?"]] == ["Vastaus numero 0"]
    assert by_question["Which option?"][1][3] == "Ei"
    assert len(rows) == 3 * 3 + 1  # single, scale, ranking from three, one open answer
    # The workbook's sheet has the same columns.
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(exports.prepare(open_topic, "xlsx", "en").chunks))
    )
    sheet = book["Poll answers"]
    assert [c.value for c in sheet[1]] == header


def test_scale_and_ranking_charts_are_accessible_and_draw_their_tables(db, app, open_topic, survey):
    from flask_babel import force_locale

    from eraati.results import display
    from eraati.results.figures import topic_figures
    from tests.results.test_charts import bars_of, check_accessible, parse

    _answer_many(open_topic, survey, 0, 7)
    with app.test_request_context(), force_locale("fi"):
        built = display.result_charts(topic_figures(open_topic, locale="fi"))
    by_caption = {ct.caption: ct for ct in built.polls}
    assert set(by_caption) == {
        "Mikä vaihtoehto?",
        "Mitkä palvelut?",
        "Kuinka tyytyväinen?",
        "Mikä tärkeintä?",
    }
    assert [q.text for q in built.open_questions] == ["Mitä muuta?"]
    for caption in ("Kuinka tyytyväinen?", "Mikä tärkeintä?"):
        ct = by_caption[caption]
        root = parse(ct.svg)
        check_accessible(root, ct.caption)
        rects = bars_of(root)
        assert len(rects) == len(ct.rows)
        for rect, row in zip(rects, ct.rows, strict=True):
            title = rect.find("svg:title", {"svg": "http://www.w3.org/2000/svg"}).text
            assert title.startswith(f"{row.label}: {row.cells[ct.charted]}")
    assert by_caption["Kuinka tyytyväinen?"].note.startswith("Keskiarvo 2,6, mediaani 2,0")


def test_a_hidden_open_answers_text_is_left_out_of_the_answers_csv_unless_asked(
    db, open_topic, survey, moderator
):
    _answer_many(open_topic, survey, 0, 4)
    open_q = survey[2]
    answer = db.session.scalar(
        sa.select(Answer).where(Answer.question_id == open_q.id, Answer.text == "Vastaus numero 3")
    )
    answer.hidden_at, answer.hidden_by_id, answer.hidden_reason = utcnow(), moderator.id, "Syy"
    db.session.commit()

    def rows(**kw) -> dict[str, list[str]]:
        data = b"".join(exports.prepare(open_topic, "csv-answers-excel", "en", **kw).chunks)
        lines = read_csv(data, excel=True)
        lines = lines[1:] if len(lines[0]) == 1 else lines  # the notice of hidden texts
        header, *body = lines
        return [dict(zip(header, line, strict=True)) for line in body if line[1] == "What else?"]

    by_default = rows()
    assert [r["Open answer"] for r in by_default] == [
        "Vastaus numero 0",
        "[Text left out: hidden by the moderator]",
    ]
    assert [(r["Hidden by a moderator"], r["Reason for hiding"]) for r in by_default] == [
        ("no", ""),
        ("yes", "Syy"),
    ]
    assert [r["Open answer"] for r in rows(hidden_texts=True)] == [
        "Vastaus numero 0",
        "Vastaus numero 3",
    ]
