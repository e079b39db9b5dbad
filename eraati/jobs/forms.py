"""The form that starts an export job: the XLSX workbook or the council report."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import AnyOf, InputRequired

from eraati.core.i18n import LANGUAGES
from eraati.core.i18n import lazy_gettext as _l
from eraati.jobs.services import JOB_FORMATS

FORMAT_MISSING = _l("Choose the file format.")
LANGUAGE_MISSING = _l("Choose the language.")


class ExportJobForm(FlaskForm):
    # The page's buttons and radio buttons send these; a bad value means a tampered or
    # outdated form, and the page is shown again with the message next to the field.
    format = RadioField(
        _l("File format"),
        choices=list(JOB_FORMATS),
        validate_choice=False,
        validators=[
            InputRequired(message=FORMAT_MISSING),
            AnyOf(JOB_FORMATS, message=FORMAT_MISSING),
        ],
    )
    lang = RadioField(
        _l("Language"),
        choices=list(LANGUAGES),
        validate_choice=False,
        validators=[
            InputRequired(message=LANGUAGE_MISSING),
            AnyOf(LANGUAGES, message=LANGUAGE_MISSING),
        ],
    )
    appendix = BooleanField(_l("Add all visible comments as an appendix"))
    # The workbook only: reports never hold hidden comments' texts.
    hidden_texts = BooleanField(_l("Include the texts of comments hidden by a moderator"))

    @property
    def for_report(self) -> bool:
        """Whose errors these are on the page: the report's form or the workbook's."""
        return self.format.data != "xlsx"
