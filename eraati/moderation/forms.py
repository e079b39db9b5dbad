"""Forms of the moderators' pages: filters, hiding, bulk acts, reason templates, blocks."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from eraati.consultations.models import CommentSource, CommentStatus
from eraati.core.i18n import lazy_gettext as _l
from eraati.core.sanitize import clean_text
from eraati.moderation.services import (
    BLOCK_DAYS_MAX,
    BLOCK_REASON_MAX,
    DETAILS_MAX,
    LANGUAGES,
    REASON_TEXT_MAX,
)

BULK_MAX = 100


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value is not None else None


STATUS_LABELS = {
    CommentStatus.VISIBLE: _l("Visible"),
    CommentStatus.PENDING: _l("Waiting for review"),
    CommentStatus.HIDDEN: _l("Hidden by the moderator"),
    CommentStatus.DELETED: _l("Deleted by the writer"),
}

SOURCE_LABELS = {
    CommentSource.WEB: _l("Online"),
    CommentSource.PAPER: _l("On paper"),
    CommentSource.EVENT: _l("At an event"),
}

# Language names in the reader's language, for sentences ("... main language (Finnish)").
LANGUAGE_NAMES = {"fi": _l("Finnish"), "sv": _l("Swedish"), "en": _l("English")}
LANGUAGE_LABELS = {"fi": _l("In Finnish"), "sv": _l("In Swedish"), "en": _l("In English")}


class QueueFilterForm(FlaskForm):
    """The queue's filters: a GET form, so no CSRF token and addresses that can be shared."""

    class Meta:
        csrf = False

    topic = SelectField(_l("Topic"), choices=[], validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status"))]
        + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        validate_choice=False,
    )
    source = SelectField(
        _l("Channel"),
        choices=[SelectChoice("", _l("Any channel"))]
        + [SelectChoice(s.value, label) for s, label in SOURCE_LABELS.items()],
        validate_choice=False,
    )
    q = SearchField(
        _l("Words in the comment"),
        description=_l("Finds other forms of the words too."),
        validators=[Length(max=200)],
    )


def _lang_attribute(lang: str | None) -> dict[str, str]:
    return {"lang": lang} if lang else {}


class ReasonChoiceMixin:
    """A required choice among the organisation's active reason templates (set per request)."""

    def set_reasons(self, reasons, locale: str) -> None:
        # A reason written only in another language is marked with it (the field macro puts
        # the choice's lang="..." on its label).
        self.reason.choices = [
            SelectChoice(str(r.id), r.text(locale), _lang_attribute(r.text_lang(locale)))
            for r in reasons
        ]

    def validate_reason(self, field: RadioField) -> None:
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_("Choose one of the reasons in the list."))


