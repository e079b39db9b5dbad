"""Helpers for the organisation tests: fresh re-authentication, mail links, audit rows."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.core.time import utcnow
from eraati.extensions import db
from tests.factories import image_file

# A valid 1×1 PNG and a 2×2 JPEG.
# A whole 1 × 1 PNG (an upload is decoded in full: a file with a byte missing is refused).
PNG = image_file("PNG", 1, 1)
JPEG = image_file("JPEG", 2, 2)


def reauthenticated(client, *, seconds_ago: int = 0) -> None:
    """As if the user had typed their password on /staff/reauth ``seconds_ago``."""
    with client.session_transaction() as session:
        session["reauth_at"] = int(utcnow().timestamp()) - seconds_ago


def audit_rows(action: str | None = None) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt))


def mail_link_path(message) -> str:
    urls = re.findall(r"https?://\S+", message.body)
    assert len(urls) == 1, message.body
    parts = urlsplit(urls[0])
    assert parts.netloc == "localhost"
    return parts.path


def text(response) -> str:
    return response.get_data(as_text=True)
