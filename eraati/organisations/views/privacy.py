"""The privacy notice (tietosuojaseloste, dataskyddsbeskrivning): what eRaati stores about
people, why, on what basis, for how long, and who answers for it. Each organisation is
the controller of its consultations, so the notice lists them from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from eraati.accounts import throttle
from eraati.organisations import queries
from eraati.organisations.views import bp
from eraati.organisations.views.common import ui_locale


@bp.get("/tietosuoja")
def privacy():
    locale = ui_locale()
    return render_template(
        "organisations/privacy.html",
        organisations=queries.controllers(locale),
        locale=locale,
        cookies=cookies(),
    )


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def _seconds(value: timedelta | int) -> int:
    return int(value.total_seconds() if isinstance(value, timedelta) else value)


def _days(seconds: int) -> str:
    days = seconds // 86400
    return ngettext("%(num)d day", "%(num)d days", days)


def cookies() -> list[Cookie]:
    """Every cookie the service sets, by the names and lifetimes it really uses: Flask's
    session, Flask-Login's "remember me" and the log-in's device cookie
    (``accounts.throttle``). The language chosen lives in the session, and so does the code
    that counts a browser's anonymous comments (``consultations.views.limits``)."""
    config = current_app.config
    hours = _seconds(config["PERMANENT_SESSION_LIFETIME"]) // 3600
    return [
        Cookie(
            config["SESSION_COOKIE_NAME"],
            _(
                "Keeps you logged in while you use the service, remembers the language you "
                "chose, counts the comments sent from this browser without an account (to "
                "limit repeated sending), and protects the forms against requests made by "
                "other sites."
            ),
            ngettext(
                "Until you close the browser, and at most %(num)d hour after it was last renewed.",
                "Until you close the browser, and at most %(num)d hours after it was last renewed.",
                hours,
            ),
        ),
        Cookie(
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
            _(
                'Keeps you logged in on this device when you choose "Keep me logged in on this '
                'device". Logging out removes it.'
            ),
            _days(_seconds(config["REMEMBER_COOKIE_DURATION"])),
        ),
        Cookie(
            throttle.DEVICE_COOKIE,
            _(
                "Remembers that this browser has logged in to your account, so that wrong "
                "passwords typed elsewhere cannot lock you out here. It holds a scrambled code, "
                "not your e-mail address, and is sent to the account pages only."
            ),
            _days(throttle.DEVICE_COOKIE_MAX_AGE),
        ),
    ]
