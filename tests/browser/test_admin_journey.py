"""Journey 4 of PRODUCT.md in a real browser: an organisation admin opens a new topic.

The admin of the bilingual joint authority Ylä-Savon SOTE (Finnish and Swedish) logs in,
goes Staff -> the organisation -> Topics -> New topic, sends the form once with the
closing date before the opening date (the error is next to the field and in the summary,
what she typed is kept, nothing is stored), then writes the topic in Finnish and Swedish
with a deadline, the decision it prepares, a single-choice poll of three options in both
languages, and anonymous comments allowed but pre-moderated; saves the draft, reads it
through a preview link, finds it in the topic list and publishes it.

A visitor who is not logged in (a second browser) finds the topic on the front page and on
the organisation's page, sees the poll, sends a comment under a nickname and is told it
waits for a moderator (it is not shown); in Swedish the page shows the Swedish title and
poll. Finally the database: the topic is open with both texts, the poll, the settings,
the pending comment and the audit events of the admin.

In Finnish, Swedish and English on the desktop, and in Finnish without JavaScript. Every
page is checked by ``check_page`` (axe WCAG 2.1 A/AA, lang, screenshot).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import (
    Comment,
    CommentStatus,
    QuestionKind,
    Topic,
    TopicStatus,
    TopicTranslation,
)
from eraati.core.time import HELSINKI
from eraati.manage.forms.common import helsinki_to_utc
from tests.browser.admin import NewTopic, PollQuestion, TopicAdmin
from tests.browser.checks import MODES, NO_JS
from tests.browser.conftest import LANGS
from tests.browser.site import PEOPLE, SHY, Site, org_name

ORG = "ylasavon-sote"  # writes in Finnish and Swedish
ADMIN = "paakayttaja_sote"
CLOSES_IN_DAYS = 45  # later than the demo's open topics: first on the front page


def new_topic(marker: str) -> NewTopic:
    """The topic of this run: ``marker`` in its titles tells it from other runs'."""
    today = datetime.now(HELSINKI).date()
    return NewTopic(
        texts={
            "fi": (
                f"Kotihoidon iltakäynnit 2027 ({marker})",
                "Ylä-Savon SOTE suunnittelee kotihoidon iltakäyntien lisäämistä. "
                "Kerro, mihin aikaan iltakäynti sopisi sinulle tai läheisellesi.",
                "Kotihoito käy nyt asiakkaiden luona arkisin kello 7–21.\n\n"
                "Yhtymähallitus päättää keväällä, siirretäänkö osa käynneistä iltaan.",
            ),
            "sv": (
                f"Hemvårdens kvällsbesök 2027 ({marker})",
                "Samkommunen Ylä-Savon SOTE planerar fler kvällsbesök inom hemvården. "
                "Berätta när ett kvällsbesök skulle passa dig eller din närstående.",
                "Hemvården besöker i dag sina klienter vardagar klockan 7–21.\n\n"
                "Samkommunens styrelse beslutar i vår om en del av besöken flyttas till kvällen.",
            ),
        },
        opens_on=today,
        opens_time="00:00",  # open at once, whatever the hour of the run
        closes_on=today + timedelta(days=CLOSES_IN_DAYS),
        closes_time="16:00",
        deciding_body={"fi": "Yhtymähallitus", "sv": "Samkommunens styrelse"},
        decision_planned_on=today + timedelta(days=CLOSES_IN_DAYS + 30),
        case_number=f"YSSOTE/{marker}/2026",
        contact_person={
            "fi": "Leena Kärkkäinen, kotihoidon johtaja, p. 017 555 0123",
            "sv": "Leena Kärkkäinen, chef för hemvården, tfn 017 555 0123",
        },
        allow_anonymous=True,
        premoderated=True,
        questions=[
            PollQuestion(
                texts={
                    "fi": "Mihin aikaan iltakäynti sopisi parhaiten?",
                    "sv": "När skulle ett kvällsbesök passa bäst?",
                },
                options=[
                    {"fi": "Kello 17–19", "sv": "Klockan 17–19"},
                    {"fi": "Kello 19–21", "sv": "Klockan 19–21"},
                    {"fi": "Kello 21 jälkeen", "sv": "Efter klockan 21"},
                ],
            )
        ],
    )


