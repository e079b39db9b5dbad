"""The moderator's summary, one text per language of the topic."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations.models import Phase, Topic
from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import format_count
from eraati.core.time import utcnow
from eraati.curation import forms, queries, services
from eraati.curation.views import bp
from eraati.curation.views.common import (
    TOPIC_URL,
    common,
    load,
)
from eraati.extensions import db
from eraati.organisations.models import Organisation

# --- the moderator's summary -----------------------------------------------------------------


def _summary_locales(org: Organisation, topic: Topic) -> list[str]:
    """The languages the topic is written in, the organisation's order first."""
    have = {t.locale for t in topic.translations}
    ordered = [code for code in org.language_list if code in have]
    return ordered + sorted(have - set(ordered))


@bp.route(f"{TOPIC_URL}/summary", methods=["GET", "POST"])
def summary(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    locales = _summary_locales(org, topic)
    if request.method == "GET":
        rows = {t.locale: t for t in topic.translations}
        data: dict[str, str] = {}
        for code in locales:
            text = rows[code].moderator_summary or ""
            data[f"summary_{code}"] = text
            data[f"seen_{code}"] = services.text_hash(text)
        form = forms.summary_form(locales, data=data)
        return _summary_page(org, topic, form, locales)
    form = forms.summary_form(locales)
    if not form.validate_on_submit():
        return _summary_page(org, topic, form, locales, status=422)
    texts = {code: form[f"summary_{code}"].data or "" for code in locales}
    seen = {code: form[f"seen_{code}"].data or "" for code in locales}
    try:
        changed = services.save_summaries(topic, texts, seen, actor=current_user)
    except services.StaleSummaryError as stale:
        db.session.rollback()  # nothing half-written: not one language of this save
        rows = {t.locale: t for t in topic.translations}
        theirs = {}
        for code in stale.locales:
            current = rows[code].moderator_summary or ""
            theirs[code] = current
            form[f"summary_{code}"].errors.append(
                _(
                    "Someone else saved this summary while you were editing it. Their text "
                    "is shown below the box and yours is kept in it. Combine the two and save "
                    "again."
                )
            )
            form[f"seen_{code}"].data = services.text_hash(current)
        return _summary_page(
            org,
            topic,
            form,
            locales,
            status=409,
            theirs=theirs,
            last_save=queries.last_summary_save(topic),
        )
    db.session.commit()
    if changed:
        flash(_("The summary was saved."), "success")
    else:
        flash(_("The summary had no changes to save."), "info")
    focus_after_redirect("messages")
    return redirect(url_for("curation.summary", org_slug=org.slug, topic_id=topic.id), code=303)


def _summary_page(org, topic, form, locales, *, status: int = 200, theirs=None, last_save=None):
    return render_template(
        "curation/summary.html",
        **common(org, topic),
        form=form,
        locales=locales,
        theirs=theirs or {},
        last_save=last_save,
        summary_max=format_count(forms.SUMMARY_MAX_LENGTH),
        published=topic.phase(utcnow()) == Phase.PUBLISHED,
    ), status
