"""The organisation's settings and logo, and the logo served to every page."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from eraati.core.focus import focus_after_redirect
from eraati.core.images import damaged_image, too_many_pixels
from eraati.extensions import db
from eraati.organisations import municipalities, queries, services
from eraati.organisations.forms import (
    ConfirmForm,
    LogoForm,
    MemberMunicipalitiesForm,
    MunicipalityCodeForm,
    SettingsForm,
)
from eraati.organisations.models import MAX_RETENTION_MONTHS, Organisation, OrganisationKind
from eraati.organisations.views import bp
from eraati.organisations.views.common import (
    form_details,
    see_other,
)
from eraati.staff import staff_org


def get_locale_code() -> str:
    return str(get_locale() or "fi")


# --- settings and logo ---------------------------------------------------------------------


def _settings_page(
    org: Organisation,
    *,
    form: SettingsForm | None = None,
    logo_form: LogoForm | None = None,
    members_form: MemberMunicipalitiesForm | None = None,
    code_form: MunicipalityCodeForm | None = None,
    status: int = 200,
    stale: bool = False,
):
    locale = get_locale_code()
    if org.kind == OrganisationKind.MUNICIPALITY and code_form is None:
        code_form = MunicipalityCodeForm(
            formdata=None, municipality_code=org.municipality_code or ""
        )
        code_form.fill_choices(locale)
    member_names: list[str] = []
    if org.kind == OrganisationKind.JOINT_AUTHORITY:
        codes = services.member_codes(org)
        member_names = [m.name(locale) for m in municipalities.sorted_by_name(locale, codes)]
        if members_form is None:
            members_form = MemberMunicipalitiesForm(formdata=None, municipalities=codes)
    elif members_form is None or not members_form.errors:
        members_form = None
    if form is None:
        form = SettingsForm(formdata=None, obj=org)
        form.fill_languages(org.language_list)
        form.stamp.data = services.fingerprint(org, services.SETTINGS_FIELDS)
    return render_template(
        "organisations/settings.html",
        org=org,
        form=form,
        logo_form=logo_form or LogoForm(formdata=None),
        remove_form=ConfirmForm(formdata=None),
        max_logo_kb=services.MAX_LOGO_BYTES // 1024,
        max_retention_months=MAX_RETENTION_MONTHS,
        stale=stale,
        members_form=members_form,
        member_names=member_names,
        code_form=code_form,
        code_name=municipalities.name(org.municipality_code, locale),
        municipality_groups=municipalities.grouped_by_area(locale) if members_form else [],
    ), status


@bp.route("/staff/<org_slug>/settings", methods=["GET", "POST"])
def settings(org_slug: str):
    org = staff_org(org_slug, "manage_organisation")
    if request.method == "GET":
        return _settings_page(org)
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(org, form=form, status=422)
    current = services.fingerprint(org, services.SETTINGS_FIELDS)
    if form.stamp.data != current:
        # Somebody saved in between: keep what this user typed, show it, let them decide.
        form.stamp.data = current
        return _settings_page(org, form=form, status=409, stale=True)
    changed = services.update_organisation(org, form_details(form, services.SETTINGS_FIELDS))
    db.session.commit()
    if changed:
        flash(_("The settings are saved."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    focus_after_redirect("messages")
    return see_other(".settings", org_slug=org_slug)


@bp.post("/staff/<org_slug>/settings/members")
def members(org_slug: str):
    org = staff_org(org_slug, "manage_organisation")
    form = MemberMunicipalitiesForm()
    form.fill_choices(get_locale_code())
    if not form.validate_on_submit():
        return _settings_page(org, members_form=form, status=422)
    try:
        changed = services.set_member_codes(org, form.municipalities.data or [])
    except services.UnknownMunicipality:  # the form refused unknown codes: not an authority
        db.session.rollback()
        form.municipalities.errors = [_("Only a joint authority has member municipalities.")]
        return _settings_page(org, members_form=form, status=422)
    db.session.commit()
    flash(
        _("The member municipalities are saved.") if changed else _("Nothing was changed."),
        "success" if changed else "info",
    )
    focus_after_redirect("members-section")
    return see_other(".settings", org_slug=org_slug, _anchor="members-section")


@bp.post("/staff/<org_slug>/settings/municipality")
def municipality_code(org_slug: str):
    """A municipality's own code: its residents (those whose home municipality it is)
    are counted in its statistics and told of its new consultations."""
    org = staff_org(org_slug, "manage_organisation")
    form = MunicipalityCodeForm()
    form.fill_choices(get_locale_code())
    if not form.validate_on_submit():
        return _settings_page(org, code_form=form, status=422)
    try:
        changed = services.set_municipality_code(org, form.municipality_code.data or None)
    except services.MunicipalityCodeTaken as taken:
        db.session.rollback()
        holder = taken.holder.name(get_locale_code()) if taken.holder else None
        form.municipality_code.errors = [
            _(
                "%(org)s already has this municipality. Choose another one, or remove it "
                "from %(org)s first.",
                org=holder,
            )
            if holder
            else _("Another organisation already has this municipality. Choose another one.")
        ]
        return _settings_page(org, code_form=form, status=422)
    except services.UnknownMunicipality:  # the form refused unknown codes: not a municipality
        db.session.rollback()
        form.municipality_code.errors = [_("Only a municipality has a municipality code.")]
        return _settings_page(org, code_form=form, status=422)
    db.session.commit()
    flash(
        _("The municipality is saved.") if changed else _("Nothing was changed."),
        "success" if changed else "info",
    )
    focus_after_redirect("municipality-section")
    return see_other(".settings", org_slug=org_slug, _anchor="municipality-section")


def _logo_error(reason: str) -> str:
    if reason == "too_large":
        return _(
            "The file is too large. The largest allowed size is %(kb)d KB.",
            kb=services.MAX_LOGO_BYTES // 1024,
        )
    if reason == "too_many_pixels":
        return too_many_pixels()
    if reason == "damaged":
        return damaged_image()
    if reason == "type":
        return _("The file is not a PNG or JPEG image. Save the logo as PNG or JPEG and try again.")
    return _("Choose an image file first.")


@bp.post("/staff/<org_slug>/settings/logo")
def upload_logo(org_slug: str):
    org = staff_org(org_slug, "manage_organisation")
    form = LogoForm()
    if not form.validate_on_submit():
        return _settings_page(org, logo_form=form, status=422)
    upload = form.logo.data
    data = upload.stream.read(services.MAX_LOGO_BYTES + 1) if upload else b""
    try:
        services.set_logo(org, data)
    except services.LogoError as exc:
        db.session.rollback()
        form.logo.errors = [_logo_error(exc.reason)]
        return _settings_page(org, logo_form=form, status=422)
    db.session.commit()
    flash(_("The logo is saved."), "success")
    focus_after_redirect("logo-section")
    return see_other(".settings", org_slug=org_slug, _anchor="logo-section")


@bp.post("/staff/<org_slug>/settings/logo/remove")
def remove_logo(org_slug: str):
    org = staff_org(org_slug, "manage_organisation")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    removed = services.remove_logo(org)
    db.session.commit()
    if removed:
        flash(_("The logo is removed."), "success")
    focus_after_redirect("logo-section")
    return see_other(".settings", org_slug=org_slug, _anchor="logo-section")


@bp.get("/logo/<org_slug>")
def logo(org_slug: str):
    row = queries.logo_of(org_slug)
    if row is None:
        abort(404)
    stamp = str(int(row.logo_updated_at.timestamp())) if row.logo_updated_at else "0"
    response = Response(row.logo, mimetype=row.logo_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if request.args.get("v") == stamp:  # the address changes with the logo
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(f"logo-{stamp}")
    if row.logo_updated_at:
        response.last_modified = row.logo_updated_at
    return response.make_conditional(request)
