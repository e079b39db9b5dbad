"""A topic's results as plain data: participation, stances, poll, themes, quotes, moderation.

``topic_figures(topic)`` makes eight SQL queries whatever the topic's size (``queries``):
every count is a ``GROUP BY``/``COUNT`` in the database. It needs an application context
(the database, ``SECRET_KEY``), not a request, so the council report can call it as the
results pages do. Texts of the organisation (theme names, poll options, moderation
reasons, municipality names) are picked for ``locale``; the words of the pages themselves
are the templates' business (and ``display``'s, for the charts).

No name or e-mail address of a participant leaves this module: a registered writer is a
pseudonym code (``pseudonym``), stable within one topic and unrelated across topics.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from eraati.accounts.services import DELETED_USER_NICKNAME
from eraati.consultations.models import CommentStatus, Topic
from eraati.core import pseudonyms
from eraati.core.i18n import other_language, pick_text
from eraati.core.time import utcnow
from eraati.results import queries
from eraati.results.data import (
    CHANNELS,
    PUBLIC_MIN_GROUP,
    Channel,
    ChannelCount,
    ModerationFigures,
    MunicipalityCount,
    OfficialReply,
    OptionResult,
    Participants,
    PeriodCount,
    QuestionResult,
    Quote,
    ReasonCount,
    ResultFigures,
    StanceCounts,
    ThemeResult,
    Timeline,
    Unit,
    for_public,
)

__all__ = [
    "CHANNELS",
    "PUBLIC_MIN_GROUP",
    "Channel",
    "ChannelCount",
    "ModerationFigures",
    "MunicipalityCount",
    "OfficialReply",
    "OptionResult",
    "Participants",
    "PeriodCount",
    "QuestionResult",
    "Quote",
    "ReasonCount",
    "ResultFigures",
    "StanceCounts",
    "ThemeResult",
    "Timeline",
    "Unit",
    "for_public",
    "moderation_figures",
    "topic_figures",
]


def _quote(topic: Topic, row: Any, secret: str | bytes) -> Quote:
    (cid, body, language, source, author_id, nickname, created_at, received_on, parent_id) = row[:9]
    agree, disagree, stored = row[9], row[10], row[11]
    registered = author_id is not None or nickname == DELETED_USER_NICKNAME
    # The account's pseudonym, or the one kept when the personal data was removed.
    pseudonym = (
        pseudonyms.person(topic.pseudonym_key, author_id, secret)
        if author_id is not None
        else stored
    )
    return Quote(
        comment_id=cid,
        body=body,
        lang=language or None,
        channel=queries.channel_of(source, registered),
        pseudonym=pseudonym,
        created_at=_aware(created_at),
        received_on=received_on,
        is_reply=parent_id is not None,
        agree_count=int(agree or 0),
        disagree_count=int(disagree or 0),
    )


def _aware(moment: datetime) -> datetime:
    """Columns selected through a union lose their type's UTC handling on SQLite."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _reasons(topic: Topic, hidden: dict[int | None, list[Any]], locale: str) -> list[ReasonCount]:
    fallbacks = topic.organisation.language_list
    counts = [
        ReasonCount(
            reason_id=rid,
            text=pick_text(texts, locale, fallbacks) if rid is not None else None,
            lang=other_language(texts, locale, fallbacks) if rid is not None else None,
            count=n,
        )
        for rid, (texts, n) in hidden.items()
    ]
    counts.sort(key=lambda r: (r.reason_id is None, -r.count, r.text or ""))
    return counts


# --- all of it -------------------------------------------------------------------------------


def topic_figures(
    topic: Topic,
    *,
    locale: str = "fi",
    now: datetime | None = None,
    secret: str | bytes | None = None,
) -> ResultFigures:
    """Everything the results pages and the report show, in eight queries (the topic
    itself with its poll questions and options is the caller's)."""
    now = now or utcnow()
    secret = secret or None  # None: the configured key (core.pseudonyms)
    fallbacks = topic.organisation.language_list

    registered, commenters, voters, stance_takers, respondents = queries.participants(topic)
    breakdown = queries.breakdown(topic)
    channels = [ChannelCount(c, *breakdown.channels[c]) for c in CHANNELS]
    by_channel = {c.channel: c.total for c in channels}

    theme_rows = queries.themes(topic)
    quotes: dict[int, list[Quote]] = defaultdict(list)
    key_comments = []
    for row in queries.quote_rows(topic):
        quote = _quote(topic, row[1:], secret)
        if row[0] is None:
            key_comments.append(quote)
        else:
            quotes[row[0]].append(quote)
    themes = [
        ThemeResult(
            theme_id=theme_id,
            name=pick_text(texts, locale, fallbacks),
            lang=other_language(texts, locale, fallbacks),
            count=n,
            quotes=quotes.get(theme_id, []),
        )
        for theme_id, texts, n in theme_rows
    ]
    themes.sort(key=lambda t: -t.count)  # stable: the moderators' order among equals

    official = []
    for row in queries.official_rows(topic):
        cid, body, language, created_at, parent_status = row[:5]
        parent = None
        if parent_status == CommentStatus.VISIBLE:
            parent = _quote(topic, row[5:], secret)
        official.append(OfficialReply(cid, body, language or None, _aware(created_at), parent))

    return ResultFigures(
        topic_id=topic.id,
        locale=locale,
        phase=topic.phase(now),
        made_at=now,
        participants=Participants(
            registered=registered,
            commenters=commenters,
            voters=voters,
            stance_takers=stance_takers,
            respondents=respondents,
            anonymous_comments=by_channel[Channel.ANONYMOUS],
            paper_comments=by_channel[Channel.PAPER],
            event_comments=by_channel[Channel.EVENT],
        ),
        channels=channels,
        municipalities=queries.municipalities(topic, locale),
        timeline=queries.timeline(topic, now),
        stances=StanceCounts(
            enabled=topic.stances_enabled,
            support=topic.support_count,
            oppose=topic.oppose_count,
            neutral=topic.neutral_count,
        ),
        polls=queries.polls(topic, locale),
        themes=themes,
        untagged=breakdown.untagged,
        key_comments=key_comments,
        official_replies=official,
        moderation=_moderation(topic, breakdown, locale),
    )


def _moderation(topic: Topic, breakdown: queries.Breakdown, locale: str) -> ModerationFigures:
    return ModerationFigures(
        hidden=_reasons(topic, breakdown.hidden, locale), waiting=breakdown.waiting
    )


def moderation_figures(topic: Topic, locale: str) -> ModerationFigures:
    """Hidden comments by reason and comments waiting for review (the public account of a
    topic's moderation; the same figures as in its results and report): one query."""
    return _moderation(topic, queries.breakdown(topic), locale)
