"""Comments: post, reply, edit, delete, flag. Services flush, never commit; views commit.

Counters (``Topic.comment_count``, ``Comment.flag_count``) change in SQL
(``x = x + 1``) in the same transaction as the rows they count, so two requests at
the same moment cannot lose an update.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from eraati.consultations.models import (
    Comment,
    CommentFlag,
    CommentStatus,
    FlagReason,
    Topic,
)
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db

# A deleted account's comments keep this instead of a name (see the accounts package).
FORMER_USER_NICKNAME = "—"


class CommentError(Exception):
    """A state rule refused the change; the view shows a translated message."""


class TopicClosedError(CommentError):
    """The topic takes no comments now (not yet open, closed, or results published)."""


class EditWindowClosedError(CommentError):
    """The time for editing one's own comment has passed."""


class CommentNotAvailableError(CommentError):
    """The comment cannot take this action: hidden, deleted or waiting for review."""


class AlreadyFlaggedError(CommentError):
    """This person has already reported this comment."""


EDITABLE = (CommentStatus.VISIBLE, CommentStatus.PENDING)


@functools.cache
def _comment_count_statement() -> sa.Update:
    table = Topic.__table__
    return (
        sa.update(table)
        .where(table.c.id == sa.bindparam("counted_id"))
        # Leave updated_at alone: it records edits of the topic itself.
        .values(
            comment_count=table.c.comment_count + sa.bindparam("delta", type_=sa.Integer),
            updated_at=table.c.updated_at,
        )
    )


def _add_to_comment_count(topic: Topic, delta: int) -> None:
    db.session.flush()  # what is pending goes first, as with Session.execute
    db.session.connection().execute(
        _comment_count_statement(), {"counted_id": topic.id, "delta": delta}
    )
    db.session.expire(topic, ["comment_count"])  # read the new number when next asked


def _by_token(topic: Topic, token: str) -> Comment | None:
    return db.session.scalar(
        sa.select(Comment).where(Comment.topic_id == topic.id, Comment.submission_token == token)
    )


def _row_values(comment: Comment) -> dict[str, Any]:
    """The columns the ORM would insert for a new ``comment``: what it was given, else the
    column's Python default (also set on the object); server defaults are left to the
    database."""
    values: dict[str, Any] = {}
    for prop in sa.inspect(Comment).column_attrs:
        column = prop.columns[0]
        value = getattr(comment, prop.key)
        if value is None and column.default is not None and not column.primary_key:
            default = column.default
            if default.is_scalar:
                value = default.arg
            elif default.is_callable:
                value = default.arg(None)  # SQLAlchemy's wrapper of a plain function
            else:  # pragma: no cover - a SQL expression default: none on Comment
                raise NotImplementedError(f"default of comments.{column.name}")
            setattr(comment, prop.key, value)
        if value is not None or (column.server_default is None and not column.primary_key):
            values[column.name] = value
    return values


# The INSERT ... ON CONFLICT statements are text: SQLAlchemy cannot cache its dialect
# constructs for them, and compiling one again for every comment costs more than running
# it. The names come from the model (never from input); every value is bound, typed.


def _insert_sql(columns: tuple[str, ...]) -> str:
    table = Comment.__table__
    names = [table.c[name].name for name in columns]  # KeyError for a non-column
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 - the model's names
        f"VALUES ({', '.join(f':{name}' for name in names)}) "
        "ON CONFLICT (topic_id, submission_token) DO NOTHING RETURNING id"
    )


def _typed(sql: str, columns: tuple[str, ...]) -> sa.TextClause:
    table = Comment.__table__
    return sa.text(sql).bindparams(
        *(sa.bindparam(name, type_=table.c[name].type) for name in columns)
    )


@functools.cache
def _insert_statement(columns: tuple[str, ...]) -> sa.TextClause:
    """The comment, unless one with its (topic, submission_token) exists: its new id."""
    return _typed(_insert_sql(columns), columns)


@functools.cache
def _insert_counted_statement(columns: tuple[str, ...]) -> sa.TextClause:
    """PostgreSQL: the comment and ``comment_count + 1`` on its topic in one statement (one
    round trip); nothing at all when the token is taken. The topic's ``updated_at`` stays:
    a count is not an edit of the topic."""
    sql = (
        f"WITH new_comment AS ({_insert_sql(columns)}) "  # noqa: S608 - as above
        f"UPDATE {Topic.__table__.name} SET comment_count = comment_count + 1 "
        "WHERE id = :counted_topic_id AND EXISTS (SELECT 1 FROM new_comment) "
        "RETURNING (SELECT id FROM new_comment)"
    )
    return _typed(sql, columns)


