"""The message a worker writes directly (``sending.wire``) reads as the standard library's
(flask-mailman's SMTP backend) does: the same headers, subject and both parts, for
Finnish, Swedish and long subjects; anything it does not write goes the standard way."""

from __future__ import annotations

import email
import email.policy

import pytest
from flask_mailman import EmailMultiAlternatives

from eraati.notifications import sending

LONG = "Päättyy pian: " + "Uimahallin ja kirjaston aukioloajat vuodesta 2027 alkaen " * 3


def _message(subject: str, body: str = "Hei Åsa,\n\nKuuleminen päättyy.\n", **kw):
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=["asa@example.fi"],
        from_email="eRaati <no-reply@eraati.invalid>",
        headers={
            "Message-ID": "<n7@eraati.example.fi>",
            "List-Unsubscribe": "<https://eraati.example.fi/account/unsubscribe/" + "x" * 90 + ">",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": "sv",
        },
        **kw,
    )
    message.attach_alternative(
        '<p>Hej Åsa – <a href="https://e.fi/?a=1&amp;b=2">länk</a></p>', "text/html"
    )
    return message


def _read(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


@pytest.mark.parametrize(
    "subject", ["Stänger snart: Simhallens öppettider", "Closing soon: Library", LONG, "=?x?= ok"]
)
def test_the_direct_message_reads_as_the_standard_one(app, subject):
    message = _message(subject)
    sender, recipients, raw = sending.wire(message)
    assert (sender, recipients) == ("no-reply@eraati.invalid", ["asa@example.fi"])
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    ours, theirs = _read(raw), _read(message.message().as_bytes(linesep="\r\n"))
    for header in ("Subject", "From", "To", "Message-ID", "List-Unsubscribe", "Content-Language"):
        assert str(ours[header]).strip() == str(theirs[header]).strip(), header
    assert str(ours["Subject"]) == subject
    for kind in ("plain", "html"):
        assert ours.get_body((kind,)).get_content() == theirs.get_body((kind,)).get_content()
    assert ours.get_content_type() == "multipart/alternative"
    assert ours["Date"] is not None


def test_what_it_does_not_write_goes_the_standard_way(app):
    assert sending.wire(_message("x", cc=["b@example.fi"])) is None
    assert sending.wire(_message("x", body="a" * 1200)) is None  # a line longer than SMTP allows
    other = _message("x")
    other.to = ["åsa@example.fi"]
    assert sending.wire(other) is None
