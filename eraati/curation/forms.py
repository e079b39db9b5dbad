"""Forms of the editorial pages. Forms with one field per language of the organisation
(theme names, the summary) are built for that organisation's languages."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from eraati.consultations.models import CommentSource
from eraati.core.i18n import LANGUAGES, format_count
from eraati.core.i18n import lazy_gettext as _l
from eraati.core.sanitize import clean_text
from eraati.core.time import HELSINKI

THEME_MAX_LENGTH = 100
SUMMARY_MAX_LENGTH = 20000
PLACE_MAX_LENGTH = 200

# Language names in the reader's language (the forms are read in the UI language).
LANGUAGE_LABELS = {"fi": _l("Finnish"), "sv": _l("Swedish"), "en": _l("English")}
THEME_NAME_LABELS = {
    "fi": _l("Name in Finnish"),
    "sv": _l("Name in Swedish"),
    "en": _l("Name in English"),
}
SUMMARY_LABELS = {
    "fi": _l("Summary in Finnish"),
    "sv": _l("Summary in Swedish"),
    "en": _l("Summary in English"),
}
SOURCE_LABELS = {
    CommentSource.PAPER: _l("On a paper form"),
    CommentSource.EVENT: _l("At an event"),
}


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value is not None else None


def _text_length(form: FlaskForm, field: TextAreaField) -> None:
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if field.data and len(field.data) > limit:
        raise ValidationError(
            _(
                "The text is %(count)s characters long. The limit is %(limit)s characters.",
                count=format_count(len(field.data)),
                limit=format_count(limit),
            )
        )


class _TokenMixin:
    # Generated when the form is shown: the same form sent twice saves one comment.
    submission_token = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])

    def new_token(self) -> None:
        if not self.submission_token.data:
            self.submission_token.data = uuid.uuid4().hex


def _id_or_none(value: object) -> int | None:
    """A theme id from the form; anything else becomes None (refused by the check)."""
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def theme_gone_message() -> str:
    return _("A theme you chose is no longer available. Check the themes and save again.")


class TagForm(FlaskForm):
    """The themes of one comment; the view sets ``theme_ids`` (the topic's themes)."""

    themes = SelectMultipleField(_l("Themes"), coerce=_id_or_none, validate_choice=False)
    # Where the moderator was in the list (read leniently: a bad value means page 1).
    page = HiddenField()
    show = HiddenField()
    theme_ids: set[int] = set()

    def validate_themes(self, field: SelectMultipleField) -> None:
        if any(value not in self.theme_ids for value in field.data or []):
            raise ValidationError(theme_gone_message())


class KeyForm(FlaskForm):
    """Mark ("1") or unmark ("0") a key comment; the button says which."""

    key = HiddenField(validators=[DataRequired(), AnyOf(["0", "1"])])
    # Where the moderator was in the list (read leniently: a bad value means page 1).
    page = HiddenField()
    show = HiddenField()
    # A page of this site to return to instead (a campaign group's review list).
    next = HiddenField()


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button says what happens."""


def theme_form(languages: list[str], **kwargs) -> FlaskForm:
    """A theme's name in each language of the organisation; the first one is required."""

    class ThemeForm(FlaskForm):
        pass

    for i, code in enumerate(languages):
        validators = (
            [DataRequired(message=_l("Write the name of the theme."))] if i == 0 else [Optional()]
        )
        validators.append(
            Length(max=THEME_MAX_LENGTH, message=_l("Use at most %(max)d characters."))
        )
        label = THEME_NAME_LABELS.get(code, code)
        field = StringField(
            label, filters=[_clean], validators=validators, render_kw={"lang": code}
        )
        setattr(ThemeForm, f"name_{code}", field)
    return ThemeForm(**kwargs)


def theme_texts(form: FlaskForm, languages: list[str]) -> dict[str, str | None]:
    return {code: form[f"name_{code}"].data for code in languages}


class OfficialReplyForm(_TokenMixin, FlaskForm):
    body = TextAreaField(
        _l("The reply"),
        filters=[_clean],
        validators=[DataRequired(message=_l("Write the reply first.")), _text_length],
    )


class DayField(DateField):
    """A date as the browser's date picker sends it (2026-05-12), or as people type it
    (12.5.2026), with our own translated message."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, format=["%Y-%m-%d", "%d.%m.%Y"], **kwargs)

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(raw, fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(_("Enter the date as day.month.year, for example 12.5.2026."))


class _DayRequired:
    """Like DataRequired, but keeps the message of a date that could not be read."""

    field_flags = {"required": True}

    def __call__(self, form: FlaskForm, field: DayField) -> None:
        if field.data is None:
            if not field.errors:
                field.errors.append(_("Enter the date the feedback was received."))
            raise StopValidation()


def _not_in_future(form: FlaskForm, field: DayField) -> None:
    today = datetime.now(HELSINKI).date()
    if field.data and field.data > today:
        raise ValidationError(_("The date cannot be in the future."))


def _not_ancient(form: FlaskForm, field: DayField) -> None:
    if field.data and field.data < date(2000, 1, 1):
        raise ValidationError(_("Check the year."))


class PaperForm(_TokenMixin, FlaskForm):
    """Feedback given on a paper form or at an event, typed in by staff."""

    body = TextAreaField(
        _l("Feedback"),
        filters=[_clean],
        validators=[DataRequired(message=_l("Write the feedback first.")), _text_length],
    )
    source = RadioField(
        _l("How was the feedback given?"),
        choices=[SelectChoice(s.value, label) for s, label in SOURCE_LABELS.items()],
        validate_choice=False,  # one message, ours: see validate_source
        validators=[DataRequired(message=_l("Choose how the feedback was given."))],
    )
    received_on = DayField(
        _l("Date received"),
        validators=[
            _DayRequired(),
            _not_in_future,
            _not_ancient,
        ],
    )
    place = StringField(
        _l("Place"),
        filters=[_clean],
        validators=[
            DataRequired(message=_l("Write where the feedback was received.")),
            Length(max=PLACE_MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
    )
    # Filled in by the view from the topic's events (eraati.events); "" is none.
    event = SelectField(
        _l("Collected at an event (optional)"),
        choices=[],
        validate_choice=False,
        validators=[Optional()],
    )
    language = SelectField(
        _l("Language of the feedback (optional)"),
        choices=[SelectChoice("", _l("Not specified"))]
        + [SelectChoice(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
        validate_choice=False,
        validators=[Optional()],
    )

    def validate_source(self, field: RadioField) -> None:
        if field.data not in {CommentSource.PAPER.value, CommentSource.EVENT.value}:
            raise ValidationError(_("Choose how the feedback was given."))

    def validate_language(self, field: SelectField) -> None:
        if field.data and field.data not in LANGUAGES:
            raise ValidationError(_("Choose a language from the list."))

    def validate_event(self, field: SelectField) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_("Choose an event from the list."))

    def event_id(self) -> int | None:
        return int(self.event.data) if self.event.data else None


def _summary_length(form: FlaskForm, field: TextAreaField) -> None:
    if field.data and len(field.data) > SUMMARY_MAX_LENGTH:
        raise ValidationError(
            _(
                "The text is %(count)s characters long. The limit is %(limit)s characters.",
                count=format_count(len(field.data)),
                limit=format_count(SUMMARY_MAX_LENGTH),
            )
        )


def summary_form(locales: list[str], **kwargs) -> FlaskForm:
    """One text per language the topic is written in, each with the hash of the text as
    it was loaded (``seen_<locale>``) to notice a save by someone else meanwhile."""

    class SummaryForm(FlaskForm):
        pass

    for code in locales:
        label = SUMMARY_LABELS.get(code, code)
        setattr(
            SummaryForm,
            f"summary_{code}",
            TextAreaField(
                label,
                filters=[_clean],
                render_kw={"lang": code, "rows": 12},
                # No maxlength attribute: a browser would cut a longer pasted text silently.
                validators=[_summary_length],
            ),
        )
        setattr(
            SummaryForm,
            f"seen_{code}",
            HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")]),
        )
    return SummaryForm(**kwargs)
