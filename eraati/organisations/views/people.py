"""Staff and roles: the staff table, roles given and removed, invitations sent and
revoked. Role changes need a recently typed password (``/staff/reauth``)."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import LANGUAGES
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations import queries, services
from eraati.organisations.forms import (
    ConfirmForm,
    GrantRoleForm,
    InviteForm,
    RevokeRoleForm,
    role_label,
)
from eraati.organisations.models import Organisation, Role
from eraati.organisations.views import bp
from eraati.organisations.views.common import (
    ask_password,
    keep_typed,
    mail_locale_default,
    reauth_fresh,
    see_other,
    send_invitation,
    typed,
)
from eraati.permissions import can
from eraati.staff import staff_org

# --- staff and roles -----------------------------------------------------------------------


def _invite_form(org: Organisation, *, prefill: bool = True) -> InviteForm:
    form = InviteForm(formdata=None)
    form.mail_locale.data = mail_locale_default(org)
    if prefill:  # refilled after the password question
        args = typed(f"invite:{org.id}")
        form.email.data = args.get("email", "")[:254] or None
        if args.get("role") in {r.value for r in Role}:
            form.role.data = args["role"]
        if args.get("mail_locale") in LANGUAGES:
            form.mail_locale.data = args["mail_locale"]
    return form


def _people_page(
    org: Organisation,
    *,
    invite_form: InviteForm | None = None,
    status: int = 200,
    action_error: dict | None = None,
):
    now = utcnow()
    return render_template(
        "organisations/people.html",
        org=org,
        rows=queries.staff_of(org),
        invitations=queries.pending_invitations(org, now),
        invite_form=invite_form or _invite_form(org),
        confirm_form=ConfirmForm(),
        fresh=reauth_fresh(now),
        action_error=action_error,
    ), status


def _to_people(org: Organisation, anchor: str | None = None) -> Response:
    if anchor:
        focus_after_redirect(anchor)
    else:
        focus_after_redirect("messages")
    return redirect(url_for(".people", org_slug=org.slug, _anchor=anchor), code=303)


@bp.route("/staff/<org_slug>/people")
def people(org_slug: str):
    org = staff_org(org_slug, "manage_staff")
    return _people_page(org)


@bp.post("/staff/<org_slug>/people/invite")
def invite(org_slug: str):
    org = staff_org(org_slug, "manage_staff")
    if not reauth_fresh():  # the typed values come back in the form after the password
        typed_values = {k: request.form.get(k, "") for k in ("email", "role", "mail_locale")}
        keep_typed(f"invite:{org.id}", typed_values)
        return ask_password(url_for(".people", org_slug=org.slug))
    form = InviteForm()
    if not form.validate_on_submit():
        return _people_page(org, invite_form=form, status=422)
    try:
        invitation = services.invite(
            org, form.email.data, Role(form.role.data), inviter=current_user._get_current_object()
        )
    except services.RoleAlreadyHeld:
        db.session.rollback()
        form.email.errors.append(_("This person already has that role here."))
        return _people_page(org, invite_form=form, status=422)
    except services.AlreadyInvited:
        db.session.rollback()
        form.email.errors.append(
            _(
                "An invitation to this address for this role is still waiting. "
                "Revoke it below if you want to send a new one."
            )
        )
        return _people_page(org, invite_form=form, status=422)
    email, locale = invitation.email, form.mail_locale.data
    db.session.commit()
    send_invitation(invitation, locale)
    flash(_("The invitation was sent to %(email)s.", email=email), "success")
    return _to_people(org, "invitations")


def _role_error(org: Organisation, user_id: int, message: str):
    return _people_page(org, status=409, action_error={"user_id": user_id, "message": message})


@bp.post("/staff/<org_slug>/people/grant")
def grant(org_slug: str):
    org = staff_org(org_slug, "manage_staff")
    if not reauth_fresh():
        return ask_password(url_for(".people", org_slug=org.slug))
    form = GrantRoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a role from the list."), "error")
        return _to_people(org)
    user = queries.staff_member_in(org, int(form.user_id.data))
    if user is None:
        abort(404)
    role = Role(form.role.data)
    try:
        services.grant_role(org, user, role)
    except services.RoleAlreadyHeld:
        db.session.rollback()
        return _role_error(org, user.id, _("This person already has that role here."))
    name = user.display_name
    db.session.commit()
    flash(
        _("%(name)s now has the role %(role)s.", name=name, role=role_label(role)),
        "success",
    )
    return _to_people(org, f"staff-{user.id}")


@bp.post("/staff/<org_slug>/people/revoke")
def revoke(org_slug: str):
    org = staff_org(org_slug, "manage_staff")
    if not reauth_fresh():
        return ask_password(url_for(".people", org_slug=org.slug))
    form = RevokeRoleForm()
    if not form.validate_on_submit():
        abort(400)
    membership = queries.membership_in(org, int(form.membership_id.data))
    if membership is None:
        abort(404)
    user_id, name, role = membership.user_id, membership.user.display_name, membership.role
    try:
        services.revoke_role(org, membership)
    except services.LastAdmin:
        db.session.rollback()
        return _role_error(
            org,
            user_id,
            _(
                "%(name)s is the only admin of this organisation. Give the admin role to "
                "someone else first: an organisation must always have an admin.",
                name=name,
            ),
        )
    db.session.commit()
    flash(
        _("%(name)s no longer has the role %(role)s.", name=name, role=role_label(role)), "success"
    )
    if not can(current_user, "manage_staff", org):  # the admin removed their own admin role
        if can(current_user, "staff", org):
            return see_other(".dashboard", org_slug=org.slug)
        return see_other(".staff_home")
    return _to_people(org, f"staff-{user_id}")


@bp.post("/staff/<org_slug>/invitations/<int:invitation_id>/revoke")
def revoke_invitation(org_slug: str, invitation_id: int):
    org = staff_org(org_slug, "manage_staff")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invitation = queries.invitation_in(org, invitation_id)
    if invitation is None:
        abort(404)
    email = invitation.email
    try:
        services.revoke_invitation(org, invitation)
    except services.InvitationClosed:
        db.session.rollback()
        flash(_("This invitation was already accepted or revoked."), "info")
        return _to_people(org, "invitations")
    db.session.commit()
    flash(_("The invitation to %(email)s was revoked.", email=email), "success")
    return _to_people(org, "invitations")