def shown_language(texts: dict, lang: str) -> str:
    """The language a reader of ``lang`` sees: theirs, else the organisation's first."""
    return lang if lang in texts else "fi"


def _stored_topic(session, marker: str) -> Topic | None:
    return session.scalar(
        sa.select(Topic)
        .join(TopicTranslation)
        .where(TopicTranslation.title.contains(f"({marker})"))
    )


# --- the admin ------------------------------------------------------------------------------


def admin_creates_topic(site: Site, lang: str, topic: NewTopic, marker: str) -> TopicAdmin:
    """Step 1: log in, open the new topic form, send it wrong once, then right (a draft)."""
    if lang != "fi":
        site.switch_language(lang, name="front")
    site.log_in(ADMIN, name="admin-logged-in")
    admin = TopicAdmin(site, ORG)
    admin.open_topics()
    admin.new_topic()
    # The organisation writes in Finnish and Swedish: both sections are there at once.
    for code in ("fi", "sv"):
        assert admin.text_field("title", code).count() == 1, f"no {code} section"

    # First the closing date before the opening date.
    title_fi = topic.title("fi")
    admin.fill_texts("fi", title_fi, topic.texts["fi"][1])
    admin.fill_schedule(topic.opens_on, topic.opens_on - timedelta(days=1))
    admin.save_draft("topic-new-error")
    message = site.t("The closing time must be after the opening time.")
    closes_on = admin.field("Closing date")
    assert admin.error_of(closes_on).inner_text().replace(SHY, "").strip() == message
    assert closes_on.get_attribute("aria-invalid") == "true"
    assert f"{closes_on.get_attribute('id')}-error" in closes_on.get_attribute("aria-describedby")
    summary_link = admin.error_summary().get_by_role("link", name=message)
    assert summary_link.get_attribute("href") == f"#{closes_on.get_attribute('id')}"
    # What she typed is kept, and nothing was stored.
    assert admin.text_field("title", "fi").input_value() == title_fi
    assert admin.text_field("summary", "fi").input_value() == topic.texts["fi"][1]
    assert admin.field("Opening date").input_value() == topic.opens_on.isoformat()
    with site.app.session() as session:
        assert _stored_topic(session, marker) is None

    # Then the whole topic, right.
    admin.fill(topic)
    admin.save_draft("topic-saved")
    assert site.t("The topic was saved as a draft. Residents cannot see it yet.") in site.flash()
    assert site.heading() == site.t("Edit topic")
    return admin


def admin_previews_and_publishes(site: Site, admin: TopicAdmin, lang: str, topic: NewTopic):
    """Step 2: find the draft in the topic list, read it through a preview link, publish."""
    shown = shown_language(topic.texts, lang)
    title, summary, body = topic.texts[shown]
    admin.topics_from_menu("staff-topics-draft")
    card = admin.topic_card(title)
    assert card.count() == 1
    assert site.t("Draft") in card.inner_text().replace(SHY, "")
    admin.edit(title, "topic-edit")

    admin.make_preview_link()
    assert site.t("A preview link was made. Anyone with the link can read the topic.") in (
        site.flash()
    )
    admin.open_preview()
    heading = site.page.locator("h1")
    assert heading.inner_text().replace(SHY, "").strip() == title
    assert heading.get_attribute("lang") == (None if shown == lang else shown)
    content = site.page.locator(".topic-content")
    assert summary in content.inner_text().replace(SHY, "")
    for paragraph in body.split("\n\n"):  # plain text becomes paragraphs
        assert content.locator("p", has_text=paragraph).count() == 1
    decision = site.page.locator("section.decision")
    # The deciding body and the contact person of the version read: never another one's.
    decision_text = decision.inner_text().replace(SHY, "")
    assert topic.deciding_body[shown] in decision_text
    assert topic.contact_person[shown] in decision_text
    for other in topic.deciding_body.keys() - {shown}:
        assert topic.deciding_body[other] not in decision_text
    assert topic.case_number in decision_text
    question = topic.questions[0].texts[shown]
    assert question in site.page.locator("#poll").inner_text().replace(SHY, "")

    admin.back("Edit topic")
    warned = admin.publish()
    assert not warned  # both of the organisation's languages are written
    assert site.t("The topic was published and is now open to residents.") in site.flash()
    badge = admin.status_box().locator(".badge")
    assert badge.inner_text().replace(SHY, "").strip() == site.t("Open")


