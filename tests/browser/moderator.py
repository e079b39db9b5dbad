"""The staff pages of journey 2 as a moderator (or an organisation admin) uses them.

Page objects in the style of ``site.TopicPage``: each takes the ``Site`` of the person
signed in, finds links, buttons and fields by their visible names in the person's
language (``site.t``) and checks every page it reaches (``site.press(..., name)``).

    staff = StaffPages(site)
    staff.open_organisation("keitele")          # Staff -> the organisation's overview
    queue = staff.moderation()                   # Staff menu -> Moderation
    queue.show_tab("Reported")
    review = queue.open_comment(comment_id)
    review.hide(reason_label, "Asiaton sävy")
    workspace = staff.topics().workspace("keitele", "kirjastoauton-pysakit")
    workspace.themes().add("Pysäkin turvallisuus")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from playwright.sync_api import Locator

from tests.browser.site import SHY, Site, org_name, topic_title

# The curation forms' names for the languages of paper feedback (msgids).
LANGUAGE_MSGIDS = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


class StaffPages:
    """The staff area of one organisation: the main nav's "Staff area", the staff menu."""

    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def staff_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name=self.site.t("Staff menu"))

    def open_organisation(self, org: str) -> None:
        """Main nav "Staff area" -> the staff home -> the organisation's overview."""
        site = self.site
        nav = site.page.get_by_role("navigation", name=site.t("Main"))
        site.press(site.link("Staff area", within=nav), "staff-home")
        assert site.heading() == site.t("Staff area")
        name = org_name(org, site.lang)
        site.press(site.main().get_by_role("link", name=name, exact=True), "staff-overview")
        assert site.heading() == site.t("Overview")
        assert name in self.staff_menu().inner_text().replace(SHY, "")

    def go(self, msgid: str, name: str) -> None:
        """Follow an item of the staff menu; it is then the current one."""
        link = self.site.link(msgid, within=self.staff_menu())
        self.site.press(link, name)
        assert (
            self.site.link(msgid, within=self.staff_menu()).get_attribute("aria-current") == "page"
        )

    def moderation(self, name: str = "moderation") -> ModerationQueue:
        self.go("Moderation", name)
        assert self.site.heading() == self.site.t("Moderation")
        return ModerationQueue(self.site)

    def topics(self, name: str = "staff-topics") -> StaffTopics:
        self.go("Topics", name)
        assert self.site.heading() == self.site.t("Topics")
        return StaffTopics(self.site)

    def audit_log(self, name: str = "audit-log") -> AuditLog:
        self.go("Audit log", name)
        assert self.site.heading() == self.site.t("Audit log")
        return AuditLog(self.site)


# --- the moderation queue and one comment -------------------------------------------------------


class ModerationQueue:
    TABS = {"pending": "Waiting for review", "flagged": "Reported", "recent": "All comments"}

    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def tab_link(self, tab: str) -> Locator:
        """A tab of the queue; its name may end with a count badge ("Reported 2")."""
        label = self.site.t(self.TABS[tab])
        nav = self.page.get_by_role("navigation", name=self.site.t("Lists of comments"))
        return nav.get_by_role("link", name=re.compile(rf"^{re.escape(label)}( \d+)?$"))

    def show_tab(self, tab: str, name: str | None = None) -> None:
        self.site.press(self.tab_link(tab), name or f"moderation-{tab}")
        assert self.tab_link(tab).get_attribute("aria-current") == "page"

    def items(self) -> Locator:
        return self.page.locator("article.mod-item")

    def item(self, comment_id: int) -> Locator:
        """The queue's entry of one comment (its selection box carries the id)."""
        return self.items().filter(has=self.page.locator(f"#select-{comment_id}"))

    def topic_links(self) -> list[str]:
        return [link.get_attribute("href") or "" for link in self.items().locator(".meta a").all()]

    def topic_choices(self) -> list[str]:
        field = self.site.field("Topic")
        return [o.strip() for o in field.locator("option").all_inner_texts()]

    def _named(self, msgid: str, comment_id: int) -> str:
        """ "Approve comment 12": the visible word and the hidden words after it."""
        return f"{self.site.t(msgid)} {self.site.t('comment %(id)s', id=comment_id)}"

    def approve(self, comment_id: int, name: str = "moderation-approved") -> None:
        button = self.item(comment_id).get_by_role(
            "button", name=self._named("Approve", comment_id), exact=True
        )
        self.site.press(button, name)
        assert self.site.t("The comment was approved and published.") in self.site.flash()

    def open_comment(self, comment_id: int, name: str = "moderation-comment") -> CommentReview:
        link = self.item(comment_id).get_by_role(
            "link", name=self._named("Check and hide", comment_id), exact=True
        )
        self.site.press(link, name)
        assert self.site.heading() == self.site.t("Check a comment")
        return CommentReview(self.site)


