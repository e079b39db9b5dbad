"""Checks of one notification e-mail as the person receives it through the SMTP server:
headers, both parts, language, the link and the one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import re
from email.message import EmailMessage

from tests.notifications.support import parts, path_of, unsubscribe_url

LANGS = ("fi", "sv", "en")


def the_message(smtp, to: str) -> EmailMessage:
    mine = [m for m in smtp.messages() if m["To"] == to]
    assert len(mine) == 1, [(m["To"], m["Subject"]) for m in smtp.messages()]
    return mine[0]


def check_message(message: EmailMessage, *, lang: str, subject: str, quoted: str) -> str:
    """Asserts what every notification has; the link of its subject (the first link of
    the text part, which the HTML part has too)."""
    assert message["Subject"] == subject
    assert message["Content-Language"] == lang
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = parts(message)
    assert f'<html lang="{lang}">' in html
    assert quoted in text and quoted in html
    unsubscribe = unsubscribe_url(message)
    assert unsubscribe in text and unsubscribe in html
    link = re.search(r"(http://localhost/\S+)", text).group(1)
    assert f'href="{link}"' in html
    return link


def open_link(client, link: str):
    """The page a link of a message opens (as a reader without a session would)."""
    page = client.application.test_client().get(path_of(link))
    assert page.status_code == 200, link
    return page


def unsubscribe_one_click(client, message: EmailMessage) -> None:
    """The mail program's POST of RFC 8058: no session, no form token."""
    anonymous = client.application.test_client()
    response = anonymous.post(
        path_of(unsubscribe_url(message)), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 204
