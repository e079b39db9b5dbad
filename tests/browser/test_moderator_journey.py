"""Journey 2 of PRODUCT.md in a real browser: the moderator of Keitele.

A resident writes a new comment on the Keitele topic (pre-moderated: it waits for review)
and reports an insulting comment of another resident that has a reply. The moderator of
Keitele signs in, goes Staff -> Keitele -> Moderation, sees both (and nothing of other
organisations), approves the new comment, hides the insulting one with a reason template
and a few words of her own; the discussion then shows "Hidden by the moderator: <reason>"
in its place and the reply stays. In the topic's editorial work she adds a theme and tags
two comments with it, types in three pieces of paper feedback from a library event, and
writes the summary. Each of these acts is in the audit log of Keitele by her (checked in
the database, and once on the audit log page as the admin of Keitele sees it).

In Finnish, Swedish and English on a desktop, and in Finnish on a 360 x 740 phone with the
text at 200 %. Each run makes its own comments, theme and texts (a marker in each), so
runs do not depend on each other or on journey 1 on the same server.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations import demo_content
from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentSource,
    CommentStatus,
    CommentVote,
    Theme,
    Topic,
    comment_themes,
)
from eraati.core.time import HELSINKI, utcnow
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation
from tests.browser.checks import DESKTOP, PHONE
from tests.browser.conftest import LANGS
from tests.browser.moderator import AuditLog, PaperFeedback, StaffPages
from tests.browser.site import PEOPLE, SHY, Site, TopicPage, topic_title

ORG = "keitele"
TOPIC = (ORG, "kirjastoauton-pysakit")
WRITER, REPLIER = "tuomas", "leena"  # the insulting comment and the reply to it
RESIDENT = "sirpa"  # writes a new comment and reports the insulting one
MODERATOR, ADMIN = "moderaattori", "paakayttaja_keitele"
LIBRARY = "Keiteleen kirjasto"

# What people write, per language of the run (the marker is added to each).
WORDS = {
    "fi": {
        "new": "Pysäkki myös Kotalahden kylätalolle",
        "paper": (
            "Iltapysäkki kaupan pihaan torstaisin",
            "Pysäkin lähelle penkki odottajille",
            "Aikataulu myös kirjaston ilmoitustaululle",
        ),
    },
    "sv": {
        "new": "Hållplats också vid byhuset i Kotalahti",
        "paper": (
            "Kvällshållplats vid butiken på torsdagar",
            "En bänk vid hållplatsen för dem som väntar",
            "Tidtabellen också på bibliotekets anslagstavla",
        ),
    },
    "en": {
        "new": "A stop at the Kotalahti village hall too",
        "paper": (
            "An evening stop at the shop on Thursdays",
            "A bench at the stop for those who wait",
            "The timetable on the library notice board too",
        ),
    },
}
# The moderator's own words after the reason: in Keitele's language, as the thread shows
# the reason template in it too.
DETAILS = "Nimittely ei kuulu keskusteluun"
INSULT = "Pysäkkisuunnitelman tekijät ovat täysiä tolloja"  # by Tuomas, in Finnish
REPLY = "Ei nimittelyä, mutta aikataulu on kyllä liian harva"  # Leena's reply to it
SUMMARY = (
    "Keskustelussa toivottiin iltapysäkkejä kauppojen pihoihin ja pysäkkejä koulujen "
    "luo. Kirjaston tapahtumassa toivottiin myös penkkejä ja aikataulua ilmoitustaululle."
)

# Checked on the Swedish and English pages: the reason is Finnish text and says so.
REASON_LANGUAGE_FAULT = (
    "the public reason of a hidden comment is in Keitele's language (Finnish) but not "
    'marked lang="fi" (WCAG 3.1.2 Language of Parts)'
)

# Topic titles of every other organisation: none may show in Keitele's queue.
OTHER_TITLES = sorted(
    {text[0] for t in demo_content.TOPICS if t.org != ORG for text in t.texts.values()}
)


@dataclass(frozen=True)
class Thread:
    """The insulting comment and the reply to it, made for one run."""

    insult_id: int
    insult: str
    reply_id: int
    reply: str


def _topic(session) -> Topic:
    return session.scalar(
        sa.select(Topic).join(Organisation).where(Organisation.slug == ORG, Topic.slug == TOPIC[1])
    )


def _user(session, key: str) -> User:
    return session.scalar(sa.select(User).where(User.email == PEOPLE[key].email))


def make_thread(site: Site, marker: str) -> Thread:
    """Tuomas's insulting comment and Leena's reply, both shown, written straight to the
    database: the topic is pre-moderated, so comments written through the site wait for
    review and cannot be replied to or reported. The topic's counter of shown comments
    grows in the same transaction, as the site's own services do it."""
    insult, reply = f"{INSULT} ({marker})", f"{REPLY} ({marker})"
    with site.app.session() as session:
        topic = _topic(session)
        now = utcnow()
        first = Comment(
            topic_id=topic.id,
            author_id=_user(session, WRITER).id,
            body=insult,
            language="fi",
            status=CommentStatus.VISIBLE,
            created_at=now - timedelta(minutes=10),
        )
        session.add(first)
        session.flush()
        second = Comment(
            topic_id=topic.id,
            parent_id=first.id,
            root_id=first.id,
            author_id=_user(session, REPLIER).id,
            body=reply,
            language="fi",
            status=CommentStatus.VISIBLE,
            created_at=now - timedelta(minutes=5),
        )
        session.add(second)
        session.flush()
        session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(comment_count=Topic.comment_count + 2, updated_at=Topic.updated_at)
        )
        session.commit()
        return Thread(first.id, insult, second.id, reply)


