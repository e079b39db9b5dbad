"""Each format read back from the bytes a download would send: what is in it, how times
and values are written, pseudonyms, and what must never be in it."""

from __future__ import annotations

import inspect
import io
import re
from datetime import datetime

import openpyxl
import pytest
import sqlalchemy as sa
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.consultations.models import (
    Answer,
    AnswerChoice,
    Comment,
    CommentVote,
    Stance,
    Theme,
    TopicStance,
    VoteValue,
    comment_themes,
)
from eraati.core import pseudonyms
from eraati.exports import cells, polis_rows, rows, services
from eraati.exports.formats import FORMATS
from eraati.extensions import db
from tests import factories
from tests.exports.support import (
    all_text,
    csv_records,
    read_csv,
    read_json,
    read_zip_csv,
)

PSEUDONYM = re.compile(r"^P-[0-9a-f]{8}$")
UNREGISTERED = re.compile(r"^A-[0-9a-f]{8}$")
EN_HEADER = [
    "Comment ID",
    "Reply to comment",
    "Written",
    "Channel",
    "Status",
    "Reason for hiding",
    "Writer (pseudonym)",
    "Language",
    "Comment",
    "Agree",
    "Disagree",
    "Pass",
    "Themes",
    "Key comment",
    "Official reply",
    "Place",
    "Received on",
    "Event ID",
    "Place on the map",
    "Latitude (WGS 84)",
    "Longitude (WGS 84)",
    "Part",
    "Paragraph",
    "Quoted paragraph",
]


def export(topic, code: str, lang: str = "en") -> bytes:
    return b"".join(services.prepare(topic, code, lang).chunks)


def by_text(records: list[dict], *, excel: bool = False) -> dict[str, dict]:
    """Rows by their comment's text as written (the CSV for Excel's cells restored)."""
    return {cells.restore(r["Comment"]) if excel else r["Comment"]: r for r in records}


# --- CSV -----------------------------------------------------------------------------------------


def test_standard_csv_is_for_programs(world):
    data = export(world.topic, "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") >= 8  # CRLF line ends (RFC 4180)
    header, *_ = read_csv(data, excel=False)
    assert header == EN_HEADER
    records = csv_records(data, excel=False)
    c = world.comments
    # Shown and hidden comments, in id order; pending and deleted ones are left out.
    assert [int(r["Comment ID"]) for r in records] == sorted(
        x.id for k, x in c.items() if k not in ("pending", "deleted")
    )
    texts = by_text(records)
    web = texts[c["web"].body]
    assert web["Written"] == "2026-03-01T10:40:00Z"
    assert (web["Channel"], web["Status"], web["Key comment"]) == ("web", "visible", "true")
    assert (web["Agree"], web["Disagree"], web["Pass"]) == ("2", "1", "0")
    assert web["Themes"] == "Aukioloajat; Liikenne"  # by theme position
    assert PSEUDONYM.match(web["Writer (pseudonym)"])
    reply = texts[c["reply"].body]
    assert reply["Reply to comment"] == str(c["web"].id)
    assert reply["Comment"] == c["reply"].body  # as written: programs evaluate nothing
    assert texts[c["official"].body]["Writer (pseudonym)"] == "Keitele"
    assert texts[c["official"].body]["Official reply"] == "true"
    anonymous = texts[c["anonymous"].body]  # newline, quotes and a semicolon survive
    assert anonymous["Channel"] == "anonymous"
    assert UNREGISTERED.match(anonymous["Writer (pseudonym)"])
    paper = texts[c["paper"].body]
    assert (paper["Channel"], paper["Place"], paper["Received on"]) == (
        "paper",
        "Pääkirjasto",
        "2026-02-27",
    )
    assert texts[c["event"].body]["Comment"] == "@tapahtuma palaute"
    (hidden,) = [r for r in records if r["Comment ID"] == str(c["hidden"].id)]
    assert (hidden["Status"], hidden["Reason for hiding"]) == ("hidden", "Asiaton kielenkäyttö")
    assert hidden["Comment"] == "[Text left out: hidden by the moderator]"
    assert web["Reason for hiding"] == ""


