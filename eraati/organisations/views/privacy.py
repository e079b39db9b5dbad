"""The privacy notice (tietosuojaseloste, dataskyddsbeskrivning): what eRaati stores about
people, why, on what basis, for how long, and who answers for it. Each organisation is
the controller of its consultations, so the notice lists them from the database."""

from __future__ import annotations

from flask import render_template

from eraati.organisations import queries
from eraati.organisations.views import bp
from eraati.organisations.views.common import ui_locale


@bp.get("/tietosuoja")
def privacy():
    locale = ui_locale()
    return render_template(
        "organisations/privacy.html", organisations=queries.controllers(locale), locale=locale
    )
