"""The rows of a topic's raw data, read from the database as streams.

Every source is a generator over a server-side cursor (``yield_per``): a topic with a
million comments goes through in pieces of ``YIELD_PER`` rows and is never held in memory.
Counts are SQL aggregates. Before streaming, ``snapshot()`` reads the few small things
every row needs (theme and poll texts, the organisation's name), so that the generators
touch no ORM object that a commit could expire.

What is exported: comments that are shown or that a moderator hid (with the reason);
comments waiting for review and comments their writers deleted are left out. A hidden
comment's text is replaced by a marker (``Snapshot.left_out``) unless the preparer chose
to include the hidden texts (``Snapshot.hidden_texts``). People
appear as pseudonyms (``pseudonyms.py``); e-mail addresses and the nicknames of anonymous
writers never. A registered writer's name appears beside the pseudonym ("Name (P-…)") only
when both the organisation allows names in exports (``Organisation.names_in_exports``) and
the writer agreed in their account settings (``User.name_consent``). Replies the
organisation wrote show the organisation's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from eraati.accounts.models import User
from eraati.consultations.models import (
    AnonymisedParticipant,
    Answer,
    AnswerChoice,
    BackgroundAnswer,
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
from eraati.consultations.queries import person_key, stored_pseudonyms
from eraati.core import pseudonyms
from eraati.core.i18n import pick_text
from eraati.extensions import db
from eraati.organisations import municipalities
from eraati.places.models import TopicPlace

YIELD_PER = 1000
EXPORTED = (CommentStatus.VISIBLE, CommentStatus.HIDDEN)
CHANNELS = ("web", "anonymous", "paper", "event")


def stream(stmt: sa.Select) -> Iterator[sa.Row]:
    """Rows of ``stmt`` from a server-side cursor, ``YIELD_PER`` at a time."""
    yield from db.session.execute(stmt.execution_options(yield_per=YIELD_PER))


def stream_tuples(stmt: sa.Select) -> Iterator[tuple]:
    """Like ``stream``, on the session's connection without the ORM, and the rows as the
    driver gives them (for the long tables: the ORM's and the result's handling of each
    row cost more than the row's own work). The result's processing of types is skipped
    too, so ``stmt`` selects types the driver gives as they are needed: texts, numbers,
    truth values (1/0 on SQLite); SQLite gives a date as its text, "2026-03-01"."""
    result = db.session.connection().execute(stmt.execution_options(yield_per=YIELD_PER))
    # The raw rows of the result's cursor strategy (the server-side cursor on
    # PostgreSQL), still through the result's own fetching; the public iterators would
    # make a Row of each.
    fetch = getattr(result, "_fetchmany_impl", None)
    if fetch is None:  # another SQLAlchemy: the public way
        yield from result.tuples()
        return
    try:
        while batch := fetch(YIELD_PER):
            yield from batch
    finally:
        result.close()


class utc_text(sa.sql.functions.FunctionElement):  # lower case: used like a SQL function
    """A UTC datetime column as naive UTC text to the microsecond, "2026-03-01
    10:40:00.123456": what SQLite stores, read without making a datetime of it, and
    PostgreSQL's to_char of the same. The writers cut the files' forms from the text
    (``cells.iso_utc_text``, ``finnish_utc_text``, ``local_utc_text``)."""

    type = sa.String()
    name = "utc_text"
    inherit_cache = True


@compiles(utc_text, "sqlite")
def _utc_text_sqlite(element: utc_text, compiler: Any, **kw: Any) -> str:
    # The stored text itself when it has SQLAlchemy's form (26 characters); a time that
    # something else wrote ("2026-03-01 10:40", "...+02:00") is put in that form by
    # SQLite's strftime, in UTC, to the millisecond.
    column = compiler.process(element.clauses, **kw)
    return (
        f"CASE WHEN length({column}) = 26 AND substr({column}, 20, 1) = '.' THEN {column} "
        f"ELSE strftime('%Y-%m-%d %H:%M:%f', {column}) END"
    )


@compiles(utc_text, "postgresql")
def _utc_text_postgresql(element: utc_text, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char(({column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


def _ids(joined: str | None) -> list[int]:
    return [int(part) for part in joined.split(",")] if joined else []


def _joined_ids(column: Any, where: Any) -> sa.ScalarSelect:
    """The ids of ``column`` in the rows matching ``where``, as "3,1,2" (order is free)."""
    return (
        sa.select(sa.func.aggregate_strings(sa.cast(column, sa.String), ","))
        .where(where)
        .scalar_subquery()
    )


# --- what every row needs, read once ----------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Small facts about the topic, in the export's language."""

    topic_id: int
    slug: str
    lang: str
    exported_at: datetime
    organisation: str
    organisation_slug: str
    title: str
    status: str
    opens_at: datetime
    closes_at: datetime  # the planned deadline
    deciding_body: str | None
    decision_planned_on: date | None
    case_number: str | None
    closed_at: datetime | None = None  # when it was closed before the deadline
    # The organisation's setting: consenting writers are named beside their pseudonym.
    names: bool = False
    # The preparer's choice: hidden comments' texts are in the file. Otherwise each is
    # replaced by ``left_out`` (in the file's language).
    hidden_texts: bool = False
    left_out: str = ""
    # id -> (position, id, name): themes and poll options sort by position.
    themes: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    questions: dict[int, str] = field(default_factory=dict)
    options: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    # Participant id -> pseudonym, once the topic's personal data was removed (retention).
    stored: dict[int, str] = field(default_factory=dict)
    # The topic's pseudonym key (core.pseudonyms); None once the personal data was removed.
    pseudonym_key: str | None = None
    # The named places of the topic's map (eraati.places): id -> (name, lat, lon).
    map_places: dict[int, tuple[str, float, float]] = field(default_factory=dict)


def snapshot(
    topic: Topic, lang: str, now: datetime, *, hidden_texts: bool = False, left_out: str = ""
) -> Snapshot:
    """Read before streaming: two queries (themes; the poll comes with the topic), and
    the kept pseudonyms of a topic whose personal data was removed."""
    org = topic.organisation
    languages = org.language_list
    text = topic.text(lang)
    themes = db.session.execute(
        sa.select(Theme.id, Theme.position, Theme.texts).where(Theme.topic_id == topic.id)
    )
    options = {}
    for question in topic.questions:
        for option in question.options:
            name = pick_text(option.texts, lang, languages)
            options[option.id] = (option.position, option.id, name)
    return Snapshot(
        topic_id=topic.id,
        slug=topic.slug,
        lang=lang,
        exported_at=now,
        organisation=org.name(lang),
        organisation_slug=org.slug,
        title=text.title if text else "",
        status=str(topic.phase(now)),  # draft, upcoming, open, closed or published
        opens_at=topic.opens_at,
        closes_at=topic.closes_at,
        closed_at=topic.closed_at,
        deciding_body=(text.deciding_body or None) if text else None,  # the title's language
        decision_planned_on=topic.decision_planned_on,
        case_number=topic.case_number,
        names=bool(org.names_in_exports),
        hidden_texts=hidden_texts,
        left_out=left_out,
        themes={t.id: (t.position, t.id, pick_text(t.texts, lang, languages)) for t in themes},
        questions={q.id: pick_text(q.texts, lang, languages) for q in topic.questions},
        options=options,
        stored=stored_pseudonyms(topic),
        pseudonym_key=topic.pseudonym_key,
        map_places={
            p.id: (p.name(lang), p.lat, p.lon)
            for p in db.session.scalars(
                sa.select(TopicPlace).where(TopicPlace.topic_id == topic.id)
            )
        },
    )


def namer(snap: Snapshot) -> pseudonyms.Namer:
    """The pseudonyms of the snapshot's topic (``core.pseudonyms``)."""
    return pseudonyms.Namer(snap.topic_id, snap.pseudonym_key)


def _person(names: pseudonyms.Namer, stored: dict[int, str]):
    """The pseudonym of a row's person: of the account, or the one kept when the topic's
    personal data was removed (``user_id`` is then None)."""
    person = names.person

    def of(user_id: int | None, participant_id: int | None) -> str:
        if user_id is not None:
            return person(user_id)
        return stored.get(participant_id, "")

    return of


def _names(ids: list[int], names: dict[int, tuple[int, int, str]]) -> str:
    """Theme or option names, in their order, joined with "; "."""
    return "; ".join(entry[2] for entry in sorted(names[i] for i in ids if i in names))


# --- comments ----------------------------------------------------------------------------------


def _channel() -> sa.ColumnElement[str]:
    """web, anonymous (web without a registered author, nor one kept when the personal
    data was removed), paper or event."""
    return sa.case(
        (Comment.source == CommentSource.PAPER, "paper"),
        (Comment.source == CommentSource.EVENT, "event"),
        (sa.and_(Comment.author_id.is_(None), Comment.participant_id.is_(None)), "anonymous"),
        else_="web",
    )


def comment_text(snap: Snapshot) -> sa.ColumnElement[str]:
    """A comment's text as the file has it: a hidden one's is ``snap.left_out`` unless the
    preparer chose to include hidden texts (decided in SQL, nothing per row in Python)."""
    if snap.hidden_texts:
        return Comment.body
    return sa.case(
        (Comment.status == CommentStatus.HIDDEN, sa.literal(snap.left_out, sa.Text)),
        else_=Comment.body,
    )


class CommentRow(NamedTuple):
    """The columns of ``tables.COMMENTS``, in order (``comments`` yields plain lists in
    this order: building a named tuple per row would cost more than writing it)."""

    id: int
    parent_id: int | None
    created_at: str  # UTC text (``utc_text``)
    channel: str
    status: str
    hidden_reason: str | None
    author: str
    language: str | None
    text: str
    agrees: int
    disagrees: int
    passes: int
    themes: str
    is_key: bool
    is_official: bool
    place: str | None
    received_on: date | None
    event_id: int | None
    map_place: str | None
    lat: float | None
    lon: float | None
    part: int | None  # the part's number (eraati.parts)
    paragraph: int | None
    paragraph_quote: str | None


# A topic's parts (eraati.parts), by name: the exports read their numbers only.
_PARTS = sa.table("topic_parts", sa.column("id"), sa.column("position"))


def comments_statement(snap: Snapshot) -> sa.Select:
    """The comments' columns, in the order ``comments`` reads them."""
    themes = _joined_ids(comment_themes.c.theme_id, comment_themes.c.comment_id == Comment.id)
    hidden = Comment.status == CommentStatus.HIDDEN
    # The truth values as the driver gives them (SQLite: 1/0), without a conversion per
    # row: every writer reads them as truth values.
    is_key, is_official = (
        sa.type_coerce(c, sa.Integer) for c in (Comment.is_key, Comment.is_official)
    )
    stmt = (
        sa.select(
            Comment.id,
            Comment.parent_id,
            utc_text(Comment.created_at),
            _channel(),
            sa.type_coerce(Comment.status, sa.String),
            sa.case((hidden, Comment.hidden_reason)),
            Comment.author_id,
            Comment.participant_id,
            is_official,
            Comment.language,
            comment_text(snap),
            Comment.agree_count,
            Comment.disagree_count,
            Comment.pass_count,
            themes,
            is_key,
            Comment.place,
            Comment.received_on,
            Comment.event_id,
            Comment.place_id,
            Comment.lat,
            Comment.lon,
            _PARTS.c.position,
            Comment.paragraph,
            Comment.paragraph_quote,
        )
        .outerjoin(_PARTS, _PARTS.c.id == Comment.part_id)
        .where(Comment.topic_id == snap.topic_id, Comment.status.in_(EXPORTED))
        .order_by(Comment.id)
    )
    if snap.names:  # the name of a writer who consented; NULL for everyone else
        stmt = stmt.add_columns(User.display_name).outerjoin(
            User, sa.and_(User.id == Comment.author_id, User.name_consent.is_(True))
        )
    else:
        stmt = stmt.add_columns(sa.null())
    return stmt


def comments(snap: Snapshot) -> Iterator[list]:
    """The exported comments as lists in ``CommentRow``'s order, by id.

    This is the long table of every export (100,000 rows and more), so the work per row
    is kept small: SQL gives the channel, the status as text and the reason only for
    hidden comments; the time comes as UTC text (``utc_text``: no datetime is made of it
    for the CSV and JSON files); pseudonyms and theme names are computed once per person
    and per set of themes; rows come from the connection, without the ORM's row
    handling."""
    stmt = comments_statement(snap)
    people = namer(snap)
    person, unregistered = people.person, people.unregistered
    stored = snap.stored
    organisation = snap.organisation
    theme_names: dict[str | None, str] = {}
    map_places = snap.map_places
    day = date.fromisoformat
    for (cid, parent, created, channel, status, reason, author_id, participant, official,
         language, body, agrees, disagrees, passes, theme_ids, is_key, place, received, event,
         place_id, lat, lon, part, paragraph, quote, name) in stream_tuples(stmt):  # fmt: skip
        if received.__class__ is str:  # SQLite's text
            received = day(received)
        if official:
            author = organisation
        elif author_id is None:
            # The pseudonym kept when the personal data was removed; else a writer without
            # an account (anonymous, paper, event, or an account since deleted).
            author = stored[participant] if participant in stored else unregistered(cid)
        elif name:
            author = f"{name} ({person(author_id)})"
        else:
            author = person(author_id)
        try:
            themes_named = theme_names[theme_ids]
        except KeyError:
            themes_named = theme_names[theme_ids] = _names(_ids(theme_ids), snap.themes)
        map_place = None
        if place_id is not None and place_id in map_places:
            map_place, place_lat, place_lon = map_places[place_id]
            if lat is None:
                lat, lon = place_lat, place_lon
        # A list, in the order of ``CommentRow``: the writers convert its cells in place.
        # is_key and is_official stay as the driver gives them (True/False, or 1/0 on
        # SQLite): every writer reads them as truth values.
        yield [
            cid,
            parent,
            created,
            channel,
            status,
            reason,
            author,
            language,
            body,
            agrees,
            disagrees,
            passes,
            themes_named,
            is_key,
            official,
            place,
            received,
            event,
            map_place,
            lat,
            lon,
            part,
            paragraph,
            quote,
        ]


# --- stances and poll answers -------------------------------------------------------------------


class StanceRow(NamedTuple):
    participant: str
    stance: str
    updated_at: datetime


def stances(snap: Snapshot) -> Iterator[StanceRow]:
    stmt = (
        sa.select(
            TopicStance.user_id,
            TopicStance.participant_id,
            TopicStance.stance,
            TopicStance.updated_at,
        )
        .where(TopicStance.topic_id == snap.topic_id)
        .order_by(TopicStance.id)
    )
    person = _person(namer(snap), snap.stored)
    for row in stream(stmt):
        yield StanceRow(person(row.user_id, row.participant_id), str(row.stance), row.updated_at)


class AnswerRow(NamedTuple):
    participant: str
    question: str
    kind: str  # QuestionKind's value
    options: str  # chosen options; a ranking's as "1. A; 2. B"
    value: int | None  # a scale's 1-5
    text: str | None  # an open answer (``left_out`` when hidden, unless texts are asked)
    hidden: bool
    hidden_reason: str | None
    updated_at: datetime


def _ranked(joined: str | None, names: dict[int, tuple[int, int, str]]) -> str:
    """ "2:15,1:14" (place:option) as "1. <option 14>; 2. <option 15>"."""
    pairs = sorted(
        (int(place), int(option))
        for place, option in (part.split(":") for part in (joined or "").split(",") if part)
    )
    return "; ".join(f"{place}. {names[o][2]}" for place, o in pairs if o in names)


def background_join(snap: Snapshot) -> sa.ColumnElement[bool]:
    """``Answer`` to the same person's ``BackgroundAnswer``: by account, or by participant
    once the topic's personal data was removed. A plain equality either way, so the
    database uses an index or a hash, not a comparison per pair of rows."""
    if not snap.stored:  # the kept pseudonyms: only once the personal data was removed
        person = BackgroundAnswer.user_id == Answer.user_id
    else:
        person = BackgroundAnswer.participant_id == Answer.participant_id
    return sa.and_(BackgroundAnswer.topic_id == snap.topic_id, person)


def poll_answers(snap: Snapshot, background: tuple[str, ...] = ()) -> Iterator[AnswerRow]:
    """Every answer row; with ``background`` (columns of ``BackgroundAnswer``), each row
    ends with the respondent's background answers (codes; None: not told)."""
    chosen = _joined_ids(AnswerChoice.option_id, AnswerChoice.answer_id == Answer.id)
    places = _joined_ids(
        sa.cast(AnswerChoice.rank, sa.String) + ":" + sa.cast(AnswerChoice.option_id, sa.String),
        sa.and_(AnswerChoice.answer_id == Answer.id, AnswerChoice.rank.is_not(None)),
    )
    stmt = (
        sa.select(
            Answer.user_id,
            Answer.participant_id,
            Answer.question_id,
            Answer.updated_at,
            Answer.value,
            Answer.text,
            Answer.hidden_at,
            Answer.hidden_reason,
            Question.kind,
            sa.case((Question.kind == QuestionKind.RANKING, places), else_=chosen).label("ids"),
        )
        .join(Question, Question.id == Answer.question_id)
        .where(Question.topic_id == snap.topic_id)
        .order_by(Question.position, Question.id, Answer.id)
    )
    if background:  # the same person's row (their account's, or their participant's)
        stmt = stmt.outerjoin(
            BackgroundAnswer,
            background_join(snap),
        ).add_columns(*(getattr(BackgroundAnswer, c).label(f"bg_{c}") for c in background))
    person = _person(namer(snap), snap.stored)
    for row in stream(stmt):
        ranking = row.kind == QuestionKind.RANKING
        hidden = row.hidden_at is not None
        text = row.text
        if hidden and text is not None and not snap.hidden_texts:
            text = snap.left_out
        answer = AnswerRow(
            person(row.user_id, row.participant_id),
            snap.questions.get(row.question_id, ""),
            str(row.kind),
            _ranked(row.ids, snap.options) if ranking else _names(_ids(row.ids), snap.options),
            row.value,
            text,
            hidden,
            row.hidden_reason,
            row.updated_at,
        )
        if background:
            yield (*answer, *(row._mapping[f"bg_{c}"] for c in background))
        else:
            yield answer


# --- aggregates ---------------------------------------------------------------------------------


class ThemeRow(NamedTuple):
    theme: str
    comments: int


def themes(snap: Snapshot) -> Iterator[ThemeRow]:
    """Each theme with the number of its comments that are shown (one grouped query)."""
    shown = sa.and_(
        Comment.id == comment_themes.c.comment_id, Comment.status == CommentStatus.VISIBLE
    )
    stmt = (
        sa.select(Theme.id, sa.func.count(Comment.id).label("n"))
        .select_from(Theme)
        .outerjoin(comment_themes, comment_themes.c.theme_id == Theme.id)
        .outerjoin(Comment, shown)
        .where(Theme.topic_id == snap.topic_id)
        .group_by(Theme.id)
    )
    counts = dict(db.session.execute(stmt).tuples().all())
    for _position, theme_id, name in sorted(snap.themes.values()):
        yield ThemeRow(name, counts.get(theme_id, 0))


class ParticipationRow(NamedTuple):
    breakdown: str  # "channel" or "home"
    # A channel code, or the name of the home municipality in the export's language
    # ("other": elsewhere or outside Finland, "": not given).
    group: str
    # The home municipality's Statistics Finland code ("" for channels, "other", not given).
    municipality_code: str
    count: int


def participants_subquery(topic_id: int) -> sa.Subquery:
    """Everyone registered who took part in the topic: commented (not as the
    organisation), voted on a comment, took a stance or answered the poll. A person is
    (``user_id``, ``participant_id``): the account, or, once the topic's personal data was
    removed, the participant kept in its place."""

    def person(user_id: Any, participant_id: Any) -> tuple:
        return user_id.label("user_id"), participant_id.label("participant_id")

    return sa.union(
        sa.select(*person(Comment.author_id, Comment.participant_id)).where(
            Comment.topic_id == topic_id,
            person_key(Comment.author_id, Comment.participant_id).is_not(None),
            Comment.is_official.is_(False),
            Comment.status.in_(EXPORTED),
        ),
        sa.select(*person(CommentVote.user_id, CommentVote.participant_id))
        .join(Comment, Comment.id == CommentVote.comment_id)
        .where(Comment.topic_id == topic_id),
        sa.select(*person(TopicStance.user_id, TopicStance.participant_id)).where(
            TopicStance.topic_id == topic_id
        ),
        sa.select(*person(Answer.user_id, Answer.participant_id))
        .join(Question, Question.id == Answer.question_id)
        .where(Question.topic_id == topic_id),
    ).subquery()


def participation(snap: Snapshot) -> Iterator[ParticipationRow]:
    """Comments per channel, then participants per home municipality (one query each)."""
    channel = _channel()
    by_channel = dict(
        db.session.execute(
            sa.select(channel, sa.func.count())
            .where(Comment.topic_id == snap.topic_id, Comment.status.in_(EXPORTED))
            .group_by(channel)
        )
        .tuples()
        .all()
    )
    for code in CHANNELS:
        yield ParticipationRow("channel", code, "", by_channel.get(code, 0))

    # By the home municipality's code, whether or not the municipality is on eRaati (its
    # organisation is the one with the code): the names come from the reference list.
    people = participants_subquery(snap.topic_id)
    n = sa.func.count().label("n")
    home = sa.func.coalesce(
        User.home_municipality_code, AnonymisedParticipant.home_municipality_code
    ).label("home")
    stmt = (
        sa.select(home, n)
        .select_from(people)
        .outerjoin(User, User.id == people.c.user_id)
        .outerjoin(AnonymisedParticipant, AnonymisedParticipant.id == people.c.participant_id)
        .group_by(home)
    )
    found = []
    for code, count in db.session.execute(stmt):
        if code is None or code == municipalities.OTHER:
            found.append((code or "", "", count))
        else:
            found.append((municipalities.name(code, snap.lang) or code, code, count))
    # At most one row a municipality (some 300): sorted here, by size and then by name.
    found.sort(key=lambda row: (-row[2], row[0] in ("", municipalities.OTHER), row[0]))
    for name, code, count in found:
        yield ParticipationRow("home", name, code, count)


# --- sizes, for a progress bar -----------------------------------------------------------------


def sizes(topic_id: int) -> dict[str, int]:
    """How many rows the long tables have (one query)."""
    comments = (
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(Comment.topic_id == topic_id, Comment.status.in_(EXPORTED))
        .scalar_subquery()
    )
    stances = (
        sa.select(sa.func.count())
        .select_from(TopicStance)
        .where(TopicStance.topic_id == topic_id)
        .scalar_subquery()
    )
    answers = (
        sa.select(sa.func.count())
        .select_from(Answer)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.topic_id == topic_id)
        .scalar_subquery()
    )
    row = db.session.execute(sa.select(comments, stances, answers)).one()
    return {"comments": row[0], "stances": row[1], "poll_answers": row[2]}