def test_excel_csv_opens_in_finnish_excel(world):
    data = export(world.topic, "csv-excel")
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    header, *_ = read_csv(data, excel=True)
    assert header == EN_HEADER
    texts = by_text(csv_records(data, excel=True), excel=True)
    c = world.comments
    web = texts[c["web"].body]
    assert web["Written"] == "01.03.2026 12:40"  # Helsinki time, dd.mm.yyyy hh:mm
    assert (web["Channel"], web["Status"], web["Key comment"]) == (
        "Web, registered",
        "Shown",
        "yes",
    )
    assert texts[c["paper"].body]["Received on"] == "27.02.2026"
    assert texts["[Text left out: hidden by the moderator]"]["Status"] == "Hidden by the moderator"
    assert texts[c["anonymous"].body]["Channel"] == "Web, anonymous"
    assert texts[c["reply"].body]["Comment"].startswith("'=")
    assert texts[c["event"].body]["Comment"] == "'@tapahtuma palaute"


def test_headings_and_words_follow_the_chosen_language(world):
    data = export(world.topic, "csv-excel", "sv")
    header, first, *_ = read_csv(data, excel=True)
    assert "Kommentar" in header
    assert "Comment" not in header
    assert first[header.index("Kanal")] == "Webben, registrerad"


# --- JSON ----------------------------------------------------------------------------------------


def test_json_holds_the_topic_and_every_table(world):
    doc = read_json(export(world.topic, "json"))
    assert doc["format"] == "eraati-topic-export"
    assert doc["topic"]["id"] == world.topic.id
    assert doc["topic"]["title"] == "Kirjaston aukioloajat"
    assert doc["topic"]["organisation"] == "Keitele"
    assert doc["labels"]["comments"]["columns"]["text"] == "Comment"
    comments = {c["text"]: c for c in doc["comments"]}
    web = comments[world.comments["web"].body]
    assert web["created_at"] == "2026-03-01T10:40:00Z"
    assert web["is_key"] is True
    assert web["received_on"] is None
    assert comments[world.comments["reply"].body]["text"].startswith("=HYPERLINK")  # as written
    assert comments[world.comments["paper"].body]["received_on"] == "2026-02-27"
    assert sorted(s["stance"] for s in doc["stances"]) == ["oppose", "support"]
    answers = {a["question"]: a["options"] for a in doc["poll_answers"]}
    assert answers == {
        "Which option?": "Kyllä",
        # Options in their order, whichever was chosen first.
        "Which services?": "Kirjasto; Terveysasema",
    }
    assert doc["themes"] == [
        {"theme": "Aukioloajat", "comments": 2},
        {"theme": "Liikenne", "comments": 1},
    ]


def test_participation_counts_channels_and_home_municipalities_in_sql(world):
    doc = read_json(export(world.topic, "json"))
    channels = {p["group"]: p["count"] for p in doc["participation"] if p["breakdown"] == "channel"}
    # web: aino, olli's reply and hidden comment, the official reply; pending/deleted not.
    assert channels == {"web": 4, "anonymous": 1, "paper": 1, "event": 1}
    homes = {
        (p["group"], p["municipality_code"]): p["count"]
        for p in doc["participation"]
        if p["breakdown"] == "home"
    }
    # Aino lives in Tervo, Olli in Keitele; Pekka (voted) and the admin (voted) said nothing.
    assert homes == {("Tervo", "844"): 1, ("Keitele", "239"): 1, ("", ""): 2}
    assert all(p["municipality_code"] == "" for p in doc["participation"][:4])  # channels


def test_participation_counts_home_municipalities_without_an_organisation_by_code(world):
    """The home municipality is a code: a municipality with no organisation on eRaati
    (Kiuruvesi) and "another municipality" are counted too, named in the file's language."""
    world.people["pekka"].home_municipality_code = "263"  # Kiuruvesi, no organisation
    world.people["staff"].home_municipality_code = "other"
    db.session.commit()
    doc = read_json(export(world.topic, "json", lang="sv"))
    homes = {
        (p["group"], p["municipality_code"]): p["count"]
        for p in doc["participation"]
        if p["breakdown"] == "home"
    }
    assert homes == {
        ("Tervo", "844"): 1,
        ("Keitele", "239"): 1,
        ("Kiuruvesi", "263"): 1,
        ("other", ""): 1,
    }
    # For people (a spreadsheet) the codes are labels in the file's language.
    book = openpyxl.load_workbook(io.BytesIO(export(world.topic, "xlsx", lang="sv")))
    labels = {row[1] for row in book.worksheets[-1].iter_rows(values_only=True)}
    assert {"Kiuruvesi", "Annan kommun eller utomlands"} <= labels


# --- Polis ---------------------------------------------------------------------------------------