def first_reason(site: Site) -> tuple[str, str]:
    """The first reason template of Keitele: its name in the moderator's language, and in
    Keitele's own language (Finnish), which the discussion shows."""
    with site.app.session() as session:
        reason = session.scalar(
            sa.select(ModerationReason)
            .join(Organisation)
            .where(Organisation.slug == ORG, ModerationReason.active)
            .order_by(ModerationReason.position, ModerationReason.id)
        )
        return reason.texts.get(site.lang) or reason.texts["fi"], reason.texts["fi"]


def last_audit_id(site: Site) -> int:
    with site.app.session() as session:
        return session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


def assert_only_keitele(site: Site, queue) -> None:
    """Nothing of another organisation: no topic title, every comment's topic Keitele's."""
    shown = site.main().inner_text().replace(SHY, "")
    others = [title for title in OTHER_TITLES if title in shown]
    assert not others, f"titles of other organisations' topics in Keitele's queue: {others}"
    links = queue.topic_links()
    assert all(href.startswith(f"/{ORG}/") for href in links), links
    keitele_titles = {
        topic_title(t.org, t.slug, site.lang)[0] for t in demo_content.TOPICS if t.org == ORG
    }
    choices = set(queue.topic_choices()) - {site.t("All topics")}
    assert choices <= keitele_titles, choices


# --- the resident -----------------------------------------------------------------------------


def resident_writes_and_reports(resident: Site, lang: str, thread: Thread, new_text: str) -> None:
    """A new comment (it waits for review), and a report on the insulting one."""
    path = f"/{TOPIC[0]}/{TOPIC[1]}"
    if lang != "fi":
        resident.switch_language(lang)
    resident.open(path, name="topic")
    resident.log_in(RESIDENT, name="topic-signed-in")  # back on the topic page
    assert resident.page.url.split("#")[0].endswith(path)
    topic = TopicPage(resident, *TOPIC)

    mine = topic.comment(new_text)
    assert mine.count() == 1
    assert mine.locator(".badge.pending").inner_text().replace(SHY, "").strip() == resident.t(
        "Waiting for review"
    )

    insult = topic.comment_article(thread.insult)
    resident.press(resident.link("Report to a moderator", within=insult), "report")
    assert resident.heading() == resident.t("Report a comment to a moderator")
    resident.choose(
        resident.page.get_by_label(resident.t("Insulting or inappropriate"), exact=True)
    )
    resident.press(resident.button("Send report", within=resident.main()), "reported")
    assert resident.t("Thank you. A moderator will check the comment.") in resident.flash()


# --- the moderator ---------------------------------------------------------------------------


