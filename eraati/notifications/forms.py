"""The preferences form: one radio group per kind, and the organisations to hear of."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, widgets

from eraati.notifications.models import RULES, Kind, Mode

# What each kind is, as the person chooses it.
LABELS = {
    Kind.REPLY: _l("Someone replies to my comment"),
    Kind.OFFICIAL_REPLY: _l("The organisation replies to my comment"),
    Kind.PUBLISHED: _l("My comment that waited for review is published"),
    Kind.REMINDER: _l("A consultation I follow closes in a few days"),
    Kind.OPENING: _l("A consultation I asked to be reminded of opens"),
    Kind.NEW_TOPIC: _l("An organisation I chose opens a new consultation"),
    Kind.RESULTS: _l("The results of a consultation I follow are published"),
    Kind.STAFF_QUEUE: _l("Daily: comments and reports waiting in my organisation's queue"),
}
MODE_LABELS = {
    Mode.OFF: _l("No e-mail"),
    Mode.INSTANT: _l("At once"),
    Mode.DIGEST: _l("In a weekly digest"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PreferencesForm(FlaskForm):
    organisations = MultiCheckboxField(
        _l("Organisations whose new consultations I hear of"), coerce=int
    )


def preferences_form(kinds: list[Kind], **kw) -> PreferencesForm:
    """The form with a radio group for each of ``kinds`` (staff see one more)."""

    class Form(PreferencesForm):
        pass

    for kind in kinds:
        choices = [
            SelectChoice(m.value, MODE_LABELS[m])
            for m in Mode
            if m != Mode.DIGEST or RULES[kind].digest
        ]
        setattr(Form, f"kind_{kind.value}", RadioField(LABELS[kind], choices=choices))
    return Form(**kw)