class CommentReview:
    """The page of one comment in the moderation: its reports, hiding it."""

    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def reports(self) -> str:
        return self.page.locator("table.data-table").inner_text().replace(SHY, "")

    def hide(
        self,
        reason_label: str,
        details: str,
        name: str = "moderation-hidden",
        written_in: str = "Finnish",
    ) -> None:
        """Hide with a reason and a note of the moderator's own, written in ``written_in``
        (the name of a language, an English msgid)."""
        site = self.site
        form = self.page.locator("form", has=site.button("Hide the comment"))
        site.choose(form.get_by_label(reason_label, exact=True))
        site.type_into(
            site.field("Your own explanation (optional, shown after the reason)", within=form),
            details,
        )
        site.select(site.field("Language of your explanation", within=form), site.t(written_in))
        site.press(site.button("Hide the comment", within=form), name)
        assert site.t("The comment was hidden. The discussion shows the reason in its place.") in (
            site.flash()
        )


# --- the topics and the editorial work of one topic ---------------------------------------------


class StaffTopics:
    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def card(self, org: str, slug: str) -> Locator:
        title, _lang = topic_title(org, slug, self.site.lang)
        heading = self.page.get_by_role("heading", name=title, exact=True)
        return self.page.locator("li.manage-topic").filter(has=heading)

    def workspace(self, org: str, slug: str, name: str = "workspace") -> Workspace:
        card = self.card(org, slug)
        assert card.count() == 1, f"{slug} is not in the staff's list of topics"
        self.site.press(self.site.link("Moderators' workspace", within=card), name)
        title, _lang = topic_title(org, slug, self.site.lang)
        assert self.site.heading() == title
        return Workspace(self.site, org, slug)


class Workspace:
    """The editorial work of one topic: figures, tools, and comments with their themes."""

    def __init__(self, site: Site, org: str, slug: str):
        self.site = site
        self.page = site.page
        self.org = org
        self.slug = slug

    def tools(self) -> Locator:
        return self.page.get_by_role("navigation", name=self.site.t("Tools"))

    def _tool(self, msgid: str, name: str) -> None:
        # Exact: "Themes" is also part of "Suggested themes".
        self.site.press(self.site.link(msgid, within=self.tools(), exact=True), name)

    def themes(self, name: str = "themes") -> ThemesPage:
        self._tool("Themes", name)
        assert self.site.heading() == self.site.t("Themes")
        return ThemesPage(self.site, self)

    def paper(self, name: str = "paper") -> PaperPage:
        self._tool("Enter feedback from paper forms and events", name)
        assert self.site.heading() == self.site.t("Feedback from paper forms and events")
        return PaperPage(self.site, self)

    def summary(self, name: str = "summary") -> SummaryPage:
        self._tool("The moderators' summary", name)
        assert self.site.heading() == self.site.t("The moderators' summary")
        return SummaryPage(self.site, self)

    def show(self, msgid: str, name: str) -> None:
        """Choose which comments are listed: "All comments", "Without a theme", ..."""
        choice = self.page.get_by_role("navigation", name=self.site.t("Which comments"))
        self.site.press(self.site.link(msgid, within=choice), name)
        assert self.site.link(msgid, within=choice).get_attribute("aria-current") == "true"

    def comment(self, text: str, name: str = "workspace-next") -> Locator:
        """The comment's entry, following the list's "Next" links until it is shown."""
        for _ in range(50):
            found = self.page.locator("article.curation-comment", has_text=text)
            if found.count():
                return found
            pages = self.page.get_by_role("navigation", name=self.site.t("Pages of comments"))
            following = self.site.link("Next", within=pages) if pages.count() else None
            if following is None or not following.count():
                break
            self.site.press(following, name)
        raise AssertionError(f"no comment {text!r} in the workspace")

    def tag(self, text: str, theme: str, name: str = "tagged") -> None:
        """Tick ``theme`` among the comment's themes (keeping the others) and save. In the
        list of comments without a theme, the comment then leaves the list."""
        untagged = "show=untagged" in self.page.url
        article = self.comment(text)
        self.site.tick(article.get_by_label(theme, exact=True))
        self.site.press(self.site.button("Save themes", within=article), name)
        assert self.site.t("The themes of the comment were saved.") in self.site.flash()
        listed = self.page.locator("article.curation-comment", has_text=text)
        if untagged:
            assert "show=untagged" in self.page.url and listed.count() == 0
        else:
            assert listed.get_by_label(theme, exact=True).is_checked()

    def back_from(self, name: str = "workspace") -> None:
        """From a tool's page: "Back to the editorial work"."""
        self.site.press(self.site.link("Back to the editorial work"), name)
        title, _lang = topic_title(self.org, self.slug, self.site.lang)
        assert self.site.heading() == title


