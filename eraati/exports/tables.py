"""The tables of an export: their columns (translated headings, kinds, widths) and row
sources. Every file format writes some of these tables; ``localise()`` turns the
headings and value labels into one language before a file is written."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale

from eraati.consultations import background
from eraati.core.i18n import lazy_gettext as _l
from eraati.exports import rows


class Kind(enum.StrEnum):
    TEXT = "text"  # free text: neutralised in the CSV for Excel
    INT = "int"
    MOMENT = "moment"  # an aware datetime
    # A moment read as naive UTC text, "2026-03-01 10:40:00.123456" (``rows.utc_text``):
    # written as MOMENT is, without making a datetime of it where the file needs none.
    UTC_TEXT = "utc_text"
    DAY = "day"  # a date
    BOOL = "bool"
    CODE = "code"  # a fixed code: as it is for programs, a translated label for people
    DEGREES = "degrees"  # WGS 84 decimal degrees (a float): a decimal comma for Finnish Excel


@dataclass(frozen=True)
class Column:
    key: str  # also the JSON key
    label: Any  # a lazy string
    kind: Kind = Kind.TEXT
    width: int = 14  # characters, for XLSX
    codes: Mapping[str, Any] | None = None  # CODE: code -> lazy label


@dataclass(frozen=True)
class Table:
    key: str
    title: Any
    columns: tuple[Column, ...]
    source: Callable[[rows.Snapshot], Iterator[tuple]]


CHANNELS = {
    "web": _l("Web, registered"),
    "anonymous": _l("Web, anonymous"),
    "paper": _l("Paper"),
    "event": _l("Event"),
}
STATUSES = {"visible": _l("Shown"), "hidden": _l("Hidden by the moderator")}
QUESTION_KINDS = {
    "single": _l("One option"),
    "multiple": _l("One or more options"),
    "ranking": _l("Ranking"),
    "scale": _l("Scale 1–5"),
    "open": _l("Open answer"),
}
STANCES = {"support": _l("Support"), "oppose": _l("Oppose"), "neutral": _l("Neutral")}
BREAKDOWNS = {"channel": _l("Comments by channel"), "home": _l("Participants by home municipality")}
GROUPS = {
    **CHANNELS,
    "": _l("Home municipality not given"),
    "other": _l("Another municipality or outside Finland"),
}

COMMENTS = Table(
    "comments",
    _l("Comments"),
    (
        Column("id", _l("Comment ID"), Kind.INT, 11),
        Column("parent_id", _l("Reply to comment"), Kind.INT, 11),
        Column("created_at", _l("Written"), Kind.UTC_TEXT, 17),
        Column("channel", _l("Channel"), Kind.CODE, 18, CHANNELS),
        Column("status", _l("Status"), Kind.CODE, 14, STATUSES),
        Column("hidden_reason", _l("Reason for hiding"), Kind.TEXT, 30),
        Column("author", _l("Writer (pseudonym)"), Kind.TEXT, 16),
        Column("language", _l("Language"), Kind.TEXT, 9),
        Column("text", _l("Comment"), Kind.TEXT, 80),
        Column("agrees", _l("Agree"), Kind.INT, 10),
        Column("disagrees", _l("Disagree"), Kind.INT, 10),
        Column("passes", _l("Pass"), Kind.INT, 10),
        Column("themes", _l("Themes"), Kind.TEXT, 30),
        Column("is_key", _l("Key comment"), Kind.BOOL, 11),
        Column("is_official", _l("Official reply"), Kind.BOOL, 11),
        Column("place", _l("Place"), Kind.TEXT, 20),
        Column("received_on", _l("Received on"), Kind.DAY, 12),
        # The topic's event where paper or event feedback was collected (eraati.events).
        Column("event_id", _l("Event ID"), Kind.INT, 9),
        # Where on the topic's map (eraati.places): the named place, and the point in WGS 84
        # (the comment's own point, else its named place's).
        Column("map_place", _l("Place on the map"), Kind.TEXT, 24),
        Column("lat", _l("Latitude (WGS 84)"), Kind.DEGREES, 12),
        Column("lon", _l("Longitude (WGS 84)"), Kind.DEGREES, 12),
        # A draft read part by part (eraati.parts): the part's number, the paragraph's
        # number in it and the paragraph as the comment quoted it.
        Column("part", _l("Part"), Kind.INT, 7),
        Column("paragraph", _l("Paragraph"), Kind.INT, 10),
        Column("paragraph_quote", _l("Quoted paragraph"), Kind.TEXT, 40),
    ),
    rows.comments,
)
STANCES_TABLE = Table(
    "stances",
    _l("Stances"),
    (
        Column("participant", _l("Participant (pseudonym)"), Kind.TEXT, 16),
        Column("stance", _l("Stance"), Kind.CODE, 14, STANCES),
        Column("updated_at", _l("Time"), Kind.MOMENT, 17),
    ),
    rows.stances,
)
POLL_ANSWERS = Table(
    "poll_answers",
    _l("Poll answers"),
    (
        Column("participant", _l("Participant (pseudonym)"), Kind.TEXT, 16),
        Column("question", _l("Question"), Kind.TEXT, 50),
        Column("kind", _l("Kind of question"), Kind.CODE, 18, QUESTION_KINDS),
        Column("options", _l("Chosen options"), Kind.TEXT, 40),
        Column("value", _l("Value (1–5)"), Kind.INT, 12),
        Column("text", _l("Open answer"), Kind.TEXT, 60),
        Column("hidden", _l("Hidden by a moderator"), Kind.BOOL, 12),
        Column("hidden_reason", _l("Reason for hiding"), Kind.TEXT, 30),
        Column("updated_at", _l("Time"), Kind.MOMENT, 17),
    ),
    rows.poll_answers,
)
THEMES = Table(
    "themes",
    _l("Themes"),
    (
        Column("theme", _l("Theme"), Kind.TEXT, 40),
        Column("comments", _l("Comments shown"), Kind.INT, 16),
    ),
    rows.themes,
)
PARTICIPATION = Table(
    "participation",
    _l("Participation"),
    (
        Column("breakdown", _l("Breakdown"), Kind.CODE, 34, BREAKDOWNS),
        Column("group", _l("Group"), Kind.CODE, 34, GROUPS),
        Column("municipality_code", _l("Municipality code"), Kind.TEXT, 12),
        Column("count", _l("Number"), Kind.INT, 10),
    ),
    rows.participation,
)
ALL = (COMMENTS, STANCES_TABLE, POLL_ANSWERS, THEMES, PARTICIPATION)


class _MunicipalityName:
    """A municipality's name in the language of the moment (``localise`` forces it)."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __str__(self) -> str:
        from flask_babel import get_locale

        from eraati.organisations import municipalities

        return municipalities.name(self.code, str(get_locale() or "fi")) or self.code


