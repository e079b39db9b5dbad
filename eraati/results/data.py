"""The results of a topic as plain data (frozen dataclasses): what ``topic_figures`` returns
and the results pages, charts and the council report read. No database, no Flask here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from eraati.consultations.models import Phase

# On the public page, municipalities with fewer registered commenters than this are
# counted together with "not given", so that nobody's home municipality can be inferred.
PUBLIC_MIN_GROUP = 5


class Channel(enum.StrEnum):
    """How a comment reached the topic."""

    REGISTERED = "registered"  # on the web, signed in
    ANONYMOUS = "anonymous"  # on the web, without an account
    PAPER = "paper"  # on a paper form, typed in by staff
    EVENT = "event"  # at an event, typed in by staff


CHANNELS = tuple(Channel)


class Unit(enum.StrEnum):
    DAY = "day"
    WEEK = "week"


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Participants:
    """Registered people who took part in any way, and feedback without an account."""

    registered: int  # distinct people: commented, voted, took a stance or answered the poll
    commenters: int
    voters: int
    stance_takers: int
    respondents: int  # answered at least one poll question
    anonymous_comments: int  # shown comments and replies written without an account
    paper_comments: int
    event_comments: int


@dataclass(frozen=True)
class ChannelCount:
    channel: Channel
    comments: int  # top-level comments shown
    replies: int  # replies shown

    @property
    def total(self) -> int:
        return self.comments + self.replies


@dataclass(frozen=True)
class MunicipalityCount:
    organisation_id: int | None  # None: not given (or, on the public page, small groups)
    name: str | None
    lang: str | None  # the name's language when it is not the reader's
    people: int  # registered commenters living there
    comments: int  # their shown comments and replies


@dataclass(frozen=True)
class PeriodCount:
    start: date  # the day, or the Monday of the week
    count: int


@dataclass(frozen=True)
class Timeline:
    unit: Unit
    periods: list[PeriodCount]

    @property
    def total(self) -> int:
        return sum(p.count for p in self.periods)


@dataclass(frozen=True)
class StanceCounts:
    enabled: bool
    support: int
    oppose: int
    neutral: int

    @property
    def total(self) -> int:
        return self.support + self.oppose + self.neutral

    def percent(self, count: int) -> float:
        return count / self.total if self.total else 0.0


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    text: str
    lang: str | None
    count: int  # answers choosing it; a ranking's: people who put it first
    share: float  # of the question's respondents, 0..1
    mean_rank: float | None = None  # a ranking's average place (1 = first), lower is better


@dataclass(frozen=True)
class ScaleCount:
    value: int  # SCALE_MIN..SCALE_MAX
    count: int
    share: float


@dataclass(frozen=True)
class QuestionResult:
    question_id: int
    text: str
    lang: str | None
    multiple: bool  # more than one option could be chosen: shares add up past 100 %
    respondents: int
    options: list[OptionResult]  # a ranking's: best average place first
    kind: str = "single"  # QuestionKind's value
    scale: list[ScaleCount] = field(default_factory=list)  # every value, with none too
    mean: float | None = None  # scale
    median: float | None = None  # scale
    low_label: str = ""  # scale: what 1 means
    high_label: str = ""  # scale: what 5 means


@dataclass(frozen=True)
class Quote:
    """A shown comment, verbatim, with who gave it as a channel and a pseudonym code."""

    comment_id: int
    body: str
    lang: str | None  # the comment's language, when known
    channel: Channel
    pseudonym: str | None  # registered writers only; None on the public page
    created_at: datetime
    received_on: date | None
    is_reply: bool
    agree_count: int
    disagree_count: int


@dataclass(frozen=True)
class ThemeResult:
    theme_id: int
    name: str
    lang: str | None
    count: int  # shown comments tagged with it
    quotes: list[Quote]


@dataclass(frozen=True)
class OfficialReply:
    comment_id: int
    body: str
    lang: str | None
    created_at: datetime
    parent: Quote | None  # None when the comment replied to is no longer shown


@dataclass(frozen=True)
class ReasonCount:
    reason_id: int | None  # None: hidden without a reason template (or one deleted)
    text: str | None
    lang: str | None
    count: int


@dataclass(frozen=True)
class ModerationFigures:
    hidden: list[ReasonCount]  # most common first, "other" last
    waiting: int  # waiting for a moderator's review

    @property
    def hidden_total(self) -> int:
        return sum(r.count for r in self.hidden)


@dataclass(frozen=True)
class ResultFigures:
    topic_id: int
    locale: str
    phase: Phase
    made_at: datetime
    participants: Participants
    channels: list[ChannelCount]  # every channel, in CHANNELS order
    municipalities: list[MunicipalityCount]  # most people first, "not given" last
    timeline: Timeline
    stances: StanceCounts
    polls: list[QuestionResult]
    themes: list[ThemeResult]  # most comments first
    untagged: int  # shown comments and replies without a theme
    key_comments: list[Quote]
    official_replies: list[OfficialReply]
    moderation: ModerationFigures
    public: bool = False

    @property
    def interim(self) -> bool:
        """The figures will still change: the topic is not closed yet."""
        return self.phase not in (Phase.CLOSED, Phase.PUBLISHED)

    @property
    def comments_total(self) -> int:
        return sum(c.total for c in self.channels)


# --- the public part ------------------------------------------------------------------------


def for_public(figures: ResultFigures, min_group: int = PUBLIC_MIN_GROUP) -> ResultFigures:
    """The figures as the public results page shows them: no pseudonyms, and home
    municipalities with fewer than ``min_group`` people counted with "not given"."""
    shown, small_people, small_comments = [], 0, 0
    for m in figures.municipalities:
        if m.organisation_id is not None and m.people >= min_group:
            shown.append(m)
        else:
            small_people += m.people
            small_comments += m.comments
    if small_people or small_comments:
        shown.append(MunicipalityCount(None, None, None, small_people, small_comments))

    def anonymous(quote: Quote | None) -> Quote | None:
        return replace(quote, pseudonym=None) if quote is not None else None

    return replace(
        figures,
        public=True,
        municipalities=shown,
        themes=[replace(t, quotes=[anonymous(q) for q in t.quotes]) for t in figures.themes],
        key_comments=[anonymous(q) for q in figures.key_comments],
        official_replies=[replace(r, parent=anonymous(r.parent)) for r in figures.official_replies],
    )