def moderator_journey(
    site: Site, resident: Site, lang: str, marker: str, *, audit_page: bool
) -> None:
    words = WORDS[lang]
    new_text = f"{words['new']} ({marker})."
    details = f"{DETAILS} ({marker})"
    theme_name = f"Pysäkin turvallisuus {marker}"
    summary = f"{SUMMARY} ({marker})"
    received = datetime.now(HELSINKI).date() - timedelta(days=2)
    paper = [
        PaperFeedback(f"{text} ({marker}).", "paper", received, LIBRARY, lang)
        for text in words["paper"]
    ]
    audit_from = last_audit_id(site)
    thread = make_thread(site, marker)
    resident_writes_and_reports(resident, lang, thread, new_text)
    with site.app.session() as session:
        new_id = session.scalar(sa.select(Comment.id).where(Comment.body == new_text))
        assert new_id, "the resident's new comment was not stored"

    # 1. Staff -> Keitele -> Moderation: the new comment waits, the insulting one is reported.
    if lang == "fi":
        site.check("front")
    else:
        site.switch_language(lang, name="front")
    moderator = site.log_in(MODERATOR)
    staff = StaffPages(site)
    staff.open_organisation(ORG)
    queue = staff.moderation("moderation-pending")
    assert queue.item(new_id).count() == 1, "the new comment is not waiting for review"
    assert new_text in queue.item(new_id).inner_text().replace(SHY, "")
    assert_only_keitele(site, queue)
    queue.approve(new_id)
    assert queue.item(new_id).count() == 0

    queue.show_tab("flagged")
    reported = queue.item(thread.insult_id)
    assert reported.count() == 1, "the reported comment is not in the list of reported ones"
    assert site.t("Insulting or inappropriate") + " (1)" in reported.inner_text().replace(SHY, "")
    assert_only_keitele(site, queue)

    # 2. Hide it with a reason template and a few words; the thread stays readable.
    review = queue.open_comment(thread.insult_id)
    assert site.t("Insulting or inappropriate") in review.reports()
    reason_label, reason_fi = first_reason(site)
    review.hide(reason_label, details)
    assert queue.item(thread.insult_id).count() == 0  # back in the list, which it has left
    public_reason = f"{reason_fi}: {details}"  # stored in Keitele's language
    # The thread shows Keitele's reason in the reader's language, then the moderator's note.
    reason_shown = first_reason(resident)[0]
    reason_shown += "" if reason_shown.endswith((".", "!", "?")) else "."

    resident.open(f"/{TOPIC[0]}/{TOPIC[1]}", name="topic-after-hiding")  # reloaded
    topic = TopicPage(resident, *TOPIC)
    removed = resident.page.locator(f"#c{thread.insult_id}")
    assert removed.locator(".comment-removed").inner_text().replace(SHY, "").strip() == " ".join(
        (
            resident.t("Hidden by the moderator: %(reason)s", reason=reason_shown),
            resident.t("The moderator's note: %(note)s", note=details),
        )
    )
    assert INSULT not in resident.main().inner_text().replace(SHY, "")
    marked = removed.locator('.comment-removed[lang="fi"], .comment-removed [lang="fi"]')
    if lang != "fi" and not marked.count():
        resident.problems.append(f"topic-after-hiding ({lang}): {REASON_LANGUAGE_FAULT}")
    # The note is in Finnish, as the moderator said: marked so on a page in another language.
    note = removed.locator("span[lang]", has_text=details)
    assert note.count() == (0 if lang == "fi" else 1)
    if lang != "fi":
        assert note.get_attribute("lang") == "fi"
    thread_item = resident.page.locator("ol.comments > li", has=removed)
    assert thread_item.locator("ol.replies article.comment", has_text=thread.reply).count() == 1
    published = topic.comment_article(new_text)
    assert published.count() == 1 and published.locator(".badge.pending").count() == 0
    with site.app.session() as session:
        hidden = session.get(Comment, thread.insult_id)
        assert hidden.status == CommentStatus.HIDDEN and hidden.hidden_reason == public_reason
        assert hidden.body == thread.insult  # kept, for a restore
        topic_row = _topic(session)
        counts = dict(
            session.execute(
                sa.select(Comment.status, sa.func.count())
                .where(Comment.topic_id == topic_row.id)
                .group_by(Comment.status)
            ).all()
        )
        assert topic_row.comment_count == counts.get(CommentStatus.VISIBLE, 0)
        assert topic_row.hidden_count == counts.get(CommentStatus.HIDDEN, 0)
        flags = session.scalar(
            sa.select(sa.func.count()).where(CommentFlag.comment_id == thread.insult_id)
        )
        assert flags == hidden.flag_count == 1
    writer_mails = [m for m in site.mailbox.messages() if PEOPLE[WRITER].email in str(m["To"])]
    assert any(
        details in m.get_body(preferencelist=("plain",)).get_content() for m in writer_mails
    ), "the writer was not told why the comment was hidden"

    # 3. The topic's editorial work: a new theme, and two comments tagged with it.
    workspace = staff.topics().workspace(*TOPIC)
    workspace.themes().add({"fi": theme_name})
    workspace.back_from()
    workspace.show("Without a theme", "workspace-untagged")
    workspace.tag(thread.reply, theme_name, name="tagged")
    workspace.tag(new_text, theme_name, name="tagged-again")

    # 4. Three pieces of paper feedback from the library event.
    paper_page = workspace.paper()
    for i, entry in enumerate(paper, 1):
        paper_page.add(entry, name=f"paper-saved-{i}")

    # 5. The moderator's summary (Keitele writes in Finnish only).
    workspace.back_from()
    workspace.summary().write({"fi": summary})

    # 6. Every act is in Keitele's audit log, by the moderator.
    with site.app.session() as session:
        moderator_id = _user(session, MODERATOR).id
        keitele = session.scalar(sa.select(Organisation).where(Organisation.slug == ORG))
        topic_row = _topic(session)
        themes = session.scalars(sa.select(Theme).where(Theme.topic_id == topic_row.id))
        theme = next(t for t in themes if t.texts.get("fi") == theme_name)
        tagged = set(
            session.scalars(
                sa.select(comment_themes.c.comment_id).where(comment_themes.c.theme_id == theme.id)
            )
        )
        assert tagged == {thread.reply_id, new_id}
        stored = {
            c.body: c
            for c in session.scalars(
                sa.select(Comment).where(
                    Comment.topic_id == topic_row.id, Comment.body.contains(marker)
                )
            )
        }
        paper_ids = set()
        paper_texts = {}
        for entry in paper:
            row = stored[entry.body]
            assert row.source == CommentSource.PAPER and row.status == CommentStatus.VISIBLE
            assert (row.received_on, row.place, row.language) == (received, LIBRARY, lang)
            assert row.author_id is None and row.entered_by_id == moderator_id
            paper_ids.add(row.id)
            paper_texts[row.id] = entry.body
        assert topic_row.text("fi").moderator_summary == summary

        events = list(
            session.scalars(
                sa.select(AuditEvent).where(AuditEvent.id > audit_from).order_by(AuditEvent.id)
            )
        )
        assert all(e.organisation_id == keitele.id for e in events), [
            (e.action, e.organisation_id) for e in events
        ]
        mine = sorted(
            (e.action, e.target_id)
            for e in events
            if e.actor_id == moderator_id and e.actor_name == moderator.name
        )
        expected = sorted(
            [
                ("comment.approve", new_id),
                ("comment.hide", thread.insult_id),
                ("theme.create", theme.id),
                ("comment.tag", thread.reply_id),
                ("comment.tag", new_id),
                ("topic.summary", topic_row.id),
            ]
            + [("paper.add", i) for i in paper_ids]
        )
        assert mine == expected
        hide = next(e for e in events if e.action == "comment.hide")
        assert hide.reason == public_reason

    if audit_page:
        comments = {
            new_id: new_text,
            thread.insult_id: thread.insult,
            thread.reply_id: thread.reply,
            **paper_texts,
        }
        _admin_reads_the_audit_log(site, comments, theme_name, public_reason, moderator.name)
    resident.done()
    site.done()


