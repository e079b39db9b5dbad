"""The staff form of a part: a title and a text in each language of the topic."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from eraati.manage.forms.common import (
    BODY_MAX,
    TITLE_MAX,
    add_error,
    clean_filter,
    language_name,
    strip_filter,
    too_long,
)
from eraati.parts import services


class ActionForm(FlaskForm):
    """Only the CSRF token: the button says what happens."""


def part_form_class(languages: list[str]) -> type[FlaskForm]:
    fields: dict[str, object] = {}
    for code in languages:
        lang = language_name(code)
        fields[f"title_{code}"] = StringField(
            _("Title of the part (%(language)s)", language=lang),
            filters=[clean_filter],
            validators=[Length(max=TITLE_MAX, message=too_long())],
        )
        fields[f"body_{code}"] = TextAreaField(
            _("Text of the part (%(language)s)", language=lang),
            render_kw={"rows": 14},
            filters=[strip_filter],
            validators=[Length(max=BODY_MAX, message=too_long())],
        )
    return type("PartForm", (_PartForm,), {**fields, "languages": languages})


class _PartForm(FlaskForm):
    languages: list[str] = []

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        primary = self.languages[0]
        if not self[f"title_{primary}"].data:
            add_error(
                self[f"title_{primary}"],
                _("Write the title in %(language)s.", language=language_name(primary)),
            )
            ok = False
        for code in self.languages[1:]:
            title, body = self[f"title_{code}"], self[f"body_{code}"]
            if body.data and not title.data:
                add_error(
                    title,
                    _("Write the title in %(language)s too.", language=language_name(code)),
                )
                ok = False
        bodies = {
            code: self[f"body_{code}"].data or ""
            for code in self.languages
            if code == primary or self[f"title_{code}"].data
        }
        for code in services.paragraph_counts_differ(bodies, primary):
            add_error(
                self[f"body_{code}"],
                _(
                    "The %(language)s text has a different number of paragraphs than the "
                    "%(primary)s text. Comments are given on numbered paragraphs: write the "
                    "language versions paragraph by paragraph alike.",
                    language=language_name(code),
                    primary=language_name(primary),
                ),
            )
            ok = False
        return ok

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self[f"title_{code}"].data or "", self[f"body_{code}"].data or "")
            for code in self.languages
        }
