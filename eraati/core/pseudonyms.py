"""Stable, one-way pseudonyms for the people of a topic, in exports and on results pages.

A registered person is ``P-`` and the first 8 hex digits of
HMAC-SHA256(key, "<topic id>:<user id>"): the same in every export of one topic, different
in each topic (two exports cannot be joined on it), and not reversible without the key.
A comment without a registered author (anonymous, paper or event feedback) gets ``A-`` and
a pseudonym made from the comment's id: the nickname an anonymous writer typed is personal
data and is never exported.

The key is ``EXPORT_PSEUDONYM_KEY`` when set (``ERAATI_EXPORT_PSEUDONYM_KEY``), else
``SECRET_KEY``; changing it changes every pseudonym.

Eight hex digits are 32 bits: two people of one topic share a pseudonym with a chance of
about n² / 8.6 billion (one in a hundred at 9,000 participants). The Polis export numbers
participants itself, so its vote matrix never merges two people.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from flask import current_app


def _key(secret: str | bytes | None = None) -> bytes:
    key = (
        secret or current_app.config.get("EXPORT_PSEUDONYM_KEY") or current_app.config["SECRET_KEY"]
    )
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


@functools.lru_cache(maxsize=65536)
def _digest(key: bytes, message: str) -> str:
    return _sign(key, message)


def person(topic_id: int, user_id: int, secret: str | bytes | None = None) -> str:
    """The pseudonym of a registered person in one topic ("P-" and eight hex digits): the
    same in the topic's exports, reports, results and API. ``secret`` is the key where no
    app is at hand (a background job passes it)."""
    return "P-" + _digest(_key(secret), _person_message(topic_id, user_id))


def unregistered(topic_id: int, comment_id: int) -> str:
    """The pseudonym of the writer of one comment without a registered author."""
    return "A-" + _digest(_key(), _comment_message(topic_id, comment_id))


class Namer:
    """The pseudonyms of one topic, for an export's many rows: the key is read once, and
    each person's pseudonym is computed once (the same values as ``person`` and
    ``unregistered``)."""

    def __init__(self, topic_id: int, secret: str | bytes | None = None) -> None:
        self.topic_id = topic_id
        self.key = _key(secret)
        self.people: dict[int, str] = {}

    def person(self, user_id: int) -> str:
        try:
            return self.people[user_id]
        except KeyError:
            name = "P-" + _sign(self.key, _person_message(self.topic_id, user_id))
            self.people[user_id] = name
            return name

    def unregistered(self, comment_id: int) -> str:
        return "A-" + _sign(self.key, _comment_message(self.topic_id, comment_id))


def _sign(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def _person_message(topic_id: int, user_id: int) -> str:
    return f"{topic_id}:{user_id}"


def _comment_message(topic_id: int, comment_id: int) -> str:
    return f"{topic_id}:comment:{comment_id}"
