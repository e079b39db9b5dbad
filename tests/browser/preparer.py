"""The staff pages of journey 3 as a preparer uses them (page objects).

In the style of ``moderator.StaffPages``: each object takes the ``Site`` of the person
signed in, finds links, buttons and fields by their visible names in the person's
language (``site.t``) and checks every page it reaches (``site.press(..., name)``). A
download is a button or link that gives a file instead of a page: ``download()`` presses
it (by the keyboard in the keyboard mode) and returns the file, saved under ``folder``.

    staff = StaffPages(site)
    staff.open_organisation("ylasavon-sote")
    topics = PreparerTopics(site, staff.topics())
    overview = topics.results("ylasavon-sote", "kotihoidon-etahoiva")
    exports = overview.to_exports()               # breadcrumb "Topics" -> "Download the data"
    job = exports.prepare_report("docx", "fi")    # POST -> the job's progress page
    report = job.download(folder)                 # the progress page's download link
    table = exports.download("csv-excel", "fi", folder)
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator

from eraati.core.i18n import LANGUAGE_NAMES
from tests.browser import keyboard
from tests.browser.moderator import StaffTopics
from tests.browser.site import SHY, Site, topic_title

# The labels of the formats (eraati/exports/formats.py, eraati/jobs/labels.py), as msgids.
RAW_FORMATS = {
    "csv-excel": "CSV for Excel",
    "csv": "CSV (standard)",
    "json": "JSON",
    "polis": "Polis (ZIP)",
}
REPORT_BUTTONS = {
    "docx": "Prepare the report: Word (DOCX)",
    "pdf": "Prepare the report: PDF",
}
JOB_HEADINGS = {
    "xlsx": "Excel workbook (XLSX)",
    "docx": "Council report (DOCX)",
    "pdf": "Council report (PDF)",
}
WORKBOOK = "Excel workbook (XLSX)"


def download(site: Site, target: Locator, folder: Path) -> Path:
    """Press a button or link that gives a file; the file, saved in ``folder`` under the
    name the server gave it. The page shown does not change."""
    with site.page.expect_download() as info:
        if site.mode.keyboard:
            site._focus(target)
            site.page.keyboard.press("Enter")
        else:
            target.click()
    got = info.value
    assert got.failure() is None, got.failure()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / got.suggested_filename
    got.save_as(path)
    return path


class PreparerTopics:
    """The organisation's topic list with a preparer's links on each topic."""

    def __init__(self, site: Site, topics: StaffTopics | None = None):
        self.site = site
        self.page = site.page
        self.topics = topics or StaffTopics(site)

    def card(self, org: str, slug: str) -> Locator:
        card = self.topics.card(org, slug)
        assert card.count() == 1, f"{slug} is not in the staff's list of topics"
        return card

    def results(self, org: str, slug: str, name: str = "results-overview") -> ResultsOverview:
        """The topic's "Results and figures"."""
        self.site.press(self.site.link("Results and figures", within=self.card(org, slug)), name)
        overview = ResultsOverview(self.site, org, slug)
        overview.assert_shown()
        return overview

    def exports(self, org: str, slug: str, name: str = "exports") -> ExportsPage:
        """The topic's "Download the data"."""
        self.site.press(self.site.link("Download the data", within=self.card(org, slug)), name)
        exports = ExportsPage(self.site, org, slug)
        exports.assert_shown()
        return exports


class ResultsOverview:
    """The staff results overview of one topic: figures, charts, themes, quotes."""

    def __init__(self, site: Site, org: str, slug: str):
        self.site = site
        self.page = site.page
        self.org = org
        self.slug = slug

    def title(self) -> str:
        return topic_title(self.org, self.slug, self.site.lang)[0]

    def assert_shown(self) -> None:
        assert self.site.heading() == self.title()
        kicker = self.page.locator(".result-kicker").inner_text().replace(SHY, "")
        assert self.site.t("Results and figures") in kicker

    def section(self, key: str) -> Locator:
        """A section of the page by its id: participation, stances, poll, themes, ..."""
        return self.page.locator(f"section#{key}")

    def theme_names(self) -> list[str]:
        return [
            h.locator("span").first.inner_text().replace(SHY, "").strip()
            for h in self.section("themes").locator("section.result-theme h3").all()
        ]

    def figure(self, element_id: str) -> int:
        return int(self.page.locator(f"#{element_id}").inner_text().replace(SHY, "").strip())

    def to_exports(self, name: str = "exports") -> ExportsPage:
        """The breadcrumb "Topics" (the list checked before), then the topic's "Download
        the data" (the overview has no link of its own to the downloads)."""
        crumbs = self.page.get_by_role("navigation", name=self.site.t("You are here"))
        self.site.press(self.site.link("Topics", within=crumbs))
        assert self.site.heading() == self.site.t("Topics")
        return PreparerTopics(self.site).exports(self.org, self.slug, name)


