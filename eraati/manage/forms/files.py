"""Upload forms of images (alt text required per language) and PDF attachments."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from eraati.core.i18n import lazy_gettext as _l
from eraati.manage.forms.common import ALT_MAX, TITLE_MAX, clean_filter, language_name, too_long


def image_form_class(languages: list[str]) -> type[FlaskForm]:
    fields: dict[str, object] = {
        "file": FileField(
            _l("Image file (PNG or JPEG, at most 2 MB)"),
            validators=[FileRequired(message=_l("Choose an image file."))],
        )
    }
    for code in languages:
        lang = language_name(code)
        fields[f"alt_{code}"] = StringField(
            _("Text alternative (%(language)s)", language=lang),
            filters=[clean_filter],
            validators=[
                DataRequired(
                    message=_(
                        "Describe the image in %(language)s for people who cannot see it.",
                        language=lang,
                    )
                ),
                Length(max=ALT_MAX, message=too_long()),
            ],
        )
    fields["part"] = _part_field()
    return type("ImageForm", (FlaskForm,), fields)


def attachment_form_class(languages: list[str], limit_label: str) -> type[FlaskForm]:
    fields: dict[str, object] = {
        "file": FileField(
            _("PDF file (at most %(size)s)", size=limit_label),
            validators=[FileRequired(message=_l("Choose a PDF file."))],
        )
    }
    for code in languages:
        lang = language_name(code)
        fields[f"title_{code}"] = StringField(
            _("Name shown on the page (%(language)s, optional)", language=lang),
            filters=[clean_filter],
            validators=[Length(max=TITLE_MAX, message=too_long())],
        )
    fields["part"] = _part_field()
    return type("AttachmentForm", (FlaskForm,), fields)


def _part_field() -> SelectField:
    """Where the file is shown: the topic page, or the page of one of its parts
    (eraati.parts; the choices are set when the topic has parts)."""
    return SelectField(_l("Shown on"), choices=[], validate_choice=False)


def set_part_choices(form: FlaskForm, choices: list[tuple[str, str]]) -> None:
    form.part.choices = [("", _("The topic page")), *choices]


def chosen_part(form: FlaskForm, part_ids: set[int]) -> int | bool | None:
    """The part id chosen, None for the topic page; False (with a field error) for
    anything else."""
    value = form.part.data or ""
    if not value:
        return None
    if value.isdigit() and int(value) in part_ids:
        return int(value)
    form.part.errors = [*form.part.errors, _("Choose where the file is shown from the list.")]
    return False
