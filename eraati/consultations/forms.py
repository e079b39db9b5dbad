"""Forms of the resident pages: write, edit and report comments; filter the topic list."""

from __future__ import annotations

import re
import uuid

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from eraati.consultations.models import FlagReason
from eraati.consultations.queries import StatusFilter, TopicSort
from eraati.core.i18n import LANGUAGE_NAMES, LANGUAGES
from eraati.core.i18n import lazy_gettext as _l
from eraati.core.sanitize import clean_text

_WORD = re.compile(r"\w")


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value is not None else None


def _comment_length(form: FlaskForm, field: TextAreaField) -> None:
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if field.data and len(field.data) > limit:
        raise ValidationError(
            _(
                "Your comment is %(count)d characters long. The limit is %(limit)d characters.",
                count=len(field.data),
                limit=limit,
            )
        )


def _has_word(form: FlaskForm, field: StringField) -> None:
    if field.data and not _WORD.search(field.data):
        raise ValidationError(_("Write a name or nickname with letters or numbers."))


class CommentForm(FlaskForm):
    """A signed-in resident's comment or reply (``parent_id``)."""

    body = TextAreaField(
        _l("Your comment"),
        filters=[_clean],
        validators=[DataRequired(message=_l("Write your comment first.")), _comment_length],
    )
    # The language the comment is written in (its lang="..." on pages in other languages):
    # the page's language unless the writer chooses another. Every comment may be in any
    # of the three, whatever languages the organisation writes in.
    language = SelectField(
        _l("Language of your comment"),
        # Each language named in itself, and marked so (as on the language buttons).
        choices=[SelectChoice(code, LANGUAGE_NAMES[code], {"lang": code}) for code in LANGUAGES],
        default=lambda: str(get_locale() or "fi"),
        validate_choice=False,
        validators=[AnyOf(LANGUAGES, message=_l("Choose one of the languages in the list."))],
    )
    parent_id = HiddenField(_l("Reply to"), validators=[Optional(), Regexp(r"^\d{1,18}$")])
    # Generated when the form is shown: the same form sent twice saves one comment.
    submission_token = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])
    # A topic with a map (eraati.places): one of its named places ("" = no place), or a
    # point clicked on the map (hidden; set by static/js/place-picker.js). The view fills
    # the choices and eraati.places.services checks the values.
    place = SelectField(_l("Place (optional)"), choices=[], validate_choice=False, default="")
    lat = HiddenField(validators=[Optional(), Length(max=20)])
    lon = HiddenField(validators=[Optional(), Length(max=20)])
    # Follows the topic: followers get an e-mail when the results are published.
    notify_results = BooleanField(
        _l("E-mail me when the results of this consultation are published")
    )

    def new_token(self) -> None:
        if not self.submission_token.data:
            self.submission_token.data = uuid.uuid4().hex

    @property
    def parent(self) -> int | None:
        data = self.parent_id.data
        return int(data) if data and str(data).isdigit() else None


class AnonymousCommentForm(CommentForm):
    """A visitor's comment on a topic that allows it; always checked by a moderator."""

    nickname = StringField(
        _l("Your name or nickname"),
        filters=[_clean],
        validators=[
            DataRequired(message=_l("Write a name or nickname.")),
            Length(max=60, message=_l("Use at most %(max)d characters.")),
            _has_word,
        ],
    )
    # A trap for robots: hidden from people, so anything in it means a robot filled it in.
    website = StringField(_l("Website"))
    notify_results = None  # no address to write to


class EditCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[_clean],
        validators=[DataRequired(message=_l("Write your comment first.")), _comment_length],
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button says what happens."""


FLAG_REASON_LABELS = {
    FlagReason.INSULTING: _l("Insulting or inappropriate"),
    FlagReason.SPAM: _l("Spam or advertising"),
    FlagReason.OFF_TOPIC: _l("Off-topic"),
    FlagReason.PERSONAL_DATA: _l("Contains personal data"),
    FlagReason.OTHER: _l("Other"),
}


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("Why should a moderator look at this comment?"),
        choices=[SelectChoice(r.value, label) for r, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,  # one message, ours: see validate_reason
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    details = TextAreaField(
        _l("More details (optional)"),
        filters=[_clean],
        validators=[Length(max=500, message=_l("Use at most %(max)d characters."))],
    )

    def validate_reason(self, field: RadioField) -> None:
        if field.data not in {r.value for r in FlagReason}:
            raise ValidationError(_("Choose a reason."))


STATUS_LABELS = {
    StatusFilter.OPEN: _l("Open"),
    StatusFilter.UPCOMING: _l("Not open yet"),
    StatusFilter.CLOSED: _l("Closed"),
    StatusFilter.PUBLISHED: _l("Results published"),
    StatusFilter.ALL: _l("All"),
}

SORT_LABELS = {
    TopicSort.LATEST_DEADLINE: _l("Latest deadline first"),
    TopicSort.CLOSING_SOON: _l("Closing soonest"),
}


class TopicFilterForm(FlaskForm):
    """The front page's filters: a GET form, so no CSRF token and shareable addresses."""

    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), choices=[], validate_choice=True)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        default=StatusFilter.OPEN.value,
    )
    q = SearchField(_l("Search"), filters=[_clean], validators=[Length(max=200)])
    sort = SelectField(
        _l("Order"),
        choices=[SelectChoice(s.value, label) for s, label in SORT_LABELS.items()],
        default=TopicSort.LATEST_DEADLINE.value,
    )


class CommentSearchForm(FlaskForm):
    """Search of one topic's comments: a GET form (no CSRF token, shareable address)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search the comments"),
        filters=[_clean],
        description=_l("Finds other forms of the words too: “pysäkki” finds “pysäkit”."),
    )