class ExportsPage:
    """ "Download data" of one topic: the report form, the raw data, the workbook form."""

    def __init__(self, site: Site, org: str, slug: str):
        self.site = site
        self.page = site.page
        self.org = org
        self.slug = slug

    def assert_shown(self) -> None:
        assert self.site.heading() == self.site.t("Download data")
        title = topic_title(self.org, self.slug, self.site.lang)[0]
        assert title in self.page.locator(".curation-topic").inner_text().replace(SHY, "")

    # -- the forms ------------------------------------------------------------------------------

    def report_form(self) -> Locator:
        return self.page.locator("form", has=self.site.button(REPORT_BUTTONS["docx"]))

    def raw_form(self) -> Locator:
        """The GET form of the streamed files: one language choice, a button per format."""
        label = self.site.t("Download: %(format)s", format=self.site.t(RAW_FORMATS["csv"]))
        return self.page.locator("form", has=self.page.get_by_role("button", name=label))

    def workbook_form(self) -> Locator:
        label = self.site.t("Prepare: %(format)s", format=self.site.t(WORKBOOK))
        return self.page.locator("form", has=self.page.get_by_role("button", name=label))

    def language(self, form: Locator, code: str) -> Locator:
        """A language's radio button (each language is named in itself: "Svenska")."""
        return form.get_by_label(LANGUAGE_NAMES[code], exact=True)

    def _choose_language(self, form: Locator, code: str) -> None:
        radio = self.language(form, code)
        if radio.is_checked():
            return
        if not self.site.mode.keyboard:
            self.site.choose(radio)
            return
        # The page's three forms each have a language group: Tab stops on the checked radio
        # of this form's group, the arrows move (and tick) within it.
        site = self.site
        checked = form.locator(
            "input[type=radio][name=lang]:checked, input[type=radio][name=language]:checked"
        )
        site._focus(checked)
        for _ in range(len(LANGUAGE_NAMES)):
            if keyboard.is_focused(radio) and radio.is_checked():
                return
            site.page.keyboard.press("ArrowDown")
        assert keyboard.is_focused(radio) and radio.is_checked(), f"arrows did not reach {code}"

    # -- prepared in the background --------------------------------------------------------------

    def prepare_report(
        self, fmt: str, lang: str, *, appendix: bool = False, name: str | None = None
    ) -> JobPage:
        """Choose the report's language (and the appendix), press "Prepare the report"."""
        form = self.report_form()
        self._choose_language(form, lang)
        box = form.get_by_label(self.site.t("Add all visible comments as an appendix"))
        if box.is_checked() != appendix:
            self.site.tick(box, appendix)
        button = self.site.button(REPORT_BUTTONS[fmt], within=form)
        self.site.press(button, name or f"job-{fmt}")
        job = JobPage(self.site, fmt)
        job.assert_shown()
        return job

    def prepare_workbook(self, lang: str, name: str = "job-xlsx") -> JobPage:
        form = self.workbook_form()
        self._choose_language(form, lang)
        label = self.site.t("Prepare: %(format)s", format=self.site.t(WORKBOOK))
        self.site.press(form.get_by_role("button", name=label), name)
        job = JobPage(self.site, "xlsx")
        job.assert_shown()
        return job

    # -- streamed at once --------------------------------------------------------------------------

    def download(self, fmt: str, lang: str, folder: Path, *, hidden_texts: bool = False) -> Path:
        """Choose the language of the column headings (and whether hidden comments' texts
        are included), press "Download: <format>"."""
        form = self.raw_form()
        self._choose_language(form, lang)
        box = form.get_by_label(self.site.t("Include the texts of comments hidden by a moderator"))
        if box.is_checked() != hidden_texts:
            self.site.tick(box, hidden_texts)
        label = self.site.t("Download: %(format)s", format=self.site.t(RAW_FORMATS[fmt]))
        return download(self.site, form.get_by_role("button", name=label), folder)

    def prepared_rows(self) -> Locator:
        """The rows of "Prepared files"."""
        return self.page.locator("table.data-table tbody tr")


class JobPage:
    """The progress page of one prepared file (a report or a workbook)."""

    def __init__(self, site: Site, fmt: str):
        self.site = site
        self.page = site.page
        self.fmt = fmt

    def assert_shown(self) -> None:
        assert self.site.heading() == self.site.t(JOB_HEADINGS[self.fmt])

    def state(self) -> str:
        return self.page.locator("#job-state .badge").inner_text().replace(SHY, "").strip()

    def fact(self, msgid: str) -> str:
        """The value after a term of the job's facts ("Language", "Requested by")."""
        term = self.page.locator("dl.facts dt", has_text=re.compile(rf"^{self.site.t(msgid)}$"))
        return term.locator("xpath=following-sibling::dd[1]").inner_text().replace(SHY, "").strip()

    def download_link(self) -> Locator:
        """ "Download: <file name>", shown when the file is ready."""
        prefix = self.site.t("Download: %(name)s", name="\x00").split("\x00")[0]
        return self.site.main().get_by_role("link", name=re.compile(f"^{re.escape(prefix)}"))

    def download(self, folder: Path) -> Path:
        # The test server runs a job inside the request that starts it (TestingConfig's
        # JOBS_BACKEND "inline"), so the page arrives with the file ready.
        assert self.state() == self.site.t("Ready"), f"the job is {self.state()!r}"
        link = self.download_link()
        assert link.count() == 1
        path = download(self.site, link, folder)
        assert link.inner_text().replace(SHY, "").strip().endswith(path.name)
        return path

    def back(self, name: str | None = "exports-again") -> None:
        """ "Back to the download page of this consultation" (checked as ``name``)."""
        self.site.press(self.site.link("Back to the download page of this consultation"), name)
        assert self.site.heading() == self.site.t("Download data")
