"""Forms of the participation buttons and of the poll.

The buttons (stance, comment vote, follow) post one value each; ``next`` carries the
topic page the person was on (its comment page and order), checked by the view.
The poll differs per topic, so ``PollForm`` is validated by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField

from eraati.consultations.models import (
    SCALE_MAX,
    SCALE_MIN,
    Option,
    Question,
    QuestionKind,
    Stance,
    VoteValue,
)
from eraati.core.sanitize import clean_text

WITHDRAW = "withdraw"  # the pressed button, pressed again


class StanceForm(FlaskForm):
    stance = SelectField(choices=[*(s.value for s in Stance), WITHDRAW])
    next = HiddenField()

    @property
    def choice(self) -> Stance | None:
        return None if self.stance.data == WITHDRAW else Stance(self.stance.data)


class VoteForm(FlaskForm):
    value = SelectField(choices=[*(v.value for v in VoteValue), WITHDRAW])
    next = HiddenField()

    @property
    def choice(self) -> VoteValue | None:
        return None if self.value.data == WITHDRAW else VoteValue(self.value.data)


class RatingForm(FlaskForm):
    """A vote from the "rate comments" page: agree, disagree or pass (nothing to withdraw:
    the comment was one the person had not voted on)."""

    value = SelectField(choices=[v.value for v in VoteValue])

    @property
    def choice(self) -> VoteValue:
        return VoteValue(self.value.data)


class FollowForm(FlaskForm):
    next = HiddenField()


def exclusive_message(option: Option) -> str:
    """Why an answer with an option such as "none of these" and another one is refused."""
    return _(
        "“%(option)s” can only be chosen on its own. Untick either it or the other options.",
        option=option.text(str(get_locale() or "fi")),
    )


def _as_int(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class PollForm:
    """A topic's poll (a survey) as posted. Fields: ``q<question id>`` holds the chosen
    option ids (single, multiple), the text (open) or the number (scale); a ranking has
    ``q<question id>-o<option id>`` with the place of each option.

    What the person gave is kept (``selected``, ``texts``, ``values``, ``ranks``) so that
    a re-shown form keeps it, and ``errors`` maps a question id to its messages. Required
    questions must be answered; every answer follows ``participation.check_answer`` (said
    here in the reader's words).
    """

    def __init__(
        self,
        questions: Sequence[Question],
        formdata: MultiDict | None = None,
        background: Sequence[tuple[Any, list[tuple[str, str]]]] = (),
    ) -> None:
        self.questions = list(questions)
        # The background questions (``background.form_questions``): ``bg-<key>`` holds the
        # code of the answer, "" for "I'd rather not say".
        self.background_questions = list(background)
        self.background: dict[str, str] = {}
        self.background_errors: dict[str, list[str]] = {}
        self.formdata = formdata if formdata is not None else MultiDict()
        self.selected: dict[int, set[int]] = {}
        self.texts: dict[int, str] = {}
        self.values: dict[int, int | None] = {}
        self.ranks: dict[int, dict[int, int | None]] = {}
        self.errors: dict[int, list[str]] = {}
        self._replies: dict[int, object] = {}
        self.next = self.formdata.get("next", "")

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.id}"

    @staticmethod
    def rank_name(question: Question, option: Option) -> str:
        return f"q{question.id}-o{option.id}"

    def validate(self) -> bool:
        self.selected, self.texts, self.values, self.ranks = {}, {}, {}, {}
        self.errors, self._replies = {}, {}
        for question in self.questions:
            check = {
                QuestionKind.OPEN: self._open,
                QuestionKind.SCALE: self._scale,
                QuestionKind.RANKING: self._ranking,
            }.get(question.kind, self._choice)
            reply, message = check(question)
            if message:
                self.errors[question.id] = [message]
            else:
                self._replies[question.id] = reply
        self.background, self.background_errors = {}, {}
        for bq, offered in self.background_questions:
            raw = (self.formdata.get(bq.field_name) or "").strip()
            self.background[bq.key] = raw
            if raw and raw not in {code for code, _label in offered}:
                self.background_errors[bq.key] = [_("Choose from the options shown.")]
        return not self.errors and not self.background_errors

    @staticmethod
    def _missing(question: Question, message: str) -> tuple[None, str | None]:
        """An empty answer: an error for a required question, else "not answered"."""
        return None, (message if question.required else None)

    def _choice(self, question: Question) -> tuple[object, str | None]:
        offered = {o.id for o in question.options}
        chosen: set[int] = set()
        unknown = False
        for raw in self.formdata.getlist(self.field_name(question)):
            if _as_int(raw) in offered:
                chosen.add(_as_int(raw))
            else:
                unknown = True
        self.selected[question.id] = chosen
        if unknown:
            return None, _("Choose from the options shown.")
        if not chosen:
            if question.kind == QuestionKind.MULTIPLE:
                return self._missing(question, _("Choose at least one option."))
            return self._missing(question, _("Choose one option."))
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            return None, _("Choose only one option.")
        clash = question.exclusive_clash(chosen)  # the rule of participation.check_answer
        if clash is not None:
            return None, exclusive_message(clash)
        return chosen, None

    def _open(self, question: Question) -> tuple[object, str | None]:
        text = clean_text(self.formdata.get(self.field_name(question), ""))
        self.texts[question.id] = text
        if not text:
            return self._missing(question, _("Write your answer."))
        if len(text) > question.length_limit:
            return None, _(
                "Your answer is %(count)d characters long. The limit is %(limit)d characters.",
                count=len(text),
                limit=question.length_limit,
            )
        return text, None

    def _scale(self, question: Question) -> tuple[object, str | None]:
        raw = self.formdata.get(self.field_name(question), "")
        value = _as_int(raw)
        self.values[question.id] = value
        if not raw:
            return self._missing(
                question,
                _("Choose a number from %(low)d to %(high)d.", low=SCALE_MIN, high=SCALE_MAX),
            )
        if value is None or not SCALE_MIN <= value <= SCALE_MAX:
            return None, _("Choose from the options shown.")
        return value, None

    def _ranking(self, question: Question) -> tuple[object, str | None]:
        count = len(question.options)
        places: dict[int, int | None] = {}
        bad = False
        for option in question.options:
            raw = self.formdata.get(self.rank_name(question, option), "")
            place = _as_int(raw) if raw else None
            if raw and (place is None or not 1 <= place <= count):
                bad, place = True, None
            places[option.id] = place
        self.ranks[question.id] = places
        given = [p for p in places.values() if p is not None]
        if bad:
            return None, _("Choose from the options shown.")
        if not given:
            return self._missing(
                question, _("Give each option a place from 1 to %(num)d.", num=count)
            )
        if len(given) < count:
            return None, _("Give each option a place from 1 to %(num)d.", num=count)
        if len(set(given)) < count:
            return None, _(
                "Give each place to one option only: every number from 1 to %(num)d once.",
                num=count,
            )
        return tuple(o for o, _p in sorted(places.items(), key=lambda item: item[1])), None

    @property
    def background_data(self) -> dict[str, str | None]:
        """``{key: code or None}`` of the background questions. Valid after ``validate``."""
        return {bq.key: self.background.get(bq.key) or None for bq, _c in self.background_questions}

    @property
    def data(self) -> dict[int, object]:
        """The answers to save, ``{question_id: reply}`` (see ``participation.Reply``;
        None: an optional question left unanswered). Valid after ``validate``."""
        return dict(self._replies)
