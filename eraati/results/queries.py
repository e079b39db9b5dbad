"""The SQL behind ``topic_figures``: each function is one query whatever the topic's size
(``GROUP BY``/``COUNT`` in the database; Python only reshapes the grouped rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from eraati.accounts.models import User
from eraati.accounts.services import DELETED_USER_NICKNAME
from eraati.consultations import participation
from eraati.consultations.models import (
    SCALE_MAX,
    SCALE_MIN,
    AnonymisedParticipant,
    Answer,
    Comment,
    CommentSource,
    CommentStatus,
    CommentVote,
    Question,
    QuestionKind,
    Theme,
    Topic,
    TopicStance,
    comment_themes,
)
from eraati.consultations.queries import person_key, stored_pseudonym
from eraati.core.i18n import other_language, pick_text
from eraati.core.time import HELSINKI, local
from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation
from eraati.results.data import (
    CHANNELS,
    Channel,
    MunicipalityCount,
    OptionResult,
    PeriodCount,
    QuestionResult,
    ScaleCount,
    Timeline,
    Unit,
)

# Over time: days, or weeks when the topic ran longer than this.
DAILY_UP_TO_DAYS = 42
# Representative quotes per theme.
QUOTES_PER_THEME = 3


def is_web_registered() -> sa.ColumnElement[bool]:
    """A web comment of a registered writer (also one who has since deleted the account)."""
    return sa.or_(Comment.author_id.is_not(None), Comment.nickname == DELETED_USER_NICKNAME)


def channel_of(source: str, registered: Any) -> Channel:
    if source == CommentSource.PAPER:
        return Channel.PAPER
    if source == CommentSource.EVENT:
        return Channel.EVENT
    return Channel.REGISTERED if registered else Channel.ANONYMOUS


def shown_feedback(topic_id: Any) -> list[sa.ColumnElement[bool]]:
    """The comments and replies every figure counts: those a reader sees in the topic's
    discussion (shown: not hidden, not waiting for review, not deleted), without the
    organisation's official replies."""
    return [
        Comment.topic_id == topic_id,
        Comment.status == CommentStatus.VISIBLE,
        Comment.is_official.is_(False),
    ]


def taking_part(topic_id: Any) -> sa.Subquery:
    """One row (``kind``, ``person``) per registered act in the topic: a shown comment or
    reply, a vote on a shown comment, a stance, a poll answer. A person is an account, or
    the participant kept when the personal data was removed (``person_key``), so the counts
    stay the same after retention. A comment that was hidden, is waiting for review or was
    deleted makes nobody a participant, as it is not in the discussion a reader sees.
    Writers without an account cannot be told apart: their comments are counted as
    comments (``Participants.anonymous_comments``), never as people."""
    writer = person_key(Comment.author_id, Comment.participant_id)
    voted_on = aliased(Comment)
    return sa.union_all(
        sa.select(sa.literal("comment").label("kind"), writer.label("person")).where(
            *shown_feedback(topic_id), writer.is_not(None)
        ),
        sa.select(sa.literal("vote"), person_key(CommentVote.user_id, CommentVote.participant_id))
        .join(voted_on, voted_on.id == CommentVote.comment_id)
        .where(voted_on.topic_id == topic_id, voted_on.status == CommentStatus.VISIBLE),
        sa.select(
            sa.literal("stance"), person_key(TopicStance.user_id, TopicStance.participant_id)
        ).where(TopicStance.topic_id == topic_id),
        sa.select(sa.literal("poll"), person_key(Answer.user_id, Answer.participant_id))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.topic_id == topic_id),
    ).subquery()


def participants(topic: Topic) -> tuple[int, int, int, int, int]:
    """Distinct registered people in total and per way of taking part (``taking_part``):
    one query. The results pages, the staff results overview, the council report (DOCX and
    PDF) and the API all read these numbers from here."""
    kinds = taking_part(topic.id)

    def people(kind: str | None = None) -> sa.ColumnElement[int]:
        if kind is None:
            return sa.func.count(sa.distinct(kinds.c.person))
        return sa.func.count(sa.distinct(sa.case((kinds.c.kind == kind, kinds.c.person))))

    row = db.session.execute(
        sa.select(people(), people("comment"), people("vote"), people("stance"), people("poll"))
    ).one()
    return tuple(int(n or 0) for n in row)  # type: ignore[return-value]