# --- the visitor ------------------------------------------------------------------------------


def visitor_comments(visitor: Site, lang: str, topic: NewTopic, marker: str) -> str:
    """Step 3: a visitor finds the topic, sees the poll and comments under a nickname."""
    if lang == "fi":
        visitor.check("visitor-front")
    else:
        visitor.switch_language(lang, name="visitor-front")
    shown = shown_language(topic.texts, lang)
    title = topic.title(shown)
    other_lang = None if shown == lang else shown

    link = visitor.main().get_by_role("link", name=title, exact=True)
    assert link.count() == 1, "the new topic is not on the front page"
    assert link.locator("xpath=ancestor::h2").get_attribute("lang") == other_lang
    # (``has`` is looked for inside each card: a locator from the page, not from <main>)
    card = visitor.main().locator(
        "li.topic-card", has=visitor.page.get_by_role("link", name=title, exact=True)
    )
    org_link = card.get_by_role("link", name=org_name(ORG, lang), exact=True)
    visitor.press(org_link, "visitor-organisation")
    org_heading = visitor.page.get_by_role("heading", level=1, name=org_name(ORG, lang), exact=True)
    assert org_heading.count() == 1  # (its emblem letter is hidden from the name)
    visitor.press(visitor.main().get_by_role("link", name=title, exact=True), "visitor-topic")
    heading = visitor.page.locator("h1")
    assert heading.inner_text().replace(SHY, "").strip() == title
    assert heading.get_attribute("lang") == other_lang

    # The poll is there; answering it needs an account.
    poll = visitor.page.locator("#poll")
    question = topic.questions[0].texts[shown]
    assert question in poll.inner_text().replace(SHY, "")
    assert visitor.link("Log in to answer the poll", within=poll).count() == 1

    # A comment under a nickname: accepted, waiting for a moderator, not shown.
    form = visitor.page.locator("#comment-form")
    hint = (
        "Comments from people who are not registered are published after a moderator "
        "has checked them."
    )
    assert visitor.t(hint) in form.inner_text().replace(SHY, "")
    text = f"Iltakäynti kello 19 jälkeen sopisi äidilleni ({marker})."
    visitor.type_into(visitor.field("Your comment", within=form), text)
    visitor.type_into(visitor.field("Your name or nickname", within=form), "Kotihoidon omainen")
    visitor.press(visitor.button("Send comment", within=form), "visitor-commented")
    pending = "Thank you. Your comment will be published after a moderator has checked it."
    assert visitor.t(pending) in visitor.flash()
    assert text not in visitor.main().inner_text().replace(SHY, "")

    # In Swedish the page shows the Swedish title and poll.
    if lang != "sv":
        visitor.switch_language("sv", name="visitor-topic-sv")
    heading = visitor.page.locator("h1")
    assert heading.inner_text().replace(SHY, "").strip() == topic.title("sv")
    assert heading.get_attribute("lang") is None
    assert topic.questions[0].texts["sv"] in visitor.page.locator("#poll").inner_text().replace(
        SHY, ""
    )
    return text


# --- the database -----------------------------------------------------------------------------