class NoteLanguageMixin:
    """The language of the moderator's own explanation, so that every page can mark it with
    ``lang``: the language of the pages the moderator uses unless they choose another."""

    note_lang = SelectField(
        _l("Language of your explanation"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,  # our own message: see validate_note_lang
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.note_lang.data:  # a first view, or a form sent without the choice
            self.note_lang.data = str(get_locale() or "fi")

    def validate_note_lang(self, field: SelectField) -> None:
        if field.data not in LANGUAGES:
            raise ValidationError(_("Choose one of the languages in the list."))


class HideForm(NoteLanguageMixin, ReasonChoiceMixin, FlaskForm):
    reason = RadioField(
        _l("Reason shown in the discussion"),
        choices=[],
        validate_choice=False,  # our own message: see validate_reason
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    details = TextAreaField(
        _l("Your own explanation (optional, shown after the reason)"),
        filters=[_clean],
        validators=[Length(max=DETAILS_MAX, message=_l("Use at most %(max)d characters."))],
    )


class IdListField(Field):
    """The ticked checkboxes: every ``ids`` value in the form, as integers."""

    def _value(self) -> str:
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = valuelist
        self.data = []
        for value in valuelist:
            if not value.isdigit() or len(value) > 18:
                raise ValueError(_("The selection was not understood. Please try again."))
            self.data.append(int(value))

    def process_data(self, value) -> None:
        self.data = list(value or [])


class BulkForm(NoteLanguageMixin, ReasonChoiceMixin, FlaskForm):
    ids = IdListField(_l("Selected comments"))
    action = RadioField(
        _l("What to do with the selected comments"),
        choices=[
            SelectChoice("approve", _l("Approve: publish, or keep visible and mark as checked")),
            SelectChoice("hide", _l("Hide with the reason below")),
        ],
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose what to do."))],
    )
    reason = RadioField(_l("Reason for hiding"), choices=[], validate_choice=False)
    details = TextAreaField(
        _l("Your own explanation (optional, shown after the reason)"),
        filters=[_clean],
        validators=[Length(max=DETAILS_MAX, message=_l("Use at most %(max)d characters."))],
    )

    def validate_ids(self, field: IdListField) -> None:
        if not field.data:
            raise ValidationError(_("Select at least one comment."))
        if len(set(field.data)) > BULK_MAX:
            raise ValidationError(_("Select at most %(max)d comments at a time.", max=BULK_MAX))

    def validate_action(self, field: RadioField) -> None:
        if field.data not in {"approve", "hide"}:
            raise ValidationError(_("Choose what to do."))

    def validate_reason(self, field: RadioField) -> None:
        if self.action.data == "hide" and not field.data:
            raise ValidationError(_("Choose a reason for hiding."))
        super().validate_reason(field)


class ReasonForm(FlaskForm):
    """A reason template's text in each language; the organisation's first one is required."""

    text_fi = StringField(
        LANGUAGE_LABELS["fi"],
        filters=[_clean],
        validators=[Length(max=REASON_TEXT_MAX, message=_l("Use at most %(max)d characters."))],
    )
    text_sv = StringField(
        LANGUAGE_LABELS["sv"],
        filters=[_clean],
        validators=[Length(max=REASON_TEXT_MAX, message=_l("Use at most %(max)d characters."))],
    )
    text_en = StringField(
        LANGUAGE_LABELS["en"],
        filters=[_clean],
        validators=[Length(max=REASON_TEXT_MAX, message=_l("Use at most %(max)d characters."))],
    )

    def __init__(self, *args, required: str = "fi", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.required_language = required if required in LANGUAGES else "fi"
        self[f"text_{self.required_language}"].flags.required = True

    def fields_in_order(self) -> list[Field]:
        """The required language first, then the others."""
        order = [self.required_language] + [c for c in LANGUAGES if c != self.required_language]
        return [self[f"text_{c}"] for c in order]

    def texts(self) -> dict[str, str | None]:
        return {code: self[f"text_{code}"].data for code in LANGUAGES}

    def set_texts(self, texts: dict[str, str]) -> None:
        for code in LANGUAGES:
            self[f"text_{code}"].data = (texts or {}).get(code, "")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        field = self[f"text_{self.required_language}"]
        if not field.data:
            field.errors = [*field.errors, _("Write the reason in this language.")]
            ok = False
        return ok


def _whole_number(form: FlaskForm, field: IntegerField) -> None:
    if getattr(field, "invalid", False):
        raise StopValidation(_("Enter a whole number of days."))


class DaysField(IntegerField):
    """A whole number; anything else leaves ``data`` None for our own translated message
    (WTForms' "Not a valid integer value." is English only)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        self.invalid = False
        if valuelist and valuelist[0].strip():
            value = valuelist[0].strip()
            if value.isdigit() and len(value) < 10:
                self.data = int(value)
            else:
                self.invalid = True


def _email_needed(form: FlaskForm, field: EmailField) -> None:
    """Only when the person is not picked from a comment."""
    if getattr(form, "by_comment", False):
        raise StopValidation()
    if not field.data:
        raise StopValidation(_("Enter the person's e-mail address."))


class BlockForm(FlaskForm):
    # Given when the person is picked from a comment ("block the writer"); else the e-mail.
    comment_id = HiddenField(validators=[Optional()])
    email = EmailField(
        _l("E-mail address of the person"),
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
        validators=[
            _email_needed,
            Length(max=254, message=_l("Use at most %(max)d characters.")),
            Email(
                message=_l("Enter the e-mail address in the form name@example.fi."),
                check_deliverability=False,
            ),
        ],
    )
    days = DaysField(
        _l("Length of the block in days"),
        default=7,
        validators=[
            InputRequired(message=_l("Enter the number of days.")),
            _whole_number,
            NumberRange(
                min=1,
                max=BLOCK_DAYS_MAX,
                message=_l("Enter a number from %(min)d to %(max)d."),
            ),
        ],
    )
    reason = TextAreaField(
        _l("Reason (sent to the person)"),
        filters=[_clean],
        validators=[
            DataRequired(message=_l("Write the reason for the block.")),
            Length(max=BLOCK_REASON_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )

    def __init__(self, *args, by_comment: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.by_comment = by_comment
        if not by_comment:
            self.email.flags.required = True


class AnswerHideForm(ReasonChoiceMixin, FlaskForm):
    """Hiding an open survey answer: it is never published, so the reason is for the staff
    and the record (the audit log, the exports)."""

    reason = RadioField(
        _l("Reason for hiding"),
        choices=[],
        validate_choice=False,  # our own message: see validate_reason
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    details = TextAreaField(
        _l("Your own explanation (optional, kept after the reason)"),
        filters=[_clean],
        validators=[Length(max=DETAILS_MAX, message=_l("Use at most %(max)d characters."))],
    )


class AnswerCheckForm(FlaskForm):
    """Open answers marked checked: read, and fine as they are."""

    ids = IdListField(_l("Selected answers"))

    def validate_ids(self, field: IdListField) -> None:
        if not field.data:
            raise ValidationError(_("Select at least one answer."))
        if len(set(field.data)) > BULK_MAX:
            raise ValidationError(_("Select at most %(max)d answers at a time.", max=BULK_MAX))
