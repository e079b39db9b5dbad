"""The staff's map forms, and the messages of the place rules."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DecimalField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from eraati.core.i18n import lazy_gettext as _l


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def place_error(reason: str) -> str:
    """The translated message of a services.PlaceError."""
    messages = {
        "number": _("Give the coordinates as decimal degrees, for example 63.5597."),
        "half_point": _("Give both the latitude and the longitude, or neither."),
        "no_map": _("This consultation has no map."),
        "range": _(
            "The latitude must be between -90 and 90 and the longitude between -180 and 180."
        ),
        "outside": _("The point is outside the area of the map. Choose a point inside it."),
        "unknown_place": _("Choose one of the places in the list."),
        "area_lat": _("The southern edge must be south of the northern edge (-90 to 90)."),
        "area_lon": _("The western edge must be west of the eastern edge (-180 to 180)."),
        "name": _("Write the name of the place in Finnish."),
        "too_many": _("A map can have at most 50 named places."),
    }
    return messages[reason]


class DegreesField(DecimalField):
    """Decimal degrees; a decimal comma (63,5597) is read as a point."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


def _latitude(label):
    return DegreesField(
        label,
        places=None,
        validators=[
            InputRequired(message=_l("Give the latitude as decimal degrees, for example 63.5597.")),
            NumberRange(-90, 90, message=_l("The latitude must be between -90 and 90.")),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def _longitude(label):
    return DegreesField(
        label,
        places=None,
        validators=[
            InputRequired(
                message=_l("Give the longitude as decimal degrees, for example 27.1920.")
            ),
            NumberRange(-180, 180, message=_l("The longitude must be between -180 and 180.")),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class AreaForm(FlaskForm):
    south = _latitude(_l("Southern edge (latitude)"))
    west = _longitude(_l("Western edge (longitude)"))
    north = _latitude(_l("Northern edge (latitude)"))
    east = _longitude(_l("Eastern edge (longitude)"))


class PlaceForm(FlaskForm):
    name_fi = StringField(
        _l("Name in Finnish"),
        filters=[_strip],
        validators=[
            InputRequired(message=_l("Write the name of the place in Finnish.")),
            Length(max=120),
        ],
    )
    name_sv = StringField(
        _l("Name in Swedish"), filters=[_strip], validators=[Optional(), Length(max=120)]
    )
    name_en = StringField(
        _l("Name in English"), filters=[_strip], validators=[Optional(), Length(max=120)]
    )
    lat = _latitude(_l("Latitude"))
    lon = _longitude(_l("Longitude"))

    def names(self) -> dict[str, str | None]:
        return {"fi": self.name_fi.data, "sv": self.name_sv.data, "en": self.name_en.data}


def fill_place_choices(form, view, locale: str) -> None:
    """The comment form's "Place (optional)" list: "No place", then the map's named places
    in order (the way to choose a place without a mouse or JavaScript)."""
    if view is None or "place" not in form:
        return
    form.place.choices = [("", _("No place"))] + [(str(p.id), p.name(locale)) for p in view.places]
