"""The organisation's reason templates for hiding comments: list, add, edit, (de)activate."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation import queries, services
from eraati.moderation.forms import LANGUAGE_LABELS, ReasonForm
from eraati.moderation.models import ModerationReason
from eraati.moderation.views import bp, form_status
from eraati.organisations.models import Organisation
from eraati.staff import staff_org

REASONS_URL = "/staff/<org_slug>/moderation/reasons"


def _reason_or_404(org: Organisation, reason_id: int) -> ModerationReason:
    reason = queries.org_reason(org, reason_id)
    if reason is None:
        abort(404)
    return reason


def _to_list(org: Organisation):
    return redirect(url_for(".reasons", org_slug=org.slug), code=303)


@bp.route(REASONS_URL, methods=["GET", "POST"])
def reasons(org_slug: str):
    org = staff_org(org_slug, "moderate")
    form = ReasonForm(required=org.primary_language)
    if form.validate_on_submit():
        services.add_reason(org, form.texts(), current_user, now=utcnow())
        db.session.commit()
        flash(_("The reason was added."), "success")
        return _to_list(org)
    return render_template(
        "moderation/reasons.html",
        org=org,
        reasons=queries.reasons(org),
        form=form,
        language_labels=LANGUAGE_LABELS,
    ), form_status()


@bp.post(f"{REASONS_URL}/defaults")
def add_default_reasons(org_slug: str):
    org = staff_org(org_slug, "moderate")
    if queries.reasons(org):
        flash(_("The organisation already has reasons."), "info")
        return _to_list(org)
    services.add_default_reasons(org, current_user, now=utcnow())
    db.session.commit()
    flash(_("The standard reasons were added. You can edit them."), "success")
    return _to_list(org)


@bp.route(f"{REASONS_URL}/<int:reason_id>/edit", methods=["GET", "POST"])
def edit_reason(org_slug: str, reason_id: int):
    org = staff_org(org_slug, "moderate")
    reason = _reason_or_404(org, reason_id)
    form = ReasonForm(required=org.primary_language)
    if request.method == "GET":
        form.set_texts(reason.texts)
    if form.validate_on_submit():
        services.edit_reason(reason, form.texts(), current_user, now=utcnow())
        db.session.commit()
        flash(_("The reason was saved."), "success")
        return _to_list(org)
    return render_template(
        "moderation/reason_edit.html", org=org, reason=reason, form=form
    ), form_status()


@bp.post(f"{REASONS_URL}/<int:reason_id>/active")
def set_reason_active(org_slug: str, reason_id: int):
    org = staff_org(org_slug, "moderate")
    reason = _reason_or_404(org, reason_id)
    wanted = request.form.get("active")
    if wanted not in ("1", "0"):
        abort(400)
    active = wanted == "1"
    if reason.active != active:
        services.set_reason_active(reason, active, current_user, now=utcnow())
        db.session.commit()
    if active:
        flash(_("The reason is in use again."), "success")
    else:
        flash(_("The reason is no longer offered. Comments hidden with it keep it."), "success")
    return _to_list(org)
