"""Organisation forms: field shapes and messages. Views fill in the municipality choices."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from eraati.core.i18n import LANGUAGE_NAMES, LANGUAGES
from eraati.core.i18n import lazy_gettext as _l
from eraati.core.security import tile_origin
from eraati.organisations.models import MAX_RETENTION_MONTHS, OrganisationKind, Role
from eraati.organisations.services import RESERVED_SLUGS

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHONE_PATTERN = r"^\+?[0-9 ()\-]{5,40}$"
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


def role_label(role: Role | str) -> str:
    labels = {
        Role.ADMIN: _l("Organisation admin"),
        Role.MODERATOR: _l("Moderator"),
        Role.PREPARER: _l("Preparer"),
    }
    return str(labels[Role(role)])


def role_choices() -> list[SelectChoice]:
    return [
        SelectChoice(r.value, role_label(r)) for r in (Role.ADMIN, Role.MODERATOR, Role.PREPARER)
    ]


def kind_label(kind: OrganisationKind | str) -> str:
    labels = {
        OrganisationKind.MUNICIPALITY: _l("Municipality"),
        OrganisationKind.JOINT_AUTHORITY: _l("Joint authority"),
    }
    return str(labels[OrganisationKind(kind)])


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (a fieldset in the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WholeNumberField(IntegerField):
    """An integer field whose "not a number" error is the field's own translated message
    and is shown once (the range check is skipped after it)."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.invalid_message = next(
            (v.message for v in (validators or []) if getattr(v, "message", None)), None
        )

    def process_formdata(self, valuelist) -> None:
        if not valuelist or valuelist[0] in (None, ""):
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(self.invalid_message) from exc

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()


def _email_field(label, *, required: bool) -> EmailField:
    validators = [
        Length(max=254, message=_l("The e-mail address is too long.")),
        Email(
            message=_l("Enter the e-mail address in the form name@example.fi."),
            check_deliverability=False,
        ),
    ]
    if required:
        validators.insert(0, DataRequired(message=_l("Enter an e-mail address.")))
    else:
        validators.insert(0, Optional())
    return EmailField(label, filters=[_normalise_email], validators=validators)


