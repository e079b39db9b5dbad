"""Journey 3 of PRODUCT.md in a real browser: the preparer of Ylä-Savon SOTE.

The preparer of the joint authority logs in, goes Staff -> Ylä-Savon SOTE -> Topics, opens
the results overview of the closed consultation on remote care (comments, themes, a poll,
stances, the moderator's summary), then Topics -> "Download the data". Through the page's
own buttons she prepares the council report as DOCX in Finnish (in the English run in
English) and as PDF in Swedish: each form starts a job and lands on its progress
page, whose link gives the file. She prepares the XLSX workbook the same way and
downloads the CSV for Excel, the standard CSV and the JSON at once. Every file is read
back: python-docx, pypdf, openpyxl, ``csv`` and ``json``. Then a visitor reads the public
results page of the published SOTE topic. The database has an ``export.start`` and
``export.download`` row of the preparer for each file.

The topic gets one hidden comment for the run (written to the database and removed
after), so that the moderation account of the report and the hidden rows of the raw data
have something to show: the demo's closed SOTE topic has none.

Also: the admin of Keitele (who may download Keitele's data) gets no further than a 403
or 404 at the SOTE download page, at the preparer's job and at its file.

Desktop in Finnish, Swedish (by the keyboard alone: Tab, arrows, Enter, also for the
downloads) and English; in Finnish on a phone with the text at 200 %
(results overview, download page, the workbook's progress page and its file) and
without JavaScript (the forms: POST -> progress page -> the file's link; the raw data's
GET form). Every page is checked by ``check_page`` (axe WCAG 2.1 A/AA, lang, overflow).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from docx.table import Table as DocxTable
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import Comment, CommentStatus, Topic
from eraati.exports import tables as export_tables
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation
from tests.browser.checks import DESKTOP, KEYBOARD, NO_JS, PHONE, Mode
from tests.browser.conftest import LANGS
from tests.browser.moderator import StaffPages
from tests.browser.preparer import ExportsPage, PreparerTopics, ResultsOverview
from tests.browser.site import PEOPLE, SHY, TOPICS, Site, topic_title

ORG = "ylasavon-sote"
TOPIC = (ORG, "kotihoidon-etahoiva")  # closed: comments, themes, a poll, a summary
PUBLISHED = (ORG, "suun-terveydenhuollon-ajanvaraus")  # results published
SURVEY = (ORG, "laboratorion-naytteenotto-kysely")  # open: a survey (scale, ranking, open)
PREPARER = "valmistelija"  # preparer of Ylä-Savon SOTE only
OUTSIDER = "valmistelija_keitele"  # a preparer of Keitele: its data, not SOTE's
OUTSIDER_ORG = "keitele"
CASE_NUMBER = TOPICS[TOPIC].case_number
HIDDEN_TEXT = "Hoitajat ovat laiskoja eivätkä soita ajallaan"  # the run's hidden comment

# The report's numbered sections for the closed topic, in order (eraati/reports/sections.py).
SECTIONS = (
    "The consultation",
    "The moderators' summary",
    "Participation",
    "Stances",
    "Poll",
    # Ylä-Savon SOTE lists its member municipalities (issue 20): the tables by them.
    "Results by home municipality",
    "Themes",
    "Key comments",
    "Official replies",
    "Moderation",
)
# The tables of the workbook and the JSON (eraati/exports/tables.py), by their titles.
SHEETS = ("Comments", "Stances", "Poll answers", "Themes", "Participation")
ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
FINNISH_MOMENT = re.compile(r"^\d\d\.\d\d\.\d{4} \d\d:\d\d$")
FINNISH_DAY = re.compile(r"^\d\d\.\d\d\.\d{4}$")
BOM = b"\xef\xbb\xbf"


def reports_of(lang: str) -> list[tuple[str, str]]:
    """The reports a run prepares, (format, language): DOCX in Finnish (in English in the
    English run; the other runs have the Finnish one) and PDF in Swedish."""
    return [("docx", "en" if lang == "en" else "fi"), ("pdf", "sv")]


# --- the database -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hidden:
    comment_id: int
    reason_id: int
    reason: dict[str, str]  # the reason template's texts


def _topic(session, key: tuple[str, str] = TOPIC) -> Topic:
    return session.scalar(
        sa.select(Topic).join(Organisation).where(Organisation.slug == key[0], Topic.slug == key[1])
    )


def _user_id(session, key: str) -> int:
    return session.scalar(sa.select(User.id).where(User.email == PEOPLE[key].email))


def hide_a_comment(site: Site, marker: str) -> Hidden:
    """A comment of the consultation that a moderator hid with SOTE's first reason."""
    with site.app.session() as session:
        topic = _topic(session)
        reason = session.scalar(
            sa.select(ModerationReason)
            .where(
                ModerationReason.organisation_id == topic.organisation_id, ModerationReason.active
            )
            .order_by(ModerationReason.position, ModerationReason.id)
        )
        comment = Comment(
            topic_id=topic.id,
            author_id=_user_id(session, "kalle"),
            body=f"{HIDDEN_TEXT} ({marker})",
            language="fi",
            status=CommentStatus.HIDDEN,
            created_at=topic.closes_at - timedelta(days=3),
            hidden_at=topic.closes_at - timedelta(days=2),
            hidden_by_id=_user_id(session, "moderaattori_sote"),
            hidden_reason=reason.texts["fi"],
            hidden_reason_id=reason.id,
        )
        session.add(comment)
        session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(hidden_count=Topic.hidden_count + 1, updated_at=Topic.updated_at)
        )
        session.commit()
        return Hidden(comment.id, reason.id, dict(reason.texts))


