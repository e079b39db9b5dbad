"""Account pages: register, verify, log in and out, passwords, profile, own data."""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import _, force_locale, get_locale, refresh
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from eraati import personal_data
from eraati.accounts import (
    auth,  # noqa: F401 - registers the user loader
    mails,
    passwords,
    services,
    throttle,
)
from eraati.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    HomeMunicipalityForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    set_home_municipality_choices,
)
from eraati.accounts.models import User
from eraati.core import ratelimits
from eraati.core.security import safe_next
from eraati.core.time import local, utcnow
from eraati.extensions import db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.context_processor
def _password_rules() -> dict:
    return {"min_length": passwords.MIN_LENGTH}


# --- helpers -------------------------------------------------------------------------


def _locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _status() -> int:
    """200 for a first view of a form, 422 for a submitted form with errors."""
    return 422 if request.method == "POST" else 200


def _invalid(response) -> bool:
    return response.status_code == 422


def _config_limit(name: str):
    return lambda: current_app.config[name]


def _user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _renew_session() -> None:
    """A fresh session (against fixation) that keeps only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    # Flask-WTF caches this request's CSRF token; the next page must get a new one.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def _start_session(user: User, *, remember: bool = False) -> None:
    """After the right password (log-in, a new or changed password): the browser is now
    a known device of the account (``throttle``)."""
    _renew_session()
    login_user(user, remember=remember)
    throttle.trust_this_device(user.email)
    # The password was just typed: staff role changes need no second prompt for a while
    # (eraati/organisations/views/common.py, REAUTH_KEY).
    session["reauth_at"] = int(utcnow().timestamp())


def _speak_as_signed_in() -> None:
    """Signed in, the pages speak the account's language (the profile's, which its e-mails
    are written in) unless the visit chose one (the switcher, a ``?lang=`` link, kept by
    ``_renew_session``): this request's messages (the welcome) too, not the language the
    log-in form was shown in."""
    refresh()


def _end_session() -> None:
    _renew_session()
    logout_user()  # after clearing: it marks the remember cookie for deletion


def _redirect(endpoint: str, **values) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


# --- log in and out ------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Wrong passwords are limited per known device, or per account and address
    (``throttle``); the right one from a client that must wait is not even checked. The
    right password of a suspended account is told so, with whom to contact; a wrong one
    gets the same message as any other."""
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")), code=303)
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), _status()
    attempt = throttle.attempt(form.email.data)
    wait = throttle.refused(attempt)
    if wait:
        return _login_refused(form, wait)
    try:
        user = services.authenticate(form.email.data, form.password.data)
    except services.AccountSuspended:
        # Not a log-in: it counts like a failure, so trying again and again still waits.
        db.session.rollback()
        throttle.failed(attempt)
        return render_template("accounts/login.html", form=form, suspended=True), 403
    if user is None:
        db.session.rollback()
        throttle.failed(attempt)
        form.form_errors.append(_("Incorrect e-mail address or password."))
        return render_template("accounts/login.html", form=form), 422
    db.session.commit()
    _start_session(user, remember=bool(form.remember.data))
    _speak_as_signed_in()
    flash(_("Welcome, %(name)s! You are now logged in.", name=user.display_name), "success")
    return redirect(safe_next(form.next.data), code=303)


def _login_refused(form: LoginForm, wait: int):
    message = _(
        "There have been too many failed attempts to log in. You can try again %(wait)s. "
        "If you have forgotten your password, you can set a new one with the link below.",
        wait=ratelimits.wait_phrase(wait),
    )
    page = render_template("accounts/login.html", form=form, wait_message=message)
    return page, 429, {"Retry-After": str(wait)}


@bp.post("/logout")
def logout():
    """Ends every session of the user: copied session or remember cookies stop working."""
    if current_user.is_authenticated:
        services.end_all_sessions(current_user._get_current_object())
        db.session.commit()
    _end_session()
    flash(_("You have logged out."), "success")
    return _redirect("consultations.index")


# --- registration and e-mail verification ----------------------------------------------


# The browser that registered an address keeps a mark of it (the same for a new and a
# taken address): its confirmation link, followed in that browser, signs the person in.
REGISTERED_KEY = "registered"
# Where that sign-in goes: the page the visitor registered from (``next``, a local path).
REGISTERED_NEXT_KEY = "registered_next"


