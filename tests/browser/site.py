"""The site as a person uses it: a small page-object layer for the journeys.

``Site`` wraps one browser page of one person. Every action goes through the page as a
person would do it (find the link, button or field by its visible name in the chosen
language, click or type; with ``Mode.keyboard`` Tab to it and press Enter, Space, arrows
or type), and every page reached is checked with ``check_page`` (axe, ``lang``, phone
overflow, screenshot). The problems found are collected; ``site.done()`` fails the test
with all of them.

    site.switch_language("sv")
    user = site.register(municipality="vierema")
    site.verify_email(user)
    topic = site.open_topic("vierema", "koulukeskuksen-lahiliikuntapaikka")
    topic.comment("...")
    topic.reply_to("Valaistu kävelyreitti", "...")
    topic.take_stance("support")
    site.log_in("moderaattori")        # any demo person, by key (demo_content.py)

Names of buttons and labels come from the app's own catalogs (``site.t("Send comment")``),
so the same journey runs in Finnish, Swedish and English.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from config import TestingConfig
from eraati import create_app
from eraati.consultations import demo, demo_content
from eraati.extensions import db
from tests.browser import keyboard
from tests.browser.checks import DESKTOP, Mode, NoScriptCopy, apply_text_zoom, check_page
from tests.mailsink import MailSink

# Headings carry soft hyphens in long words (eraati/core/hyphens.py): text is read without.
SHY = "\u00ad"

STRONG_PASSWORD = "Kuikka-Pajupilli-Sammal-42"  # a test account's password


# --- the app's side: its catalogs and its database -------------------------------------------


class AppSide:
    """The app's own code in the test process: translations, and the server's database."""

    def __init__(self, database_url: str):
        self.app: Flask = create_app(
            TestingConfig,
            SQLALCHEMY_DATABASE_URI=database_url,
            SQLALCHEMY_RECORD_QUERIES=False,
            SERVER_NAME=None,
        )

    def t(self, lang: str, msgid: str, **values) -> str:
        """``msgid`` as the site shows it in ``lang``."""
        with self.app.test_request_context(), force_locale(lang):
            return gettext(msgid, **values)

    @contextlib.contextmanager
    def session(self) -> Iterator:
        """A database session on the server's database (read what the journey stored)."""
        with self.app.app_context():
            try:
                yield db.session
            finally:
                db.session.rollback()
                db.session.remove()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


# --- e-mail -----------------------------------------------------------------------------------


class Mailbox:
    """The messages the server sent to the suite's SMTP server process (``MailSink``)."""

    def __init__(self, sink: MailSink):
        self.sink = sink
        self.folder = sink.directory

    def messages(self) -> list[email.message.EmailMessage]:
        return self.sink.messages()

    def latest_to(self, address: str, timeout: float = 5.0) -> email.message.EmailMessage:
        deadline = time.monotonic() + timeout
        while True:
            mine = [m for m in self.messages() if address in str(m["To"])]
            if mine:
                return mine[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no e-mail to {address} in {self.folder}")
            time.sleep(0.1)

    def containing(
        self, address: str, text: str, timeout: float = 5.0
    ) -> email.message.EmailMessage:
        """The message to ``address`` whose plain text has ``text`` (waiting for it)."""
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(self.messages()):
                body = message.get_body(preferencelist=("plain",)).get_content()
                if address in str(message["To"]) and text in body:
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"no e-mail to {address} with {text!r}")
            time.sleep(0.1)

    def link(self, address: str, path_part: str) -> str:
        return self.link_in(self.latest_to(address), path_part)

    @staticmethod
    def link_in(message: email.message.EmailMessage, path_part: str) -> str:
        """The first link of the message's plain text with ``path_part`` in it."""
        body = message.get_body(preferencelist=("plain",)).get_content()
        links = re.findall(r"https?://\S+", body)
        wanted = [u for u in links if path_part in u]
        assert wanted, f"no link with {path_part!r} in the e-mail to {message['To']}:\n{body}"
        return wanted[0]


# --- the demo's people and texts ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    name: str
    password: str = demo.PASSWORD


