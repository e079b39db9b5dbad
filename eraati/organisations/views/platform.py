"""The platform admin's pages: organisations created and edited, staff appointed,
accounts suspended and let back in."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from eraati.accounts import services as account_services
from eraati.accounts.models import User
from eraati.audit import queries as audit_queries
from eraati.audit.labels import ACTION_LABELS
from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import LANGUAGES
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations import queries, services
from eraati.organisations.forms import (
    AppointStaffForm,
    ConfirmForm,
    FindAccountForm,
    PlatformOrganisationForm,
    SuspendForm,
    role_label,
)
from eraati.organisations.models import Invitation, Organisation, OrganisationKind, Role
from eraati.organisations.views import bp
from eraati.organisations.views.common import (
    ask_password,
    form_details,
    form_status,
    keep_typed,
    reauth_fresh,
    see_other,
    send_invitation,
    typed,
    ui_locale,
)
from eraati.permissions import require

PLATFORM_PER_PAGE = 50

# --- platform admin ------------------------------------------------------------------------


def _require_platform_admin() -> None:
    require(current_user, "platform_admin")


def _platform_form(form: PlatformOrganisationForm, org: Organisation | None) -> None:
    form.members.choices = queries.municipality_choices(
        ui_locale(), exclude_id=org.id if org else None
    )


@bp.get("/platform/organisations")
def platform_organisations():
    _require_platform_admin()
    page = request.args.get("page", 1, type=int) or 1
    rows, total = queries.platform_list(max(page, 1), PLATFORM_PER_PAGE)
    pages = max(1, -(-total // PLATFORM_PER_PAGE))
    return render_template(
        "organisations/platform_list.html", rows=rows, page=page, pages=pages, total=total
    )


@bp.route("/platform/organisations/new", methods=["GET", "POST"])
def platform_new():
    _require_platform_admin()
    form = PlatformOrganisationForm()
    _platform_form(form, None)
    if request.method == "GET":
        form.fill_languages(["fi"])
        form.kind.data = OrganisationKind.MUNICIPALITY.value
    if not form.validate_on_submit():
        return render_template(
            "organisations/platform_form.html", form=form, org=None
        ), form_status()
    try:
        org = services.create_organisation(
            kind=OrganisationKind(form.kind.data),
            slug=form.slug.data,
            name_fi=form.name_fi.data,
            name_sv=form.name_sv.data,
            name_en=form.name_en.data,
            languages=form.language_list(),
            contact_email=form.contact_email.data,
            contact_phone=form.contact_phone.data,
            website_url=form.website_url.data,
            member_ids=form.members.data or [],
        )
    except services.SlugTaken:
        db.session.rollback()
        form.slug.errors.append(_("Another organisation already has this address name."))
        return render_template("organisations/platform_form.html", form=form, org=None), 422
    org_id, name = org.id, org.name(ui_locale())
    db.session.commit()
    flash(_("%(name)s was created. Now appoint its first admin.", name=name), "success")
    focus_after_redirect("appoint")
    return see_other(".platform_edit", org_id=org_id, _anchor="appoint")


def _platform_edit_page(
    org: Organisation,
    *,
    form: PlatformOrganisationForm | None = None,
    appoint_form: AppointStaffForm | None = None,
    status: int = 200,
    stale: bool = False,
):
    if form is None:
        form = PlatformOrganisationForm(formdata=None, obj=org)
        form.kind.data = str(org.kind)
        form.fill_languages(org.language_list)
        form.members.data = [m.id for m in org.members]
        form.stamp.data = services.fingerprint(org, services.PLATFORM_FIELDS, members=True)
        _platform_form(form, org)
    if appoint_form is None:
        appoint_form = AppointStaffForm(formdata=None)
        args = typed(f"appoint:{org.id}")  # refilled after the password question
        appoint_form.email.data = args.get("email", "")[:254] or None
        asked = args.get("role")
        appoint_form.role.data = asked if asked in set(Role) else Role.ADMIN.value
        asked = args.get("mail_locale")
        appoint_form.mail_locale.data = asked if asked in LANGUAGES else org.primary_language
    staff = queries.staff_of(org)
    held = {m.role for row in staff for m in row.memberships}
    return render_template(
        "organisations/platform_form.html",
        form=form,
        org=org,
        appoint_form=appoint_form,
        staff=staff,
        has_admin=Role.ADMIN in held,
        moderated=bool(held & {Role.ADMIN, Role.MODERATOR}),
        invitations=queries.pending_invitations(org, utcnow()),
        fresh=reauth_fresh(),
        stale=stale,
    ), status


@bp.route("/platform/organisations/<int:org_id>/edit", methods=["GET", "POST"])
def platform_edit(org_id: int):
    _require_platform_admin()
    org = queries.organisation_or_404(org_id)
    if request.method == "GET":
        return _platform_edit_page(org)
    form = PlatformOrganisationForm()
    _platform_form(form, org)
    if not form.validate_on_submit():
        return _platform_edit_page(org, form=form, status=422)
    current = services.fingerprint(org, services.PLATFORM_FIELDS, members=True)
    if form.stamp.data != current:
        form.stamp.data = current
        return _platform_edit_page(org, form=form, status=409, stale=True)
    changes = form_details(form, services.PLATFORM_FIELDS)
    try:
        changed = services.update_organisation(org, changes, member_ids=form.members.data or [])
    except services.SlugTaken:
        db.session.rollback()
        org = queries.organisation_or_404(org_id)
        form.slug.errors.append(_("Another organisation already has this address name."))
        return _platform_edit_page(org, form=form, status=422)
    db.session.commit()
    flash(_("The changes are saved.") if changed else _("Nothing was changed."), "success")
    focus_after_redirect("messages")
    return see_other(".platform_edit", org_id=org_id)


@bp.post("/platform/organisations/<int:org_id>/admins")
def platform_appoint(org_id: int):
    """Any role in any organisation: its first admin, or the moderator it lacks."""
    _require_platform_admin()
    org = queries.organisation_or_404(org_id)
    if not reauth_fresh():  # the typed values come back in the form after the password
        keep_typed(
            f"appoint:{org.id}",
            {k: request.form.get(k, "") for k in ("email", "role", "mail_locale")},
        )
        return ask_password(url_for(".platform_edit", org_id=org.id) + "#appoint")
    form = AppointStaffForm()
    if not form.validate_on_submit():
        return _platform_edit_page(org, appoint_form=form, status=422)
    role = Role(form.role.data)
    try:
        result = services.appoint_staff(
            org, form.email.data, role, inviter=current_user._get_current_object()
        )
    except services.RoleAlreadyHeld:
        db.session.rollback()
        form.email.errors.append(_("This person already has that role here."))
        return _platform_edit_page(org, appoint_form=form, status=422)
    except services.AlreadyInvited:
        db.session.rollback()
        form.email.errors.append(_("An invitation to this address is still waiting for an answer."))
        return _platform_edit_page(org, appoint_form=form, status=422)
    email, locale = form.email.data, form.mail_locale.data
    db.session.commit()
    if isinstance(result, Invitation):
        send_invitation(result, locale)
        flash(
            _(
                "%(email)s has no confirmed account yet: an invitation was sent.",
                email=email,
            ),
            "success",
        )
    else:
        flash(
            _("%(name)s now has the role %(role)s.", name=email, role=role_label(role)), "success"
        )
    focus_after_redirect("staff")
    return see_other(".platform_edit", org_id=org_id, _anchor="staff")


# --- accounts: suspension ------------------------------------------------------------------
# An account is found by its address through a POST form and then shown at its own
# address, /platform/accounts/<id>: no e-mail address ever goes into a URL (they end up
# in access logs, proxies and the browser's history).


def _accounts_page(
    *,
    find_form: FindAccountForm | None = None,
    account: User | None = None,
    suspend_form: SuspendForm | None = None,
    searched: bool = False,
    status: int = 200,
):
    if find_form is None:
        find_form = FindAccountForm(formdata=None)
    suspension = None
    if account is not None and account.is_suspended:
        suspension = audit_queries.last_suspension(account.id)
    return render_template(
        "organisations/platform_accounts.html",
        find_form=find_form,
        searched=searched,
        account=account,
        suspension=suspension,
        suspend_form=suspend_form or SuspendForm(formdata=None),
        suspended=queries.suspended_accounts(),
    ), (422 if find_form.errors else status)


@bp.route("/platform/accounts", methods=["GET", "POST"])
def platform_accounts():
    """The search (POST: the address typed) and the list of suspended accounts."""
    _require_platform_admin()
    if request.method == "GET":
        return _accounts_page()
    form = FindAccountForm()
    if not form.validate_on_submit():
        return _accounts_page(find_form=form)
    account = queries.account_by_email(form.email.data)
    if account is None:  # the page again, the address kept in the field
        return _accounts_page(find_form=form, searched=True)
    return see_other(".platform_account", user_id=account.id)


def _account_or_404(user_id: int) -> User:
    account = queries.account_or_none(user_id)
    if account is None:
        abort(404)
    return account


@bp.get("/platform/accounts/<int:user_id>")
def platform_account(user_id: int):
    _require_platform_admin()
    return _accounts_page(account=_account_or_404(user_id))


@bp.post("/platform/accounts/<int:user_id>/suspend")
def platform_suspend(user_id: int):
    _require_platform_admin()
    account = _account_or_404(user_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _accounts_page(account=account, suspend_form=form, status=422)
    try:
        account_services.suspend_user(account, form.reason.data, current_user)
    except account_services.CannotSuspendSelf:
        db.session.rollback()
        form.reason.errors.append(_("You cannot suspend your own account."))
        return _accounts_page(account=account, suspend_form=form, status=422)
    except account_services.SuspensionUnchanged:
        db.session.rollback()
        flash(_("The account was already suspended."), "info")
        return see_other(".platform_account", user_id=user_id)
    email = account.email
    db.session.commit()
    flash(
        _(
            "The account %(email)s is suspended. It was logged out everywhere and its staff "
            "roles have no effect while the suspension lasts.",
            email=email,
        ),
        "success",
    )
    focus_after_redirect("messages")
    return see_other(".platform_account", user_id=user_id)


@bp.post("/platform/accounts/<int:user_id>/unsuspend")
def platform_unsuspend(user_id: int):
    _require_platform_admin()
    account = _account_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        account_services.lift_suspension(account, current_user)
    except account_services.SuspensionUnchanged:
        db.session.rollback()
        flash(_("The account was not suspended."), "info")
        return see_other(".platform_account", user_id=user_id)
    email = account.email
    db.session.commit()
    flash(
        _("The suspension of %(email)s is lifted. The person can log in again.", email=email),
        "success",
    )
    focus_after_redirect("messages")
    return see_other(".platform_account", user_id=user_id)


# --- the platform's audit log --------------------------------------------------------------


@bp.get("/platform/audit")
def platform_audit():
    """The platform's own acts, newest first, 50 a page (keyset: ``?after=``)."""
    _require_platform_admin()
    result = audit_queries.platform_page(after=request.args.get("after"))
    return render_template("organisations/platform_audit.html", result=result, labels=ACTION_LABELS)