def for_topic(chosen: tuple[Table, ...], topic: Any) -> tuple[Table, ...]:
    """``chosen`` as ``topic``'s file has them: the poll answers end with a column per
    background question the survey asks (consultations.background). One query for a
    joint authority's members when the home municipality is asked; none otherwise."""
    asked = background.chosen(topic)
    if not asked or POLL_ANSWERS not in chosen:
        return chosen
    extra = []
    for q in asked:
        if q.key == "age":
            codes: dict[str, Any] = dict(background.AGE_GROUPS)
        elif q.key == "relation":
            codes = dict(background.RELATIONS)
        else:
            members = background.municipality_codes(topic.organisation)
            codes = {code: _MunicipalityName(code) for code in members}
            codes[background.OTHER] = _l("Another municipality or outside Finland")
        extra.append(Column(f"bg_{q.key}", q.group_label, Kind.CODE, 20, codes))
    columns = tuple(q.column for q in asked)
    poll = Table(
        POLL_ANSWERS.key,
        POLL_ANSWERS.title,
        POLL_ANSWERS.columns + tuple(extra),
        functools.partial(rows.poll_answers, background=columns),
    )
    return tuple(poll if t is POLL_ANSWERS else t for t in chosen)


# Tables whose rows move the command line's progress bar (``rows.sizes``).
COUNTED = ("comments", "stances", "poll_answers")


# --- in one language --------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalColumn:
    key: str
    label: str
    kind: Kind
    width: int
    codes: Mapping[str, str]


@dataclass(frozen=True)
class LocalTable:
    key: str
    title: str
    columns: tuple[LocalColumn, ...]
    source: Callable[[rows.Snapshot], Iterator[tuple]]


# A hidden comment's text is left out of the raw data unless the preparer chose to include
# it (``services.prepare(hidden_texts=True)``): the row keeps its status and reason.
LEFT_OUT = _l("[Text left out: hidden by the moderator]")
HIDDEN_TEXTS_NOTICE = _l(
    "This file includes the texts of comments that a moderator hid. They may contain "
    "personal data or insults: do not publish them or pass them on."
)


@dataclass(frozen=True)
class Words:
    """Values written as words in the files made for people."""

    yes: str
    no: str
    # What stands in for a hidden comment's text; the first line of a file that has them.
    left_out: str = ""
    notice: str = ""
    notice_title: str = ""  # the XLSX sheet of the notice


def localise(tables: tuple[Table, ...], lang: str) -> tuple[tuple[LocalTable, ...], Words]:
    with force_locale(lang):
        local = tuple(
            LocalTable(
                t.key,
                str(t.title),
                tuple(
                    LocalColumn(
                        c.key,
                        str(c.label),
                        c.kind,
                        c.width,
                        {code: str(label) for code, label in (c.codes or {}).items()},
                    )
                    for c in t.columns
                ),
                t.source,
            )
            for t in tables
        )
        words = Words(
            yes=str(_l("yes")),
            no=str(_l("no")),
            left_out=str(LEFT_OUT),
            notice=str(HIDDEN_TEXTS_NOTICE),
            notice_title=str(_l("Notice")),
        )
    return local, words