def _registration_mark(email: str) -> str:
    """A keyed digest of the address: the session (readable by its holder) shows nothing."""
    key = current_app.config["SECRET_KEY"].encode()
    message = b"registered:" + email.strip().lower().encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


# Registrations per client address (``core.ratelimits``, like the log-in and writing
# limits): a refusal is the form again, with what was typed and the wait.
REGISTER_LIMIT = "REGISTER_RATE_LIMIT"


@bp.route("/register", methods=["GET", "POST"])
def register():
    """The answer is the same for a new address and a taken one, in the page, the cookies
    and the session: nobody is signed in until the link in the e-mail is followed, and the
    owner of a taken address is told by e-mail instead of the visitor."""
    if current_user.is_authenticated:
        return _redirect(".profile")
    form = RegisterForm()
    set_home_municipality_choices(form.home_municipality_code, _locale())
    if request.method == "GET":
        form.locale.data = _locale()
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        form.new_token()
        return render_template("accounts/register.html", form=form), _status()
    # Counted once the form is valid, before the address is looked at: a refusal says
    # nothing about it.
    if wait := ratelimits.hit(REGISTER_LIMIT, f"address:{request.remote_addr or 'unknown'}"):
        return _registration_refused(form, wait)
    registration = services.register_user(
        form.email.data,
        form.display_name.data,
        form.password.data,
        locale=form.locale.data,  # the language of the e-mail, too
        home_municipality_code=form.home_municipality_code.data or None,
        token=form.submission_token.data or None,
    )
    db.session.commit()
    mails.after_registration(registration)
    _renew_session()
    session[REGISTERED_KEY] = _registration_mark(form.email.data)
    if next_path := safe_next(form.next.data, ""):  # as the log-in checks it: a local path
        session[REGISTERED_NEXT_KEY] = next_path
    return render_template("accounts/register_done.html")


def _registration_refused(form: RegisterForm, wait: int):
    """The form again, with what was typed (never the password) and when to try again."""
    message = _(
        "Many accounts have been registered from this internet connection in a short time. "
        "You can register %(wait)s. What you typed is kept below, but type your password "
        "again.",
        wait=ratelimits.wait_phrase(wait),
    )
    page = render_template("accounts/register.html", form=form, wait_message=message)
    return page, 429, {"Retry-After": str(wait)}


@bp.get("/verify/<token>")
def verify_email(token: str):
    try:
        user, confirmed_now = services.verify_email(token)
    except services.InvalidLink:
        db.session.rollback()
        return render_template("accounts/verify_failed.html"), 400
    db.session.commit()
    if current_user.is_authenticated:
        target = url_for(".profile" if current_user.id == user.id else "consultations.index")
    elif confirmed_now and _registered_here(user.email):
        # The browser that registered the address, following its link for the first time
        # (elsewhere the link confirms the address but signs nobody in: the password does),
        # goes back to where it registered from.
        target = safe_next(session.get(REGISTERED_NEXT_KEY), url_for(".profile"))
        _renew_session()
        login_user(user)
        _speak_as_signed_in()
    else:
        target = url_for(".login")
    flash(_("Thank you! Your e-mail address is confirmed. You can now take part."), "success")
    return redirect(target, code=303)


def _registered_here(email: str) -> bool:
    mark = session.get(REGISTERED_KEY)
    return isinstance(mark, str) and hmac.compare_digest(mark, _registration_mark(email))


@bp.post("/verify/resend")
@login_required
@limiter.limit(_config_limit("MAIL_RATE_LIMIT"), key_func=_user_key)
def resend_verification():
    if current_user.is_verified:
        flash(_("Your e-mail address is already confirmed."), "info")
    else:
        mails.verification_requested(current_user.id)
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return _redirect(".profile")


# --- passwords -------------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    _config_limit("MAIL_RATE_LIMIT"), methods=["POST"], deduct_when=lambda r: not _invalid(r)
)
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), _status()
    # The same answer, in the same time, for every address: the worker looks it up.
    mails.password_reset_requested(form.email.data)
    return _redirect(".forgot_password_sent")


