"""The topic form: a section per language, schedule, decision, settings and poll slots."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, StopValidation

from eraati.consultations.models import (
    OPEN_LENGTH_DEFAULT,
    OPEN_LENGTH_MAX,
    RANKING_OPTIONS,
    QuestionKind,
)
from eraati.core.i18n import lazy_gettext as _l
from eraati.manage.forms.common import (
    BODY_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    QUESTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    add_error,
    clean_filter,
    date_field,
    helsinki_to_utc,
    language_name,
    lines_of,
    slug_filter,
    strip_filter,
    time_field,
    too_long,
    utc_to_helsinki,
)
from eraati.manage.services import SLUG_PATTERN, QuestionData, TopicText
from eraati.notifications.reminders import REMINDER_DAYS_MAX

_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")
# A language version's fields besides its title: filling any of them needs the title.
VERSION_FIELDS = ("summary", "body", "deciding_body", "contact_person")


class ReminderDaysField(IntegerField):
    """Days before closing for the followers' reminder: a whole number; anything else keeps
    the text typed (shown again) and leaves ``data`` None for a translated message
    (WTForms' own "Not a valid integer value." is English only)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return  # not in the form posted (an older page): the value stays as it was
        raw = valuelist[0].strip()
        self.data = int(raw) if raw.isdigit() and len(raw) <= 3 else None


def _reminder_days(form: FlaskForm, field: ReminderDaysField) -> None:
    if field.data is None or field.data > REMINDER_DAYS_MAX:
        raise StopValidation(
            _(
                "Enter a whole number of days from 0 to %(max)d (0: no reminder).",
                max=REMINDER_DAYS_MAX,
            )
        )


class _TopicFormBase(FlaskForm):
    """Fields the template and views rely on; ``topic_form_class`` adds the rest."""

    languages_shown: list[str]
    primary: str
    slots: int  # poll question slots (0 when the poll is locked)
    protected: frozenset[str]  # languages whose text carries a summary or results

    def lang_field(self, kind: str, code: str) -> Field:
        return self[f"{kind}_{code}"]

    def slot_field(self, i: int, kind: str, code: str | None = None) -> Field:
        return self[f"q{i}_{kind}" + (f"_{code}" if code else "")]

    # Whole-form rules, each message next to its field.
    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        texts = self._check_texts()
        return texts & self._check_decision() & self._check_times() & self._check_poll() & ok

    def _check_texts(self) -> bool:
        ok = True
        for code in self.languages_shown:
            title = self.lang_field("title", code)
            rest = any(self.lang_field(kind, code).data for kind in VERSION_FIELDS)
            lang = language_name(code)
            if title.data:
                continue
            if code == self.primary:
                add_error(title, _("Enter a title in %(language)s.", language=lang))
                ok = False
            elif rest:
                add_error(
                    title,
                    _(
                        "Enter a title in %(language)s, or leave the whole %(language)s "
                        "version empty.",
                        language=lang,
                    ),
                )
                ok = False
            elif code in self.protected:
                add_error(
                    title,
                    _(
                        "The %(language)s version has a moderators' summary or results, "
                        "so it cannot be removed. Enter a title.",
                        language=lang,
                    ),
                )
                ok = False
        return ok

    def _check_decision(self) -> bool:
        """Every language version names the deciding body and the contact person once one
        of them does: a reader of the Swedish page never gets the Finnish name."""
        ok = True
        versions = [c for c in self.languages_shown if self.lang_field("title", c).data]
        for kind, message in (
            ("deciding_body", _l("Enter the deciding body in %(language)s too.")),
            ("contact_person", _l("Enter the contact person in %(language)s too.")),
        ):
            if not any(self.lang_field(kind, c).data for c in versions):
                continue
            for code in versions:
                f = self.lang_field(kind, code)
                if not f.data:
                    add_error(f, message % {"language": language_name(code)})
                    ok = False
        return ok

    def _check_times(self) -> bool:
        opens, closes = self.opens_at, self.closes_at
        if opens is None or closes is None or closes > opens:
            return True
        add_error(self.closes_on, _("The closing time must be after the opening time."))
        return False

    @property
    def opens_at(self) -> datetime | None:
        if self.opens_on.data is None or self.opens_time.data is None:
            return None
        return helsinki_to_utc(self.opens_on.data, self.opens_time.data)

    @property
    def closes_at(self) -> datetime | None:
        if self.closes_on.data is None or self.closes_time.data is None:
            return None
        return helsinki_to_utc(self.closes_on.data, self.closes_time.data)

    def texts(self) -> dict[str, TopicText]:
        out = {}
        for code in self.languages_shown:
            title = self.lang_field("title", code).data
            if title:
                out[code] = TopicText(
                    title=title,
                    summary=self.lang_field("summary", code).data or "",
                    body=self.lang_field("body", code).data or "",
                    deciding_body=self.lang_field("deciding_body", code).data or "",
                    contact_person=self.lang_field("contact_person", code).data or "",
                )
        return out

    # --- poll: one slot per question; options one per line, in every language the same
    def _slot(self, i: int) -> tuple[dict[str, str], dict[str, list[str]]]:
        texts = {c: self.slot_field(i, "text", c).data or "" for c in self.languages_shown}
        options = {c: lines_of(self.slot_field(i, "options", c).data) for c in self.languages_shown}
        return texts, options

    def _labels(self, i: int) -> dict[str, dict[str, str]]:
        """A scale question's end labels as typed: ``{"low": {lang: text}, "high": ...}``."""
        return {
            end: {c: self.slot_field(i, end, c).data or "" for c in self.languages_shown}
            for end in ("low", "high")
        }

    def _kind(self, i: int) -> QuestionKind:
        raw = self.slot_field(i, "kind").data
        return QuestionKind(raw) if raw in set(QuestionKind) else QuestionKind.SINGLE

    def _empty(self, i: int) -> bool:
        texts, options = self._slot(i)
        labels = self._labels(i)
        return (
            not any(texts.values())
            and not any(options.values())
            and not any(any(v.values()) for v in labels.values())
        )

    def _max_length(self, i: int) -> int | None:
        raw = (self.slot_field(i, "max_length").data or "").strip()
        if not raw:
            return OPEN_LENGTH_DEFAULT
        if not raw.isdigit() or len(raw) > 5 or not 1 <= int(raw) <= OPEN_LENGTH_MAX:
            return None
        return int(raw)

    def _check_kind(self, i: int, options: dict[str, list[str]]) -> bool:
        """The parts of a question its kind needs: a scale's end labels, an open question's
        limit; no options for either."""
        kind = self._kind(i)
        if kind.has_options:
            return True
        ok = True
        for code in self.languages_shown:
            if options[code]:
                add_error(
                    self.slot_field(i, "options", code),
                    _(
                        "An open or scale question has no options. Leave this empty, or "
                        "choose a kind of question with options."
                    ),
                )
                ok = False
        if kind == QuestionKind.OPEN and self._max_length(i) is None:
            add_error(
                self.slot_field(i, "max_length"),
                _("Enter a whole number from 1 to %(max)d.", max=OPEN_LENGTH_MAX),
            )
            ok = False
        if kind == QuestionKind.SCALE:
            texts, _options = self._slot(i)
            labels = self._labels(i)
            for code in self.languages_shown:
                if code != self.primary and not texts[code]:
                    continue
                for end in ("low", "high"):
                    if not labels[end][code]:
                        add_error(
                            self.slot_field(i, end, code),
                            _(
                                "Say in %(language)s what this end of the scale means, "
                                "for example “Very dissatisfied”.",
                                language=language_name(code),
                            ),
                        )
                        ok = False
        return ok

    def _check_poll(self) -> bool:
        ok = True
        for i in range(self.slots):
            ok &= self._check_slot(i)
        return ok

    def _check_slot(self, i: int) -> bool:
        texts, options = self._slot(i)
        if self._empty(i):
            return True  # an empty slot: no question
        ok = True
        primary = self.primary
        base = len(options[primary])
        num = i + 1
        ok &= self._check_exclusive(i, base)
        ok &= self._check_kind(i, options)
        kind = self._kind(i)
        if not texts[primary]:
            add_error(
                self.slot_field(i, "text", primary),
                _(
                    "Write question %(num)d in %(language)s.",
                    num=num,
                    language=language_name(primary),
                ),
            )
            ok = False
        if not kind.has_options:
            pass
        elif base < 2:
            add_error(
                self.slot_field(i, "options", primary),
                _("Give at least two options, each on its own line."),
            )
            ok = False
        elif kind == QuestionKind.RANKING and base > RANKING_OPTIONS[1]:
            add_error(
                self.slot_field(i, "options", primary),
                _(
                    "A question whose options are put in order can have at most %(max)d options.",
                    max=RANKING_OPTIONS[1],
                ),
            )
            ok = False
        elif base > OPTIONS_MAX:
            add_error(
                self.slot_field(i, "options", primary),
                _("A question can have at most %(max)d options.", max=OPTIONS_MAX),
            )
            ok = False
        for code in self.languages_shown:
            text_field = self.slot_field(i, "text", code)
            options_field = self.slot_field(i, "options", code)
            if any(len(o) > OPTION_MAX for o in options[code]):
                add_error(
                    options_field,
                    _("An option can be at most %(max)d characters long.", max=OPTION_MAX),
                )
                ok = False
            if code == primary or (not texts[code] and not options[code]):
                continue
            lang = language_name(code)
            if not texts[code]:
                add_error(
                    text_field,
                    _(
                        "Write question %(num)d in %(language)s too, or leave its "
                        "%(language)s options empty.",
                        num=num,
                        language=lang,
                    ),
                )
                ok = False
            # No options in a language: readers of it see them in the first language.
            if options[code] and len(options[code]) != base:
                add_error(
                    options_field,
                    _(
                        "There are %(count)d lines in %(language)s but %(base)d in "
                        "%(primary)s. Write each option on its own line, in the same "
                        "order in every language.",
                        count=len(options[code]),
                        language=lang,
                        base=base,
                        primary=language_name(primary),
                    ),
                )
                ok = False
        return ok

    def _exclusive(self, i: int) -> list[int] | None:
        """The option numbers (from 1) typed as chosen only alone; None if not numbers."""
        raw = self.slot_field(i, "exclusive").data or ""
        parts = [p for p in _NUMBER_SEPARATORS.split(raw) if p]
        if not all(p.isdigit() and len(p) <= 3 for p in parts):
            return None
        return sorted({int(p) for p in parts})

    def _check_exclusive(self, i: int, base: int) -> bool:
        numbers = self._exclusive(i)
        target = self.slot_field(i, "exclusive")
        if numbers is None:
            add_error(
                target,
                _("Give the numbers of the option lines, for example 4, or 3, 4 for two."),
            )
            return False
        if not numbers:
            return True
        if self.slot_field(i, "kind").data != QuestionKind.MULTIPLE.value:
            add_error(
                target,
                _(
                    "Only a question where one or more options may be chosen can have "
                    "options that are chosen on their own. Choose “One or more”, or leave "
                    "this empty."
                ),
            )
            return False
        if base and not all(1 <= n <= base for n in numbers):
            add_error(
                target,
                ngettext(
                    "The question has %(num)d option: give a number from 1 to %(num)d.",
                    "The question has %(num)d options: give numbers from 1 to %(num)d.",
                    base,
                ),
            )
            return False
        return True

    def poll(self) -> list[QuestionData] | None:
        """The questions of the filled-in slots (None when the poll is not in the form)."""
        if not self.slots:
            return None
        questions = []
        for i in range(self.slots):
            texts, options = self._slot(i)
            if self._empty(i):
                continue
            languages = [c for c in self.languages_shown if texts[c]]
            kind = self._kind(i)
            labels = self._labels(i)
            questions.append(
                QuestionData(
                    kind=kind,
                    texts={c: texts[c] for c in languages},
                    options=[
                        {c: options[c][j] for c in languages if options[c]}
                        for j in range(len(options[self.primary]))
                    ]
                    if kind.has_options
                    else [],
                    exclusive=frozenset(n - 1 for n in self._exclusive(i) or ())
                    if kind == QuestionKind.MULTIPLE
                    else frozenset(),
                    required=bool(self.slot_field(i, "required").data),
                    max_length=self._max_length(i) if kind == QuestionKind.OPEN else None,
                    scale_labels={
                        end: {c: labels[end][c] for c in languages if labels[end][c]}
                        for end in ("low", "high")
                    }
                    if kind == QuestionKind.SCALE
                    else None,
                )
            )
        return questions


def topic_form_class(
    languages: list[str],
    primary: str,
    *,
    slots: int,
    protected: frozenset[str] = frozenset(),
    with_members: bool = False,
) -> type[_TopicFormBase]:
    """The topic form for these language sections and ``slots`` empty-or-filled poll
    questions (0: the poll is not part of the form). Fields are made in page order, so
    the error summary lists them in that order."""
    fields: dict[str, object] = {}
    for code in languages:
        lang = language_name(code)
        fields[f"title_{code}"] = StringField(
            _("Title (%(language)s)", language=lang),
            filters=[clean_filter],
            validators=[Length(max=TITLE_MAX, message=too_long())],
        )
        fields[f"summary_{code}"] = TextAreaField(
            _("Summary (%(language)s)", language=lang),
            render_kw={"rows": 4},
            filters=[clean_filter],
            validators=[Length(max=SUMMARY_MAX, message=too_long())],
        )
        fields[f"body_{code}"] = TextAreaField(
            _("Description (%(language)s)", language=lang),
            render_kw={"rows": 14},
            filters=[strip_filter],
            validators=[Length(max=BODY_MAX, message=too_long())],
        )
    fields["slug"] = StringField(
        _l("Address of the page"),
        filters=[slug_filter],
        validators=[
            Optional(),
            Length(max=80, message=too_long()),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Use only the letters a–z, digits and hyphens between words, "
                    "for example library-opening-hours."
                ),
            ),
        ],
    )
    fields["opens_on"] = date_field(
        _l("Opening date"), InputRequired(message=_l("Enter the opening date."))
    )
    fields["opens_time"] = time_field(_l("Opening time"), time(8, 0))
    fields["closes_on"] = date_field(
        _l("Closing date"), InputRequired(message=_l("Enter the closing date."))
    )
    fields["closes_time"] = time_field(_l("Closing time"), time(16, 0))
    fields["reminder_days"] = ReminderDaysField(
        _l("Reminder to followers, days before closing"),
        default=3,
        validators=[_reminder_days],
        render_kw={"inputmode": "numeric"},
    )
    for code in languages:
        fields[f"deciding_body_{code}"] = StringField(
            _("Deciding body (%(language)s)", language=language_name(code)),
            filters=[clean_filter],
            validators=[Length(max=200, message=too_long())],
        )
    fields["decision_planned_on"] = date_field(_l("Planned decision date"), Optional())
    fields["case_number"] = StringField(
        _l("Case number"), filters=[clean_filter], validators=[Length(max=60, message=too_long())]
    )
    for code in languages:
        fields[f"contact_person_{code}"] = TextAreaField(
            _("Contact person (%(language)s)", language=language_name(code)),
            render_kw={"rows": 3},
            filters=[clean_filter],
            validators=[Length(max=200, message=too_long())],
        )
    if with_members:
        fields["concerned"] = SelectMultipleField(
            _l("Member municipalities concerned"), coerce=int, choices=[], validate_choice=False
        )
    fields["allow_anonymous"] = BooleanField(_l("Allow comments without registering"))
    fields["premoderated"] = BooleanField(
        _l("Check every comment before it is published (pre-moderation)")
    )
    fields["stances_enabled"] = BooleanField(
        _l("Ask for stances: support, oppose or neutral"), default=True
    )
    fields["offers_rating"] = BooleanField(_l("Offer rating comments one at a time"))
    for i in range(slots):
        num = i + 1
        fields[f"q{i}_kind"] = RadioField(
            _("Question %(num)d: how it is answered", num=num),
            choices=[
                SelectChoice(QuestionKind.SINGLE.value, _l("One")),
                SelectChoice(QuestionKind.MULTIPLE.value, _l("One or more")),
                SelectChoice(QuestionKind.RANKING.value, _l("The options in order (ranking)")),
                SelectChoice(QuestionKind.SCALE.value, _l("A number from 1 to 5 (scale)")),
                SelectChoice(QuestionKind.OPEN.value, _l("In own words (open answer)")),
            ],
            default=QuestionKind.SINGLE.value,
            validate_choice=False,
        )
        fields[f"q{i}_required"] = BooleanField(
            _("Question %(num)d must be answered", num=num), default=True
        )
        for code in languages:
            lang = language_name(code)
            fields[f"q{i}_text_{code}"] = StringField(
                _("Question %(num)d (%(language)s)", num=num, language=lang),
                filters=[clean_filter],
                validators=[Length(max=QUESTION_MAX, message=too_long())],
            )
            fields[f"q{i}_options_{code}"] = TextAreaField(
                _("Options of question %(num)d (%(language)s)", num=num, language=lang),
                render_kw={"rows": 4},
                filters=[clean_filter],
            )
            for end, label in (
                (
                    "low",
                    _(
                        "Question %(num)d, scale: what 1 means (%(language)s)",
                        num=num,
                        language=lang,
                    ),
                ),
                (
                    "high",
                    _(
                        "Question %(num)d, scale: what 5 means (%(language)s)",
                        num=num,
                        language=lang,
                    ),
                ),
            ):
                fields[f"q{i}_{end}_{code}"] = StringField(
                    label,
                    filters=[clean_filter],
                    validators=[Length(max=OPTION_MAX, message=too_long())],
                )
        fields[f"q{i}_max_length"] = StringField(
            _("Question %(num)d, open answer: the most characters", num=num),
            default=str(OPEN_LENGTH_DEFAULT),
            filters=[strip_filter],
            render_kw={"inputmode": "numeric"},
        )
        fields[f"q{i}_exclusive"] = StringField(
            _("Question %(num)d: options that can only be chosen on their own", num=num),
            filters=[strip_filter],
            validators=[Length(max=100, message=too_long())],
            render_kw={"inputmode": "numeric"},
        )
    # The survey's background questions (consultations.background): choices set by the view.
    fields["background"] = SelectMultipleField(
        _l("Background questions"),
        choices=[],
        validate_choice=True,
        validators=[Optional()],
    )
    fields["revision"] = HiddenField()
    fields["languages"] = HiddenField()
    fields["slot_count"] = HiddenField()
    attrs = dict(fields, languages_shown=list(languages), primary=primary, slots=slots)
    attrs["protected"] = frozenset(protected)
    return type("TopicForm", (_TopicFormBase,), attrs)


