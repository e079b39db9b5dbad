"""The figures the demo's summaries and decision texts quote are the ones its data gives.

Every ``{name}`` in a summary or results text of ``demo_content`` is filled in by the demo;
here the texts are filled in again from ``results.figures.topic_figures`` (what the results
pages and the council report show) and must come out the same, word for word. What the
texts say in words (broad support for online booking, remote care mostly welcome) must
hold in the answers and stances too.
"""

from __future__ import annotations

import re
import string

import sqlalchemy as sa

from eraati.consultations import demo, demo_content
from eraati.consultations.models import Topic
from eraati.organisations.models import Organisation
from eraati.results.figures import ResultFigures, topic_figures


def _figures_named(figures: ResultFigures) -> dict[str, int]:
    named = {
        "comments": figures.comments_total,
        "support": figures.stances.support,
        "oppose": figures.stances.oppose,
        "neutral": figures.stances.neutral,
    }
    for i, question in enumerate(figures.polls):
        named[f"q{i}_respondents"] = question.respondents
        for j, option in enumerate(question.options):
            named[f"q{i}_o{j}"] = option.count
    return named


def _texts(spec: demo_content.T, topic: Topic) -> list[tuple[str, str, str]]:
    """(what, template, stored text) of each summary and results text of the topic."""
    found = []
    for translation in topic.translations:
        if spec.summary:
            found.append(
                ("summary", spec.summary[translation.locale], translation.moderator_summary)
            )
        if spec.results:
            outcome, use = spec.results.texts[translation.locale]
            found.append(("outcome", outcome, translation.decision_outcome))
            found.append(("use", use, translation.feedback_use))
    return found


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _seeded(db) -> dict[str, tuple[demo_content.T, Topic, ResultFigures]]:
    demo.seed()
    db.session.commit()
    found = {}
    for spec in demo_content.TOPICS:
        if not (spec.summary or spec.results):
            continue
        topic = db.session.scalar(
            sa.select(Topic)
            .join(Organisation)
            .where(Topic.slug == spec.slug, Organisation.slug == spec.org)
        )
        found[spec.slug] = (spec, topic, topic_figures(topic))
    return found


def test_every_figure_quoted_in_a_demo_text_is_the_computed_one(db):
    seeded = _seeded(db)
    quoting = 0
    for slug, (spec, topic, figures) in seeded.items():
        named = _figures_named(figures)
        for what, template, stored in _texts(spec, topic):
            assert stored, (slug, what)
            assert _placeholders(template) <= named.keys(), (slug, what)
            assert stored == template.format_map(named), (slug, what)
            quoting += bool(_placeholders(template))
    # The SOTE topics' summaries (both languages) and the dental decision quote figures.
    assert quoting >= 6
    dental = seeded["suun-terveydenhuollon-ajanvaraus"][1]
    (fi,) = [t for t in dental.translations if t.locale == "fi"]
    numbers = [int(n) for n in re.findall(r"\d+", fi.moderator_summary.split("\n")[0])]
    poll = seeded["suun-terveydenhuollon-ajanvaraus"][2].polls[0]
    assert numbers == [
        seeded["suun-terveydenhuollon-ajanvaraus"][2].comments_total,
        poll.respondents,
        *(o.count for o in poll.options),
    ]
    assert sum(o.count for o in poll.options) == poll.respondents  # a single choice


def test_what_the_demo_texts_say_in_words_holds_in_its_answers_and_stances(db):
    seeded = _seeded(db)
    # "Sähköistä ajanvarausta kannatettiin laajasti": most would book online.
    dental = seeded["suun-terveydenhuollon-ajanvaraus"][2]
    yes, no, cannot_say = (o.count for o in dental.polls[0].options)
    assert yes > dental.polls[0].respondents / 2 and yes > no + cannot_say
    assert dental.stances.support > dental.stances.oppose + dental.stances.neutral
    # "Etähoivaa pidettiin pääosin hyvänä": most would extend it, few oppose it.
    care = seeded["kotihoidon-etahoiva"][2]
    yes, no, cannot_say = (o.count for o in care.polls[0].options)
    assert yes > care.polls[0].respondents / 2
    assert care.stances.support > care.stances.oppose