@dataclass
class Breakdown:
    channels: dict[Channel, list[int]] = field(
        default_factory=lambda: {c: [0, 0] for c in CHANNELS}
    )
    untagged: int = 0
    waiting: int = 0
    hidden: dict[int | None, list[Any]] = field(default_factory=dict)  # id -> [texts, count]


def breakdown(topic: Topic) -> Breakdown:
    """Every comment of the topic grouped by status, channel, reply or not, official or
    not, tagged or not and moderation reason, with the reasons' texts: one query."""
    tagged = sa.exists().where(comment_themes.c.comment_id == Comment.id)
    rows = (
        sa.select(
            Comment.status.label("status"),
            Comment.source.label("source"),
            is_web_registered().label("registered"),
            Comment.parent_id.is_not(None).label("reply"),
            Comment.is_official.label("official"),
            tagged.label("tagged"),
            Comment.hidden_reason_id.label("reason_id"),
        )
        .where(Comment.topic_id == topic.id)
        .subquery()
    )
    grouped = sa.select(*rows.c, sa.func.count().label("n")).group_by(*rows.c).subquery("grouped")
    result = db.session.execute(
        sa.select(grouped, ModerationReason.texts).outerjoin(
            ModerationReason, ModerationReason.id == grouped.c.reason_id
        )
    )
    out = Breakdown()
    for status, source, registered, reply, official, has_theme, reason_id, n, texts in result:
        if status == CommentStatus.PENDING:
            out.waiting += n
        elif status == CommentStatus.HIDDEN:
            key = reason_id if texts is not None else None
            entry = out.hidden.setdefault(key, [texts, 0])
            entry[1] += n
        elif status == CommentStatus.VISIBLE and not official:
            out.channels[channel_of(source, registered)][1 if reply else 0] += n
            if not has_theme:
                out.untagged += n
    return out


def municipalities(topic: Topic, locale: str) -> list[MunicipalityCount]:
    """Registered commenters and their shown comments by home municipality: one query.
    Once the topic's personal data was removed, the home is the one kept with the
    participant. A home municipality's organisation is the one with its code."""
    code = sa.func.coalesce(
        User.home_municipality_code, AnonymisedParticipant.home_municipality_code
    )
    home = Organisation.id
    rows = db.session.execute(
        sa.select(
            home,
            Organisation.name_fi,
            Organisation.name_sv,
            Organisation.name_en,
            Organisation.languages,
            sa.func.count(sa.distinct(person_key(Comment.author_id, Comment.participant_id))),
            sa.func.count(Comment.id),
        )
        .select_from(Comment)
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(AnonymisedParticipant, AnonymisedParticipant.id == Comment.participant_id)
        .outerjoin(Organisation, Organisation.municipality_code == code)
        .where(
            *shown_feedback(topic.id),
            Comment.source == CommentSource.WEB,
            is_web_registered(),  # a deleted account's comments count as "not given"
        )
        .group_by(
            home,
            Organisation.name_fi,
            Organisation.name_sv,
            Organisation.name_en,
            Organisation.languages,
        )
    )
    found = []
    for org_id, fi, sv, en, languages, people, comments in rows:
        name = lang = None
        if org_id is not None:
            names = {"fi": fi, "sv": sv, "en": en}
            fallbacks = [c for c in (languages or "fi").split(",") if c]
            name = pick_text(names, locale, fallbacks)
            lang = other_language(names, locale, fallbacks)
        found.append(MunicipalityCount(org_id, name, lang, int(people), int(comments)))
    found.sort(key=lambda m: (m.organisation_id is None, -m.people, -m.comments, m.name or ""))
    return found


def _sqlite_bucket(received_on: str | None, created_at: str | None, unit: str) -> str | None:
    """The Helsinki day (or its week's Monday) of a comment, for SQLite, which knows no
    time zones: the day a paper form was received, else the day it was written."""
    if received_on:
        day = date.fromisoformat(received_on[:10])
    elif created_at:
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        day = moment.astimezone(HELSINKI).date()
    else:
        return None
    if unit == Unit.WEEK:
        day -= timedelta(days=day.weekday())
    return day.isoformat()