PEOPLE = {
    p.key: Person(p.key, p.email, p.name)
    for p in [*demo_content.STAFF, *demo_content.OTHER_STAFF, *demo_content.RESIDENTS]
}
ORG_NAMES = {
    slug: {"fi": fi, "sv": sv, "en": en} for slug, _k, fi, sv, en, _l in demo_content.ORGANISATIONS
}
TOPICS = {(t.org, t.slug): t for t in demo_content.TOPICS}


def org_name(slug: str, lang: str) -> str:
    return ORG_NAMES[slug][lang]


# The demo municipalities' codes (Statistics Finland): a person's home municipality is
# chosen from the reference list by its name there.
MUNICIPALITY_CODES = {"iisalmi": "140", "keitele": "239", "vierema": "925"}


def municipality_name(slug: str, lang: str) -> str:
    """The name of a demo municipality in the home municipality list of ``lang``."""
    from eraati.organisations import municipalities

    return municipalities.name(MUNICIPALITY_CODES[slug], lang)


def topic_title(org: str, slug: str, lang: str) -> tuple[str, str]:
    """The title a reader of ``lang`` sees and its language (the topic's own language when
    it has no text in ``lang``)."""
    texts = TOPICS[(org, slug)].texts
    shown = lang if lang in texts else next(iter(texts))
    return texts[shown][0], shown


def option_text(org: str, slug: str, question: int, option: int, lang: str) -> str:
    return TOPICS[(org, slug)].questions[question].options[option][lang]


# --- the site ---------------------------------------------------------------------------------