def _admin_reads_the_audit_log(site, comments, theme_name, public_reason, who) -> None:
    """``comments``: this run's comments by id, with their texts. The log names each by its
    number and topic, links it to its moderation page, and shows none of the texts."""
    site.log_out(name="logged-out")
    site.log_in(ADMIN)
    staff = StaffPages(site)
    staff.open_organisation(ORG)
    log: AuditLog = staff.audit_log()
    rows = log.rows()
    title = topic_title(*TOPIC, "fi")[0]  # Keitele's first language
    names = {site.t("Comment %(number)s", number=str(i)): i for i in comments}
    ours = [r for r in rows if r.target.splitlines()[0] in names or r.target == theme_name]
    summary_rows = [r for r in rows if r.act == site.t("Summary written") and r.target == title]
    assert summary_rows and summary_rows[0].who == who
    acts = sorted(r.act for r in ours)
    expected = sorted(
        site.t(msgid)
        for msgid in [
            "Comment approved",
            "Comment hidden",
            "Theme created",
            "Comment themes changed",
            "Comment themes changed",
            "Paper or event feedback entered",
            "Paper or event feedback entered",
            "Paper or event feedback entered",
        ]
    )
    assert acts == expected, rows
    assert all(r.who == who for r in ours)
    assert any(r.target == theme_name for r in ours)
    for row in ours:
        if row.target != theme_name:
            assert row.target.splitlines() == [row.target.splitlines()[0], title], row
    assert any(r.reason == public_reason for r in ours)
    # No text a resident wrote, nor a paper comment, is in the log ...
    for text in comments.values():
        assert all(text not in r.target and text not in r.reason for r in rows), text
    # ... and the number leads to the comment's moderation page.
    insult_id = next(i for i, text in comments.items() if text.startswith(INSULT))
    name = site.t("Comment %(number)s", number=str(insult_id))
    site.press(site.main().get_by_role("link", name=name, exact=True).first, "audit-to-comment")
    assert comments[insult_id] in site.main().inner_text()