class ThemesPage:
    def __init__(self, site: Site, workspace: Workspace):
        self.site = site
        self.page = site.page
        self.workspace = workspace

    def add(self, names: dict[str, str], name: str = "theme-added") -> None:
        """A theme with its name in each of the organisation's languages shown as fields."""
        site = self.site
        form = self.page.locator("form", has=site.button("Add theme"))
        for code, text in names.items():
            site.type_into(site.field(f"Name in {LANGUAGE_MSGIDS[code]}", within=form), text)
        site.press(site.button("Add theme", within=form), name)
        assert site.t("The theme was added.") in site.flash()
        shown = [
            t.replace(SHY, "")
            for t in self.page.locator("table.curation-table tbody th[scope=row]").all_inner_texts()
        ]
        assert any(next(iter(names.values())) in row for row in shown), shown


@dataclass(frozen=True)
class PaperFeedback:
    body: str
    source: str  # "paper" or "event"
    received_on: date
    place: str
    language: str | None = None


SOURCE_MSGIDS = {"paper": "On a paper form", "event": "At an event"}


class PaperPage:
    def __init__(self, site: Site, workspace: Workspace):
        self.site = site
        self.page = site.page
        self.workspace = workspace

    def form(self) -> Locator:
        return self.page.locator("form", has=self.site.button("Save and enter the next"))

    def source(self, source: str) -> Locator:
        return self.form().get_by_label(self.site.t(SOURCE_MSGIDS[source]), exact=True)

    def add(self, entry: PaperFeedback, name: str = "paper-saved") -> None:
        """Type one piece of feedback. What the form already holds from the previous one
        (the way given, day, place and language) is checked, not typed again."""
        site, form = self.site, self.form()
        site.type_into(site.field("Feedback", within=form), entry.body)
        if not self.source(entry.source).is_checked():
            site.choose(self.source(entry.source))
        day = site.field("Date received", within=form)
        if day.input_value() != entry.received_on.isoformat():
            site.type_into(day, entry.received_on.isoformat())
        place = site.field("Place", within=form)
        if place.input_value() != entry.place:
            site.type_into(place, entry.place)
        language = site.field("Language of the feedback (optional)", within=form)
        wanted = entry.language or ""
        if language.input_value() != wanted:
            label = site.t(LANGUAGE_MSGIDS[wanted]) if wanted else site.t("Not specified")
            site.select(language, label)
        site.press(site.button("Save and enter the next", within=form), name)
        assert site.t("The feedback was saved. You can enter the next one.") in site.flash()
        # The next form keeps how, when, where and in which language; the text is empty.
        form = self.form()
        assert site.field("Feedback", within=form).input_value() == ""
        assert self.source(entry.source).is_checked()
        assert site.field("Date received", within=form).input_value() == (
            entry.received_on.isoformat()
        )
        assert site.field("Place", within=form).input_value() == entry.place
        entries = self.page.locator("ol.curation-entries").inner_text().replace(SHY, "")
        assert entry.body in entries


class SummaryPage:
    def __init__(self, site: Site, workspace: Workspace):
        self.site = site
        self.page = site.page
        self.workspace = workspace

    def write(self, texts: dict[str, str], name: str = "summary-saved") -> None:
        site = self.site
        for code, text in texts.items():
            site.type_into(site.field(f"Summary in {LANGUAGE_MSGIDS[code]}"), text)
        site.press(site.button("Save the summary"), name)
        assert site.t("The summary was saved.") in site.flash()
        for code, text in texts.items():
            assert site.field(f"Summary in {LANGUAGE_MSGIDS[code]}").input_value() == text


# --- the audit log (organisation admins) ---------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    who: str
    act: str
    target: str
    reason: str


class AuditLog:
    def __init__(self, site: Site):
        self.site = site
        self.page = site.page

    def rows(self) -> list[AuditRow]:
        found = []
        for row in self.page.locator("table.data-table tbody tr").all():
            cells = [c.strip() for c in row.locator("td").all_inner_texts()]
            found.append(AuditRow(who=cells[1], act=cells[2], target=cells[3], reason=cells[4]))
        return found
