"""The staff home, an organisation's overview and the password asked again."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eraati.accounts import passwords
from eraati.accounts.queries import sort_key
from eraati.core.security import safe_next
from eraati.core.time import utcnow
from eraati.extensions import limiter
from eraati.moderation.queries import Tab, tab_counts
from eraati.organisations import queries
from eraati.organisations.forms import ReauthForm
from eraati.organisations.models import Organisation, Role
from eraati.organisations.views import bp
from eraati.organisations.views.common import (
    REAUTH_KEY,
    form_status,
    invalid,
    ui_locale,
    user_key,
)
from eraati.permissions import can
from eraati.staff import staff_org

# --- staff home and dashboard --------------------------------------------------------------


@bp.route("/staff/")
@login_required
def staff_home():
    user = current_user._get_current_object()
    if not user.memberships and not can(user, "platform_admin"):
        abort(403)
    locale = ui_locale()
    by_org: dict[int, tuple[Organisation, list[Role]]] = {}
    for m in user.memberships:
        by_org.setdefault(m.organisation_id, (m.organisation, []))[1].append(m.role)
    entries = sorted(
        ((org, queries.role_sorted(roles)) for org, roles in by_org.values()),
        key=lambda pair: sort_key(pair[0].name(locale)),
    )
    return render_template("organisations/staff_home.html", entries=entries)


@bp.route("/staff/<org_slug>/")
def dashboard(org_slug: str):
    org = staff_org(org_slug, "staff")
    figures = queries.dashboard_figures(org, utcnow())
    # The moderation queue's counts, by the queue's own query: one definition of
    # "waiting" and "reported" (reports no moderator has looked at yet, also on a
    # comment the reports have put on hold).
    counts = tab_counts(org)
    return render_template(
        "organisations/dashboard.html",
        org=org,
        figures=figures,
        pending=counts[Tab.PENDING],
        reported=counts[Tab.FLAGGED],
    )


# --- re-authentication ---------------------------------------------------------------------


@bp.route("/staff/reauth", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    key_func=user_key,
    deduct_when=invalid,
)
def reauth():
    form = ReauthForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), url_for(".staff_home"))
    if not form.validate_on_submit():
        return render_template("organisations/reauth.html", form=form), form_status()
    if not passwords.check_password(current_user.password_hash, form.password.data):
        form.password.errors.append(_("The password is not right."))
        return render_template("organisations/reauth.html", form=form), 422
    session[REAUTH_KEY] = int(utcnow().timestamp())
    flash(_("Thank you. You can now change staff roles for the next ten minutes."), "success")
    return redirect(safe_next(form.next.data, url_for(".staff_home")), code=303)