def remove_hidden(site: Site, hidden: Hidden) -> None:
    with site.app.session() as session:
        topic = _topic(session)
        session.execute(sa.delete(Comment).where(Comment.id == hidden.comment_id))
        session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(hidden_count=Topic.hidden_count - 1, updated_at=Topic.updated_at)
        )
        session.commit()


def exported_comments(site: Site, lang: str) -> dict[int, str]:
    """What the raw data must hold: the shown and the hidden comments, id -> text; a hidden
    comment's text is left out (a marker in the file's language) unless asked for."""
    left_out = site.app.t(lang, "[Text left out: hidden by the moderator]")
    with site.app.session() as session:
        rows = session.execute(
            sa.select(Comment.id, Comment.body, Comment.status).where(
                Comment.topic_id == _topic(session).id,
                Comment.status.in_([CommentStatus.VISIBLE, CommentStatus.HIDDEN]),
            )
        )
        return {
            cid: left_out if status == CommentStatus.HIDDEN else body
            for cid, body, status in rows.all()
        }


def last_audit_id(site: Site) -> int:
    with site.app.session() as session:
        return session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def assert_audited(site: Site, since: int, expected: list[tuple[str, str, str]]) -> None:
    """The preparer's audit rows since ``since``: (action, format, language) each."""
    with site.app.session() as session:
        preparer = _user_id(session, PREPARER)
        topic = _topic(session)
        events = list(
            session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.id > since, AuditEvent.actor_id == preparer)
                .order_by(AuditEvent.id)
            )
        )
        assert all(
            (e.organisation_id, e.target_type, e.target_id)
            == (topic.organisation_id, "Topic", topic.id)
            for e in events
        ), [(e.action, e.organisation_id, e.target_type, e.target_id) for e in events]
        assert all(e.actor_name == PEOPLE[PREPARER].name for e in events)
        got = Counter((e.action, e.details["format"], e.details["language"]) for e in events)
        assert got == Counter(expected), f"audit rows {sorted(got)} != {sorted(expected)}"


# --- the words the files must have ---------------------------------------------------------------


def translated(site: Site, lang: str, lazy) -> str:
    """A lazy string of the app (a column heading, a sheet title) in ``lang``."""
    with site.app.app.test_request_context(), force_locale(lang):
        return str(lazy)


def comment_headings(site: Site, lang: str) -> list[str]:
    headings = [translated(site, lang, c.label) for c in export_tables.COMMENTS.columns]
    if lang != "en":  # really in the language: not the English source words
        english = comment_headings(site, "en")
        assert sum(a != b for a, b in zip(headings, english, strict=True)) > len(english) // 2
    return headings


def deciding_body(lang: str) -> str:
    """The deciding body as the topic's version a reader of ``lang`` reads names it."""
    bodies = TOPICS[TOPIC].deciding_bodies("fi")
    return bodies[lang if lang in TOPICS[TOPIC].texts else "fi"]


def theme_names(lang: str) -> list[str]:
    """The topic's themes as a reader of ``lang`` sees them (else in Finnish)."""
    return [t.get(lang) or t["fi"] for t in TOPICS[TOPIC].themes]


