"""Small helpers for the account tests: links in mails, page parts, logging in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, gettext

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def link_paths(message) -> list[str]:
    """Paths of the absolute links in a mail body (``http://localhost/...``)."""
    urls = re.findall(r"https?://\S+", message.body)
    assert urls, message.body
    for url in urls:
        assert urlsplit(url).netloc == "localhost", url  # absolute, on this site
    return [urlsplit(url).path for url in urls]


def without_csrf(html: str) -> str:
    """A page with its per-session CSRF tokens blanked, to compare two pages."""
    return _CSRF.sub('name="csrf_token" value=""', html)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def tr(text: str, locale: str, **params) -> str:
    """``text`` as the catalog translates it into ``locale``."""
    with current_app.test_request_context(), force_locale(locale):
        return gettext(text, **params)


def log_in(client, email: str, password: str = PASSWORD, *, headers=None, **data):
    data = {"email": email, "password": password, **data}
    return client.post("/account/login", data=data, headers=headers)


def logged_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")
