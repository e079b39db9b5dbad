"""The moderators' editorial acts: themes and tags, key comments, official replies, paper
and event feedback, the summary. Services flush, never commit; each act writes its audit
row in the same transaction, and a comment that is shown is counted in
``Topic.comment_count`` in SQL (``comment_count = comment_count + 1``), also in that
transaction.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from eraati.audit.services import record, record_comment_act
from eraati.consultations.models import (
    Comment,
    CommentSource,
    CommentStatus,
    Phase,
    Theme,
    Topic,
    TopicTranslation,
    comment_themes,
)
from eraati.consultations.services import save_counted
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.events.models import TopicEvent
from eraati.extensions import db

# Official replies and paper feedback are added while people can still take part and
# after the topic closed, until the results are published.
FEEDBACK_PHASES = (Phase.OPEN, Phase.CLOSED)


class CurationError(Exception):
    """A state rule refused the act; the view shows a translated message."""


class TopicNotAcceptingError(CurationError):
    """The topic is a draft, not yet open, or its results are published."""


class CommentNotVisibleError(CurationError):
    """The comment is hidden, deleted or waiting for review."""


class ThemeGoneError(CurationError):
    """A chosen theme was deleted between the page and the save."""


class StaleSummaryError(CurationError):
    """Someone else saved a summary after this editor loaded it: nothing was written."""

    def __init__(self, locales: list[str]) -> None:
        super().__init__(locales)
        self.locales = locales


def accepts_feedback(topic: Topic, now: datetime) -> bool:
    return topic.phase(now) in FEEDBACK_PHASES


def _label(text: str, limit: int = 80) -> str:
    """A short label for the audit log: a theme's name, a topic's title."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _topic_label(topic: Topic) -> str:
    text = topic.text(topic.organisation.primary_language)
    return _label(text.title) if text else f"#{topic.id}"


# --- themes ----------------------------------------------------------------------------------


def _clean_texts(texts: dict[str, str | None]) -> dict[str, str]:
    return {code: clean_text(value) for code, value in texts.items() if value and clean_text(value)}


def create_theme(topic: Topic, texts: dict[str, str | None], *, actor: Any = None) -> Theme:
    """A new theme last in the topic's list."""
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Theme.position), -1)).where(
            Theme.topic_id == topic.id
        )
    )
    theme = Theme(topic_id=topic.id, texts=_clean_texts(texts), position=position + 1)
    db.session.add(theme)
    db.session.flush()
    record(
        "theme.create",
        organisation=topic.organisation_id,
        target=theme,
        target_label=_label(next(iter(theme.texts.values()), "")),
        details={"topic_id": topic.id, "texts": theme.texts},
        actor=actor,
    )
    return theme


def edit_theme(theme: Theme, texts: dict[str, str | None], *, actor: Any = None) -> bool:
    """New names; False (and no audit row) when nothing changed."""
    new = _clean_texts(texts)
    old = dict(theme.texts or {})
    if new == old:
        return False
    theme.texts = new
    db.session.flush()
    record(
        "theme.edit",
        organisation=theme.topic.organisation_id,
        target=theme,
        target_label=_label(next(iter(new.values()), "")),
        details={"topic_id": theme.topic_id, "before": old, "after": new},
        actor=actor,
    )
    return True


def delete_theme(theme: Theme, *, actor: Any = None) -> int:
    """Remove the theme and its tags; returns how many comments had it."""
    tagged = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(comment_themes)
        .where(comment_themes.c.theme_id == theme.id)
    )
    record(
        "theme.delete",
        organisation=theme.topic.organisation_id,
        target=theme,
        target_label=_label(next(iter((theme.texts or {}).values()), "")),
        details={"topic_id": theme.topic_id, "texts": theme.texts, "tagged_comments": tagged},
        actor=actor,
    )
    db.session.execute(sa.delete(comment_themes).where(comment_themes.c.theme_id == theme.id))
    db.session.delete(theme)
    db.session.flush()
    return tagged


# --- tags and key comments -------------------------------------------------------------------