def tagged_texts(theme: int) -> set[str]:
    """The demo's shown comments (and replies) tagged with theme number ``theme``."""
    found = set()
    for c in TOPICS[TOPIC].comments:
        for one in (c, *c.replies):
            if theme in one.themes and one.status == "visible":
                found.add(one.text)
    return found


def summary_start(lang: str) -> str:
    summary = TOPICS[TOPIC].summary
    return summary.get(lang, summary["fi"]).split(":")[0]


def words(text: str) -> str:
    """Whitespace (line breaks of a PDF) as single spaces."""
    return " ".join(text.split())


# --- reading the files back ----------------------------------------------------------------------


def docx_blocks(path: Path) -> list[tuple[str, str]]:
    """Every paragraph of a Word file in reading order (tables cell by cell): (style, text)."""

    def walk(container) -> list[tuple[str, str]]:
        found = []
        for item in container.iter_inner_content():
            if isinstance(item, DocxTable):
                for row in item.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell comes once per column
                            continue
                        seen.add(id(cell._tc))
                        found += walk(cell)
            else:
                found.append((item.style.name, item.text.strip()))
        return found

    return walk(Document(str(path)))


def check_docx(site: Site, path: Path, lang: str, hidden: Hidden) -> None:
    assert path.suffix == ".docx"
    document = Document(str(path))
    blocks = docx_blocks(path)
    texts = [text for _style, text in blocks]
    t = site.app.t

    # The title page: the topic, the deciding body and the case number.
    title, _shown = topic_title(*TOPIC, lang)
    assert ("Title", title) in blocks
    for label, value in (("Deciding body", deciding_body(lang)), ("Case number", CASE_NUMBER)):
        i = texts.index(t(lang, label))
        assert texts[i + 1] == value, f"{label}: {texts[i : i + 2]}"

    # The numbered sections, in the report's language.
    headings = [text for style, text in blocks if style == "Heading 1"]
    assert headings == [f"{n} {t(lang, m)}" for n, m in enumerate(SECTIONS, 1)], headings

    # The moderator's summary, the poll's question, charts of stances and poll answers.
    assert any(text.startswith(summary_start(lang)) for text in texts), summary_start(lang)
    question = TOPICS[TOPIC].questions[0].texts[lang]
    captions = [text for style, text in blocks if style == "Caption"]
    assert any(question in c for c in captions), captions
    assert len(document.inline_shapes) >= 5  # participation, municipalities, time, stances, poll

    # Every theme with a word-for-word quote of a comment tagged with it.
    section = _between(blocks, headings[6], headings[7])
    subheadings = [text for style, text in section if style == "Heading 2"]
    for n, name in enumerate(theme_names(lang)):
        [heading] = [h for h in subheadings if h.startswith(f"{name} (")]
        after = section[section.index(("Heading 2", heading)) + 1 :]
        first_quote = next(text for style, text in after if style == "Report Quote")
        assert first_quote in tagged_texts(n), (name, first_quote)

    # The moderation account: the run's hidden comment under its reason.
    moderation = [text for _s, text in _between(blocks, headings[9], None)]
    reason = hidden.reason.get(lang) or hidden.reason["fi"]
    with site.app.session() as session:
        counts = dict(
            session.execute(
                sa.select(Comment.hidden_reason_id, sa.func.count())
                .where(
                    Comment.topic_id == _topic(session).id,
                    Comment.status == CommentStatus.HIDDEN,
                )
                .group_by(Comment.hidden_reason_id)
            ).all()
        )
    i = moderation.index(reason)
    assert int(moderation[i + 1]) == counts[hidden.reason_id]
    i = moderation.index(site.app.t(lang, "Hidden in total"))
    assert int(moderation[i + 1]) == sum(counts.values())
    assert HIDDEN_TEXT not in "\n".join(texts)  # hidden comments are counted, not quoted


def _between(blocks, start: str, end: str | None) -> list[tuple[str, str]]:
    first = blocks.index(("Heading 1", start))
    last = blocks.index(("Heading 1", end)) if end else len(blocks)
    return blocks[first + 1 : last]


def check_pdf(site: Site, path: Path, lang: str) -> None:
    assert path.suffix == ".pdf"
    reader = PdfReader(str(path))
    assert len(reader.pages) > 1
    text = words("\n".join(page.extract_text() for page in reader.pages))
    assert CASE_NUMBER in text
    assert deciding_body(lang) in text
    title, _shown = topic_title(*TOPIC, lang)
    assert title in text
    for msgid in (*SECTIONS, "Deciding body", "Case number"):
        assert site.app.t(lang, msgid) in text, msgid
    assert theme_names(lang)[0] in text
    assert reader.metadata.title.endswith(title)


