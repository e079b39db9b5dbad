"""The preferences page (``/account/notifications``) and the unsubscribe link of every
message (``/account/unsubscribe/<token>``: a page with one button, and RFC 8058's one-click POST
that mail programs send without a form)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import _, get_locale
from flask_login import current_user, login_required

from eraati.accounts.models import User
from eraati.extensions import csrf, db
from eraati.notifications import queries, services, tokens
from eraati.notifications.forms import LABELS, preferences_form
from eraati.notifications.models import RULES, Kind, Mode
from eraati.permissions import moderates_anywhere

bp = Blueprint("notifications", __name__)


def _kinds(user: User) -> list[Kind]:
    # The one staff kind is the moderation queue's note: for those who work a queue.
    staff = moderates_anywhere(user)
    return [k for k, rule in RULES.items() if staff or not rule.staff]


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    user = current_user._get_current_object()
    kinds = _kinds(user)
    current = services.modes(user.id)
    form = preferences_form(
        kinds,
        data={
            **{f"kind_{k.value}": current[k].value for k in kinds},
            "organisations": sorted(services.subscriptions(user)),
        },
        formdata=request.form if request.method == "POST" else None,
    )
    form.organisations.choices = queries.organisation_choices(_lang())
    if request.method == "POST" and form.validate_on_submit():
        for kind in kinds:
            services.set_mode(user.id, kind, Mode(form[f"kind_{kind.value}"].data))
        services.set_subscriptions(user, set(form.organisations.data or ()))
        db.session.commit()
        flash(_("Your e-mail choices are saved."), "success")
        return redirect(url_for(".preferences"), code=303)
    status = 422 if request.method == "POST" else 200
    default = services.default_subscriptions(user.home_municipality_code)
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=kinds,
        user=user,
        default_orgs=[c.label for c in form.organisations.choices if c.value in default],
    ), status


def _lang() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _read(token: str) -> tuple[User, str]:
    try:
        user_id, what = tokens.read(token)
    except tokens.TokenError:
        abort(404)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user, what


@bp.get("/account/unsubscribe/<token>")
def unsubscribe(token: str):
    """The link in a message: says what it stops, and stops it only with the button (a
    link checker that opens every link must not unsubscribe anyone)."""
    _user, what = _read(token)
    return render_template(
        "notifications/unsubscribe.html", what=_label(what), token=token, done=False
    )


@bp.post("/account/unsubscribe/<token>")
@csrf.exempt  # the signed token is the proof; RFC 8058 mail programs send no form token
def unsubscribe_now(token: str):
    user, what = _read(token)
    if what == tokens.DIGEST:
        for kind, mode in services.modes(user.id).items():
            if mode == Mode.DIGEST:
                services.set_mode(user.id, kind, Mode.OFF)
    else:
        services.set_mode(user.id, Kind(what), Mode.OFF)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 204
    return render_template(
        "notifications/unsubscribe.html", what=_label(what), token=token, done=True
    )


def _label(what: str) -> str:
    return _("The weekly digest") if what == tokens.DIGEST else str(LABELS[Kind(what)])