def _insert_ignoring_duplicates(rows: list[dict[str, int]]) -> None:
    """Add tag rows; one another moderator added a moment ago is left as it is."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:  # pragma: no cover - only PostgreSQL and SQLite are supported
        db.session.execute(sa.insert(comment_themes), rows)
        return
    db.session.execute(insert(comment_themes).values(rows).on_conflict_do_nothing())


def current_theme_ids(comment: Comment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(comment_themes.c.theme_id).where(comment_themes.c.comment_id == comment.id)
        )
    )


def set_comment_themes(
    comment: Comment, theme_ids: set[int], *, actor: Any = None
) -> tuple[set[int], set[int]]:
    """The comment's themes become ``theme_ids`` (themes of its topic, checked by the
    caller); returns (added, removed). No audit row when nothing changed."""
    if comment.status != CommentStatus.VISIBLE:
        raise CommentNotVisibleError(comment.id)
    before = current_theme_ids(comment)
    added, removed = theme_ids - before, before - theme_ids
    if removed:
        db.session.execute(
            sa.delete(comment_themes).where(
                comment_themes.c.comment_id == comment.id,
                comment_themes.c.theme_id.in_(sorted(removed)),
            )
        )
    if added:
        try:
            with db.session.begin_nested():
                _insert_ignoring_duplicates(
                    [{"comment_id": comment.id, "theme_id": t} for t in sorted(added)]
                )
        except IntegrityError:  # another moderator deleted the theme a moment ago
            raise ThemeGoneError(comment.id) from None
    if added or removed:
        db.session.expire(comment, ["themes"])
        record_comment_act(
            "comment.tag",
            comment,
            details={"added": sorted(added), "removed": sorted(removed)},
            actor=actor,
        )
    return added, removed


def set_key(comment: Comment, is_key: bool, *, actor: Any = None) -> bool:
    """Mark or unmark a key comment; False (and no audit row) when it already was so."""
    if is_key and comment.status != CommentStatus.VISIBLE:
        raise CommentNotVisibleError(comment.id)
    changed = db.session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.is_key == (not is_key))
        .values(is_key=is_key)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(comment, ["is_key"])
    if not changed:
        return False
    record_comment_act("comment.key" if is_key else "comment.unkey", comment, actor=actor)
    return True


# --- comments written by staff ---------------------------------------------------------------


def post_official_reply(
    topic: Topic,
    parent: Comment,
    staff: Any,
    body: str,
    *,
    language: str | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> tuple[Comment, bool]:
    """A reply in the organisation's name: shown at once, counted with the comments."""
    now = now or utcnow()
    if not accepts_feedback(topic, now):
        raise TopicNotAcceptingError(topic.id)
    if parent.topic_id != topic.id or parent.status != CommentStatus.VISIBLE:
        raise CommentNotVisibleError(parent.id)
    reply = Comment(
        topic_id=topic.id,
        parent_id=parent.id,
        root_id=parent.root_id or parent.id,
        author_id=staff.id,
        body=clean_text(body),
        language=language,
        status=CommentStatus.VISIBLE,
        source=CommentSource.WEB,
        is_official=True,
        submission_token=token or None,
        created_at=now,
    )
    reply, created = save_counted(topic, reply, counted=True)
    if created:
        record_comment_act(
            "comment.official_reply",
            reply,
            details={"parent_id": parent.id},
            actor=staff,
            now=now,
        )
    return reply, created


def add_paper_feedback(
    topic: Topic,
    staff: Any,
    body: str,
    *,
    received_on: date,
    source: CommentSource,
    place: str,
    language: str | None = None,
    token: str | None = None,
    event: TopicEvent | None = None,
    now: datetime | None = None,
) -> tuple[Comment, bool]:
    """Feedback given on paper or at an event, typed in by staff: no author, never shown
    as anyone's; counted with the comments. ``event``: the topic's event where it was
    collected, if staff say so."""
    now = now or utcnow()
    if not accepts_feedback(topic, now):
        raise TopicNotAcceptingError(topic.id)
    if source not in (CommentSource.PAPER, CommentSource.EVENT):
        raise ValueError(source)
    if event is not None and event.topic_id != topic.id:
        raise ValueError(event.id)
    comment = Comment(
        topic_id=topic.id,
        author_id=None,
        nickname=None,
        body=clean_text(body),
        language=language or None,
        status=CommentStatus.VISIBLE,
        source=source,
        received_on=received_on,
        place=clean_text(place)[:200] or None,
        entered_by_id=staff.id,
        event_id=event.id if event is not None else None,
        submission_token=token or None,
        created_at=now,
    )
    comment, created = save_counted(topic, comment, counted=True)
    if created:
        record_comment_act(
            "paper.add",
            comment,
            details={
                "source": str(source),
                "received_on": received_on.isoformat(),
                "place": comment.place,
                **({"event_id": event.id} if event is not None else {}),
            },
            actor=staff,
            now=now,
        )
    return comment, created


# --- the moderator's summary -----------------------------------------------------------------


