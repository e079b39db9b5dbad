"""Helpers for the participation tests: requests in their own context, rows, counters."""

from __future__ import annotations

import contextvars
from collections import Counter

import sqlalchemy as sa
from flask.testing import FlaskClient

from eraati.consultations.models import (
    Comment,
    CommentStatus,
    CommentVote,
    Follow,
    Topic,
    TopicStance,
)
from eraati.core.time import utcnow
from eraati.extensions import db


def request(client: FlaskClient, method: str, *args, **kwargs):
    """One request as production runs it: its own app context and database session
    (the test client would otherwise share the test's session and loaded rows)."""
    response = contextvars.Context().run(getattr(client, method), *args, **kwargs)
    db.session.expire_all()  # the request may have changed rows the test holds
    return response


def post(client: FlaskClient, *args, **kwargs):
    return request(client, "post", *args, **kwargs)


def get(client: FlaskClient, *args, **kwargs):
    return request(client, "get", *args, **kwargs)


def speak(client: FlaskClient, lang: str) -> None:
    """What the language buttons do: the choice beats the profile and the browser."""
    with client.session_transaction() as session:
        session["lang"] = lang


def text(response) -> str:
    return response.get_data(as_text=True)


def path(topic: Topic, suffix: str = "") -> str:
    return f"/{topic.organisation.slug}/{topic.slug}{suffix}"


def add_comment(
    topic: Topic, author=None, *, status=CommentStatus.VISIBLE, body="Hyvä."
) -> Comment:
    comment = Comment(
        topic_id=topic.id,
        author_id=author.id if author else None,
        nickname=None if author else "Nimimerkki",
        body=body,
        status=status,
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def rows(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def counter_mismatches() -> list[str]:
    """Every stored counter of every topic and comment against COUNT(*) of its rows."""
    db.session.expire_all()
    stances = Counter(
        {
            (t, s): n
            for t, s, n in db.session.execute(
                sa.select(TopicStance.topic_id, TopicStance.stance, sa.func.count()).group_by(
                    TopicStance.topic_id, TopicStance.stance
                )
            )
        }
    )
    follows = Counter(
        dict(
            db.session.execute(
                sa.select(Follow.topic_id, sa.func.count()).group_by(Follow.topic_id)
            ).all()
        )
    )
    votes = Counter(
        {
            (c, v): n
            for c, v, n in db.session.execute(
                sa.select(CommentVote.comment_id, CommentVote.value, sa.func.count()).group_by(
                    CommentVote.comment_id, CommentVote.value
                )
            )
        }
    )
    wrong = []
    for topic in db.session.scalars(sa.select(Topic)):
        stored = (topic.support_count, topic.oppose_count, topic.neutral_count)
        counted = tuple(stances[(topic.id, s)] for s in ("support", "oppose", "neutral"))
        if stored != counted:
            wrong.append(f"topic {topic.id} stances {stored} != rows {counted}")
        if topic.follower_count != follows[topic.id]:
            wrong.append(
                f"topic {topic.id} followers {topic.follower_count} != {follows[topic.id]}"
            )
    for comment in db.session.scalars(sa.select(Comment)):
        stored = (comment.agree_count, comment.disagree_count, comment.pass_count)
        counted = tuple(votes[(comment.id, v)] for v in ("agree", "disagree", "pass"))
        if stored != counted:
            wrong.append(f"comment {comment.id} votes {stored} != rows {counted}")
    return wrong