def save_counted(topic: Topic, comment: Comment, *, counted: bool) -> tuple[Comment, bool]:
    """Save a new comment (counted in ``comment_count`` when ``counted``): (comment, created).

    The same form sent twice carries the same ``submission_token``: the unique constraint
    finds the second one (``ON CONFLICT DO NOTHING``), which gives back the first comment,
    counted once, also when both arrive at the same moment (the second waits for the
    first to commit). The counter moves in SQL in the same transaction: on PostgreSQL in
    the same statement as the row. Comments written by staff (curation) are saved here too."""
    if sa.inspect(comment).pending:
        db.session.expunge(comment)
    values = _row_values(comment)
    columns = tuple(values)
    db.session.flush()  # what the caller has pending goes first, as with Session.execute
    connection = db.session.connection()
    if counted and connection.dialect.name == "postgresql":
        statement = _insert_counted_statement(columns)
        new_id = connection.execute(statement, {**values, "counted_topic_id": topic.id}).scalar()
        if new_id is not None:
            db.session.expire(topic, ["comment_count"])  # read the new number when next asked
    else:
        new_id = connection.execute(_insert_statement(columns), values).scalar()
        if new_id is not None and counted:
            _add_to_comment_count(topic, 1)
    if new_id is None:
        # This same form was saved a moment ago (this request waited for it): use that one.
        existing = _by_token(topic, comment.submission_token)
        if existing is None:  # pragma: no cover - ON CONFLICT fires only on a taken token
            raise RuntimeError(f"comment token {comment.submission_token} vanished")
        return existing, False
    # The row is written: the object becomes that row, in the session, without a query.
    comment.id = new_id
    make_transient_to_detached(comment)
    db.session.add(comment)
    return comment, True


def post_comment(
    topic: Topic,
    author: Any,
    body: str,
    *,
    parent: Comment | None = None,
    nickname: str | None = None,
    token: str | None = None,
    language: str | None = None,
    place: Any = None,
    now: datetime | None = None,
    part_id: int | None = None,
    paragraph: int | None = None,
    paragraph_quote: str | None = None,
) -> Comment:
    """A new comment or reply. ``author`` is None for an anonymous comment (with ``nickname``).
    ``place``: where on the topic's map, checked by eraati.places.services.comment_place.
    ``part_id``: a comment on a part of the topic (eraati.parts), ``paragraph`` and its text
    ``paragraph_quote`` on one paragraph of it. A reply is on its parent's part, and on no
    paragraph of its own.

    The same form sent twice (same ``token``) gives back the first comment instead of a
    second one, also when both arrive at the same moment.
    """
    now = now or utcnow()
    if not topic.is_open(now):
        raise TopicClosedError(topic.id)
    if parent is not None and (
        parent.topic_id != topic.id or parent.status != CommentStatus.VISIBLE
    ):
        raise CommentNotAvailableError(parent.id)
    # A token already used is found by the unique constraint below (no query first).

    anonymous = author is None
    pending = topic.premoderated or anonymous
    status = CommentStatus.PENDING if pending else CommentStatus.VISIBLE
    if parent is not None:
        part_id, paragraph, paragraph_quote = parent.part_id, None, None
    elif paragraph is None:
        paragraph_quote = None
    comment = Comment(
        topic_id=topic.id,
        part_id=part_id,
        paragraph=paragraph if part_id is not None else None,
        paragraph_quote=paragraph_quote if part_id is not None else None,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        author_id=None if anonymous else author.id,
        nickname=clean_text(nickname)[:60] if anonymous and nickname else None,
        body=clean_text(body),
        language=language,
        status=status,
        submission_token=token or None,
        created_at=now,
        place_id=place.place_id if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
    )
    comment, _created = save_counted(topic, comment, counted=status == CommentStatus.VISIBLE)
    return comment


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["COMMENT_EDIT_WINDOW_MINUTES"])


def still_editable(comment: Comment, now: datetime) -> bool:
    """Within the edit window and not hidden or deleted (the topic's phase aside)."""
    return comment.status in EDITABLE and now < comment.created_at + edit_window()