def test_polis_pair_has_the_polis_column_layout(world):
    data = export(world.topic, "polis")
    comments = read_zip_csv(data, "comments.csv")
    assert comments[0] == [
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
        "comment-body",
    ]
    by_id = {int(line[2]): line for line in comments[1:]}
    c = world.comments
    assert set(by_id) == {x.id for k, x in c.items() if k not in ("pending", "deleted")}
    web = by_id[c["web"].id]
    assert web[0] == str(int(c["web"].created_at.timestamp()))
    assert web[1] == "Sun Mar 01 2026 10:40:00 GMT+0000 (Coordinated Universal Time)"
    assert (web[4], web[5], web[6]) == ("2", "1", "1")
    assert by_id[c["hidden"].id][6] == "-1"
    assert by_id[c["reply"].id][7] == c["reply"].body  # as written

    votes = read_zip_csv(data, "participants-votes.csv")
    header = votes[0]
    assert header[:6] == [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
    ]
    assert [int(x) for x in header[6:]] == sorted(by_id)
    people = {int(line[0]): line for line in votes[1:]}
    assert sorted(people) == list(range(len(people)))  # 0..n-1, as Polis numbers them
    # Aino, Olli, Pekka and the admin; then the anonymous, paper and event writers.
    assert len(people) == 7
    # Every comment's author is a participant with that many comments.
    authored: dict[str, int] = {}
    for line in comments[1:]:
        authored[line[3]] = authored.get(line[3], 0) + 1
    assert {str(p): int(line[2]) for p, line in people.items() if line[2] != "0"} == authored
    column = {int(x): i for i, x in enumerate(header) if i >= 6}
    # Pekka wrote nothing: the one participant who passed on the reply.
    (pekka,) = [line for line in people.values() if line[column[c["reply"].id]] == "0"]
    assert pekka[column[c["web"].id]] == "1"
    assert pekka[column[c["reply"].id]] == "0"  # pass
    assert (pekka[3], pekka[4], pekka[5]) == ("2", "1", "0")  # the pending vote is not counted
    admin = people[int(by_id[c["official"].id][3])]
    assert admin[column[c["web"].id]] == "-1"
    anonymous = people[int(by_id[c["anonymous"].id][3])]
    assert anonymous[2:6] == ["1", "0", "0", "0"]
    assert set(anonymous[6:]) == {""}


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_table_with_frozen_headings_and_widths(world):
    book = openpyxl.load_workbook(io.BytesIO(export(world.topic, "xlsx")))
    assert book.sheetnames == ["Comments", "Stances", "Poll answers", "Themes", "Participation"]
    sheet = book["Comments"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == EN_HEADER
    assert sheet.column_dimensions["I"].width > 50  # the comment text
    assert sheet.column_dimensions["A"].width < 20
    lines = {line[8]: line for line in sheet.iter_rows(min_row=2, values_only=True)}
    web = lines[world.comments["web"].body]
    assert web[0] == world.comments["web"].id  # a number, not text
    assert web[2] == datetime(2026, 3, 1, 12, 40)  # a real date, in Helsinki time
    assert (web[3], web[4], web[13]) == ("Web, registered", "Shown", "yes")
    paper = lines[world.comments["paper"].body]
    assert paper[16] == datetime(2026, 2, 27)
    reply_row = next(
        row for row in sheet.iter_rows(min_row=2) if row[0].value == world.comments["reply"].id
    )
    assert reply_row[8].data_type == "s"  # text, never a formula
    assert reply_row[8].value == world.comments["reply"].body  # exactly as written
    themes = book["Themes"]
    assert [line for line in themes.iter_rows(values_only=True)] == [
        ("Theme", "Comments shown"),
        ("Aukioloajat", 2),
        ("Liikenne", 1),
    ]
    stances = list(book["Stances"].iter_rows(min_row=2, values_only=True))
    assert sorted(s[1] for s in stances) == ["Oppose", "Support"]
    assert book["Participation"].freeze_panes == "A2"


# --- formulas: guarded only where a spreadsheet evaluates the cell -----------------------------

FORMULA_TEXTS = ["=SUM(A1:A9)", "+358 40 123", "-5 astetta", "@kunta", "'lainaus", "\tsarkain"]


@pytest.fixture
def formula_comments(db, world):
    made = [
        Comment(topic_id=world.topic.id, author_id=world.people["aino"].id, body=text)
        for text in FORMULA_TEXTS
    ]
    db.session.add_all(made)
    db.session.commit()
    return {c.id: c.body for c in made}


def test_only_the_csv_for_excel_guards_formulas(world, formula_comments):
    def texts(records):
        return {
            int(r["Comment ID"]): r["Comment"]
            for r in records
            if int(r["Comment ID"]) in formula_comments
        }

    excel = texts(csv_records(export(world.topic, "csv-excel"), excel=True))
    assert excel == {cid: "'" + text for cid, text in formula_comments.items()}
    assert texts(csv_records(export(world.topic, "csv"), excel=False)) == formula_comments
    doc = read_json(export(world.topic, "json"))
    assert {c["id"]: c["text"] for c in doc["comments"] if c["id"] in formula_comments} == (
        formula_comments
    )
    polis = read_zip_csv(export(world.topic, "polis"), "comments.csv")
    assert {int(line[2]): line[7] for line in polis[1:] if int(line[2]) in formula_comments} == (
        formula_comments
    )


def test_the_workbook_holds_texts_as_text_cells_exactly_as_written(world, formula_comments):
    sheet = openpyxl.load_workbook(io.BytesIO(export(world.topic, "xlsx")))["Comments"]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in formula_comments:
            assert row[8].data_type == "s"  # a text cell: Excel never runs it
            found[row[0].value] = row[8].value
    assert found == formula_comments


# --- people --------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_no_name_nickname_or_e_mail_address_in_any_file(world, code):
    for lang in ("fi", "en"):
        text = all_text(export(world.topic, code, lang))
        for secret in world.secrets:
            assert secret not in text, (code, secret)
        assert "@example.fi" not in text


def test_pseudonyms_are_stable_and_the_same_in_every_format(world):
    first = csv_records(export(world.topic, "csv"), excel=False)
    again = csv_records(export(world.topic, "csv"), excel=False)
    assert [r["Writer (pseudonym)"] for r in first] == [r["Writer (pseudonym)"] for r in again]
    texts = by_text(first)
    aino = texts[world.comments["web"].body]["Writer (pseudonym)"]
    olli = texts[world.comments["reply"].body]["Writer (pseudonym)"]
    assert aino != olli
    (hidden,) = [r for r in first if r["Comment ID"] == str(world.comments["hidden"].id)]
    assert hidden["Writer (pseudonym)"] == olli
    doc = read_json(export(world.topic, "json"))
    assert {s["participant"] for s in doc["stances"]} >= {aino}  # Aino supports
    book = openpyxl.load_workbook(io.BytesIO(export(world.topic, "xlsx")))
    xlsx_authors = {line[6] for line in book["Comments"].iter_rows(min_row=2, values_only=True)}
    assert {aino, olli} <= xlsx_authors


def test_the_same_person_has_another_pseudonym_in_another_topic(db, world, app):
    other = factories.make_topic(world.org, slug="toinen")
    db.session.commit()
    aino = world.people["aino"]
    key = world.topic.pseudonym_key
    assert pseudonyms.person(key, aino.id) != pseudonyms.person(other.pseudonym_key, aino.id)
    app.config["EXPORT_PSEUDONYM_KEY"] = "another-key"
    try:
        changed = pseudonyms.person(key, aino.id)
    finally:
        del app.config["EXPORT_PSEUDONYM_KEY"]
    assert changed != pseudonyms.person(key, aino.id)


# --- streaming -----------------------------------------------------------------------------------


def _queries_for(topic, code: str) -> int:
    before = len(get_recorded_queries())
    export(topic, code)
    return len(get_recorded_queries()) - before


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_a_bigger_topic_costs_no_more_queries(db, org, preparer, code):
    counts = []
    for size in (3, 30):
        topic = factories.make_topic(org, with_poll=True)
        db.session.commit()
        _fill(topic, size)
        db.session.commit()
        db.session.expire_all()
        counts.append(_queries_for(topic, code))
    assert counts[0] == counts[1]


def _fill(topic, size: int) -> None:
    """``size`` people, each with a tagged comment, a vote, a stance and a poll answer."""
    theme = Theme(topic_id=topic.id, texts={"fi": "Teema"}, position=0)
    db.session.add(theme)
    users = [factories.make_user() for _ in range(size)]
    db.session.flush()
    question = topic.questions[0]
    first = None
    for user in users:
        comment = Comment(topic_id=topic.id, author_id=user.id, body=f"Kommentti {user.id}")
        db.session.add(comment)
        db.session.flush()
        first = first or comment
        db.session.execute(comment_themes.insert().values(comment_id=comment.id, theme_id=theme.id))
        answer = Answer(question_id=question.id, user_id=user.id)
        answer.choices.append(AnswerChoice(option_id=question.options[0].id))
        db.session.add_all(
            [
                answer,
                TopicStance(topic_id=topic.id, user_id=user.id, stance=Stance.SUPPORT),
                CommentVote(comment_id=first.id, user_id=user.id, value=VoteValue.AGREE),
            ]
        )
    db.session.flush()


def test_row_sources_are_generators(world):
    snap = rows.snapshot(world.topic, "fi", world.comments["web"].created_at)
    for source in (rows.comments, rows.stances, rows.poll_answers, polis_rows.comments):
        assert inspect.isgenerator(source(snap))


def test_another_topic_has_its_own_rows(db, world, other_org):
    other = factories.make_topic(other_org, slug="vieras", with_poll=True)
    db.session.commit()
    assert len(csv_records(export(world.topic, "csv"), excel=False)) == 7
    assert csv_records(export(other, "csv"), excel=False) == []
    doc = read_json(export(other, "json"))
    assert doc["stances"] == doc["poll_answers"] == doc["themes"] == []
    assert {p["count"] for p in doc["participation"]} == {0}


def test_comments_are_read_from_a_streaming_cursor(db, world):
    """``yield_per``: on PostgreSQL a server-side cursor, so a big topic never sits in the
    memory of the database driver either."""
    seen = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "FROM comments" in statement and "comment_themes" in statement:
            seen.append((context.execution_options.get("stream_results"), type(cursor).__name__))

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        export(world.topic, "csv")
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert [stream for stream, _ in seen] == [True]
    if engine.dialect.name == "postgresql":
        assert seen[0][1] == "ServerCursor"


def test_the_topic_in_json_has_its_phase_and_decision_context(db, closed_topic):
    doc = read_json(export(closed_topic, "json"))
    assert doc["topic"]["status"] == "closed"  # stored as open, but its deadline passed
    assert doc["topic"]["deciding_body"] == "Kunnanhallitus"
    assert doc["topic"]["case_number"] == closed_topic.case_number
    assert doc["topic"]["closes_at"] == cells.iso_moment(closed_topic.closes_at)


def test_the_json_names_the_deciding_body_of_its_languages_version(db, org):
    org.languages = "fi,sv"
    topic = factories.make_topic(org, title="Kaksikielinen", title_sv="Tvåspråkig")
    db.session.commit()
    bodies = {lang: read_json(export(topic, "json", lang))["topic"] for lang in ("fi", "sv", "en")}
    assert {lang: (t["title"], t["deciding_body"]) for lang, t in bodies.items()} == {
        "fi": ("Kaksikielinen", "Kunnanhallitus"),
        "sv": ("Tvåspråkig", "Kommunstyrelsen"),
        "en": ("Kaksikielinen", "Kunnanhallitus"),  # as the title: no English version
    }


@pytest.mark.parametrize(
    ("stored", "iso", "finnish", "excel"),
    [
        # SQLAlchemy's own form, and forms something else might write (SQL by hand).
        ("2026-03-01 10:40:00.250000", "2026-03-01T10:40:00Z", "01.03.2026 12:40", (12, 40, 0)),
        ("2026-03-01 10:40:00", "2026-03-01T10:40:00Z", "01.03.2026 12:40", (12, 40, 0)),
        ("2026-03-01 10:40", "2026-03-01T10:40:00Z", "01.03.2026 12:40", (12, 40, 0)),
        ("2026-07-01 14:40:00+02:00", "2026-07-01T12:40:00Z", "01.07.2026 15:40", (15, 40, 0)),
    ],
)
def test_a_comments_time_in_any_stored_form_is_written_right(
    db, world, stored, iso, finnish, excel
):
    comment = world.comments["web"]
    db.session.execute(
        sa.text("UPDATE comments SET created_at = :t WHERE id = :id"),
        {"t": stored, "id": comment.id},
    )
    db.session.commit()
    key = "Comment ID"
    program = {r[key]: r for r in csv_records(export(world.topic, "csv"), excel=False)}
    people = {r[key]: r for r in csv_records(export(world.topic, "csv-excel"), excel=True)}
    assert program[str(comment.id)]["Written"] == iso
    assert people[str(comment.id)]["Written"] == finnish
    book = openpyxl.load_workbook(io.BytesIO(export(world.topic, "xlsx")))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == comment.id]
    written = row[header.index("Written")]
    assert (written.hour, written.minute, written.second) == excel
