"""Moderators' pages under ``/staff/<org_slug>/``: the queue and one comment's review,
reason templates and blocks; and the public moderation figures of a topic.

Every staff route loads the organisation with ``staff_org(org_slug, "moderate")`` and each
object within it, so an id of another organisation's comment is a 404.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import get_locale

bp = Blueprint("moderation", __name__)


@bp.context_processor
def _language_names() -> dict:
    from eraati.moderation.forms import LANGUAGE_NAMES

    return {"language_name": lambda code: str(LANGUAGE_NAMES.get(code, code))}


def locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def form_status() -> int:
    """200 for a first view of a form, 422 for a submitted form with errors."""
    return 422 if request.method == "POST" else 200


from eraati.moderation.views import answers, blocks, figures, queue, reasons  # noqa: E402, F401
