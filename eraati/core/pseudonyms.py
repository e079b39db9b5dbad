"""Stable, one-way pseudonyms for the people of a topic, in exports and on results pages.

A registered person is ``P-`` and the first 8 hex digits of
HMAC-SHA256(key, "<topic's pseudonym key>:<user id>"). The topic's pseudonym key
(``Topic.pseudonym_key``) is a random value made with the topic: the pseudonym is the same
in every export, report, results page and API answer of one topic, different in each topic
(two exports cannot be joined on it), and not reversible without both keys.

When retention removes a topic's personal data, each participant's pseudonym is stored
(``AnonymisedParticipant.pseudonym``) and the topic's key is discarded (set to NULL). The
accounts still exist, but nobody (not even an operator with the secret key and the whole
database) can compute again which account had which pseudonym: the stored pseudonyms
name nobody. Everything that shows a pseudonym computes it here (nothing caches one
beyond an export's own ``Namer``, so no process keeps a discarded key either).

A comment without a registered author (anonymous, paper or event feedback) gets ``A-`` and
a pseudonym made from the comment's id: the nickname an anonymous writer typed is personal
data and is never exported, and the comment's id names nobody, so it stays the same after
retention.

The key is ``EXPORT_PSEUDONYM_KEY`` when set (``ERAATI_EXPORT_PSEUDONYM_KEY``), else
``SECRET_KEY``; changing it changes every pseudonym of topics not yet anonymised.

Eight hex digits are 32 bits: two people of one topic share a pseudonym with a chance of
about n² / 8.6 billion (one in a hundred at 9,000 participants). The Polis export numbers
participants itself, so its vote matrix never merges two people.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app


class KeyDiscarded(LookupError):
    """The topic's personal data was removed and its pseudonym key with it: a pseudonym
    of an account can no longer be made for it (its rows link no account any more)."""


def new_topic_key() -> str:
    """A topic's pseudonym key: 128 random bits, as 32 hex digits."""
    return secrets.token_hex(16)


def _key(secret: str | bytes | None = None) -> bytes:
    key = (
        secret or current_app.config.get("EXPORT_PSEUDONYM_KEY") or current_app.config["SECRET_KEY"]
    )
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def person(topic_key: str | None, user_id: int, secret: str | bytes | None = None) -> str:
    """The pseudonym of a registered person in one topic ("P-" and eight hex digits), from
    the topic's ``pseudonym_key``: the same in the topic's exports, reports, results and
    API. ``secret`` is the key where no app is at hand. ``KeyDiscarded`` once the topic's
    personal data was removed (its rows then carry the stored pseudonym instead)."""
    return "P-" + _sign(_key(secret), _person_message(topic_key, user_id))


def unregistered(topic_id: int, comment_id: int) -> str:
    """The pseudonym of the writer of one comment without a registered author."""
    return "A-" + _sign(_key(), _comment_message(topic_id, comment_id))


class Namer:
    """The pseudonyms of one topic, for an export's many rows: the key is read once, and
    each person's pseudonym is computed once (the same values as ``person`` and
    ``unregistered``)."""

    def __init__(
        self, topic_id: int, topic_key: str | None, secret: str | bytes | None = None
    ) -> None:
        self.topic_id = topic_id
        self.topic_key = topic_key
        self.key = _key(secret)
        self.people: dict[int, str] = {}

    def person(self, user_id: int) -> str:
        try:
            return self.people[user_id]
        except KeyError:
            name = "P-" + _sign(self.key, _person_message(self.topic_key, user_id))
            self.people[user_id] = name
            return name

    def unregistered(self, comment_id: int) -> str:
        return "A-" + _sign(self.key, _comment_message(self.topic_id, comment_id))


def _sign(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def _person_message(topic_key: str | None, user_id: int) -> str:
    if topic_key is None:
        raise KeyDiscarded(user_id)
    if not isinstance(topic_key, str) or not topic_key:  # e.g. a topic's id by mistake
        raise TypeError(f"not a topic's pseudonym key: {topic_key!r}")
    return f"{topic_key}:{user_id}"


def _comment_message(topic_id: int, comment_id: int) -> str:
    return f"{topic_id}:comment:{comment_id}"