def check_xlsx(site: Site, path: Path, lang: str, exported: dict[int, str]) -> None:
    assert path.suffix == ".xlsx"
    book = load_workbook(path, read_only=True)
    sheets = [site.app.t(lang, title) for title in SHEETS]
    assert book.sheetnames == sheets
    rows = list(book[sheets[0]].iter_rows(values_only=True))
    assert list(rows[0]) == comment_headings(site, lang)
    ids = {row[0]: row[8] for row in rows[1:]}
    assert ids == exported
    themes = [row[0] for row in list(book[sheets[3]].iter_rows(values_only=True))[1:]]
    assert themes == theme_names(lang)
    book.close()


def check_excel_csv(site: Site, path: Path, lang: str, exported: dict[int, str]) -> None:
    """What Finnish Excel opens with a double click: a BOM, semicolons, Finnish dates."""
    assert path.name.endswith("-excel.csv")
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = comment_headings(site, lang)
    assert rows[0] == header
    assert all(len(row) == len(header) for row in rows)
    column = {key.key: i for i, key in enumerate(export_tables.COMMENTS.columns)}
    assert {int(row[0]): row[column["text"]] for row in rows[1:]} == exported
    assert all(FINNISH_MOMENT.match(row[column["created_at"]]) for row in rows[1:])
    received = [row[column["received_on"]] for row in rows[1:] if row[column["received_on"]]]
    assert received and all(FINNISH_DAY.match(day) for day in received)  # the paper feedback
    statuses = {row[column["status"]] for row in rows[1:]}
    assert statuses == {site.app.t(lang, "Shown"), site.app.t(lang, "Hidden by the moderator")}
    channels = {row[column["channel"]] for row in rows[1:]}
    assert site.app.t(lang, "Paper") in channels


def check_standard_csv(site: Site, path: Path, lang: str, exported: dict[int, str]) -> None:
    """For programs: RFC 4180 with commas, no BOM, ISO 8601 UTC, codes."""
    assert path.name.endswith(".csv") and not path.name.endswith("-excel.csv")
    raw = path.read_bytes()
    assert not raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header = comment_headings(site, lang)
    assert rows[0] == header
    assert all(len(row) == len(header) for row in rows)
    column = {key.key: i for i, key in enumerate(export_tables.COMMENTS.columns)}
    assert {int(row[0]): row[column["text"]] for row in rows[1:]} == exported
    assert all(ISO_MOMENT.match(row[column["created_at"]]) for row in rows[1:])
    assert {row[column["status"]] for row in rows[1:]} == {"visible", "hidden"}
    assert {row[column["channel"]] for row in rows[1:]} <= {"web", "anonymous", "paper", "event"}