def assert_stored(site: Site, topic: NewTopic, marker: str, comment_text: str) -> None:
    """Step 4: what the journey left in the database."""
    with site.app.session() as session:
        stored = _stored_topic(session, marker)
        assert stored is not None
        assert stored.organisation.slug == ORG
        assert stored.status == TopicStatus.OPEN
        assert stored.allow_anonymous is True
        assert stored.premoderated is True
        assert stored.stances_enabled is True
        assert stored.closes_at == helsinki_to_utc(
            topic.closes_on, datetime.strptime(topic.closes_time, "%H:%M").time()
        )
        assert stored.opens_at == helsinki_to_utc(
            topic.opens_on, datetime.strptime(topic.opens_time, "%H:%M").time()
        )
        decision = {t.locale: (t.deciding_body, t.contact_person) for t in stored.translations}
        assert decision == {
            code: (topic.deciding_body[code], topic.contact_person[code]) for code in topic.texts
        }
        assert stored.case_number == topic.case_number
        assert stored.decision_planned_on == topic.decision_planned_on
        texts = {t.locale: (t.title, t.summary) for t in stored.translations}
        assert texts == {code: (t[0], t[1]) for code, t in topic.texts.items()}

        [question] = stored.questions
        wanted = topic.questions[0]
        assert question.kind == QuestionKind.SINGLE
        assert question.texts == wanted.texts
        assert [o.texts for o in question.options] == wanted.options

        comments = list(session.scalars(sa.select(Comment).where(Comment.topic_id == stored.id)))
        assert [(c.body, c.status, c.author_id) for c in comments] == [
            (comment_text, CommentStatus.PENDING, None)
        ]
        assert comments[0].nickname == "Kotihoidon omainen"
        assert stored.comment_count == 0  # nothing public yet

        admin = session.scalar(sa.select(User).where(User.email == PEOPLE[ADMIN].email))
        events = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.target_type == "Topic", AuditEvent.target_id == stored.id)
            .order_by(AuditEvent.id)
        )
        acts = [(e.action, e.actor_id, e.organisation_id) for e in events]
        org_id = stored.organisation_id
        assert ("topic.create", admin.id, org_id) in acts
        assert ("topic.open", admin.id, org_id) in acts
        assert [a for a, _u, _o in acts].index("topic.create") < [a for a, _u, _o in acts].index(
            "topic.open"
        )


# --- the tests ------------------------------------------------------------------------------


def admin_journey(open_site, lang: str, mode) -> None:
    marker = uuid.uuid4().hex[:8]
    topic = new_topic(marker)
    site = open_site(mode)
    if lang == "fi":
        site.check("front")
    admin = admin_creates_topic(site, lang, topic, marker)
    admin_previews_and_publishes(site, admin, lang, topic)

    visitor = open_site(mode)
    comment_text = visitor_comments(visitor, lang, topic, marker)

    assert_stored(site, topic, marker, comment_text)
    site.done()
    visitor.done()


@pytest.mark.parametrize("lang", LANGS)
def test_admin_opens_a_topic(open_site, lang):
    admin_journey(open_site, lang, MODES[0])


def test_admin_opens_a_topic_without_javascript(open_site):
    admin_journey(open_site, "fi", NO_JS)


def test_publishing_without_the_swedish_text_asks_first(open_site):
    """The organisation writes in Finnish and Swedish: a topic in Finnish only is published
    after the admin has seen which language is missing and confirmed."""
    marker = uuid.uuid4().hex[:8]
    topic = new_topic(marker)
    topic.texts = {"fi": topic.texts["fi"]}
    topic.deciding_body = {"fi": topic.deciding_body["fi"]}
    topic.contact_person = {"fi": topic.contact_person["fi"]}
    topic.questions = []
    site = open_site(MODES[0])
    site.log_in(ADMIN, name=None)
    admin = TopicAdmin(site, ORG)
    admin.open_staff_pages(name=None)
    admin.topics_from_menu(name=None)
    admin.new_topic(name=None)
    admin.fill(topic)
    admin.save_draft(name=None)
    missing = site.t(
        "Missing language versions: %(languages)s. You will be asked to confirm before publishing.",
        languages=admin.language("sv"),
    )
    assert missing in admin.status_box().inner_text().replace(SHY, "")

    assert admin.publish("topic-published-one-language") is True
    assert site.t("The topic was published and is now open to residents.") in site.flash()
    with site.app.session() as session:
        stored = _stored_topic(session, marker)
        assert stored.status == TopicStatus.OPEN
        assert [t.locale for t in stored.translations] == ["fi"]
    site.done()
