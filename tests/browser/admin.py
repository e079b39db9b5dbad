"""The topic management pages as an organisation admin uses them (page objects).

``TopicAdmin(site, org)`` works on the staff pages of one organisation from the page
shown: the "Staff area" link of the main menu, the organisation, its topic list, the topic form
(a section per language, schedule, decision, taking part, poll questions), the preview
link and publishing. Like ``site.TopicPage`` every action goes through the page as a
person would (labels and buttons by their visible names, in the person's language, from
the app's catalogs) and every page reached is checked with ``site.check`` (its name, and
so its screenshot, starts with ``admin-``).

    admin = TopicAdmin(site, "ylasavon-sote")
    admin.open_topics()
    admin.new_topic()
    admin.fill(NewTopic(texts={"fi": (...), "sv": (...)}, opens_on=..., closes_on=...))
    admin.save_draft()
    admin.publish()

The date and time fields are filled as values (``Locator.fill``), so the helpers serve the
modes with a pointer (desktop with and without JavaScript, the phone), not the keyboard-only
mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from playwright.sync_api import Locator

from tests.browser.site import SHY, Site, org_name

# The names the language sections and poll fields use for each language ("Title (Swedish)").
LANGUAGE_MSGIDS = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


@dataclass
class PollQuestion:
    """One poll question: its text and its options in each language, in the same order."""

    texts: dict[str, str]
    options: list[dict[str, str]]
    kind: str = "single"  # single | multiple


@dataclass
class NewTopic:
    """What the admin writes into the topic form. ``texts``: language -> (title, summary,
    description). Times are Finnish time as the form shows them ("08:00")."""

    texts: dict[str, tuple[str, str, str]]
    opens_on: date
    closes_on: date
    opens_time: str | None = None  # None: keep the form's default
    closes_time: str | None = None
    deciding_body: dict[str, str] = field(default_factory=dict)  # language -> text
    decision_planned_on: date | None = None
    case_number: str = ""
    contact_person: dict[str, str] = field(default_factory=dict)
    allow_anonymous: bool = False
    premoderated: bool = False
    stances_enabled: bool = True
    questions: list[PollQuestion] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.texts[lang][0]


class TopicAdmin:
    """Topic management of one organisation in ``site`` (a logged-in admin's tab)."""

    def __init__(self, site: Site, org: str, prefix: str = "admin-"):
        self.site = site
        self.org = org
        self.page = site.page
        self.prefix = prefix  # before every page name: screenshots apart from other journeys'

    def _check(self, name: str | None) -> None:
        if name:
            self.site.check(self.prefix + name)

    # -- finding things ---------------------------------------------------------------------

    def language(self, code: str) -> str:
        """The name of a language in the admin's language ("ruotsi", "svenska", "Swedish")."""
        return self.site.t(LANGUAGE_MSGIDS[code])

    def form(self) -> Locator:
        return self.page.locator("form.manage-form")

    def _label(self, msgid: str, **values) -> Locator:
        return self.form().get_by_label(self.site.t(msgid, **values), exact=True)

    def text_field(self, kind: str, code: str) -> Locator:
        """``kind``: title, summary or body (the description) of the ``code`` section, or
        the deciding body or contact person in that language (in the decision section)."""
        msgid = {
            "title": "Title (%(language)s)",
            "summary": "Summary (%(language)s)",
            "body": "Description (%(language)s)",
            "deciding_body": "Deciding body (%(language)s)",
            "contact_person": "Contact person (%(language)s)",
        }[kind]
        return self._label(msgid, language=self.language(code))

    def field(self, msgid: str) -> Locator:
        """A field of the form by its label's msgid ("Closing date", "Case number")."""
        return self._label(msgid)

    def question_text(self, i: int, code: str) -> Locator:
        return self._label(
            "Question %(num)d (%(language)s)", num=i + 1, language=self.language(code)
        )

    def question_options(self, i: int, code: str) -> Locator:
        return self._label(
            "Options of question %(num)d (%(language)s)", num=i + 1, language=self.language(code)
        )

    def question_kind(self, i: int, kind: str) -> Locator:
        group = self.form().get_by_role(
            "group",
            name=self.site.t("Question %(num)d: how it is answered", num=i + 1),
            exact=True,
        )
        label = {"single": "One", "multiple": "One or more"}[kind]
        return group.get_by_label(self.site.t(label), exact=True)

    def error_of(self, control: Locator) -> Locator:
        """The error message shown next to a field (``<p id="<field>-error">``)."""
        return self.page.locator(f"#{control.get_attribute('id')}-error")

    def error_summary(self) -> Locator:
        return self.page.locator(".error-summary")

    def status_box(self) -> Locator:
        return self.page.locator("section.manage-status")

    def preview_link(self) -> Locator:
        """The preview link of the status box (its text is its address)."""
        return self.status_box().locator(".preview-link a")

    def topic_card(self, title: str) -> Locator:
        """A topic of the staff topic list, by its title."""
        heading = self.page.get_by_role("heading", name=title, exact=True)
        return self.site.main().locator("li.manage-topic", has=heading)

    def _press_button(self, msgid: str, within: Locator, name: str | None, **values) -> None:
        button = within.get_by_role("button", name=self.site.t(msgid, **values), exact=True)
        self.site.press(button)
        self._check(name)

    def _press_link(self, msgid: str, within: Locator, name: str | None, **values) -> None:
        link = within.get_by_role("link", name=self.site.t(msgid, **values), exact=True)
        self.site.press(link)
        self._check(name)

    # -- going places -------------------------------------------------------------------------

    def open_staff_pages(self, name: str = "staff-home") -> None:
        """The main menu's "Staff area", then the organisation: its overview."""
        nav = self.page.get_by_role("navigation", name=self.site.t("Main"))
        self._press_link("Staff area", nav, name)
        assert self.site.heading() == self.site.t("Staff area")
        org_link = self.site.main().get_by_role(
            "link", name=org_name(self.org, self.site.lang), exact=True
        )
        self.site.press(org_link)
        self._check("staff-overview")
        assert self.site.heading() == self.site.t("Overview")

    def open_topics(self, name: str = "staff-topics") -> None:
        """The staff pages, then "Topics" in the staff menu."""
        self.open_staff_pages()
        self.topics_from_menu(name)

    def topics_from_menu(self, name: str = "staff-topics") -> None:
        """The staff menu's "Topics" (on any staff page)."""
        menu = self.page.get_by_role("navigation", name=self.site.t("Staff menu"))
        self._press_link("Topics", menu, name)
        assert self.site.heading() == self.site.t("Topics")

    def back(self, heading_msgid: str, name: str | None = None) -> None:
        """The browser's Back button, to a page headed ``heading_msgid``."""
        self.page.go_back()
        assert self.site.heading() == self.site.t(heading_msgid)
        self._check(name)

    def new_topic(self, name: str = "topic-new") -> None:
        self._press_link("New topic", self.site.main(), name)
        assert self.site.heading() == self.site.t("New topic")

    def edit(self, title: str, name: str = "topic-edit") -> None:
        """From the topic list: the "Edit" link of the topic titled ``title``."""
        self._press_link("Edit", self.topic_card(title), name)
        assert self.site.heading() == self.site.t("Edit topic")

    # -- the form ----------------------------------------------------------------------------

    def fill_texts(self, code: str, title: str, summary: str = "", body: str = "") -> None:
        self.site.type_into(self.text_field("title", code), title)
        self.site.type_into(self.text_field("summary", code), summary)
        self.site.type_into(self.text_field("body", code), body)

    def fill_schedule(
        self,
        opens_on: date,
        closes_on: date,
        opens_time: str | None = None,
        closes_time: str | None = None,
    ) -> None:
        self.site.type_into(self.field("Opening date"), opens_on.isoformat())
        if opens_time is not None:
            self.site.type_into(self.field("Opening time"), opens_time)
        self.site.type_into(self.field("Closing date"), closes_on.isoformat())
        if closes_time is not None:
            self.site.type_into(self.field("Closing time"), closes_time)

    def fill_decision(
        self,
        deciding_body: dict[str, str],
        planned_on: date | None,
        case_number: str,
        contact: dict[str, str],
    ) -> None:
        """The decision section; the deciding body and the contact person per language."""
        for code, text in deciding_body.items():
            self.site.type_into(self.text_field("deciding_body", code), text)
        self.site.type_into(
            self.field("Planned decision date"), planned_on.isoformat() if planned_on else ""
        )
        self.site.type_into(self.field("Case number"), case_number)
        for code, text in contact.items():
            self.site.type_into(self.text_field("contact_person", code), text)

    def set_participation(self, *, allow_anonymous: bool, premoderated: bool, stances: bool):
        self.site.tick(self.field("Allow comments without registering"), allow_anonymous)
        self.site.tick(
            self.field("Check every comment before it is published (pre-moderation)"),
            premoderated,
        )
        self.site.tick(self.field("Ask for stances: support, oppose or neutral"), stances)

    def fill_question(self, i: int, question: PollQuestion) -> None:
        self.site.choose(self.question_kind(i, question.kind))
        for code, text in question.texts.items():
            self.site.type_into(self.question_text(i, code), text)
            lines = "\n".join(option[code] for option in question.options)
            self.site.type_into(self.question_options(i, code), lines)

    def fill(self, topic: NewTopic) -> None:
        """Every part of the form (the languages of ``topic.texts`` must have sections)."""
        for code, (title, summary, body) in topic.texts.items():
            self.fill_texts(code, title, summary, body)
        self.fill_schedule(topic.opens_on, topic.closes_on, topic.opens_time, topic.closes_time)
        self.fill_decision(
            topic.deciding_body,
            topic.decision_planned_on,
            topic.case_number,
            topic.contact_person,
        )
        self.set_participation(
            allow_anonymous=topic.allow_anonymous,
            premoderated=topic.premoderated,
            stances=topic.stances_enabled,
        )
        for i, question in enumerate(topic.questions):
            self.fill_question(i, question)

    def save_draft(self, name: str = "topic-saved") -> None:
        self._press_button("Save as a draft", self.form(), name)

    # -- after saving: preview and publish ----------------------------------------------------

    def make_preview_link(self, name: str = "topic-preview-link-made") -> str:
        """The "Make a preview link" button; the link's address."""
        self._press_button("Make a preview link", self.status_box(), name)
        link = self.preview_link()
        return link.get_attribute("href")

    def open_preview(self, name: str = "topic-preview") -> None:
        """Follow the preview link shown in the status box."""
        link = self.preview_link()
        self.site.press(link)
        self._check(name)
        assert self.site.t("Preview.") in self.page.locator(".preview-notice").inner_text().replace(
            SHY, ""
        )

    def publish(self, name: str = "topic-published") -> bool:
        """The status box's "Publish", confirming the missing-language warning if it comes
        (its page checked as ``<name>-confirm``). True when the warning was shown."""
        self._press_button("Publish", self.status_box(), None)
        warned = self.site.heading() == self.site.t("Publish the topic")
        if warned:
            self._check(f"{name}-confirm")
            notice = self.site.main().locator(".notice")
            assert self.site.t("Some language versions are missing") in notice.inner_text().replace(
                SHY, ""
            )
            self._press_button("Publish anyway", self.site.main(), None)
        self._check(name)
        return warned
