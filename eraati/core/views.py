"""Site-wide routes: language choice and a health check for the operator."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from eraati.core import errors
from eraati.core.i18n import LANGUAGES
from eraati.core.security import safe_next
from eraati.extensions import csrf, db

bp = Blueprint("core", __name__)

# When the accessibility statement was last reviewed (update it with the statement).
ACCESSIBILITY_REVIEWED = date(2026, 11, 25)


@bp.post("/language")
def set_language():
    """Remember the reader's language (and save it to their profile when signed in)."""
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.locale != lang:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), "/"), code=303)


@bp.get("/saavutettavuus")
def accessibility():
    """The accessibility statement (saavutettavuusseloste) the law requires."""
    return render_template("core/accessibility.html", reviewed=ACCESSIBILITY_REVIEWED)


@bp.get("/kayttoehdot")
def terms():
    """The terms of use and the discussion rules that registering accepts and moderators
    apply (the comment form, the report page and the footer link here)."""
    return render_template("core/terms.html")


@bp.get("/healthz")
@csrf.exempt
def health():
    """JSON in every state, for load balancers and monitoring (errors.py answers the other
    failures of this address in JSON too)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as exc:
        # One line, no traceback: a monitor asks every few seconds while it is away.
        current_app.logger.warning("database unavailable: %s", errors.first_line(exc))
        response = errors.health_answer(503)
        response.headers["Retry-After"] = str(errors.RETRY_AFTER_SECONDS)
        return response
    return errors.health_answer(200)
