"""The events blueprint: organisation admins add, change and remove a topic's events on
its staff pages; anyone downloads the iCalendar files of an organisation and of a topic."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import without_language_cookie
from eraati.core.time import utcnow
from eraati.events import calendar, display, forms, queries, services
from eraati.extensions import db
from eraati.manage.forms.common import ActionForm
from eraati.manage.views.common import TOPIC_URL, admin_topic

bp = Blueprint("events", __name__)
bp.add_app_template_global(display.topic_events, "topic_events")
bp.add_app_template_global(display.organisation_events, "organisation_events")
bp.add_app_template_global(display.event_when, "event_when")
bp.add_app_template_global(display.event_end, "event_end")

EVENTS_URL = f"{TOPIC_URL}/events"


def _list_url(org, topic, **kw) -> str:
    return url_for("events.topic_events", org_slug=org.slug, topic_id=topic.id, **kw)


def _page(org, topic, form, *, status: int = 200):
    now = utcnow()
    events = queries.topic_events(topic.id)
    return render_template(
        "events/staff.html",
        org=org,
        topic=topic,
        events=queries.split_events(events, now),
        feedback=queries.feedback_per_event(topic.id),
        form=form,
        now=now,
    ), status


@bp.get(EVENTS_URL)
def topic_events(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    return _page(org, topic, forms.event_form())


@bp.post(EVENTS_URL)
def add_event(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    form = forms.EventForm()
    if not form.validate_on_submit():
        return _page(org, topic, form, status=422)
    event = services.add_event(topic, form.data_for_service(), current_user)
    db.session.commit()
    flash(_("The event was added."), "success")
    focus_after_redirect(f"event-{event.id}")
    return redirect(_list_url(org, topic, _anchor=f"event-{event.id}"), code=303)


@bp.route(f"{EVENTS_URL}/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(org_slug: str, topic_id: int, event_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    event = queries.event_of_topic_or_404(topic, event_id)
    form = forms.EventForm() if request.method == "POST" else forms.event_form(event)
    if request.method == "POST" and form.validate_on_submit():
        services.update_event(topic, event, form.data_for_service())
        db.session.commit()
        flash(_("The event was saved."), "success")
        focus_after_redirect(f"event-{event.id}")
        return redirect(_list_url(org, topic, _anchor=f"event-{event.id}"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("events/edit.html", org=org, topic=topic, event=event, form=form), status


@bp.post(f"{EVENTS_URL}/<int:event_id>/delete")
def delete_event(org_slug: str, topic_id: int, event_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    event = queries.event_of_topic_or_404(topic, event_id)
    if ActionForm().validate_on_submit():
        place = event.place
        services.delete_event(topic, event)
        db.session.commit()
        flash(_("The event %(place)s was removed.", place=place), "success")
        focus_after_redirect("messages")
    return redirect(_list_url(org, topic), code=303)


# --- iCalendar ---------------------------------------------------------------------------


@bp.get("/<org_slug>/calendar.ics")
@without_language_cookie
def organisation_calendar(org_slug: str):
    return calendar.organisation_response(org_slug)


@bp.get("/<org_slug>/<topic_slug>/calendar.ics")
@without_language_cookie
def topic_calendar(org_slug: str, topic_slug: str):
    return calendar.topic_response(org_slug, topic_slug)