def text_hash(text: str | None) -> str:
    """What the summary form carries to notice that someone else saved meanwhile."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:32]


def save_summaries(
    topic: Topic,
    texts: dict[str, str],
    seen: dict[str, str],
    *,
    actor: Any = None,
) -> list[str]:
    """Write the summary of each language of ``texts``; ``seen`` holds the hash of each
    text as the editor loaded it. Returns the languages changed.

    A language someone else saved meanwhile is a conflict, unless this editor left it as
    it was (their change stays). On any conflict nothing is written: StaleSummaryError.
    Each UPDATE also checks the text it replaces, so two saves at the same moment cannot
    overwrite each other either."""
    rows = {t.locale: t for t in topic.translations}
    writes: dict[str, tuple[TopicTranslation, str, str]] = {}
    stale = []
    for locale, raw in texts.items():
        row = rows[locale]
        current = row.moderator_summary or ""
        new = clean_text(raw)
        if new == current:
            continue
        sent = seen.get(locale, "")
        if sent == text_hash(current):
            writes[locale] = (row, current, new)
        elif text_hash(new) != sent:  # both changed it
            stale.append(locale)
        # else: only the other editor changed it; theirs stays
    if stale:
        raise StaleSummaryError(stale)
    for locale, (row, current, new) in writes.items():
        done = db.session.execute(
            sa.update(TopicTranslation)
            .where(TopicTranslation.id == row.id, TopicTranslation.moderator_summary == current)
            .values(moderator_summary=new)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not done:
            raise StaleSummaryError([locale])
    for row, _current, _new in writes.values():
        db.session.expire(row, ["moderator_summary"])
    if writes:
        record(
            "topic.summary",
            organisation=topic.organisation_id,
            target=topic,
            target_label=_topic_label(topic),
            details={
                "languages": sorted(writes),
                "lengths": {loc: len(new) for loc, (_r, _c, new) in writes.items()},
            },
            actor=actor,
        )
    return sorted(writes)


# --- suggested themes (analysis.suggestions) -------------------------------------------------


class SuggestionGoneError(CurationError):
    """A chosen suggestion was decided by someone else, its theme deleted or its comment
    hidden between the page and the save: nothing was written."""


def _check_suggestions(
    topic: Topic, pairs: dict[tuple[int, int], float | None]
) -> dict[int, Comment]:
    """The comments of ``pairs`` (comment id, theme id), each shown, of this topic, with a
    theme of this topic and no decision yet; else SuggestionGoneError."""
    from eraati.curation.models import SuggestionDecision

    comment_ids = sorted({c for c, _t in pairs})
    comments = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Comment).where(Comment.id.in_(comment_ids), Comment.topic_id == topic.id)
        )
    }
    themes = set(
        db.session.scalars(
            sa.select(Theme.id).where(
                Theme.topic_id == topic.id, Theme.id.in_(sorted({t for _c, t in pairs}))
            )
        )
    )
    decided = db.session.execute(
        sa.select(SuggestionDecision.comment_id, SuggestionDecision.theme_id).where(
            SuggestionDecision.comment_id.in_(comment_ids)
        )
    ).tuples()
    if (
        not pairs
        or any(c not in comments or comments[c].status != CommentStatus.VISIBLE for c, _ in pairs)
        or any(t not in themes for _c, t in pairs)
        or any(pair in pairs for pair in decided)
    ):
        raise SuggestionGoneError(sorted(pairs))
    return comments


def _record_decisions(pairs: dict[tuple[int, int], float | None], decision: str, now) -> None:
    from eraati.curation.models import SuggestionDecision

    try:
        with db.session.begin_nested():
            db.session.add_all(
                SuggestionDecision(
                    comment_id=c, theme_id=t, decision=decision, confidence=p, decided_at=now
                )
                for (c, t), p in sorted(pairs.items())
            )
            db.session.flush()
    except IntegrityError:  # another moderator decided one a moment ago, or a theme went
        raise SuggestionGoneError(sorted(pairs)) from None


def accept_suggestions(
    topic: Topic,
    pairs: dict[tuple[int, int], float | None],
    *,
    actor: Any = None,
    now: datetime | None = None,
) -> int:
    """Tag each comment with its accepted themes (``set_comment_themes``: one audit row
    per comment, as tagging by hand) and remember the decisions. ``pairs`` maps (comment
    id, theme id) to the confidence shown. All or nothing: SuggestionGoneError."""
    from eraati.curation.models import Decision

    now = now or utcnow()
    comments = _check_suggestions(topic, pairs)
    wanted: dict[int, set[int]] = {}
    for comment_id, theme_id in pairs:
        wanted.setdefault(comment_id, set()).add(theme_id)
    tags: dict[int, set[int]] = {}
    for comment_id, theme_id in db.session.execute(
        sa.select(comment_themes.c.comment_id, comment_themes.c.theme_id).where(
            comment_themes.c.comment_id.in_(sorted(wanted))
        )
    ):
        tags.setdefault(comment_id, set()).add(theme_id)
    _record_decisions(pairs, Decision.ACCEPTED, now)
    for comment_id in sorted(wanted):
        try:
            set_comment_themes(
                comments[comment_id], tags.get(comment_id, set()) | wanted[comment_id], actor=actor
            )
        except (ThemeGoneError, CommentNotVisibleError):
            raise SuggestionGoneError(sorted(pairs)) from None
    return len(pairs)


def reject_suggestions(
    topic: Topic,
    pairs: dict[tuple[int, int], float | None],
    *,
    actor: Any = None,
    now: datetime | None = None,
) -> int:
    """Turn the suggestions down for good (one audit row for the act). All or nothing:
    SuggestionGoneError."""
    from eraati.curation.models import Decision

    now = now or utcnow()
    _check_suggestions(topic, pairs)
    _record_decisions(pairs, Decision.REJECTED, now)
    record(
        "theme.suggestion_reject",
        organisation=topic.organisation_id,
        target=topic,
        target_label=_topic_label(topic),
        details={"topic_id": topic.id, "rejected": [[c, t] for c, t in sorted(pairs)]},
        actor=actor,
        now=now,
    )
    return len(pairs)