def edit_comment(comment: Comment, body: str, *, now: datetime | None = None) -> Comment:
    """The writer's correction. On a pre-moderated topic the new text is checked again."""
    now = now or utcnow()
    topic = comment.topic
    if not topic.is_open(now):
        raise TopicClosedError(topic.id)
    if comment.status not in EDITABLE:
        raise CommentNotAvailableError(comment.id)
    if not still_editable(comment, now):
        raise EditWindowClosedError(comment.id)
    if topic.premoderated and comment.status == CommentStatus.VISIBLE:
        comment.status = CommentStatus.PENDING
        _add_to_comment_count(topic, -1)
    comment.body = clean_text(body)
    comment.edited_at = now
    db.session.flush()
    return comment


def delete_comment(comment: Comment, *, now: datetime | None = None) -> Comment:
    """The writer removes their words; the thread keeps its place and the replies.

    Only while the topic is open: once it closes, the discussion is the record that goes
    with the decision (a moderator can still hide personal data that was reported)."""
    now = now or utcnow()
    if not comment.topic.is_open(now):
        raise TopicClosedError(comment.topic_id)
    if comment.status == CommentStatus.DELETED:
        raise CommentNotAvailableError(comment.id)
    was_visible = comment.status == CommentStatus.VISIBLE
    comment.status = CommentStatus.DELETED
    comment.deleted_at = now
    comment.body = ""
    db.session.flush()
    if was_visible:
        _add_to_comment_count(comment.topic, -1)
    return comment


def has_flagged(comment: Comment, user: Any) -> bool:
    return (
        db.session.scalar(
            sa.select(CommentFlag.id).where(
                CommentFlag.comment_id == comment.id, CommentFlag.user_id == user.id
            )
        )
        is not None
    )


def flag_comment(
    comment: Comment,
    user: Any,
    reason: FlagReason,
    details: str | None = None,
    *,
    now: datetime | None = None,
) -> CommentFlag:
    """One report per person and comment; the moderators' queue reads ``flag_count``.

    When the reports since a moderator last looked reach the organisation's
    ``flag_threshold``, the comment waits for review (status PENDING, ``auto_hidden_at``)
    and leaves the public thread, in the same transaction. A conditional UPDATE (``WHERE
    status = 'visible'``) makes this happen once, even when the last two reports arrive
    at the same moment."""
    from eraati.audit.services import SYSTEM, record_comment_act  # audit sits beside the domains

    now = now or utcnow()
    if comment.status != CommentStatus.VISIBLE:
        raise CommentNotAvailableError(comment.id)
    if comment.topic.anonymised_at is not None:  # it takes no new links to people
        raise CommentNotAvailableError(comment.id)
    if has_flagged(comment, user):
        raise AlreadyFlaggedError(comment.id)

    def bump(delta: int) -> None:
        db.session.execute(
            sa.update(Comment)
            .where(Comment.id == comment.id)
            .values(flag_count=Comment.flag_count + delta)
        )

    bump(1)  # first, for the same reason as in post_comment
    flag = CommentFlag(
        comment_id=comment.id,
        user_id=user.id,
        reason=reason,
        details=clean_text(details or "")[:500] or None,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:
        bump(-1)
        raise AlreadyFlaggedError(comment.id) from None

    # Reports since the last review (all of them when no moderator has looked yet): a
    # moderator's "keep visible" is not undone by the reports it already answered.
    since_review = (
        sa.select(sa.func.count())
        .select_from(CommentFlag)
        .where(
            CommentFlag.comment_id == Comment.id,
            sa.or_(Comment.reviewed_at.is_(None), CommentFlag.created_at > Comment.reviewed_at),
        )
        .scalar_subquery()
    )
    threshold = comment.topic.organisation.flag_threshold
    hidden = db.session.execute(
        sa.update(Comment)
        .where(
            Comment.id == comment.id,
            Comment.status == CommentStatus.VISIBLE,
            Comment.flag_count >= threshold,
            since_review >= threshold,
        )
        .values(status=CommentStatus.PENDING, auto_hidden_at=now)
        .execution_options(synchronize_session=False)
    )
    if hidden.rowcount == 1:
        _add_to_comment_count(comment.topic, -1)
        db.session.refresh(comment)
        record_comment_act(
            "comment.auto_hide",
            comment,
            details={"flag_count": comment.flag_count, "threshold": threshold},
            # The system acted, not the resident whose report was the last one.
            actor=SYSTEM,
            now=now,
        )
    return flag
