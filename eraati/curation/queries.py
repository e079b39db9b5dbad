"""Read side of the editorial pages. Each loader costs a fixed number of SQL queries,
however many rows it returns."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, lazyload

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations.models import (
    Comment,
    CommentSource,
    CommentStatus,
    Theme,
    Topic,
    comment_themes,
)
from eraati.extensions import db


class Show(enum.StrEnum):
    """Which visible comments the workspace lists."""

    ALL = "all"
    UNTAGGED = "untagged"  # no theme yet
    KEY = "key"  # key comments


@dataclass(frozen=True)
class Figures:
    pending: int
    key: int
    untagged: int
    paper: int
    event: int
    official: int


def _with_author():
    # The author's name only: no staff roles, no home organisation.
    return (
        joinedload(Comment.author)
        .load_only(User.id, User.display_name)
        .options(lazyload(User.memberships))
    )


def _has_theme() -> sa.Exists:
    return sa.exists().where(comment_themes.c.comment_id == Comment.id)


def themes(topic: Topic) -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme).where(Theme.topic_id == topic.id).order_by(Theme.position, Theme.id)
        )
    )


def theme_or_404(topic: Topic, theme_id: int) -> Theme:
    """A theme of this topic; one of another topic is "not found" here."""
    theme = db.session.scalar(
        sa.select(Theme).where(Theme.id == theme_id, Theme.topic_id == topic.id)
    )
    if theme is None:
        abort(404)
    return theme


def theme_counts(topic: Topic) -> dict[int, int]:
    """{theme id: how many visible comments have it}, in one query."""
    rows = db.session.execute(
        sa.select(comment_themes.c.theme_id, sa.func.count())
        .join(Comment, Comment.id == comment_themes.c.comment_id)
        .join(Theme, Theme.id == comment_themes.c.theme_id)
        .where(Theme.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE)
        .group_by(comment_themes.c.theme_id)
    )
    return {theme_id: n for theme_id, n in rows}


def figures(topic: Topic) -> Figures:
    """The topic's editorial figures in one query (the topic's counters hold the rest)."""

    def n(*where) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*where), 1), else_=0)), 0)

    visible = Comment.status == CommentStatus.VISIBLE
    row = db.session.execute(
        sa.select(
            n(Comment.status == CommentStatus.PENDING),
            n(visible, Comment.is_key),
            n(visible, ~_has_theme()),
            n(visible, Comment.source == CommentSource.PAPER),
            n(visible, Comment.source == CommentSource.EVENT),
            n(visible, Comment.is_official),
        ).where(Comment.topic_id == topic.id)
    ).one()
    return Figures(*(int(v) for v in row))


def workspace_comments(topic: Topic, show: Show, page: int, q: str = "") -> Pagination:
    """The topic's visible comments, oldest first (a stable order for working through);
    with ``q``, those that have its words in any inflected form."""
    stmt = (
        sa.select(Comment)
        .where(Comment.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE)
        .options(_with_author())
        .order_by(Comment.created_at, Comment.id)
    )
    if q:
        from eraati.analysis.search.queries import comment_matches  # analysis builds on this

        stmt = stmt.where(comment_matches(q))
    if show == Show.UNTAGGED:
        stmt = stmt.where(~_has_theme())
    elif show == Show.KEY:
        stmt = stmt.where(Comment.is_key)
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    found = db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
    if not found.items and found.pages and page > found.pages:
        # The list got shorter (the last comment of the page was tagged): its last page.
        found = db.paginate(stmt, page=found.pages, per_page=per_page, max_per_page=per_page)
    return found


def theme_ids_by_comment(comment_ids: list[int]) -> dict[int, set[int]]:
    """{comment id: its theme ids} for the comments of one page, in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    if not comment_ids:
        return found
    rows = db.session.execute(
        sa.select(comment_themes.c.comment_id, comment_themes.c.theme_id).where(
            comment_themes.c.comment_id.in_(comment_ids)
        )
    )
    for comment_id, theme_id in rows:
        found[comment_id].add(theme_id)
    return found


def paper_entries(topic: Topic, page: int) -> Pagination:
    """Paper and event feedback of the topic, latest entered first."""
    stmt = (
        sa.select(Comment)
        .where(
            Comment.topic_id == topic.id,
            Comment.source.in_((CommentSource.PAPER, CommentSource.EVENT)),
        )
        .options(lazyload(Comment.author))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    per_page = current_app.config["COMMENTS_PER_PAGE"]
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page)


def user_names(user_ids: set[int | None]) -> dict[int, str]:
    """{user id: display name} in one query (who typed the paper feedback in)."""
    ids = sorted(i for i in user_ids if i is not None)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def paper_entry(topic: Topic, comment_id: int | None) -> Comment | None:
    """One paper or event entry of this topic (to fill in the next form like it)."""
    if comment_id is None:
        return None
    return db.session.scalar(
        sa.select(Comment).where(
            Comment.id == comment_id,
            Comment.topic_id == topic.id,
            Comment.source.in_((CommentSource.PAPER, CommentSource.EVENT)),
        )
    )


def last_summary_save(topic: Topic) -> AuditEvent | None:
    """Who saved the summary last, and when (from the audit log)."""
    return db.session.scalar(
        sa.select(AuditEvent)
        .where(
            AuditEvent.organisation_id == topic.organisation_id,
            AuditEvent.action == "topic.summary",
            AuditEvent.target_type == Topic.__name__,
            AuditEvent.target_id == topic.id,
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
