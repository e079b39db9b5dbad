"""Accepting an invitation from its e-mailed link."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations import services
from eraati.organisations.forms import (
    ConfirmForm,
    role_label,
)
from eraati.organisations.models import Invitation
from eraati.organisations.views import bp
from eraati.organisations.views.common import (
    form_status,
    see_other,
    ui_locale,
)

# --- accepting an invitation ---------------------------------------------------------------


def _invitation_failed(reason: str, invitation: Invitation | None = None):
    status = 403 if reason == "wrong_user" else 400
    return render_template(
        "organisations/invitation_failed.html", reason=reason, invitation=invitation
    ), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    now = utcnow()
    try:
        invitation = services.invitation_for_token(token, now=now)
        services.check_invitation(invitation, None, now=now)
    except services.InvalidInvitation as exc:
        return _invitation_failed(exc.reason, exc.invitation)
    if not current_user.is_authenticated:
        org_name = invitation.organisation.name(ui_locale())
        flash(
            _(
                "You have been invited to the staff of %(org)s. Log in with the address "
                "%(email)s to accept the invitation. If you do not have an account yet, "
                "register first with that address and then open the link in the "
                "invitation again.",
                org=org_name,
                email=invitation.email,
            ),
            "info",
        )
        return redirect(url_for("accounts.login", next=request.path), code=303)
    user = current_user._get_current_object()
    try:
        services.check_invitation(invitation, user, now=now)
    except services.InvalidInvitation as exc:
        return _invitation_failed(exc.reason, invitation)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template(
            "organisations/invitation.html", invitation=invitation, form=form
        ), form_status()
    org = invitation.organisation
    role = invitation.role
    slug = org.slug
    try:
        services.accept_invitation(invitation, user, now=now)
    except services.InvalidInvitation as exc:
        db.session.rollback()
        return _invitation_failed(exc.reason, invitation)
    org_name = org.name(ui_locale())
    db.session.commit()
    flash(
        _(
            "Welcome to the staff of %(org)s. Your role: %(role)s.",
            org=org_name,
            role=role_label(role),
        ),
        "success",
    )
    return see_other(".dashboard", org_slug=slug)
