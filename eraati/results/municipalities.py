"""Results of a joint authority's topic by the participants' home municipality: each
member municipality, "another municipality or outside Finland" and "not told".

Three grouped queries (stances, poll answers, comments), whatever the number of
participants; every table goes through ``suppression.suppress`` before anybody sees it.
The home is the account's ``home_municipality_code`` or, once the topic's personal data
was removed, the code kept with the participant, so the tables stay the same.

A survey that asks the home municipality itself (its background question,
``consultations.background``; the topic page then does not ask for the account's) has its
answers broken down by what the respondent said on the form: ``results_by_group`` puts
that breakdown (``results.background``'s) here, in place of the account-based poll
tables, and leaves it out of "by background". Each question then has one table by
municipality, never two that could disagree; the stances and comments stay by account,
and the pages and the report say which source each table uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eraati.accounts.models import User
from eraati.consultations.models import (
    AnonymisedParticipant,
    Answer,
    AnswerChoice,
    Comment,
    CommentSource,
    Stance,
    Topic,
    TopicStance,
)
from eraati.consultations.queries import person_key
from eraati.core.i18n import pick_text
from eraati.extensions import db
from eraati.organisations import municipalities as reference
from eraati.organisations.models import OrganisationKind, authority_members
from eraati.results.background import BackgroundResults, Dimension, background_results
from eraati.results.queries import is_web_registered, shown_feedback
from eraati.results.suppression import Table, small_group_min, suppress

OTHER = reference.OTHER
NOT_TOLD = ""
STANCES = (Stance.SUPPORT, Stance.NEUTRAL, Stance.OPPOSE)


@dataclass(frozen=True)
class PollTable:
    text: str
    options: list[tuple[int, str]]  # (option id, text)
    table: Table
    multiple: bool


@dataclass(frozen=True)
class MunicipalityResults:
    groups: list[tuple[str, str]]  # (group key: code, OTHER or NOT_TOLD; its name)
    stances: Table | None
    polls: list[PollTable]
    comments: Table  # people who commented (row totals) ...
    comment_counts: dict[str, int | None]  # ... and their comments, hidden with the row
    minimum: int
    # The survey asks the home municipality: its answers by that answer (``polls`` is
    # then empty; None when it has no question to break down, e.g. only open ones).
    survey_asks: bool = False
    survey: Dimension | None = None

    def label(self, key: str) -> str:
        return dict(self.groups)[key]


def member_codes(organisation_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(authority_members.c.municipality_code).where(
                authority_members.c.authority_id == organisation_id
            )
        )
    )


# The person's home municipality code: their account's, or the one kept with the topic's
# participant at retention (the statements join both).
HOME = sa.func.coalesce(User.home_municipality_code, AnonymisedParticipant.home_municipality_code)


def _with_home(stmt: sa.Select, user_id: Any, participant_id: Any) -> sa.Select:
    return stmt.outerjoin(User, User.id == user_id).outerjoin(
        AnonymisedParticipant, AnonymisedParticipant.id == participant_id
    )


def _group(code: str | None, members: set[str]) -> str:
    if not code:
        return NOT_TOLD
    return code if code in members else OTHER


def _labels(members: list[str], locale: str) -> list[tuple[str, str]]:
    named = [(m.code, m.name(locale)) for m in reference.sorted_by_name(locale, members)]
    return [
        *named,
        (OTHER, str(_l("Another municipality or outside Finland"))),
        (NOT_TOLD, str(_l("Not told"))),
    ]


def applies(topic: Topic) -> bool:
    return topic.organisation.kind == OrganisationKind.JOINT_AUTHORITY


def asks_municipality(topic: Topic) -> bool:
    """The topic's survey asks the home municipality among its background questions."""
    return "municipality" in (topic.background_questions or [])


def results_by_group(
    topic: Topic, locale: str
) -> tuple[MunicipalityResults | None, BackgroundResults | None]:
    """The sections "by home municipality" and "by background" of the results page and
    the report, as they are shown: a joint authority's survey that asks the home
    municipality has its answers by that answer in the first and not in the second."""
    by_background = background_results(topic, locale)
    survey = None
    if by_background is not None and applies(topic):
        survey = next(
            (d for d in by_background.dimensions if d.question.key == "municipality"), None
        )
    if survey is not None:  # its captions say where the municipality comes from
        survey = replace(
            survey,
            breakdowns=[
                replace(
                    b,
                    caption=_(
                        "%(question)s – by home municipality told on the survey form",
                        question=b.question,
                    ),
                )
                for b in survey.breakdowns
            ],
        )
    by_municipality = municipality_results(topic, locale, survey=survey)
    if by_municipality is not None and survey is not None and by_background is not None:
        rest = [d for d in by_background.dimensions if d.question.key != "municipality"]
        by_background = (
            replace(by_background, dimensions=rest, municipality_elsewhere=True) if rest else None
        )
    return by_municipality, by_background


