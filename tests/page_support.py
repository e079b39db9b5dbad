"""Helpers for page-level tests: a small HTML reader and a tour of the site's pages.

``tour()`` visits every kind of page a resident meets (lists, topic pages in each state,
account pages, comment pages, an error page) as a visitor, a resident and an unverified
user, so that a rule checked over the tour holds on every page, not on one example.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from eraati.accounts import tokens
from eraati.extensions import db
from tests import factories
from tests.consultations.topic_support import Browser, make_comment, topic_path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
FIELD_TAGS = {"input", "select", "textarea"}
NOT_FIELDS = {"hidden", "submit", "button", "image", "reset"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[str, ...]
    form: int | None  # index into Page.forms of the enclosing <form>
    parent: Element | None = field(default=None, repr=False)
    text: str = ""
    children: list[Element] = field(default_factory=list, repr=False)

    def up(self, tag: str) -> Element | None:
        """The nearest enclosing element ``tag``."""
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    forms: list[Element] = field(default_factory=list)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def ids(self) -> set[str]:
        return {e.attrs["id"] for e in self.elements if "id" in e.attrs}

    def in_form(self, index: int) -> list[Element]:
        return [e for e in self.elements if e.form == index]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[Element] = []

    def handle_starttag(self, tag, attrs):
        form = next((e for e in reversed(self.stack) if e.tag == "form"), None)
        element = Element(
            tag=tag,
            attrs={k: (v if v is not None else "") for k, v in attrs},
            ancestors=tuple(e.tag for e in self.stack),
            form=self.page.forms.index(form) if form is not None else None,
            parent=self.stack[-1] if self.stack else None,
        )
        if self.stack:
            self.stack[-1].children.append(element)
        self.page.elements.append(element)
        if tag == "form":
            self.page.forms.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for element in self.stack:
            element.text += data


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def is_field(element: Element) -> bool:
    return element.tag in FIELD_TAGS and element.attrs.get("type", "text") not in NOT_FIELDS


def text(response) -> str:
    return response.get_data(as_text=True)


def tour(app: Flask, client: FlaskClient, login_as, *, lang: str = "fi") -> dict[str, str]:
    """{page name: HTML} for every kind of page, each fetched as production would serve it."""
    browser = Browser(app, client)
    with client.session_transaction() as session:
        session["lang"] = lang
    org = factories.make_org("keitele", "Keitele")
    resident = factories.make_user("asukas@example.fi", name="Aino Asukas")
    other = factories.make_user("toinen@example.fi", name="Olli Toinen")
    unverified = factories.make_user("uusi@example.fi", verified=False)
    topic = factories.make_topic(org, slug="kirjasto", title="Kirjasto", with_poll=True)
    anon = factories.make_topic(org, slug="avoin", title="Avoin", allow_anonymous=True)
    closed = factories.make_closed_topic(org, title="Suljettu")
    theirs = make_comment(topic, other, "Toisen kommentti")
    mine = make_comment(topic, resident, "Oma kommentti", age=timedelta(minutes=1))
    make_comment(closed, other, "Vanha kommentti")
    db.session.commit()
    with app.test_request_context():
        reset_token = tokens.make_reset_token(resident.id, resident.password_hash)

    pages: dict[str, str] = {}

    def visit(name: str, path: str, expect: int = 200) -> None:
        response = browser.get(path)
        assert response.status_code == expect, (name, path, response.status_code)
        pages[name] = text(response)

    visit("front page", "/")
    visit("closed list", "/?status=closed")
    visit("organisation page", "/keitele")
    visit("topic as visitor", topic_path(topic))
    visit("anonymous topic as visitor", topic_path(anon))
    visit("closed topic as visitor", topic_path(closed))
    visit("log in", "/account/login")
    visit("register", "/account/register")
    visit("forgot password", "/account/password/forgot")
    visit("reset password", f"/account/password/reset/{reset_token}")
    visit("not found", "/keitele/ei-ole", expect=404)

    login_as(resident)
    visit("topic as resident", topic_path(topic))
    visit("reply form", topic_path(topic, f"?reply_to={theirs.id}"))
    visit("closed topic as resident", topic_path(closed))
    visit("profile", "/account/profile")
    visit("change password", "/account/password")
    visit("delete account", "/account/delete")
    visit("edit comment", topic_path(topic, f"/comments/{mine.id}/edit"))
    visit("delete comment", topic_path(topic, f"/comments/{mine.id}/delete"))
    visit("flag comment", topic_path(topic, f"/comments/{theirs.id}/flag"))

    login_as(unverified)
    visit("topic as unverified", topic_path(topic))
    visit("profile of unverified", "/account/profile")
    return pages
