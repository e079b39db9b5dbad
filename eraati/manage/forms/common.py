"""Shared pieces of the topic management forms: language names, limits, date and time
fields in Helsinki time, messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.fields import DateField, TimeField
from wtforms.validators import InputRequired

from eraati.core.i18n import lazy_gettext as _l
from eraati.core.sanitize import clean_text
from eraati.core.time import HELSINKI

LANGUAGE_LABELS = {"fi": _l("Finnish"), "sv": _l("Swedish"), "en": _l("English")}
TITLE_MAX = 200
SUMMARY_MAX = 1000
BODY_MAX = 100_000
QUESTION_MAX = 500
OPTION_MAX = 200
OPTIONS_MAX = 20
POLL_SLOTS_MAX = 20
RESULT_TEXT_MAX = 20_000
ALT_MAX = 300


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def slug_filter(value):
    return value.strip().lower() if isinstance(value, str) else value


def clean_filter(value):
    return clean_text(value) if isinstance(value, str) else value


def language_name(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


def date_field(label, *validators) -> DateField:
    # Browsers with a date picker send 2026-03-15; without one people type 15.3.2026.
    return DateField(
        label,
        validators=list(validators),
        format=["%Y-%m-%d", "%d.%m.%Y"],
        invalid_value_message=_l("Enter the date as dd.mm.yyyy, for example 15.3.2026."),
    )


def time_field(label, default: time) -> TimeField:
    return TimeField(
        label,
        default=default,
        format=["%H:%M", "%H:%M:%S", "%H.%M"],
        validators=[InputRequired(message=_l("Enter the time, for example 16:00."))],
        invalid_value_message=_l("Enter the time as hh:mm, for example 16:00."),
    )


def body_hint() -> str:
    # In Python, not in the template: a translated string in a template counts as HTML.
    return _(
        "You can use these HTML tags: paragraphs <p>, headings <h2> <h3> <h4>, lists <ul> "
        '<ol> <li>, links <a href="https://…">, bold <strong>, italics <em>, quotations '
        "<blockquote> and line breaks <br>. Other markup is removed when the topic is saved. "
        "Text without any tags is split into paragraphs at empty lines."
    )


def too_long() -> str:
    return _l("Use at most %(max)d characters.")


def helsinki_to_utc(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=HELSINKI).astimezone(UTC)


def utc_to_helsinki(moment: datetime) -> tuple[date, time]:
    local = moment.astimezone(HELSINKI)
    return local.date(), local.time().replace(second=0, microsecond=0)


def lines_of(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def add_error(f: Field, message: str) -> None:
    f.errors = [*f.errors, message]


class ActionForm(FlaskForm):
    """Only the CSRF token: the button says what happens."""


class PublishForm(FlaskForm):
    confirmed = HiddenField()