def municipality_results(
    topic: Topic, locale: str, *, survey: Dimension | None = None
) -> MunicipalityResults | None:
    """The tables of a joint authority's topic (None for any other topic, or an authority
    without member municipalities): four statements with the member list, three when the
    survey asks the home municipality (``survey``: its breakdown by that answer, from
    ``results.background``, shown in place of the poll tables by account)."""
    if not applies(topic):
        return None
    codes = member_codes(topic.organisation_id)
    if not codes:
        return None
    members = set(codes)
    groups = _labels(codes, locale)
    order = [key for key, _name in groups]
    minimum = small_group_min()

    # Stances: people per home and stance.
    stance_counts: dict[str, dict[str, int]] = {}
    stance_totals: dict[str, int] = {}
    if topic.stances_enabled:
        stmt = sa.select(HOME, TopicStance.stance, sa.func.count()).select_from(TopicStance)
        rows = db.session.execute(
            _with_home(stmt, TopicStance.user_id, TopicStance.participant_id)
            .where(TopicStance.topic_id == topic.id)
            .group_by(HOME, TopicStance.stance)
        )
        for code, stance, n in rows:
            key = _group(code, members)
            cell = stance_counts.setdefault(key, {})
            cell[str(stance)] = cell.get(str(stance), 0) + int(n)
            stance_totals[key] = stance_totals.get(key, 0) + int(n)
    stances = (
        suppress(
            stance_counts,
            stance_totals,
            groups=order,
            categories=[str(s) for s in STANCES],
            minimum=minimum,
        )
        if topic.stances_enabled
        else None
    )

    # Poll answers: per home and option, and respondents per home and question (one query).
    survey_asks = asks_municipality(topic)
    questions = [] if survey_asks else list(topic.questions)
    ids = [q.id for q in questions]
    option_counts: dict[int, dict[str, dict[int, int]]] = {}
    respondents: dict[int, dict[str, int]] = {}
    if ids:
        kind = sa.literal("option")
        stmt = sa.select(
            kind, Answer.question_id, AnswerChoice.option_id, HOME, sa.func.count()
        ).select_from(AnswerChoice)
        per_option = (
            _with_home(
                stmt.join(Answer, AnswerChoice.answer_id == Answer.id),
                Answer.user_id,
                Answer.participant_id,
            )
            .where(Answer.question_id.in_(ids))
            .group_by(Answer.question_id, AnswerChoice.option_id, HOME)
        )
        stmt = sa.select(
            sa.literal("question"), Answer.question_id, sa.null(), HOME, sa.func.count()
        ).select_from(Answer)
        per_question = (
            _with_home(stmt, Answer.user_id, Answer.participant_id)
            .where(Answer.question_id.in_(ids))
            .group_by(Answer.question_id, HOME)
        )
        for kind, qid, oid, code, n in db.session.execute(sa.union_all(per_option, per_question)):
            key = _group(code, members)
            if kind == "option":
                cell = option_counts.setdefault(qid, {}).setdefault(key, {})
                cell[oid] = cell.get(oid, 0) + int(n)
            else:
                per = respondents.setdefault(qid, {})
                per[key] = per.get(key, 0) + int(n)
    fallbacks = topic.organisation.language_list
    polls = []
    for q in questions:
        options = [(o.id, pick_text(o.texts, locale, fallbacks)) for o in q.options]
        table = suppress(
            option_counts.get(q.id, {}),
            respondents.get(q.id, {}),
            groups=order,
            categories=[oid for oid, _text in options],
            minimum=minimum,
        )
        polls.append(
            PollTable(
                text=pick_text(q.texts, locale, fallbacks),
                options=options,
                table=table,
                multiple=q.kind.value == "multiple",
            )
        )

    # Comments: registered writers and their shown comments per home.
    stmt = sa.select(
        HOME,
        sa.func.count(sa.distinct(person_key(Comment.author_id, Comment.participant_id))),
        sa.func.count(Comment.id),
    ).select_from(Comment)
    rows = db.session.execute(
        _with_home(stmt, Comment.author_id, Comment.participant_id)
        .where(
            *shown_feedback(topic.id),
            Comment.source == CommentSource.WEB,
            is_web_registered(),
        )
        .group_by(HOME)
    )
    writers: dict[str, int] = {}
    written: dict[str, int] = {}
    for code, people, n in rows:
        key = _group(code, members)
        writers[key] = writers.get(key, 0) + int(people)
        written[key] = written.get(key, 0) + int(n)
    comments = suppress({}, writers, groups=order, minimum=minimum)
    comment_counts = {r.group: None if r.hidden else written.get(r.group, 0) for r in comments.rows}
    return MunicipalityResults(
        groups=groups,
        stances=stances,
        polls=polls,
        comments=comments,
        comment_counts=comment_counts,
        minimum=minimum,
        survey_asks=survey_asks,
        survey=survey if survey_asks else None,
    )
