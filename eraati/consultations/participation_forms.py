"""Forms of the participation buttons and of the poll.

The buttons (stance, comment vote, follow) post one value each; ``next`` carries the
topic page the person was on (its comment page and order), checked by the view.
The poll differs per topic, so ``PollForm`` is validated by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField

from eraati.consultations.models import Option, Question, QuestionKind, Stance, VoteValue

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
    except ValueError:
        return None


class PollForm:
    """A topic's poll as posted: field ``q<question id>`` holds the chosen option ids.

    ``selected`` keeps what the person ticked (so a re-shown form keeps the ticks) and
    ``errors`` maps a question id to its messages. Every question must be answered, and
    by the rules of ``participation.check_answer`` (said here in the reader's words).
    """

    def __init__(self, questions: Sequence[Question], formdata: MultiDict | None = None) -> None:
        self.questions = list(questions)
        self.formdata = formdata if formdata is not None else MultiDict()
        self.selected: dict[int, set[int]] = {}
        self.errors: dict[int, list[str]] = {}
        self.next = self.formdata.get("next", "")

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.id}"

    def validate(self) -> bool:
        self.selected, self.errors = {}, {}
        for question in self.questions:
            offered = {o.id for o in question.options}
            chosen: set[int] = set()
            unknown = False
            for raw in self.formdata.getlist(self.field_name(question)):
                if _as_int(raw) in offered:
                    chosen.add(_as_int(raw))
                else:
                    unknown = True
            self.selected[question.id] = chosen
            message = self._problem(question, chosen, unknown)
            if message:
                self.errors[question.id] = [message]
        return not self.errors

    @staticmethod
    def _problem(question: Question, chosen: set[int], unknown: bool) -> str | None:
        if unknown:
            return _("Choose from the options shown.")
        if not chosen:
            if question.kind == QuestionKind.MULTIPLE:
                return _("Choose at least one option.")
            return _("Choose one option.")
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            return _("Choose only one option.")
        clash = question.exclusive_clash(chosen)  # the rule of participation.check_answer
        if clash is not None:
            return exclusive_message(clash)
        return None

    @property
    def data(self) -> dict[int, set[int]]:
        """The answers to save: ``{question_id: {option_id, ...}}`` (valid after validate)."""
        return {qid: set(ids) for qid, ids in self.selected.items() if ids}
