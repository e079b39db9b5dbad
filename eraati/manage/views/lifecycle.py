"""Publish, close, preview links and the preview page, and the results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from eraati.consultations.models import TopicStatus
from eraati.consultations.views.pages import render_topic_page
from eraati.core.focus import focus_after_redirect
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage import forms, mails, queries, services
from eraati.manage.views import bp
from eraati.manage.views.common import (
    TOPIC_URL,
    admin_topic,
    edit_url,
    stale_message,
    state_message,
    topic_languages,
)
from eraati.notifications import announcements, sending

# --- publish and close -----------------------------------------------------------------------


@bp.route(f"{TOPIC_URL}/publish", methods=["GET", "POST"])
def publish(org_slug: str, topic_id: int):
    """Draft -> open. When language versions are missing the admin confirms first."""
    org, topic = admin_topic(org_slug, topic_id)
    back = edit_url(org, topic)
    if topic.status != TopicStatus.DRAFT:
        flash(state_message("not_draft"), "info")
        return redirect(back, code=303)
    form = forms.PublishForm()
    missing = services.missing_languages(topic)
    if form.validate_on_submit() and (not missing or form.confirmed.data == "1"):
        now = utcnow()
        try:
            services.publish_topic(topic, now=now)
        except services.TopicStateError as exc:
            db.session.rollback()
            flash(state_message(exc.code), "error")
            return redirect(back, code=303)
        announced = announcements.topic_published(topic, now=now)
        opens_later = topic.opens_at > now
        db.session.commit()
        if announced:
            sending.kick()
        if opens_later:
            flash(
                _(
                    "The topic was published. Residents can read it now and take part from"
                    " its opening time."
                ),
                "success",
            )
        else:
            flash(_("The topic was published and is now open to residents."), "success")
        return redirect(back, code=303)
    return render_template(
        "manage/publish.html", org=org, topic=topic, form=form, missing=missing, now=utcnow()
    )


@bp.route(f"{TOPIC_URL}/close", methods=["GET", "POST"])
def close(org_slug: str, topic_id: int):
    """Close before the deadline (after a confirmation)."""
    org, topic = admin_topic(org_slug, topic_id)
    back = edit_url(org, topic)
    if topic.status != TopicStatus.OPEN:
        flash(state_message("not_open"), "info")
        return redirect(back, code=303)
    form = forms.ActionForm()
    if form.validate_on_submit():
        services.close_topic(topic, now=utcnow())
        db.session.commit()
        flash(
            _("The consultation was closed. It no longer takes comments, votes or answers."),
            "success",
        )
        return redirect(back, code=303)
    return render_template("manage/close.html", org=org, topic=topic, form=form, now=utcnow())


# --- preview ---------------------------------------------------------------------------------


@bp.post(f"{TOPIC_URL}/preview")
def renew_preview(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    back = edit_url(org, topic, _anchor="preview")
    focus_after_redirect("preview")
    if forms.ActionForm().validate_on_submit():
        had_link = topic.preview_token is not None
        services.renew_preview(topic)
        db.session.commit()
        if had_link:
            flash(_("A new preview link was made. The old link no longer works."), "success")
        else:
            flash(_("A preview link was made. Anyone with the link can read the topic."), "success")
    return redirect(back, code=303)


@bp.post(f"{TOPIC_URL}/preview/revoke")
def revoke_preview(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    back = edit_url(org, topic, _anchor="preview")
    focus_after_redirect("preview")
    if forms.ActionForm().validate_on_submit():
        services.revoke_preview(topic)
        db.session.commit()
        flash(_("The preview link no longer works."), "success")
    return redirect(back, code=303)


@bp.get("/preview/<token>")
def preview(token: str):
    """The topic page as residents will see it, for anyone with the secret link."""
    topic = queries.topic_by_preview_token(token)
    if topic is None:
        abort(404)
    response = render_topic_page(topic, preview=True, preview_token=token)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the key
    return response


# --- results ---------------------------------------------------------------------------------


def _results_initial(topic, languages: list[str]) -> dict:
    data = {
        "decided_on": topic.decided_on,
        "minutes_url": topic.minutes_url or "",
        "revision": str(topic.revision),
    }
    for row in topic.translations:
        if row.locale in languages:
            data[f"outcome_{row.locale}"] = row.decision_outcome
            data[f"feedback_use_{row.locale}"] = row.feedback_use
    return data


def _check_publishable(form, primary: str) -> bool:
    ok = True
    if form.decided_on.data is None and not form.decided_on.errors:
        forms.add_error(
            form.decided_on, _("Enter the date of the decision to publish the results.")
        )
        ok = False
    outcome = form[f"outcome_{primary}"]
    if not outcome.data:
        forms.add_error(
            outcome,
            _(
                "Write what was decided in %(language)s to publish the results.",
                language=forms.language_name(primary),
            ),
        )
        ok = False
    return ok


@bp.route(f"{TOPIC_URL}/results", methods=["GET", "POST"])
def results(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    languages = topic_languages(org, topic)
    cls = forms.results_form_class(languages)
    now = utcnow()
    status, stale = 200, None
    if request.method == "GET":
        form = cls(formdata=None, data=_results_initial(topic, languages))
    else:
        form = cls()
        publish = request.form.get("action") == "publish"
        valid = form.validate_on_submit()
        if publish:
            valid = _check_publishable(form, languages[0]) and valid
        if valid:
            expected = int(form.revision.data) if (form.revision.data or "").isdigit() else 0
            data = services.ResultsData(form.decided_on.data, form.minutes_url.data, form.texts())
            try:
                first = services.save_results(topic, data, expected, publish=publish, now=now)
            except services.StaleEditError:
                db.session.rollback()
                stale = {c: v for c, v in form.texts().items() if any(v)}
                form = cls(formdata=None, data=_results_initial(topic, languages))
                status = 409
            except services.TopicStateError as exc:
                db.session.rollback()
                flash(state_message(exc.code), "error")
                status = 409
            else:
                back = url_for(".results", org_slug=org_slug, topic_id=topic_id)
                told = mails.announce_results(topic, now=now) if publish and first else 0
                db.session.commit()
                if told:
                    sending.kick()
                if not publish:
                    flash(_("The results were saved."), "success")
                elif first:
                    flash(
                        ngettext(
                            "The results were published. %(num)d follower will be told by e-mail.",
                            "The results were published. %(num)d followers will be told by e-mail.",
                            told,
                        ),
                        "success",
                    )
                else:
                    flash(_("The published results were updated."), "success")
                return redirect(back, code=303)
        else:
            status = 422
    return render_template(
        "manage/results.html",
        org=org,
        topic=topic,
        form=form,
        languages=languages,
        publishable=services.results_publishable(topic, now),
        stale=stale,
        stale_message=stale_message(),
        now=now,
    ), status
