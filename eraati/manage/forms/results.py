"""The results form: the decision and, per language, its outcome and the use of feedback."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.fields import URLField
from wtforms.validators import Length, Optional, ValidationError

from eraati.core.i18n import lazy_gettext as _l
from eraati.manage.forms.common import (
    RESULT_TEXT_MAX,
    clean_filter,
    date_field,
    language_name,
    strip_filter,
    too_long,
)


def _web_address(form, field) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
        raise ValidationError(
            _("Enter a web address that begins with https:// or http://."),
        )


class _ResultsFormBase(FlaskForm):
    languages_shown: list[str]

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self[f"outcome_{code}"].data or "", self[f"feedback_use_{code}"].data or "")
            for code in self.languages_shown
        }


def results_form_class(languages: list[str]) -> type[_ResultsFormBase]:
    fields: dict[str, object] = {
        "decided_on": date_field(_l("Date of the decision"), Optional()),
    }
    for code in languages:
        lang = language_name(code)
        fields[f"outcome_{code}"] = TextAreaField(
            _("What was decided (%(language)s)", language=lang),
            filters=[clean_filter],
            validators=[Length(max=RESULT_TEXT_MAX, message=too_long())],
        )
        fields[f"feedback_use_{code}"] = TextAreaField(
            _("How the feedback was used (%(language)s)", language=lang),
            filters=[clean_filter],
            validators=[Length(max=RESULT_TEXT_MAX, message=too_long())],
        )
    fields["minutes_url"] = URLField(
        _l("Link to the minutes"),
        filters=[strip_filter],
        validators=[Length(max=500, message=too_long()), _web_address],
    )
    fields["revision"] = HiddenField()
    return type("ResultsForm", (_ResultsFormBase,), dict(fields, languages_shown=list(languages)))
