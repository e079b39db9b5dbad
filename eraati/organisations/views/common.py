"""Helpers of the organisation views: languages, status codes, the password asked
before role changes, the invitation e-mail."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.links import public_url
from eraati.core.mail import mail_language
from eraati.core.time import utcnow
from eraati.jobs import queue
from eraati.organisations import tokens
from eraati.organisations.forms import role_label
from eraati.organisations.models import Invitation, Organisation

REAUTH_SECONDS = 10 * 60
REAUTH_KEY = "reauth_at"


def ui_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def form_status() -> int:
    """200 for a first view of a form, 422 for a submitted form with errors."""
    return 422 if request.method == "POST" else 200


def invalid(response) -> bool:
    return response.status_code == 422


def user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else "anonymous"


def see_other(endpoint: str, **values) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


def reauth_fresh(now: datetime | None = None) -> bool:
    """The user typed their password on this session in the last ten minutes."""
    stamp = session.get(REAUTH_KEY)
    if not isinstance(stamp, (int, float)):
        return False
    age = (now or utcnow()).timestamp() - stamp
    return 0 <= age <= REAUTH_SECONDS


def ask_password(next_path: str) -> Response:
    flash(_("Confirm your password before changing staff roles."), "info")
    return redirect(url_for("organisations.reauth", next=next_path), code=303)


REFILL_KEY = "refill"


def keep_typed(form: str, values: dict[str, str]) -> None:
    """Keep what was typed in ``form`` in the session, to refill it after the password
    question. Never in the address: it holds an e-mail address, and addresses end up in
    access logs and the browser's history."""
    kept = {k: str(v)[:254] for k, v in values.items() if v}
    session[REFILL_KEY] = {"form": form, "values": kept}


def typed(form: str) -> dict[str, str]:
    """What ``keep_typed`` kept for ``form``, once ({} if nothing)."""
    kept = session.get(REFILL_KEY)
    if not isinstance(kept, dict) or kept.get("form") != form:
        return {}
    session.pop(REFILL_KEY)
    values = kept.get("values")
    if not isinstance(values, dict):
        return {}
    return {k: v for k, v in values.items() if isinstance(v, str)}


def send_invitation(invitation: Invitation, locale: str) -> None:
    """After the commit: the invitation e-mail in ``locale``, sent by the job queue."""
    org = invitation.organisation
    token = tokens.make_invitation_token(invitation.id, now=invitation.created_at)
    with force_locale(locale):
        role_name = role_label(invitation.role)
    queue.send_mail(
        invitation.email,
        "organisations/email/invitation",
        locale,
        org_name=org.name(locale),
        role_name=role_name,
        inviter=current_user.display_name if current_user.is_authenticated else None,
        link=public_url("organisations.accept_invitation", token=token, lang=mail_language(locale)),
        days=max(1, tokens.max_age() // 86400),
    )


def mail_locale_default(org: Organisation) -> str:
    locale = ui_locale()
    return locale if locale in org.language_list else org.primary_language


def form_details(form, names: tuple[str, ...]) -> dict:
    changes = {name: form[name].data for name in names if name != "languages"}
    changes["languages"] = form.language_list()
    return changes
