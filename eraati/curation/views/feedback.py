"""Feedback given on paper forms and at events, typed in by staff."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from eraati.consultations.models import CommentSource
from eraati.core.focus import focus_after_redirect
from eraati.core.time import utcnow
from eraati.curation import forms, queries, services
from eraati.curation.views import bp
from eraati.curation.views.common import (
    TOPIC_URL,
    common,
    load,
    not_accepting_message,
    page_arg,
)
from eraati.events import queries as event_queries
from eraati.events.display import event_when
from eraati.extensions import db

# --- paper and event feedback ----------------------------------------------------------------


@bp.route(f"{TOPIC_URL}/paper", methods=["GET", "POST"])
def paper(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    now = utcnow()
    accepting = services.accepts_feedback(topic, now)
    here = url_for("curation.paper", org_slug=org.slug, topic_id=topic.id)
    if request.method == "POST" and not accepting:
        flash(not_accepting_message(), "error")
        return redirect(here, code=303)
    form = forms.PaperForm()
    events = {e.id: e for e in event_queries.topic_events(topic.id)}
    form.event.choices = [SelectChoice("", _("Not at an event"))] + [
        SelectChoice(str(e.id), f"{event_when(e)}, {e.place}") for e in events.values()
    ]
    if form.validate_on_submit():
        try:
            comment, created = services.add_paper_feedback(
                topic,
                current_user,
                form.body.data,
                received_on=form.received_on.data,
                source=CommentSource(form.source.data),
                place=form.place.data,
                language=form.language.data or None,
                token=form.submission_token.data or None,
                event=events.get(form.event_id()),
                now=now,
            )
        except services.TopicNotAcceptingError:
            db.session.rollback()
            flash(not_accepting_message(), "error")
            return redirect(here, code=303)
        response = redirect(
            url_for("curation.paper", org_slug=org.slug, topic_id=topic.id, like=comment.id),
            code=303,
        )
        db.session.commit()
        if created:
            flash(_("The feedback was saved. You can enter the next one."), "success")
        else:
            flash(_("This feedback had already been saved."), "info")
        focus_after_redirect("messages")
        return response
    prefilled = False
    if request.method == "GET":
        previous = queries.paper_entry(topic, request.args.get("like", type=int))
        if previous is not None:
            # The next entry is most likely from the same pile of forms or the same event.
            form.source.data = previous.source.value
            form.received_on.data = previous.received_on
            form.place.data = previous.place
            form.language.data = previous.language or ""
            form.event.data = str(previous.event_id) if previous.event_id in events else ""
            prefilled = True
    form.new_token()
    entries = queries.paper_entries(topic, page_arg(request.args.get("page")))
    return render_template(
        "curation/paper.html",
        **common(org, topic),
        form=form,
        accepting=accepting,
        prefilled=prefilled,
        entries=entries,
        events=events,
        entered_by=queries.user_names({c.entered_by_id for c in entries.items}),
        page_url=lambda n: url_for("curation.paper", org_slug=org.slug, topic_id=topic.id, page=n),
    ), 422 if request.method == "POST" else 200