@bp.get("/password/forgot/sent")
def forgot_password_sent():
    return render_template("accounts/forgot_sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_link(token)
    except services.InvalidLink:
        return render_template("accounts/reset_failed.html"), 400
    form = ResetPasswordForm()
    form.user_inputs = (user.email, user.display_name)
    if not form.validate_on_submit():
        return render_template("accounts/reset_password.html", form=form, token=token), _status()
    services.reset_password(user, form.password.data)
    db.session.commit()
    _start_session(user)
    _speak_as_signed_in()
    flash(_("Your new password is saved and you are logged in."), "success")
    return _redirect(".profile")


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    _config_limit("LOGIN_RATE_LIMIT"), methods=["POST"], key_func=_user_key, deduct_when=_invalid
)
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.user_inputs = (user.email, user.display_name)
    if not form.validate_on_submit():
        return render_template("accounts/change_password.html", form=form), _status()
    try:
        services.change_password(user, form.current_password.data, form.password.data)
    except services.WrongPassword:
        db.session.rollback()
        form.current_password.errors.append(_("The current password is not right."))
        return render_template("accounts/change_password.html", form=form), 422
    db.session.commit()
    # The version bump ended every session; this one continues with the new version.
    remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    _start_session(user, remember=remember_cookie in request.cookies)
    flash(_("Your password is changed. You were logged out on your other devices."), "success")
    return _redirect(".profile")


# --- profile and own data --------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    set_home_municipality_choices(form.home_municipality_code, _locale())
    if not form.validate_on_submit():
        return render_template("accounts/profile.html", form=form, user=user), _status()
    services.update_profile(
        user,
        display_name=form.display_name.data,
        home_municipality_code=form.home_municipality_code.data or None,
        locale=form.locale.data,
        name_consent=form.name_consent.data,
    )
    db.session.commit()
    session["lang"] = form.locale.data
    with force_locale(form.locale.data):
        flash(_("Your details are saved."), "success")
    return _redirect(".profile")


@bp.app_template_global("home_municipality_offer")
def home_municipality_offer(topic) -> HomeMunicipalityForm | None:
    """The optional question "where do you live?" for a signed-in resident on a joint
    authority's topic who has not told it: a form with the authority's member
    municipalities and "other", or None (nothing to ask). A topic whose survey asks the
    home municipality among its background questions asks it there instead."""
    from eraati.results.municipalities import applies, member_codes

    user = current_user
    if not user.is_authenticated or user.home_municipality_code or not applies(topic):
        return None
    if "municipality" in (topic.background_questions or []):
        return None
    codes = member_codes(topic.organisation_id)
    if not codes:
        return None
    form = HomeMunicipalityForm(formdata=None)
    set_home_municipality_choices(form.home_municipality_code, _locale(), codes)
    return form


@bp.post("/home-municipality")
@login_required
def home_municipality():
    """Saves the answer to ``home_municipality_offer``: any municipality of the reference
    list or "other"; an empty answer changes nothing."""
    user = current_user._get_current_object()
    form = HomeMunicipalityForm()
    set_home_municipality_choices(form.home_municipality_code, _locale())
    back = safe_next(form.next.data, default=url_for(".profile"))
    if not form.validate_on_submit():
        flash(_("Choose a municipality from the list."), "error")
        return redirect(back, code=303)
    if form.home_municipality_code.data:
        user.home_municipality_code = form.home_municipality_code.data
        db.session.commit()
        flash(
            _("Your home municipality is saved. You can change it on your account page."),
            "success",
        )
    return redirect(back, code=303)


@bp.get("/data.json")
@login_required
def export_data():
    now = utcnow()
    data = personal_data.export_user_data(current_user._get_current_object(), now=now)
    filename = f"eraati-data-{local(now).date().isoformat()}.json"  # the resident's day
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(
    _config_limit("LOGIN_RATE_LIMIT"), methods=["POST"], key_func=_user_key, deduct_when=_invalid
)
def delete_account():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return render_template("accounts/delete_account.html", form=form), _status()
    try:
        services.delete_account(current_user._get_current_object(), form.current_password.data)
    except services.WrongPassword:
        db.session.rollback()
        form.current_password.errors.append(_("The password is not right."))
        return render_template("accounts/delete_account.html", form=form), 422
    db.session.commit()
    _end_session()
    flash(_("Your account is deleted. Thank you for taking part."), "success")
    return _redirect("consultations.index")
