"""A survey's answers broken down by its background questions (consultations.background).

For each background question the topic asks, each choice, scale and ranking question gets
a table: one row per answer of the background question and one for "not told" (people
who chose "I'd rather not say" or gave no background at all), one column per option or
scale value (a ranking: the average place of each option). Every table goes through
``suppression.suppress`` first: no group or cell of fewer than ``SMALL_GROUP_MIN`` people
is shown, nor one that could be worked out from the shown ones. Open answers are not
broken down.

One statement for all of it, of the stored poll tallies (``consultations.tallies``, kept
per background group as the answers change), however many respondents (and one more for
a joint authority's member municipalities when the home municipality is asked). The
tallies hold the stored codes; ``background.group_of`` maps them to the groups shown.
After the topic's personal data is removed the answers and the background rows point at
the same ``AnonymisedParticipant``, and the tallies stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from eraati.consultations import background, tallies
from eraati.consultations.models import (
    SCALE_MAX,
    SCALE_MIN,
    PollTally,
    Question,
    QuestionKind,
    Topic,
)
from eraati.core.i18n import other_language, pick_text
from eraati.extensions import db
from eraati.results.display import decimal, number
from eraati.results.suppression import Table, small_group_min, suppress

SCALE_VALUES = tuple(range(SCALE_MIN, SCALE_MAX + 1))
COLUMNS = ("age_group", "relation", "municipality_code")


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    cells: tuple[Cell, ...]  # the group's people first


@dataclass(frozen=True)
class Breakdown:
    """One question's answers by the groups of one background question, as shown."""

    key: str  # the table's id on the page
    caption: str
    caption_lang: str | None
    group_heading: str
    headings: tuple[str, ...]  # "People", then the options or values
    rows: list[BreakdownRow]
    note: str | None = None
    table: Table | None = None  # the suppressed numbers (counts; a ranking: people only)
    question: str = ""  # the question's text (the caption begins with it)


@dataclass(frozen=True)
class Dimension:
    question: background.BackgroundQuestion
    title: str
    breakdowns: list[Breakdown]


@dataclass(frozen=True)
class BackgroundResults:
    dimensions: list[Dimension]
    minimum: int
    # The home municipality's tables are in the "by home municipality" section instead
    # (a joint authority's survey: ``municipalities.results_by_group``).
    municipality_elsewhere: bool = False


@dataclass
class _Counts:
    respondents: dict[int, dict[str, int]] = field(default_factory=dict)  # q -> group -> n
    options: dict[int, dict[str, dict[int, int]]] = field(default_factory=dict)  # q->g->o->n
    rank_sums: dict[int, dict[str, dict[int, int]]] = field(default_factory=dict)
    scale: dict[int, dict[str, dict[int, int]]] = field(default_factory=dict)  # q -> g -> v


def _add(target: dict, qid: int, group: str, sub: int, n: int) -> None:
    cell = target.setdefault(qid, {}).setdefault(group, {})
    cell[sub] = cell.get(sub, 0) + n


def _rows(topic: Topic, ids: list[int]) -> list[Any]:
    """The stored tallies of the questions in every background dimension (``tallies``):
    (dimension, question, item, group, people, sum of places, question kind); one
    statement, its cost the number of options and groups, not of respondents."""
    return db.session.execute(
        sa.select(
            PollTally.dimension,
            PollTally.question_id,
            PollTally.item,
            PollTally.grp,
            PollTally.n,
            PollTally.rank_sum,
            Question.kind,
        )
        .join(Question, Question.id == PollTally.question_id)
        .where(
            PollTally.question_id.in_(ids),
            PollTally.dimension.in_(list(tallies.DIMENSIONS)),
        )
    ).all()


def _count(rows: list[Any], question: background.BackgroundQuestion, known: set[str]):
    counts = _Counts()
    for dimension, qid, item, grp, n, total, kind in rows:
        if dimension != question.key or not (n or total):
            continue
        group = background.group_of(question, grp or None, known)
        if item == tallies.RESPONDENTS:
            per = counts.respondents.setdefault(qid, {})
            per[group] = per.get(group, 0) + int(n)
        elif QuestionKind(kind) == QuestionKind.SCALE:
            _add(counts.scale, qid, group, int(item), int(n))
        else:
            _add(counts.options, qid, group, item, int(n))
            _add(counts.rank_sums, qid, group, item, int(total or 0))
    return counts


def _cell(value: int | None) -> Cell:
    return Cell(_("hidden"), True) if value is None else Cell(number(value))


