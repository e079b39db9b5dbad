"""Helpers of the notification tests: posting as a resident, reading the SMTP server."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from urllib.parse import urlsplit

from tests.consultations.topic_support import topic_path


def post_reply(client, topic, parent, body: str = "Samaa mieltä, kiitos!"):
    return client.post(
        topic_path(topic, "/comments"),
        data={"body": body, "parent_id": str(parent.id), "submission_token": uuid.uuid4().hex},
    )


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def path_of(url: str) -> str:
    """A link's path and query, to open with the test client."""
    parts_ = urlsplit(url)
    return parts_.path + (f"?{parts_.query}" if parts_.query else "")


def unsubscribe_url(message: EmailMessage) -> str:
    """The one-click address of a message's ``List-Unsubscribe`` header (RFC 8058)."""
    return str(message["List-Unsubscribe"]).strip().removeprefix("<").removesuffix(">")