def topic_form_data(topic, languages: list[str], slots: int) -> dict:
    """Initial values of the topic form from a saved topic."""
    opens_on, opens_time = utc_to_helsinki(topic.opens_at)
    closes_on, closes_time = utc_to_helsinki(topic.closes_at)
    data = {
        "slug": topic.slug,
        "opens_on": opens_on,
        "opens_time": opens_time,
        "closes_on": closes_on,
        "closes_time": closes_time,
        "decision_planned_on": topic.decision_planned_on,
        "case_number": topic.case_number or "",
        "concerned": [o.id for o in topic.concerned_organisations],
        "allow_anonymous": topic.allow_anonymous,
        "premoderated": topic.premoderated,
        "stances_enabled": topic.stances_enabled,
        "offers_rating": topic.offers_rating,
        "background": list(topic.background_questions or []),
        "reminder_days": topic.reminder_days,
        "revision": str(topic.revision),
    }
    for row in topic.translations:
        if row.locale in languages:
            data[f"title_{row.locale}"] = row.title
            data[f"summary_{row.locale}"] = row.summary
            data[f"body_{row.locale}"] = row.body
            data[f"deciding_body_{row.locale}"] = row.deciding_body
            data[f"contact_person_{row.locale}"] = row.contact_person
    for i, question in enumerate(topic.questions[:slots]):
        data[f"q{i}_kind"] = question.kind.value
        data[f"q{i}_required"] = question.required
        data[f"q{i}_max_length"] = str(question.length_limit)
        for end, texts in (question.scale_labels or {}).items():
            for code in languages:
                data[f"q{i}_{end}_{code}"] = texts.get(code, "")
        data[f"q{i}_exclusive"] = ", ".join(
            str(j + 1) for j, o in enumerate(question.options) if o.exclusive
        )
        for code in languages:
            data[f"q{i}_text_{code}"] = question.texts.get(code, "")
            data[f"q{i}_options_{code}"] = "\n".join(
                o.texts.get(code, "") for o in question.options if o.texts.get(code)
            )
    return data