def _suppressed_rows(table: Table, labels: dict[str, str], extra=None) -> list[BreakdownRow]:
    out = []
    for row in table.rows:
        cells = [_cell(row.total), *(_cell(row.cells[c]) for c in table.categories)]
        if extra is not None:
            cells.append(extra(row))
        out.append(BreakdownRow(labels[row.group], tuple(cells)))
    return out


def background_results(topic: Topic, locale: str) -> BackgroundResults | None:
    """The breakdowns of ``topic``'s survey by each background question it asks, in
    ``locale``; None when it asks none (or has no question to break down)."""
    asked = background.chosen(topic)
    questions = [q for q in topic.questions if q.kind != QuestionKind.OPEN]
    if not asked or not questions:
        return None
    minimum = small_group_min()
    codes = (
        background.municipality_codes(topic.organisation)
        if background.QUESTIONS["municipality"] in asked
        else []
    )
    rows = _rows(topic, [q.id for q in questions])
    fallbacks = topic.organisation.language_list
    people = _("People")
    dimensions = []
    for bq in asked:
        groups = background.groups(bq, locale, codes)
        order = [key for key, _words in groups]
        labels = dict(groups)
        counts = _count(rows, bq, set(order) - {background.NOT_TOLD})
        title = str(bq.group_label)
        breakdowns = []
        for n, q in enumerate(questions, start=1):
            text = pick_text(q.texts, locale, fallbacks)
            caption = _("%(question)s – %(by)s", question=text, by=str(bq.by))
            key = f"bg-{bq.key}-{n}"
            lang = other_language(q.texts, locale, fallbacks)
            respondents = counts.respondents.get(q.id, {})
            if q.kind == QuestionKind.SCALE:
                table = suppress(
                    counts.scale.get(q.id, {}), respondents, groups=order,
                    categories=list(SCALE_VALUES), minimum=minimum,
                )  # fmt: skip
                values = counts.scale.get(q.id, {})

                def mean(row, values=values) -> Cell:
                    # A mean with hidden cells beside it would give them away.
                    if row.hidden or None in row.cells.values() or not row.total:
                        return Cell("–", row.hidden or None in row.cells.values())
                    given = values.get(row.group, {})
                    return Cell(decimal(sum(v * c for v, c in given.items()) / row.total))

                breakdowns.append(
                    Breakdown(
                        key, caption, lang, title,
                        (people, *(str(v) for v in SCALE_VALUES), _("Mean")),
                        _suppressed_rows(table, labels, mean),
                        note=_("1 = %(low)s, 5 = %(high)s.",
                               low=_label(q, "low", locale, fallbacks),
                               high=_label(q, "high", locale, fallbacks)),
                        table=table, question=text,
                    )
                )  # fmt: skip
                continue
            options = [(o.id, pick_text(o.texts, locale, fallbacks)) for o in q.options]
            if q.kind == QuestionKind.RANKING:
                table = suppress({}, respondents, groups=order, minimum=minimum)
                sums = counts.rank_sums.get(q.id, {})
                out = []
                for row in table.rows:
                    cells = [_cell(row.total)]
                    for oid, _words in options:
                        if row.hidden or not row.total:
                            cells.append(Cell("–", row.hidden))
                        else:
                            cells.append(
                                Cell(decimal(sums.get(row.group, {}).get(oid, 0) / row.total))
                            )
                    out.append(BreakdownRow(labels[row.group], tuple(cells)))
                breakdowns.append(
                    Breakdown(
                        key, caption, lang, title,
                        (people, *(words for _oid, words in options)), out,
                        note=_("The average place of each option in the group (1 = most "
                               "important)."),
                        table=table, question=text,
                    )
                )  # fmt: skip
                continue
            table = suppress(
                counts.options.get(q.id, {}), respondents, groups=order,
                categories=[oid for oid, _words in options], minimum=minimum,
            )  # fmt: skip
            note = (
                _(
                    "More than one option could be chosen: the options add up to more than "
                    "the people."
                )
                if q.kind == QuestionKind.MULTIPLE
                else None
            )
            breakdowns.append(
                Breakdown(
                    key, caption, lang, title,
                    (people, *(words for _oid, words in options)),
                    _suppressed_rows(table, labels), note=note, table=table,
                    question=text,
                )
            )  # fmt: skip
        dimensions.append(Dimension(bq, title, breakdowns))
    return BackgroundResults(dimensions, minimum)


def _label(q: Any, end: str, locale: str, fallbacks: list[str]) -> str:
    texts = (q.scale_labels or {}).get(end) or {}
    return pick_text(texts, locale, fallbacks) if texts else ""