def clean_up(site: Site, marker: str) -> None:
    """Remove this run's comments and theme (the audit log keeps its rows), so that the
    topic's pages do not grow run after run: on a phone with the text at 200 % each comment
    of the editorial work is some 2,700 px tall. The counters change with the rows."""
    with site.app.session() as session:
        topic = _topic(session)
        rows = session.execute(
            sa.select(Comment.id, Comment.status, Comment.parent_id).where(
                Comment.topic_id == topic.id, Comment.body.contains(marker)
            )
        ).all()
        ids = [r.id for r in rows]
        themes = [
            t.id
            for t in session.scalars(sa.select(Theme).where(Theme.topic_id == topic.id))
            if marker in (t.texts.get("fi") or "")
        ]
        session.execute(
            sa.delete(comment_themes).where(
                sa.or_(comment_themes.c.comment_id.in_(ids), comment_themes.c.theme_id.in_(themes))
            )
        )
        session.execute(sa.delete(Theme).where(Theme.id.in_(themes)))
        session.execute(sa.delete(CommentFlag).where(CommentFlag.comment_id.in_(ids)))
        session.execute(sa.delete(CommentVote).where(CommentVote.comment_id.in_(ids)))
        replies_first = sorted(rows, key=lambda r: r.parent_id is None)
        for row in replies_first:
            session.execute(sa.delete(Comment).where(Comment.id == row.id))
        visible = sum(1 for r in rows if r.status == CommentStatus.VISIBLE)
        hidden = sum(1 for r in rows if r.status == CommentStatus.HIDDEN)
        session.execute(
            sa.update(Topic)
            .where(Topic.id == topic.id)
            .values(
                comment_count=Topic.comment_count - visible,
                hidden_count=Topic.hidden_count - hidden,
                updated_at=Topic.updated_at,
            )
        )
        session.commit()


def run_journey(open_site, mode, lang: str, *, audit_page: bool) -> None:
    started = time.monotonic()
    marker = uuid.uuid4().hex[:8]  # this run's texts, told apart from other runs'
    site, resident = open_site(mode), open_site(mode)
    try:
        moderator_journey(site, resident, lang, marker, audit_page=audit_page)
    finally:
        clean_up(site, marker)
    print(f"moderator journey ({lang}, {mode.name}): {time.monotonic() - started:.1f} s")


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_moderator_journey(open_site, lang):
    """On a desktop; the admin of Keitele reads the audit log page in the Finnish run."""
    run_journey(open_site, DESKTOP, lang, audit_page=lang == "fi")


@pytest.mark.parametrize("mode", [PHONE], ids=str)
def test_moderator_journey_on_a_phone(open_site, mode):
    """On a 360 px phone with the text at 200 %: the staff pages too."""
    run_journey(open_site, mode, "fi", audit_page=False)