def _mail_language_field() -> SelectField:
    return SelectField(
        _l("Language of the invitation e-mail"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        invalid_choice_message=_l("Choose a language from the list."),
    )


def _name_field(label, *, required: bool = False) -> StringField:
    validators = [Length(max=160, message=_l("The name can be at most %(max)d characters long."))]
    if required:
        validators.insert(0, DataRequired(message=_l("Enter the name in Finnish.")))
    return StringField(label, filters=[_strip], validators=validators)


class OrganisationDetailsForm(FlaskForm):
    """Names, languages and contact details: shared by the platform and settings pages."""

    name_fi = _name_field(_l("Name in Finnish"), required=True)
    name_sv = _name_field(_l("Name in Swedish"))
    name_en = _name_field(_l("Name in English"))
    languages = CheckboxesField(
        _l("Languages used"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        invalid_choice_message=_l("Choose languages from the list."),
    )
    primary_language = RadioField(
        _l("Primary language"),
        choices=[
            SelectChoice("fi", LANGUAGE_NAMES["fi"]),
            SelectChoice("sv", LANGUAGE_NAMES["sv"]),
        ],
        invalid_choice_message=_l("Choose Finnish or Swedish as the primary language."),
    )
    contact_email = _email_field(_l("Contact e-mail address (optional)"), required=False)
    contact_phone = StringField(
        _l("Phone number (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Regexp(
                PHONE_PATTERN,
                message=_l("Write the phone number with digits, for example 017 123 4567."),
            ),
        ],
    )
    website_url = URLField(
        _l("Website (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=500, message=_l("The address can be at most %(max)d characters long.")),
        ],
    )
    # A digest of the values the form was filled in from (a stale edit is noticed).
    stamp = HiddenField()

    def validate_languages(self, field: CheckboxesField) -> None:
        chosen = field.data or []
        if "fi" not in chosen and "sv" not in chosen:
            raise ValidationError(_l("Choose at least Finnish or Swedish."))

    def validate_primary_language(self, field: RadioField) -> None:
        if field.data and field.data not in (self.languages.data or []):
            raise ValidationError(_l("The primary language must be one of the languages used."))

    def validate_name_sv(self, field: StringField) -> None:
        if "sv" in (self.languages.data or []) and not field.data:
            raise ValidationError(
                _l("Write the name in Swedish too: the organisation uses Swedish.")
            )

    def validate_website_url(self, field: URLField) -> None:
        if field.data and not URL_PATTERN.match(field.data):
            raise ValidationError(
                _l(
                    "Write the full address, beginning with https://, for example https://www.keitele.fi."
                )
            )

    def language_list(self) -> list[str]:
        """The chosen languages, the primary one first."""
        chosen = [code for code in LANGUAGES if code in (self.languages.data or [])]
        primary = self.primary_language.data
        return [primary, *(c for c in chosen if c != primary)]

    def fill_languages(self, codes: list[str]) -> None:
        self.languages.data = list(codes)
        self.primary_language.data = codes[0] if codes else "fi"


RETENTION_MESSAGE = _l(
    "Enter a whole number of months from 1 to %(max)d.", max=MAX_RETENTION_MONTHS
)


MAX_EMBED_ORIGINS = 10


def site_origin(value: str) -> str | None:
    """``value`` as a site's origin (``https://www.iisalmi.fi``, a port allowed), or None
    when it is not one: https only, a host name, no path (a final "/" is dropped), no
    user, ``?query`` or ``#fragment``."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    if "?" in value or "#" in value or any(c.isspace() for c in value.strip()):
        return None
    host = parts.hostname.lower()
    if "*" in host or host.startswith(".") or host.endswith(".") or ".." in host:
        return None
    return f"https://{host}" + (f":{port}" if port else "")


class OriginsField(TextAreaField):
    """Sites, one a line, kept as a list of origins (stored as JSON by the service). What
    was typed is shown again with the error."""

    def process_data(self, value) -> None:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        self.data = [o for o in value if isinstance(o, str)] if isinstance(value, list) else []
        self.raw = None

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            self.raw = valuelist[0]
            self.data = [line.strip() for line in self.raw.splitlines() if line.strip()]

    def pre_validate(self, form) -> None:
        origins: list[str] = []
        for line in self.data or []:
            origin = site_origin(line)
            if origin is None:
                raise StopValidation(
                    _l(
                        "“%(value)s” is not a site address. Write each site on its own line "
                        "as https:// and its domain name only, for example "
                        "https://www.iisalmi.fi.",
                        value=line[:100],
                    )
                )
            if origin not in origins:
                origins.append(origin)
        if len(origins) > MAX_EMBED_ORIGINS:
            raise StopValidation(_l("Give at most %(max)d sites.", max=MAX_EMBED_ORIGINS))
        self.data = origins

    def _value(self) -> str:
        if self.raw is not None:
            return self.raw
        return "\n".join(self.data or [])


class SettingsForm(OrganisationDetailsForm):
    flag_threshold = WholeNumberField(
        _l("Reports before a comment is hidden"),
        validators=[
            InputRequired(message=_l("Enter a whole number from 1 to 50.")),
            NumberRange(min=1, max=50, message=_l("Enter a whole number from 1 to 50.")),
        ],
    )
    names_in_exports = BooleanField(
        _l("Show the names of writers who have agreed to it in data exports")
    )
    opinion_groups_public = BooleanField(_l("Show opinion groups with the published results"))
    municipality_results_public = BooleanField(
        _l("Show results by home municipality with the published results")
    )
    retention_months = WholeNumberField(
        _l("Months personal data is kept after the results are published"),
        validators=[
            InputRequired(message=RETENTION_MESSAGE),
            NumberRange(min=1, max=MAX_RETENTION_MONTHS, message=RETENTION_MESSAGE),
        ],
    )
    embed_origins = OriginsField(_l("Sites allowed to show the consultation card"))
    map_tile_url = StringField(
        _l("Address of the map tiles"),
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )
    map_attribution = StringField(
        _l("Attribution of the map tiles"),
        filters=[_strip],
        validators=[Length(max=300)],
    )

    def validate_map_tile_url(self, field) -> None:
        if field.data and tile_origin(field.data) is None:
            raise ValidationError(
                _l(
                    "Write the address of the map tiles as https:// and the server's name, "
                    "with {z}, {x} and {y} in the path, for example "
                    "https://tile.openstreetmap.org/{z}/{x}/{y}.png."
                )
            )

    def validate_map_attribution(self, field) -> None:
        if self.map_tile_url.data and not field.data:
            raise ValidationError(
                _l("Write the attribution the tile server asks for, for example © OpenStreetMap.")
            )


class MemberMunicipalitiesForm(FlaskForm):
    """A joint authority's member municipalities: checkboxes of the reference list."""

    municipalities = CheckboxesField(
        _l("Member municipalities"),
        choices=[],
        invalid_choice_message=_l("Choose municipalities from the list."),
        invalid_value_message=_l("Choose municipalities from the list."),
    )

    def fill_choices(self, locale: str) -> None:
        from eraati.organisations import municipalities

        self.municipalities.choices = [
            SelectChoice(m.code, m.name(locale)) for m in municipalities.sorted_by_name(locale)
        ]


class MunicipalityCodeForm(FlaskForm):
    """A municipality's own place in the reference list (its Statistics Finland code), or
    none. Residents whose home municipality it is belong to this organisation."""

    municipality_code = SelectField(
        _l("The municipality in the list of Finnish municipalities"),
        choices=[],
        invalid_choice_message=_l("Choose a municipality from the list."),
    )

    def fill_choices(self, locale: str) -> None:
        from eraati.organisations import municipalities

        self.municipality_code.choices = [
            SelectChoice("", _l("No municipality")),
            *(SelectChoice(m.code, m.name(locale)) for m in municipalities.sorted_by_name(locale)),
        ]


class PlatformOrganisationForm(OrganisationDetailsForm):
    kind = RadioField(
        _l("Kind of organisation"),
        choices=[
            SelectChoice(OrganisationKind.MUNICIPALITY.value, _l("Municipality")),
            SelectChoice(OrganisationKind.JOINT_AUTHORITY.value, _l("Joint authority")),
        ],
        invalid_choice_message=_l("Choose the kind of organisation."),
    )
    slug = StringField(
        _l("Address name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the address name.")),
            Length(
                min=2,
                max=64,
                message=_l("The address name must be %(min)d to %(max)d characters long."),
            ),
        ],
    )
    members = CheckboxesField(
        _l("Member municipalities"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("Choose municipalities from the list."),
        invalid_value_message=_l("Choose municipalities from the list."),
    )

    def validate_slug(self, field: StringField) -> None:
        value = field.data or ""
        if not SLUG_PATTERN.match(value):
            raise ValidationError(
                _l(
                    "Use only lower-case letters a–z, digits and hyphens, "
                    "for example ylä-savo is written yla-savo."
                )
            )
        if value in RESERVED_SLUGS:
            raise ValidationError(
                _l("This address name is used by eRaati itself. Choose another one.")
            )

    def validate_members(self, field: CheckboxesField) -> None:
        if field.data and self.kind.data != OrganisationKind.JOINT_AUTHORITY.value:
            raise ValidationError(
                _l("Only a joint authority has member municipalities. Clear the choices.")
            )


class AppointStaffForm(FlaskForm):
    """The platform admin's: anyone, with any role, in any organisation."""

    email = _email_field(_l("E-mail address"), required=True)
    role = RadioField(
        _l("Role"),
        choices=role_choices,
        default=Role.ADMIN.value,
        invalid_choice_message=_l("Choose a role."),
    )
    mail_locale = _mail_language_field()


class InviteForm(FlaskForm):
    email = _email_field(_l("E-mail address"), required=True)
    role = RadioField(
        _l("Role"),
        choices=role_choices,
        invalid_choice_message=_l("Choose a role."),
    )
    mail_locale = _mail_language_field()


class FindAccountForm(FlaskForm):
    """The platform admin looks an account up by its address: a POST form, so that the
    address never goes into a URL."""

    email = _email_field(_l("E-mail address of the account"), required=True)


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the suspension"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Write the reason for the suspension.")),
            Length(max=500, message=_l("Use at most %(max)d characters.")),
        ],
    )


class GrantRoleForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,18}$")])
    role = SelectField(
        _l("Role"),
        choices=role_choices,
        invalid_choice_message=_l("Choose a role."),
    )


class RevokeRoleForm(FlaskForm):
    membership_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,18}$")])


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class LogoForm(FlaskForm):
    logo = FileField(_l("Logo image"), render_kw={"accept": "image/png,image/jpeg"})


class ReauthForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    next = HiddenField()
