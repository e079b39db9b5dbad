"""Staff pages of a topic's parts: list, add, edit, reorder, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eraati.audit.services import record
from eraati.core.focus import focus_after_redirect
from eraati.extensions import db
from eraati.manage.forms.common import body_hint
from eraati.manage.views.common import topic_languages
from eraati.parts import queries, services
from eraati.parts.models import TopicPart
from eraati.parts.staff_forms import ActionForm, part_form_class
from eraati.parts.views import bp, part_url
from eraati.staff import org_topic_or_404, staff_org

PARTS_URL = "/staff/<org_slug>/topics/<int:topic_id>/parts"


def _topic(org_slug: str, topic_id: int):
    org = staff_org(org_slug, "manage_parts")
    return org, org_topic_or_404(org, topic_id)


def _part(topic, part_id: int) -> TopicPart:
    part = db.session.get(TopicPart, part_id)
    if part is None or part.topic_id != topic.id:
        abort(404)
    return part


def _details(topic, part) -> dict:
    return {"topic_id": topic.id, "part_id": part.id, "position": part.position}


def _list_url(org, topic, **kw) -> str:
    return url_for("parts.staff_parts", org_slug=org.slug, topic_id=topic.id, **kw)


@bp.get(PARTS_URL)
def staff_parts(org_slug: str, topic_id: int):
    org, topic = _topic(org_slug, topic_id)
    parts = queries.parts_of(topic.id)
    return render_template(
        "parts/staff_parts.html",
        org=org,
        topic=topic,
        parts=parts,
        counts=queries.part_comment_counts(topic.id),
        part_url=lambda position: part_url(topic, position),
        form=ActionForm(),
    )


def _form_page(org, topic, form, part=None, status=200):
    return render_template(
        "parts/staff_part_form.html",
        org=org,
        topic=topic,
        part=part,
        form=form,
        languages=form.languages,
        body_hint=body_hint(),
    ), status


@bp.route(f"{PARTS_URL}/new", methods=["GET", "POST"])
def staff_new_part(org_slug: str, topic_id: int):
    org, topic = _topic(org_slug, topic_id)
    form = part_form_class(topic_languages(org, topic))()
    if form.validate_on_submit():
        part = services.add_part(topic, form.texts())
        record("part.add", target=part, organisation=org, details=_details(topic, part))
        db.session.commit()
        flash(_("The part was added."), "success")
        focus_after_redirect(f"part-{part.id}")
        return redirect(_list_url(org, topic), code=303)
    return _form_page(org, topic, form, status=422 if request.method == "POST" else 200)


@bp.route(f"{PARTS_URL}/<int:part_id>/edit", methods=["GET", "POST"])
def staff_edit_part(org_slug: str, topic_id: int, part_id: int):
    org, topic = _topic(org_slug, topic_id)
    part = _part(topic, part_id)
    cls = part_form_class(topic_languages(org, topic))
    if request.method == "POST":
        form = cls()
    else:
        data = {}
        for t in part.texts:
            data[f"title_{t.locale}"], data[f"body_{t.locale}"] = t.title, t.body
        form = cls(data=data)
    if form.validate_on_submit():
        services.update_part(part, form.texts())
        record("part.edit", target=part, organisation=org, details=_details(topic, part))
        db.session.commit()
        flash(_("The part was saved."), "success")
        focus_after_redirect(f"part-{part.id}")
        return redirect(_list_url(org, topic), code=303)
    return _form_page(org, topic, form, part, status=422 if request.method == "POST" else 200)


@bp.post(f"{PARTS_URL}/<int:part_id>/delete")
def staff_delete_part(org_slug: str, topic_id: int, part_id: int):
    org, topic = _topic(org_slug, topic_id)
    part = _part(topic, part_id)
    if ActionForm().validate_on_submit():
        try:
            services.delete_part(part)
        except services.PartHasCommentsError:
            db.session.rollback()
            flash(
                _(
                    "This part has comments, so it cannot be deleted: the comments would "
                    "lose the text they comment. You can still edit the part."
                ),
                "error",
            )
            focus_after_redirect(f"part-{part_id}")
            return redirect(_list_url(org, topic), code=303)
        record("part.delete", organisation=org, details={"topic_id": topic.id, "part_id": part_id})
        db.session.commit()
        flash(_("The part was deleted."), "success")
    return redirect(_list_url(org, topic), code=303)


@bp.post(f"{PARTS_URL}/<int:part_id>/move")
def staff_move_part(org_slug: str, topic_id: int, part_id: int):
    org, topic = _topic(org_slug, topic_id)
    part = _part(topic, part_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is not None and ActionForm().validate_on_submit():
        services.move_part(part, step)
        record("part.move", target=part, organisation=org, details=_details(topic, part))
        db.session.commit()
        focus_after_redirect(f"part-{part_id}")
    return redirect(_list_url(org, topic), code=303)
