"""The audit log page of an organisation: read-only; no route edits or deletes a row."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale

from eraati.audit import queries
from eraati.audit.labels import ACTION_LABELS, export_facts
from eraati.consultations.hidden_reasons import HiddenReasons
from eraati.staff import staff_org

bp = Blueprint("audit", __name__)


@bp.get("/staff/<org_slug>/audit")
def log(org_slug: str):
    org = staff_org(org_slug, "view_audit")
    action = request.args.get("action") or None
    result = queries.page(org.id, action=action, after=request.args.get("after"))
    return render_template(
        "audit/log.html",
        org=org,
        result=result,
        action=action if action in result.actions else None,
        labels=ACTION_LABELS,
        export_facts=export_facts,
        reason_parts=HiddenReasons(org, str(get_locale() or "fi"), translate=False),
        note_lang=note_lang,
    )


def note_lang(event) -> str | None:
    """The language of the moderator's note in a hiding's (or restoring's) reason."""
    details = event.details or {}
    if event.action == "comment.restore":
        details = details.get("previous") or {}
        return details.get("hidden_note_lang")
    return details.get("note_lang")