def _bucket(unit: Unit) -> sa.ColumnElement[str]:
    """``YYYY-MM-DD`` of a comment's day or week in Helsinki, in SQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        dbapi = db.session.connection().connection.dbapi_connection
        dbapi.create_function("eraati_result_bucket", 3, _sqlite_bucket, deterministic=True)
        return sa.func.eraati_result_bucket(Comment.received_on, Comment.created_at, unit.value)
    moment = sa.func.coalesce(
        sa.cast(Comment.received_on, sa.DateTime()),
        sa.func.timezone(HELSINKI.key, Comment.created_at),
    )
    return sa.func.to_char(sa.func.date_trunc(unit.value, moment), "YYYY-MM-DD")


def _span(topic: Topic, now: datetime) -> tuple[date, date]:
    start = local(topic.opens_at).date()
    end = local(min(topic.ends_at, now)).date()
    return start, max(start, end)


def timeline(topic: Topic, now: datetime) -> Timeline:
    """Shown comments and replies per day or week, with the empty ones: one query."""
    start, end = _span(topic, now)
    unit = Unit.DAY if (end - start).days <= DAILY_UP_TO_DAYS else Unit.WEEK
    # Grouped outside a subquery: PostgreSQL would see the expression's bound parameters
    # in SELECT and GROUP BY as different expressions.
    days = sa.select(_bucket(unit).label("bucket")).where(*shown_feedback(topic.id)).subquery()
    counts = {
        date.fromisoformat(day): int(n)
        for day, n in db.session.execute(
            sa.select(days.c.bucket, sa.func.count()).group_by(days.c.bucket)
        )
        if day
    }
    if counts:
        start, end = min(start, min(counts)), max(end, max(counts))
    step = timedelta(days=1 if unit == Unit.DAY else 7)
    if unit == Unit.WEEK:
        start -= timedelta(days=start.weekday())
    periods = []
    day = start
    while day <= end:
        periods.append(PeriodCount(day, counts.get(day, 0)))
        day += step
    return Timeline(unit, periods)


SCALE_VALUES = range(SCALE_MIN, SCALE_MAX + 1)


def polls(topic: Topic, locale: str) -> list[QuestionResult]:
    """Every question's figures by its kind: answers per option, a ranking's average
    places and first places, a scale's distribution, mean and median, and the people who
    answered (an open question's texts are not figures: ``open_answers``). One query."""
    questions = list(topic.questions)
    fallbacks = topic.organisation.language_list
    counts = participation.poll_counts([q.id for q in questions])
    results = []
    for q in questions:
        respondents = counts.respondents.get(q.id, 0)

        def share(n: int, respondents: int = respondents) -> float:
            return n / respondents if respondents else 0.0

        options = [
            OptionResult(
                option_id=o.id,
                text=pick_text(o.texts, locale, fallbacks),
                lang=other_language(o.texts, locale, fallbacks),
                count=counts.options.get(o.id, 0),
                share=share(counts.options.get(o.id, 0)),
                mean_rank=counts.rank_sums.get(o.id, 0) / respondents
                if q.kind == QuestionKind.RANKING and respondents
                else None,
            )
            for o in q.options
        ]
        if q.kind == QuestionKind.RANKING:
            options.sort(key=lambda o: o.mean_rank or 0)  # stable: ties keep their order
        values = counts.scale.get(q.id, {})
        scale = (
            [ScaleCount(v, values.get(v, 0), share(values.get(v, 0))) for v in SCALE_VALUES]
            if q.kind == QuestionKind.SCALE
            else []
        )
        labels = q.scale_labels or {}
        results.append(
            QuestionResult(
                question_id=q.id,
                text=pick_text(q.texts, locale, fallbacks),
                lang=other_language(q.texts, locale, fallbacks),
                multiple=q.kind == QuestionKind.MULTIPLE,
                respondents=respondents,
                options=options,
                kind=q.kind.value,
                scale=scale,
                mean=sum(v * n for v, n in values.items()) / sum(values.values())
                if values
                else None,
                median=participation.median_of_counts(values),
                low_label=pick_text(labels["low"], locale, fallbacks) if labels.get("low") else "",
                high_label=pick_text(labels["high"], locale, fallbacks)
                if labels.get("high")
                else "",
            )
        )
    return results


def themes(topic: Topic) -> list[tuple[int, dict, int]]:
    """(id, texts, shown comments tagged) of each theme: one query."""
    counts = (
        sa.select(comment_themes.c.theme_id, sa.func.count().label("n"))
        .join(Comment, Comment.id == comment_themes.c.comment_id)
        .where(Comment.topic_id == topic.id, Comment.status == CommentStatus.VISIBLE)
        .group_by(comment_themes.c.theme_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Theme.id, Theme.texts, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.theme_id == Theme.id)
        .where(Theme.topic_id == topic.id)
        .order_by(Theme.position, Theme.id)
    )
    return [(theme_id, texts or {}, int(n)) for theme_id, texts, n in rows]


def _quote_columns(comment: Any = Comment) -> list[Any]:
    """A quoted comment's columns (``figures._quote`` reads them in this order), of
    ``Comment`` or an alias of it; last the pseudonym kept when the personal data was
    removed."""
    return [
        comment.id,
        comment.body,
        comment.language,
        comment.source,
        comment.author_id,
        comment.nickname,
        comment.created_at,
        comment.received_on,
        comment.parent_id,
        comment.agree_count,
        comment.disagree_count,
        stored_pseudonym(comment.participant_id).label("stored_pseudonym"),
    ]


def quote_rows(topic: Topic) -> list[Any]:
    """The most agreed shown comments of each theme (up to QUOTES_PER_THEME) and every
    key comment, oldest first: one query. ``theme_id`` is None on key comment rows."""
    rank = (
        sa.func.row_number()
        .over(
            partition_by=comment_themes.c.theme_id,
            order_by=(
                Comment.agree_count.desc(),
                Comment.disagree_count.asc(),
                Comment.created_at.asc(),
                Comment.id.asc(),
            ),
        )
        .label("rank")
    )
    ranked = (
        sa.select(comment_themes.c.theme_id.label("theme_id"), *_quote_columns(), rank)
        .join(Comment, Comment.id == comment_themes.c.comment_id)
        .where(*shown_feedback(topic.id))
        .subquery()
    )
    quotes = sa.select(*ranked.c).where(ranked.c.rank <= QUOTES_PER_THEME)
    keys = sa.select(
        sa.cast(sa.null(), sa.Integer).label("theme_id"), *_quote_columns(), sa.literal(0)
    ).where(
        Comment.topic_id == topic.id,
        Comment.status == CommentStatus.VISIBLE,
        Comment.is_key.is_(True),
    )
    both = sa.union_all(quotes, keys).subquery()
    return list(
        db.session.execute(
            sa.select(both).order_by(both.c.theme_id, both.c.rank, both.c.created_at, both.c.id)
        )
    )


def official_rows(topic: Topic) -> list[Any]:
    """Shown official replies, oldest first, with the comment each replies to: one query."""
    parent = aliased(Comment)
    return list(
        db.session.execute(
            sa.select(
                Comment.id,
                Comment.body,
                Comment.language,
                Comment.created_at,
                parent.status,
                *_quote_columns(parent),
            )
            .outerjoin(parent, parent.id == Comment.parent_id)
            .where(
                Comment.topic_id == topic.id,
                Comment.status == CommentStatus.VISIBLE,
                Comment.is_official.is_(True),
            )
            .order_by(Comment.created_at, Comment.id)
        )
    )


# --- open answers -------------------------------------------------------------------------------

OPEN_ANSWERS_LISTED = 200  # the newest this many are listed; the raw exports have every one


@dataclass(frozen=True)
class OpenAnswer:
    """An open question's answer as the staff read it (never on a public page)."""

    answer_id: int
    question_id: int
    text: str
    updated_at: datetime
    hidden: bool
    hidden_reason: str | None


def open_answers(
    topic: Topic, *, visible_only: bool = False, limit: int = OPEN_ANSWERS_LISTED
) -> list[OpenAnswer]:
    """The newest open answers of the topic's open questions, newest first: one query
    (none without open questions). Each question's newest ``limit`` come from the index
    ``ix_answers_open_newest`` (read backwards, ``limit`` rows a question), then the newest
    ``limit`` of those: the cost does not grow with the answers."""
    ids = [q.id for q in topic.questions if q.kind == QuestionKind.OPEN]
    if not ids:
        return []
    newest = (Answer.updated_at.desc(), Answer.id.desc())
    each = []
    for question_id in ids:
        stmt = sa.select(
            Answer.id,
            Answer.question_id,
            Answer.text,
            Answer.updated_at,
            Answer.hidden_at.is_not(None).label("hidden"),
            Answer.hidden_reason,
        ).where(Answer.question_id == question_id, Answer.text.is_not(None))
        if visible_only:
            stmt = stmt.where(Answer.hidden_at.is_(None))
        each.append(stmt.order_by(*newest).limit(limit))
    if len(each) == 1:
        return [OpenAnswer(*row) for row in db.session.execute(each[0])]
    both = sa.union_all(*(sa.select(s.subquery()) for s in each)).subquery("newest")
    rows = db.session.execute(
        sa.select(both).order_by(both.c.updated_at.desc(), both.c.id.desc()).limit(limit)
    )
    return [OpenAnswer(*row) for row in rows]
