"""Helpers for the resident-page tests: production-like requests and comment builders."""

from __future__ import annotations

import contextvars
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, request_finished
from flask.testing import FlaskClient
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.consultations.models import Comment, CommentSource, CommentStatus, Topic
from eraati.core.time import utcnow
from eraati.extensions import db


class Browser:
    """Runs each request as production does: in its own app context, so with its own
    database session and ``g`` (the test client otherwise shares the test's context, and
    with it the logged-in user and every loaded row). Counts the request's SQL queries."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client
        self.queries: int | None = None

    def _run(self, method: str, *args, **kwargs):
        counts: list[int] = []

        def record(sender, response, **extra):
            counts.append(len(get_recorded_queries()))

        with request_finished.connected_to(record, self.app):
            response = contextvars.Context().run(getattr(self.client, method), *args, **kwargs)
        self.queries = counts[-1] if counts else None
        db.session.expire_all()  # the request may have changed rows the test holds
        return response

    def get(self, *args, **kwargs):
        return self._run("get", *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._run("post", *args, **kwargs)


def topic_path(topic: Topic, suffix: str = "") -> str:
    return f"/{topic.organisation.slug}/{topic.slug}{suffix}"


def make_comment(
    topic: Topic,
    author=None,
    body: str = "Hyvä ehdotus.",
    *,
    status: CommentStatus = CommentStatus.VISIBLE,
    parent: Comment | None = None,
    nickname: str | None = None,
    source: CommentSource = CommentSource.WEB,
    created_at: datetime | None = None,
    age: timedelta = timedelta(hours=1),
    agree_count: int = 0,
    anonymous_nickname: str | None = None,
    count_hidden: bool = False,
    **kw,
) -> Comment:
    """A comment as the services would have left it; counts visible ones on the topic.

    ``anonymous_nickname`` signs a web comment that has neither an author nor a nickname;
    ``count_hidden`` also counts a hidden one in the topic's ``hidden_count``.
    """
    if author is None and nickname is None and source == CommentSource.WEB:
        nickname = anonymous_nickname
    comment = Comment(
        topic_id=topic.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_id=author.id if author else None,
        nickname=nickname,
        body=body,
        status=status,
        source=source,
        created_at=created_at or utcnow() - age,
        agree_count=agree_count,
        **kw,
    )
    db.session.add(comment)
    if status == CommentStatus.VISIBLE:
        topic.comment_count += 1
    elif status == CommentStatus.HIDDEN and count_hidden:
        topic.hidden_count += 1
    db.session.flush()
    return comment


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def choose_language(client: FlaskClient, lang: str) -> None:
    """What the language buttons do: the choice beats the profile and the browser."""
    with client.session_transaction() as session:
        session["lang"] = lang
