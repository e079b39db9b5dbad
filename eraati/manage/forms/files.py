"""Upload forms of images (alt text required per language) and PDF attachments."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
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
    return type("AttachmentForm", (FlaskForm,), fields)
