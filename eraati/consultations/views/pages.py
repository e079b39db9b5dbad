"""Front page and topic page."""

from __future__ import annotations

from flask import render_template

from eraati.consultations.views import bp


@bp.get("/")
def index():
    return render_template("consultations/index.html")
