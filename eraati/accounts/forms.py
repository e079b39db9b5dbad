"""Account forms: field shapes and messages. Views fill in the municipality choices."""

from __future__ import annotations

import re
import uuid

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from eraati.accounts import passwords
from eraati.core.i18n import LANGUAGE_NAMES, LANGUAGES
from eraati.core.i18n import lazy_gettext as _l


def _normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str | None = None, *, check_format: bool = True) -> EmailField:
    validators = [DataRequired(message=_l("Enter your e-mail address."))]
    if check_format:
        validators += [
            Length(max=254, message=_l("The e-mail address is too long.")),
            Email(
                message=_l("Enter the e-mail address in the form name@example.fi."),
                check_deliverability=False,
            ),
        ]
    return EmailField(
        label or _l("E-mail address"), filters=[_normalise_email], validators=validators
    )


def _display_name_field() -> StringField:
    return StringField(
        _l("Name shown with your comments"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter a name.")),
            Length(max=80, message=_l("The name can be at most %(max)d characters long.")),
        ],
    )


def _new_password_field(label: str | None = None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(
                min=passwords.MIN_LENGTH,
                message=_l("The password must be at least %(min)d characters long."),
            ),
            Length(
                max=passwords.MAX_LENGTH,
                message=_l("The password can be at most %(max)d characters long."),
            ),
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Enter the password again.")),
            EqualTo("password", message=_l("The passwords are not the same. Type them again.")),
        ],
    )


def _current_password_field() -> PasswordField:
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )


class _OptionalSelectField(SelectField):
    """A select whose empty answer ("not told") may also be missing from the form, and is
    the chosen one when nothing is stored."""

    def process_data(self, value) -> None:
        super().process_data("" if value is None else value)

    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            self.data = None
            return
        super().pre_validate(form)


def home_municipality_field() -> SelectField:
    """The resident's home municipality from the reference list (a Statistics Finland code),
    "other" (elsewhere or outside Finland) or "" (not told). Views fill in the choices."""
    return _OptionalSelectField(
        _l("Home municipality (optional)"),
        choices=[],
        invalid_choice_message=_l("Choose a municipality from the list."),
    )


def set_home_municipality_choices(field: SelectField, locale: str, codes=None) -> None:
    """ "Not told", all municipalities or those of ``codes`` (a joint authority's members),
    then "other"."""
    from eraati.organisations import municipalities

    other = [SelectChoice(municipalities.OTHER, _l("Another municipality or outside Finland"))]
    empty = [SelectChoice("", _l("I prefer not to say"))]
    # One flat list in alphabetical order (typing the first letters finds a name).
    rows = municipalities.sorted_by_name(locale, codes)
    field.choices = [*empty, *(SelectChoice(m.code, m.name(locale)) for m in rows), *other]


def _language_field() -> SelectField:
    return SelectField(
        _l("Language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        invalid_choice_message=_l("Choose a language from the list."),
    )


_WORDS = re.compile(r"[\s@._+-]+")  # "Aino Asukas", "aino.asukas@kunta.fi" -> words


def check_strength(password: str | None, user_inputs: list[str]) -> None:
    """A clear message for guessable passwords (length is checked by the field)."""
    if not password or not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        return
    words = [w for text in user_inputs if text for w in (text, *_WORDS.split(text)) if w]
    if passwords.is_common(password, words):
        raise ValidationError(
            _l(
                "This password is too easy to guess. Use a longer one, for example "
                "three or four words that have nothing to do with each other or with you."
            )
        )


class RegisterForm(FlaskForm):
    email = _email_field()
    display_name = _display_name_field()
    password = _new_password_field()
    confirm = _confirm_field()
    home_municipality_code = home_municipality_field()
    locale = _language_field()
    accept_terms = BooleanField(
        _l("I accept the terms of use and that my data is stored as described on this page."),
        validators=[DataRequired(message=_l("You can register only if you accept the terms."))],
    )
    # Made when the form is shown: the same form sent twice makes one account, one e-mail.
    submission_token = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])
    # Where the visitor was (a topic's "Register" link): the confirmation link returns there.
    next = HiddenField()

    def new_token(self) -> None:
        if not self.submission_token.data:
            self.submission_token.data = uuid.uuid4().hex

    def validate_password(self, field: PasswordField) -> None:
        check_strength(field.data, [self.email.data or "", self.display_name.data or ""])


class LoginForm(FlaskForm):
    email = _email_field(check_format=False)
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class _NewPasswordForm(FlaskForm):
    """Set ``user_inputs`` (the user's e-mail, name) before validating."""

    user_inputs: tuple[str, ...] = ()

    def validate_password(self, field: PasswordField) -> None:
        check_strength(field.data, list(self.user_inputs))


class ResetPasswordForm(_NewPasswordForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(_NewPasswordForm):
    current_password = _current_password_field()
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    home_municipality_code = home_municipality_field()
    locale = _language_field()
    name_consent = BooleanField(_l("Organisations may show my name in their data exports"))


class HomeMunicipalityForm(FlaskForm):
    """The home municipality asked beside a joint authority's topic: its members, "other"
    or nothing (the resident may always skip it)."""

    home_municipality_code = home_municipality_field()
    next = HiddenField()


class DeleteAccountForm(FlaskForm):
    current_password = _current_password_field()
