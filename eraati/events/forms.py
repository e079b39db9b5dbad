"""The staff form of an event: times entered in Helsinki time."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eraati.core.i18n import lazy_gettext as _l
from eraati.events.models import EVENT_LANGUAGES, TopicEvent
from eraati.events.services import EventData
from eraati.manage.forms.common import (
    LANGUAGE_LABELS,
    add_error,
    clean_filter,
    date_field,
    helsinki_to_utc,
    time_field,
    too_long,
    utc_to_helsinki,
)

DESCRIPTION_MAX = 2000
ACCESSIBILITY_MAX = 1000


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EventForm(FlaskForm):
    starts_on = date_field(_l("Date"), InputRequired(message=_l("Enter the date of the event.")))
    starts_time = time_field(_l("Starts at"), time(17, 0))
    ends_time = TimeField(
        _l("Ends at (optional)"),
        format=["%H:%M", "%H:%M:%S", "%H.%M"],
        validators=[Optional()],
        invalid_value_message=_l("Enter the time as hh:mm, for example 16:00."),
    )
    place = StringField(
        _l("Place"),
        filters=[clean_filter],
        validators=[
            DataRequired(message=_l("Write the name of the place, for example Keitele library.")),
            Length(max=200, message=too_long()),
        ],
    )
    street_address = StringField(
        _l("Street address"),
        filters=[clean_filter],
        validators=[Length(max=200, message=too_long())],
    )
    municipality = StringField(
        _l("Postal code and municipality"),
        filters=[clean_filter],
        validators=[Length(max=200, message=too_long())],
    )
    description = TextAreaField(
        _l("What happens there"),
        filters=[clean_filter],
        render_kw={"rows": 4},
        validators=[Length(max=DESCRIPTION_MAX, message=too_long())],
    )
    languages = _Checkboxes(
        _l("Languages spoken at the event"),
        choices=[SelectChoice(code, LANGUAGE_LABELS[code]) for code in EVENT_LANGUAGES],
        validate_choice=False,
    )
    accessibility = TextAreaField(
        _l("Accessibility of the place"),
        filters=[clean_filter],
        render_kw={"rows": 3},
        validators=[Length(max=ACCESSIBILITY_MAX, message=too_long())],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        chosen = [c for c in (self.languages.data or []) if c in EVENT_LANGUAGES]
        if not chosen:
            add_error(self.languages, _("Choose at least one language."))
            ok = False
        starts, ends = self.starts_at, self.ends_at
        if starts is not None and ends is not None and ends <= starts:
            add_error(self.ends_time, _("The event must end after it starts."))
            ok = False
        return ok

    @property
    def starts_at(self) -> datetime | None:
        if self.starts_on.data is None or self.starts_time.data is None:
            return None
        return helsinki_to_utc(self.starts_on.data, self.starts_time.data)

    @property
    def ends_at(self) -> datetime | None:
        """The end, on the same day as the start (an event of one evening or one day)."""
        if self.starts_on.data is None or self.ends_time.data is None:
            return None
        return helsinki_to_utc(self.starts_on.data, self.ends_time.data)

    def data_for_service(self) -> EventData:
        assert self.starts_at is not None
        return EventData(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            place=self.place.data or "",
            street_address=self.street_address.data or "",
            municipality=self.municipality.data or "",
            description=self.description.data or "",
            languages=tuple(self.languages.data or ()),
            accessibility=self.accessibility.data or "",
        )


def event_form(event: TopicEvent | None = None, **kw) -> EventForm:
    """An empty form (Finnish preselected), or one with the event's values."""
    if event is None:
        return EventForm(data={"languages": ["fi"]}, **kw)
    starts_on, starts_time = utc_to_helsinki(event.starts_at)
    data = {
        "starts_on": starts_on,
        "starts_time": starts_time,
        "ends_time": utc_to_helsinki(event.ends_at)[1] if event.ends_at else None,
        "place": event.place,
        "street_address": event.street_address,
        "municipality": event.municipality,
        "description": event.description,
        "languages": event.language_list,
        "accessibility": event.accessibility,
    }
    return EventForm(data=data, **kw)