def check_json(path: Path, lang: str, exported: dict[int, str]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "eraati-topic-export" and data["language"] == lang
    topic = data["topic"]
    assert (topic["slug"], topic["case_number"], topic["deciding_body"]) == (
        TOPIC[1],
        CASE_NUMBER,
        deciding_body(lang),
    )
    assert topic["status"] == "closed"
    assert len(data["comments"]) == len(exported)
    assert {c["id"]: c["text"] for c in data["comments"]} == exported
    assert [t["theme"] for t in data["themes"]] == theme_names(lang)
    assert data["poll_answers"] and data["stances"]


# --- the preparer --------------------------------------------------------------------------------


def open_results(site: Site, lang: str) -> ResultsOverview:
    """Log in, Staff -> Ylä-Savon SOTE -> Topics -> the topic's results overview."""
    if lang != "fi":
        site.switch_language(lang, name="front")
    site.log_in(PREPARER)
    staff = StaffPages(site)
    staff.open_organisation(ORG)
    topics = PreparerTopics(site, staff.topics())
    overview = topics.results(*TOPIC)
    # What the report will say, on the page: figures, the charts' sections, the themes.
    for key in ("participation", "stances", "poll", "themes", "moderation"):
        assert overview.section(key).count() == 1, key
    assert sorted(overview.theme_names()) == sorted(theme_names(lang))
    assert overview.figure("fig-paper") == 1
    return overview


def preparer_journey(site: Site, lang: str, folder: Path, hidden: Hidden) -> dict[str, str]:
    """The desktop journey; the progress pages' addresses, by format."""
    exported = exported_comments(site, lang)
    assert len(exported) >= 7 and hidden.comment_id in exported
    since = last_audit_id(site)
    exports: ExportsPage = open_results(site, lang).to_exports()

    # The reports: each form starts a job, its progress page gives the file.
    jobs = {}
    for fmt, report_lang in reports_of(lang):
        job = exports.prepare_report(fmt, report_lang, name=f"job-{fmt}-{report_lang}")
        assert (
            job.fact("Language") == {"fi": "Suomi", "sv": "Svenska", "en": "English"}[report_lang]
        )
        assert job.fact("Requested by") == PEOPLE[PREPARER].name
        path = job.download(folder / f"{fmt}-{report_lang}")
        word = {"fi": "raportti", "sv": "rapport", "en": "report"}[report_lang]
        assert re.fullmatch(rf"{TOPIC[1]}-\d{{4}}-\d\d-\d\d-{word}\.{fmt}", path.name), path.name
        if fmt == "docx":
            check_docx(site, path, report_lang, hidden)
        else:
            check_pdf(site, path, report_lang)
        jobs[f"{fmt}-{report_lang}"] = site.page.url
        job.back(name=None)  # the same page as before; checked once with the list below

    # The workbook, also prepared in the background; headings in the page's language.
    job = exports.prepare_workbook(lang)
    check_xlsx(site, job.download(folder / "xlsx"), lang, exported)
    jobs["xlsx"] = site.page.url
    job.back()
    ready = exports.prepared_rows().filter(has_text=site.t("Ready"))
    assert ready.count() >= len(jobs)

    # The raw data at once, from the page's GET form.
    check_excel_csv(site, exports.download("csv-excel", lang, folder), lang, exported)
    check_standard_csv(site, exports.download("csv", lang, folder), lang, exported)
    check_json(exports.download("json", lang, folder), lang, exported)
    polis = exports.download("polis", lang, folder)
    assert set(zipfile.ZipFile(polis).namelist()) == {
        "comments.csv",
        "votes.csv",
        "participants-votes.csv",
        "comment-groups.csv",
        "summary.csv",
    }
    # Ticked, the box puts the hidden texts in; the file says so first, the audit log too.
    data = json.loads(exports.download("json", lang, folder, hidden_texts=True).read_text())
    assert data["hidden_texts"] is True and data["notice"]
    texts = {c["id"]: c["text"] for c in data["comments"]}
    assert texts[hidden.comment_id].startswith(HIDDEN_TEXT)

    expected = []
    for fmt, report_lang in reports_of(lang):
        expected += [("export.start", fmt, report_lang), ("export.download", fmt, report_lang)]
    expected += [("export.start", "xlsx", lang), ("export.download", "xlsx", lang)]
    expected += [
        ("export.download", fmt, lang) for fmt in ("csv-excel", "csv", "json", "polis", "json")
    ]
    assert_audited(site, since, expected)
    return jobs


# --- the visitor and the outsider ----------------------------------------------------------------


def visitor_reads_results(visitor: Site, lang: str) -> None:
    """The published topic's page, then its public results page."""
    if lang != "fi":
        visitor.switch_language(lang, name="visitor-front")
    visitor.open(f"/{PUBLISHED[0]}/{PUBLISHED[1]}", name="visitor-topic-published")
    visitor.press(
        visitor.link("Participation figures, themes and quotes", within=visitor.main()),
        "public-results",
    )
    title, _shown = topic_title(*PUBLISHED, lang)
    assert visitor.heading() == title
    assert visitor.t("Results of the consultation") in visitor.page.locator(
        ".result-kicker"
    ).inner_text().replace(SHY, "")
    themes = [
        t.replace(SHY, "") for t in visitor.page.locator("section#themes h3").all_inner_texts()
    ]
    first_theme = TOPICS[PUBLISHED].themes[0]
    assert any((first_theme.get(lang) or first_theme["fi"]) in h for h in themes), themes
    # Quotes word for word; their writers are not named.
    shown = visitor.main().inner_text().replace(SHY, "")
    quoted = [c.text for c in TOPICS[PUBLISHED].comments if 0 in c.themes]
    assert any(text in shown for text in quoted)
    for c in TOPICS[PUBLISHED].comments:
        if c.author:
            assert PEOPLE[c.author].name not in shown


def outsider_is_kept_out(outsider: Site, jobs: dict[str, str]) -> None:
    """Keitele's preparer may download Keitele's data, but nothing of Ylä-Savon SOTE."""
    outsider.log_in(OUTSIDER, name=None)
    with outsider.app.session() as session:
        sote_topic = _topic(session).id
        keitele_topic = session.scalar(
            sa.select(Topic.id).join(Organisation).where(Organisation.slug == OUTSIDER_ORG)
        )

    def status(path: str) -> int:
        response = outsider.page.goto(outsider.base_url + path)
        return response.status

    assert status(f"/staff/{OUTSIDER_ORG}/topics/{keitele_topic}/exports") == 200
    assert status(f"/staff/{ORG}/topics/{sote_topic}/exports") in (403, 404)
    outsider.check("outsider-sote-exports")
    assert status(f"/staff/{ORG}/topics/{sote_topic}/exports/csv") in (403, 404)
    job_path = jobs["xlsx"].removeprefix(outsider.base_url)
    token = job_path.rsplit("/", 1)[1]
    assert status(job_path) in (403, 404)
    outsider.check("outsider-sote-job")
    assert status(f"{job_path}/download") in (403, 404)
    # Keitele's own address with SOTE's token: no such job in Keitele.
    assert status(f"/staff/{OUTSIDER_ORG}/exports/jobs/{token}") == 404
    assert status(f"/staff/{OUTSIDER_ORG}/exports/jobs/{token}/download") == 404


# --- the tests ---------------------------------------------------------------------------------


# The Swedish run by the keyboard alone (Tab, arrows, Enter), also for the downloads.
DESKTOP_MODES = {"fi": DESKTOP, "sv": KEYBOARD, "en": DESKTOP}


@pytest.mark.parametrize("lang", LANGS)
def test_preparer_downloads_the_report_and_the_data(open_site, tmp_path, lang):
    started = time.monotonic()
    mode = DESKTOP_MODES[lang]
    site = open_site(mode)
    hidden = hide_a_comment(site, uuid.uuid4().hex[:8])
    try:
        jobs = preparer_journey(site, lang, tmp_path, hidden)
    finally:
        remove_hidden(site, hidden)

    visitor = open_site(DESKTOP)
    visitor_reads_results(visitor, lang)
    if lang == "fi":
        outsider_is_kept_out(open_site(DESKTOP), jobs)
    site.done()
    visitor.done()
    print(f"preparer journey ({lang}, {mode.name}): {time.monotonic() - started:.1f} s")


def short_journey(site: Site, mode: Mode, folder: Path, hidden: Hidden) -> None:
    """Phone and no-JavaScript: the overview, the download page, a report or the workbook
    through its progress page, and the CSV for Excel."""
    exported = exported_comments(site, "fi")
    since = last_audit_id(site)
    exports = open_results(site, "fi").to_exports()
    if mode.javascript:
        job = exports.prepare_workbook("fi")
        check_xlsx(site, job.download(folder), "fi", exported)
        started = [("export.start", "xlsx", "fi"), ("export.download", "xlsx", "fi")]
    else:
        job = exports.prepare_report("docx", "fi")
        check_docx(site, job.download(folder), "fi", hidden)
        started = [("export.start", "docx", "fi"), ("export.download", "docx", "fi")]
    job.back()
    check_excel_csv(site, exports.download("csv-excel", "fi", folder), "fi", exported)
    assert_audited(site, since, [*started, ("export.download", "csv-excel", "fi")])
    survey_results(site)


def survey_results(site: Site) -> None:
    """Topics -> the open survey's results overview (issue 20): its questions' figures
    (one choice, the 1-5 scale, the ranking, the open answers' count) on the page."""
    crumbs = site.page.get_by_role("navigation", name=site.t("You are here"))
    site.press(site.link("Topics", within=crumbs))
    overview = PreparerTopics(site).results(*SURVEY, name="survey-results")
    poll = overview.section("poll").inner_text().replace(SHY, "")
    for question in TOPICS[SURVEY].questions:
        assert question.texts["fi"] in poll, question.texts["fi"]


@pytest.mark.parametrize("mode", [PHONE, NO_JS], ids=str)
def test_preparer_on_a_phone_and_without_javascript(open_site, tmp_path, mode):
    started = time.monotonic()
    site = open_site(mode)
    hidden = hide_a_comment(site, uuid.uuid4().hex[:8])
    try:
        short_journey(site, mode, tmp_path, hidden)
    finally:
        remove_hidden(site, hidden)
    site.done()
    print(f"preparer journey (fi, {mode.name}): {time.monotonic() - started:.1f} s")
