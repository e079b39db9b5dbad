"""The fixed set of optional background questions a survey may ask (issue 20).

An organisation chooses, per topic, which of these its survey asks (``Topic.background_questions``,
in the topic form's poll section); it cannot write its own. Each is always optional ("I'd
rather not say" is the default), and the form says why it is asked. The answers
(``BackgroundAnswer``) break the survey's results down by group (``results.background``),
with small groups suppressed (``results.suppression``).

- ``age``: age group.
- ``relation``: the person's relation to the organisation's area: lives there, works or
  studies there, owns a second home (holiday home) there, or something else.
- ``municipality``: home municipality. A joint authority's survey offers its member
  municipalities and "another municipality"; a municipality's survey its own municipality
  and "another municipality". Prefilled from the account's home municipality when that is one
  of the choices.

What is stored is a code (``AGE_GROUPS``, ``RELATIONS``, a Statistics Finland code or
``OTHER``); the words come from here in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from eraati.core.i18n import lazy_gettext as _l
from eraati.extensions import db
from eraati.organisations import municipalities as reference

OTHER = reference.OTHER  # "another municipality or outside Finland"
NOT_TOLD = ""  # the results' group of those who did not say (or did not answer at all)

AGE_GROUPS: dict[str, Any] = {
    "0-17": _l("Under 18"),
    "18-29": _l("18–29 years"),
    "30-44": _l("30–44 years"),
    "45-64": _l("45–64 years"),
    "65-74": _l("65–74 years"),
    "75-": _l("75 years or over"),
}
RELATIONS: dict[str, Any] = {
    "resident": _l("I live here"),
    "works": _l("I work or study here"),
    "second_home": _l("I have a second home here"),
    "other": _l("Something else"),
}


@dataclass(frozen=True)
class BackgroundQuestion:
    key: str  # "age", "relation", "municipality"
    column: str  # BackgroundAnswer's column
    label: Any  # lazy: the question
    group_label: Any  # lazy: the heading of the results' group column
    by: Any  # lazy: "by age group", ending a breakdown's caption
    why: Any  # lazy: one sentence, why it is asked

    @property
    def field_name(self) -> str:
        return f"bg-{self.key}"


QUESTIONS: dict[str, BackgroundQuestion] = {
    q.key: q
    for q in (
        BackgroundQuestion(
            "age",
            "age_group",
            _l("Your age group"),
            _l("Age group"),
            _l("by age group"),
            _l("We ask this to see whether people of different ages see the matter differently."),
        ),
        BackgroundQuestion(
            "relation",
            "relation",
            _l("Your relation to the area"),
            _l("Relation to the area"),
            _l("by relation to the area"),
            _l(
                "We ask this to tell apart the views of residents, of those who work or study "
                "here and of second-home owners."
            ),
        ),
        BackgroundQuestion(
            "municipality",
            "municipality_code",
            _l("Your home municipality"),
            _l("Home municipality"),
            _l("by home municipality"),
            _l("We ask this to see how the views differ between municipalities."),
        ),
    )
}
KEYS = tuple(QUESTIONS)


def chosen(topic: Any) -> list[BackgroundQuestion]:
    """The background questions ``topic`` asks, in the fixed order."""
    keys = set(topic.background_questions or ())
    return [q for key, q in QUESTIONS.items() if key in keys]


def chosen_keys(topic: Any) -> list[str]:
    return [q.key for q in chosen(topic)]


def municipality_codes(org: Any) -> list[str]:
    """The municipalities the home municipality question offers by name (before "other"):
    a joint authority's members, a municipality's own code. One query for an authority."""
    from eraati.organisations.models import OrganisationKind, authority_members

    if org.kind == OrganisationKind.JOINT_AUTHORITY:
        return list(
            db.session.scalars(
                sa.select(authority_members.c.municipality_code).where(
                    authority_members.c.authority_id == org.id
                )
            )
        )
    return [org.municipality_code] if org.municipality_code else []


def available(org: Any) -> list[BackgroundQuestion]:
    """The questions an organisation may choose: the home municipality only when it has a
    municipality to offer (a code of its own, or member municipalities)."""
    out = [QUESTIONS["age"], QUESTIONS["relation"]]
    if municipality_codes(org):
        out.append(QUESTIONS["municipality"])
    return out


def choices(
    question: BackgroundQuestion, locale: str, codes: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """``(code, words)`` of the answers, without "I'd rather not say". ``codes``: the
    municipalities (``municipality_codes``), for the home municipality question."""
    if question.key == "age":
        return [(code, str(label)) for code, label in AGE_GROUPS.items()]
    if question.key == "relation":
        return [(code, str(label)) for code, label in RELATIONS.items()]
    named = [(m.code, m.name(locale)) for m in reference.sorted_by_name(locale, list(codes))]
    return [*named, (OTHER, str(_l("Another municipality or outside Finland")))]


def groups(
    question: BackgroundQuestion, locale: str, codes: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """The results' groups of ``question``: each answer, then "not told"."""
    return [*choices(question, locale, codes), (NOT_TOLD, str(_l("Not told")))]


def group_of(question: BackgroundQuestion, value: str | None, known: set[str]) -> str:
    """The results' group of a stored answer (``known``: the codes of the choices)."""
    if not value:
        return NOT_TOLD
    if value in known:
        return value
    return OTHER if question.key == "municipality" else NOT_TOLD


def form_questions(
    topic: Any, locale: str
) -> list[tuple[BackgroundQuestion, list[tuple[str, str]]]]:
    """The background questions of ``topic``'s survey with their choices, in ``locale``
    (one query when a joint authority's survey asks the home municipality)."""
    asked = chosen(topic)
    codes = municipality_codes(topic.organisation) if QUESTIONS["municipality"] in asked else []
    return [(q, choices(q, locale, codes)) for q in asked]