class Site:
    """One person's browser tab on the live server (see the module doc)."""

    def __init__(
        self,
        context: BrowserContext,
        *,
        base_url: str,
        app: AppSide,
        mailbox: Mailbox,
        browser: Browser,
        mode: Mode = DESKTOP,
        log: Path | None = None,
    ):
        self.context = context
        self.page: Page = context.new_page()
        apply_text_zoom(context, self.page, mode.text_zoom)
        self.base_url = base_url.rstrip("/")
        self.app = app
        self.mailbox = mailbox
        self.browser = browser
        self.mode = mode
        self.log = log
        self.lang = "fi"  # the language the person reads; switch_language() changes it
        self.problems: list[str] = []
        self.checked: list[str] = []
        self._copy: NoScriptCopy | None = None
        self.known: list[tuple[re.Pattern, str]] = []

    # -- looking ------------------------------------------------------------------------------

    def t(self, msgid: str, **values) -> str:
        return self.app.t(self.lang, msgid, **values)

    def check(self, name: str) -> None:
        """``check_page`` on the page now shown; its problems are collected for ``done()``."""
        self.checked.append(name)
        if not self.mode.javascript and self._copy is None:
            self._copy = NoScriptCopy(self.browser, self.mode)
        self.problems += check_page(
            self.page, name, mode=self.mode, lang=self.lang, copy=self._copy, log=self.log
        )

    def close(self) -> None:
        if self._copy is not None:
            self._copy.close()
        self.context.close()

    def known_problem(self, pattern: str, reason: str) -> None:
        """A fault of the app that is reported and waiting for a fix: problems matching
        ``pattern`` (a regular expression) do not fail ``done()``, but if none occurs the
        fault is gone and ``done()`` fails until this line is removed (like a strict xfail)."""
        self.known.append((re.compile(pattern), reason))

    def done(self) -> None:
        """Fail with every problem the checked pages had (see ``known_problem``)."""
        problems, self.problems = self.problems, []
        unexpected = [p for p in problems if not any(k.search(p) for k, _r in self.known)]
        fixed = [r for k, r in self.known if not any(k.search(p) for p in problems)]
        lines = [f"- {p}" for p in unexpected]
        lines += [
            f"- a known fault did not occur (fixed? remove the known_problem): {r}" for r in fixed
        ]
        assert not lines, f"{len(lines)} problem(s) on the pages visited:\n" + "\n".join(lines)

    def heading(self) -> str:
        """The page's heading as read (without the soft hyphens of its long words)."""
        return self.page.locator("h1").first.inner_text().replace(SHY, "").strip()

    def main(self) -> Locator:
        return self.page.locator("main")

    def flash(self) -> str:
        return self.page.locator(".flashes").inner_text().replace(SHY, "")

    # -- acting ----------------------------------------------------------------------------------

    def _focus(self, target: Locator) -> None:
        self.problems += [
            f"focus not visible ({self.mode.name}, {self.lang}, {self.page.url}): {what}"
            for what in keyboard.tab_to(self.page, target)
        ]

    def press(self, target: Locator, name: str | None = None) -> None:
        """Follow a link or press a button that loads a page; then check it as ``name``."""
        with self.page.expect_navigation():
            if self.mode.keyboard:
                self._focus(target)
                self.page.keyboard.press("Enter")
            else:
                target.click()
        if name:
            self.check(name)

    def type_into(self, field: Locator, text: str) -> None:
        if self.mode.keyboard:
            self._focus(field)
            self.page.keyboard.press("ControlOrMeta+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        else:
            field.fill(text)

    def tick(self, box: Locator, on: bool = True) -> None:
        if self.mode.keyboard:
            self._focus(box)
            if box.is_checked() != on:
                self.page.keyboard.press("Space")
            assert box.is_checked() == on
        else:
            box.set_checked(on)

    def choose(self, radio: Locator) -> None:
        if self.mode.keyboard:
            self.problems += [
                f"focus not visible ({self.mode.name}, {self.lang}): {what}"
                for what in keyboard.choose_radio(self.page, radio)
            ]
        else:
            radio.check()
        assert radio.is_checked()

    def select(self, select: Locator, label: str) -> None:
        if self.mode.keyboard:
            self.problems += [
                f"focus not visible ({self.mode.name}, {self.lang}): {what}"
                for what in keyboard.choose_option(self.page, select, label)
            ]
        else:
            select.select_option(label=label)

    def button(self, msgid: str, within: Locator | None = None, **values) -> Locator:
        return (within or self.page).get_by_role("button", name=self.t(msgid, **values))

    def link(
        self, msgid: str, within: Locator | None = None, exact: bool = False, **values
    ) -> Locator:
        name = self.t(msgid, **values)
        return (within or self.page).get_by_role("link", name=name, exact=exact)

    def field(self, msgid: str, within: Locator | None = None) -> Locator:
        return (within or self.page).get_by_label(self.t(msgid), exact=True)

    # -- going places ------------------------------------------------------------------------

    def open(self, path: str = "/", name: str | None = "front") -> None:
        """Type an address (or open a bookmark): the only step that is not a click."""
        self.page.goto(self.base_url + path)
        if name:
            self.check(name)

    def switch_language(self, lang: str, name: str | None = None) -> None:
        """Follow the language's link in the site's language switcher (this page's address
        with ``?lang=``)."""
        switch = self.page.locator("nav.lang-switch")
        self.press(switch.locator(f'a[hreflang="{lang}"]'))
        self.lang = lang
        shown = self.page.evaluate("() => document.documentElement.lang")
        assert shown == lang, f"the language switcher gave <html lang={shown!r}>, not {lang!r}"
        if name:
            self.check(name)

    def front_page(self, name: str = "front") -> None:
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        self.press(self.link("Consultations", within=nav), name)

    def topic_link(self, org: str, slug: str) -> Locator:
        title, _lang = topic_title(org, slug, self.lang)
        return self.main().get_by_role("link", name=title, exact=True)

    def open_topic(self, org: str, slug: str, name: str = "topic") -> TopicPage:
        """Open the topic from the page shown (the front page, if the topic is not on it)."""
        if not self.topic_link(org, slug).count():
            self.front_page()
        self.press(self.topic_link(org, slug), name)
        title, title_lang = topic_title(org, slug, self.lang)
        heading = self.page.locator("h1")
        assert heading.inner_text().replace(SHY, "").strip() == title
        # Text in another language than the page's is marked as such for screen readers.
        expected = None if title_lang == self.lang else title_lang
        assert heading.get_attribute("lang") == expected
        return TopicPage(self, org, slug)

    # -- accounts ---------------------------------------------------------------------------

    def register(
        self,
        *,
        email: str | None = None,
        name: str = "Kaisa Mökkiläinen",
        password: str = STRONG_PASSWORD,
        municipality: str | None = "vierema",
        page_name: str = "register-done",
    ) -> Person:
        """Fill the registration form from the page shown (the form must be open). Nobody is
        signed in yet (a taken address must look the same): the e-mail's link does that."""
        email = email or f"asukas-{uuid.uuid4().hex[:10]}@example.fi"
        self.fill_registration(email=email, name=name, password=password, municipality=municipality)
        self.press(self.button("Register", within=self.main()), page_name)
        assert self.heading() == self.t("Check your e-mail")
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        assert self.link("Log in", within=nav).count() == 1
        return Person(key=email, email=email, name=name, password=password)

    def open_registration(self, name: str = "register", within: Locator | None = None) -> None:
        """The "Register" link of the main menu, or of ``within`` (a topic's, which brings
        the person back to the topic once they confirm their address)."""
        where = within or self.page.get_by_role("navigation", name=self.t("Main"))
        self.press(self.link("Register", within=where), name)
        assert self.heading() == self.t("Register")

    def fill_registration(
        self, *, email: str, name: str, password: str, confirm: str | None = None,
        municipality: str | None = "vierema", accept: bool = True,
    ) -> None:  # fmt: skip
        self.type_into(self.field("E-mail address"), email)
        self.type_into(self.field("Name shown with your comments"), name)
        self.type_into(self.field("Password"), password)
        self.type_into(self.field("Password again"), password if confirm is None else confirm)
        if municipality:
            self.select(
                self.field("Home municipality (optional)"),
                municipality_name(municipality, self.lang),
            )
        language = self.field("Language")
        assert language.input_value() == self.lang  # the form starts in the page's language
        self.tick(
            self.field(
                "I accept the terms of use and that my data is stored as described on this page."
            ),
            accept,
        )

    def verify_email(
        self, person: Person, name: str = "verified", lands_on: str | None = None
    ) -> None:
        """Open the link of the verification e-mail (as if clicked in the mail program): in
        the browser that registered, it also signs the person in, on the page they
        registered from (its heading ``lands_on``), else on their profile."""
        link = self.mailbox.link(person.email, "/account/verify/")
        assert link.startswith(self.base_url + "/"), link  # the public address, this server
        self.page.goto(link)
        self.check(name)
        assert self.heading() == (lands_on or self.t("My account"))
        assert self.t("Thank you! Your e-mail address is confirmed. You can now take part.") in (
            self.flash()
        )
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        assert self.button("Log out", within=nav).count() == 1

    def log_in(self, who: str | Person, name: str | None = "logged-in") -> Person:
        """Log in as a demo person (a key of demo_content: "moderaattori", ...) or ``Person``."""
        person = PEOPLE[who] if isinstance(who, str) else who
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        if not self.link("Log in", within=nav).count():
            self.open("/", name=None)
        self.press(self.link("Log in", within=nav), "login" if name else None)
        self.type_into(self.field("E-mail address"), person.email)
        self.type_into(self.field("Password"), person.password)
        self.press(self.button("Log in", within=self.main()), name)
        assert self.t("Welcome, %(name)s! You are now logged in.", name=person.name) in self.flash()
        return person

    def log_out(self, name: str | None = None) -> None:
        nav = self.page.get_by_role("navigation", name=self.t("Main"))
        self.press(self.button("Log out", within=nav), name)

    def user_row(self, person: Person):
        from eraati.accounts.models import User

        with self.app.session() as session:
            user = session.query(User).filter_by(email=person.email).one()
            session.expunge(user)
            return user


# --- a topic page -------------------------------------------------------------------------------


class TopicPage:
    """Actions on the open topic page (each loads the page again and checks it)."""

    def __init__(self, site: Site, org: str, slug: str):
        self.site = site
        self.org = org
        self.slug = slug
        self.page = site.page

    @property
    def path(self) -> str:
        return f"/{self.org}/{self.slug}"

    def comment_article(self, text: str) -> Locator:
        return self.page.locator("article.comment", has_text=text)

    def comment(self, text: str, name: str = "commented") -> Locator:
        form = self.page.locator("#comment-form")
        self.site.type_into(self.site.field("Your comment", within=form), text)
        self.site.press(self.site.button("Send comment", within=form), name)
        return self.comment_article(text)

    def reply_to(self, parent_text: str, text: str, name: str = "replied") -> Locator:
        parent = self.comment_article(parent_text)
        self.site.press(self.site.link("Reply", within=parent), f"{name}-form")
        form = self.page.locator("#reply-form")
        self.site.type_into(self.site.field("Your comment", within=form), text)
        self.site.press(self.site.button("Send reply", within=form), name)
        # The reply is in the list of replies under the comment it answers.
        thread = self.page.locator("ol.comments > li", has=self.comment_article(parent_text))
        return thread.locator("ol.replies article.comment", has_text=text)

    def stance_button(self, stance: str) -> Locator:
        label = {
            "support": "I support the proposal",
            "oppose": "I oppose the proposal",
            "neutral": "Neutral",
        }[stance]
        return self.page.locator("#stance").get_by_role("button", name=self.site.t(label))

    def stance_count(self, stance: str) -> int:
        label = {"support": "Support %(count)d", "oppose": "Oppose %(count)d",
                 "neutral": "Neutral %(count)d"}[stance]  # fmt: skip
        # 7 is written alike in every language; the page groups big counts ("1 234").
        pattern = re.escape(self.site.t(label, count=7)).replace("7", r"(\d[\d\s,]*)")
        text = self.page.locator("#stance .stance-counts").inner_text().replace(SHY, "")
        found = re.search(pattern, text)
        assert found, f"no {label!r} count in {text!r}"
        return int(re.sub(r"\D", "", found.group(1)))

    def take_stance(self, stance: str, name: str = "stance") -> None:
        self.site.press(self.stance_button(stance), name)

    def vote_button(self, comment_text: str, value: str) -> Locator:
        label = {"agree": "Agree (%(count)d)", "disagree": "Disagree (%(count)d)", "pass": "Pass"}
        # "Agree (3)", "Pass": the word and the count, so "Instämmer" is not "Instämmer inte".
        word = self.site.t(label[value], count=0).split("(")[0].strip()
        group = self.comment_article(comment_text).locator(".vote-buttons")
        return group.get_by_role("button", name=re.compile(rf"^{re.escape(word)}( \(\d+\))?$"))

    def vote_count(self, comment_text: str, value: str) -> int:
        found = re.search(
            r"\((\d+)\)", self.vote_button(comment_text, value).inner_text().replace(SHY, "")
        )
        assert found, f"no count on the {value} button"
        return int(found.group(1))

    def vote(self, comment_text: str, value: str, name: str = "voted") -> None:
        """Agree, disagree or pass on a comment."""
        self.site.press(self.vote_button(comment_text, value), name)

    def poll_option(self, question: int, option: int) -> Locator:
        text = option_text(self.org, self.slug, question, option, self.site.lang)
        return self.page.locator("#poll form").get_by_label(text, exact=True)

    def answer_poll(self, choices: dict[int, list[int]], name: str = "poll-answered") -> None:
        """``{question index: [option indexes]}``; unticks the other boxes of a question."""
        questions = TOPICS[(self.org, self.slug)].questions
        for q, picks in choices.items():
            for o in range(len(questions[q].options)):
                box = self.poll_option(q, o)
                if questions[q].kind == "multiple":
                    self.site.tick(box, o in picks)
                elif o in picks:
                    self.site.choose(box)
        form = self.page.locator("#poll form")
        self.site.press(self.site.button("Save my answers", within=form), name)

    def follow_button(self) -> Locator:
        return self.page.locator("#follow form button")

    def follow(self, name: str = "followed") -> None:
        button = self.follow_button()
        assert button.inner_text().replace(SHY, "").strip() == self.site.t(
            "Follow this consultation"
        )
        self.site.press(button, name)
