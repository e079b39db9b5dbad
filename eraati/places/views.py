"""The places blueprint: staff set a topic's map area and named places; moderators see the
located comments on a map and in a list; anyone sees where a shown comment is."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations import queries as topic_queries
from eraati.consultations.models import CommentStatus
from eraati.core.focus import focus_after_redirect
from eraati.core.security import allow_images_from
from eraati.extensions import db
from eraati.manage.forms.common import ActionForm
from eraati.manage.views.common import TOPIC_URL
from eraati.permissions import require
from eraati.places import chart, forms, queries, services
from eraati.staff import org_topic_or_404, staff_org

bp = Blueprint("places", __name__)
bp.add_app_template_global(chart.place_chart, "topic_place_chart")

MAP_URL = f"{TOPIC_URL}/map"


def _map_topic(org_slug: str, topic_id: int, action: str = "manage_topic_map"):
    org = staff_org(org_slug, action)
    return org, org_topic_or_404(org, topic_id)


def _with_tiles(response, view):
    response = make_response(response)
    if view is not None and view.tile_origin:
        allow_images_from(response, view.tile_origin)
    return response


def _staff_page(org, topic, *, area_form=None, place_form=None, status: int = 200):
    view = queries.map_view(topic)
    area = view.area if view else None
    if area_form is None:
        area_form = forms.AreaForm(formdata=None, obj=area)
    places = view.places if view else queries.places_of(topic.id)
    html = render_template(
        "places/staff.html",
        org=org,
        topic=topic,
        view=view,
        places=places,
        area_form=area_form,
        place_form=place_form or forms.PlaceForm(formdata=None),
        counts=queries.counts_per_place(
            topic.id, statuses=(CommentStatus.VISIBLE, CommentStatus.PENDING)
        ),
    )
    return _with_tiles(make_response((html, status)), view)


def _back(org, topic, anchor: str | None = None):
    url = url_for("places.staff_map", org_slug=org.slug, topic_id=topic.id, _anchor=anchor)
    return redirect(url, code=303)


@bp.get(MAP_URL)
def staff_map(org_slug: str, topic_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    return _staff_page(org, topic)


@bp.post(f"{MAP_URL}/area")
def save_area(org_slug: str, topic_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    form = forms.AreaForm()
    if not form.validate_on_submit():
        return _staff_page(org, topic, area_form=form, status=422)
    try:
        services.set_area(
            topic,
            float(form.south.data),
            float(form.west.data),
            float(form.north.data),
            float(form.east.data),
        )
    except services.PlaceError as exc:
        db.session.rollback()
        field = form.north if exc.reason == "area_lat" else form.east
        field.errors = [forms.place_error(exc.reason)]
        return _staff_page(org, topic, area_form=form, status=422)
    db.session.commit()
    flash(_("The area of the map was saved."), "success")
    focus_after_redirect("messages")
    return _back(org, topic)


@bp.post(f"{MAP_URL}/remove")
def remove_map(org_slug: str, topic_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    if ActionForm().validate_on_submit() and services.remove_map(topic):
        db.session.commit()
        flash(_("The topic no longer shows a map. Its places and comments were kept."), "success")
        focus_after_redirect("messages")
    return _back(org, topic)


def _place_values(form: forms.PlaceForm) -> tuple[dict, float, float]:
    return form.names(), float(form.lat.data), float(form.lon.data)


def _place_error(form: forms.PlaceForm, exc: services.PlaceError) -> None:
    target = form.name_fi if exc.reason == "name" else form.lat
    target.errors = [*target.errors, forms.place_error(exc.reason)]


@bp.post(f"{MAP_URL}/places")
def add_place(org_slug: str, topic_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    form = forms.PlaceForm()
    if form.validate_on_submit():
        try:
            place = services.add_place(topic, *_place_values(form))
        except services.PlaceError as exc:
            db.session.rollback()
            _place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The place was added."), "success")
            focus_after_redirect(f"place-{place.id}")
            return _back(org, topic, f"place-{place.id}")
    return _staff_page(org, topic, place_form=form, status=422)


def _place_or_404(topic, place_id: int):
    place = queries.place_of_topic(topic, place_id)
    if place is None:
        abort(404)
    return place


@bp.route(f"{MAP_URL}/places/<int:place_id>/edit", methods=["GET", "POST"])
def edit_place(org_slug: str, topic_id: int, place_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    place = _place_or_404(topic, place_id)
    if request.method == "GET":
        form = forms.PlaceForm(formdata=None, obj=place)
        return render_template(
            "places/edit_place.html", org=org, topic=topic, place=place, form=form
        )
    form = forms.PlaceForm()
    if form.validate_on_submit():
        try:
            services.update_place(topic, place, *_place_values(form))
        except services.PlaceError as exc:
            db.session.rollback()
            _place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The place was saved."), "success")
            focus_after_redirect(f"place-{place_id}")
            return _back(org, topic, f"place-{place_id}")
    html = render_template("places/edit_place.html", org=org, topic=topic, place=place, form=form)
    return html, 422


@bp.post(f"{MAP_URL}/places/<int:place_id>/delete")
def delete_place(org_slug: str, topic_id: int, place_id: int):
    org, topic = _map_topic(org_slug, topic_id)
    place = _place_or_404(topic, place_id)
    if ActionForm().validate_on_submit():
        name = place.name_fi
        services.delete_place(topic, place)
        db.session.commit()
        flash(_("The place %(name)s was removed.", name=name), "success")
        focus_after_redirect("messages")
    return _back(org, topic)


# --- moderators -----------------------------------------------------------------------------


@bp.get(f"{MAP_URL}/comments")
def moderator_map(org_slug: str, topic_id: int):
    org, topic = _map_topic(org_slug, topic_id, "moderate")
    view = queries.map_view(topic)
    places = view.places if view else queries.places_of(topic.id)
    chosen = request.args.get("place", type=int)
    if chosen is not None and chosen not in {p.id for p in places}:
        chosen = None
    rows = queries.located_comments(topic, place_id=chosen)
    points = []
    for comment, place in rows:
        lat, lon = (comment.lat, comment.lon) if comment.lat is not None else (place.lat, place.lon)
        points.append(
            {
                "lat": lat,
                "lon": lon,
                "label": f"#{comment.id}",
                "href": url_for("moderation.comment", org_slug=org.slug, comment_id=comment.id),
            }
        )
    html = render_template(
        "places/moderator.html",
        org=org,
        topic=topic,
        view=view,
        places=places,
        rows=rows,
        points=points,
        chosen=chosen,
        status_labels={
            CommentStatus.VISIBLE: _("Shown"),
            CommentStatus.PENDING: _("Waiting for review"),
            CommentStatus.HIDDEN: _("Hidden by a moderator"),
            CommentStatus.DELETED: _("Withdrawn"),
        },
    )
    return _with_tiles(make_response(html), view)


# --- anyone ---------------------------------------------------------------------------------


@bp.get("/<org_slug>/<topic_slug>/map")
def comment_on_map(org_slug: str, topic_slug: str):
    """Where one shown comment is on the topic's map (the link beside the comment)."""
    topic = topic_queries.topic_or_404(org_slug, topic_slug)
    require(current_user, "read_topic", topic)
    view = queries.map_view(topic)
    comment_id = request.args.get("c", type=int)
    comment = topic_queries.comment_in_topic(topic, comment_id) if comment_id else None
    if view is None or comment is None or comment.status != CommentStatus.VISIBLE:
        abort(404)
    place = view.place(comment.place_id)
    if comment.lat is not None:
        lat, lon = comment.lat, comment.lon
    elif place is not None:
        lat, lon = place.lat, place.lon
    else:
        abort(404)
    html = render_template(
        "places/comment_on_map.html",
        topic=topic,
        text=topic.text(str(get_locale() or "fi")),
        view=view,
        comment=comment,
        place=place,
        lat=lat,
        lon=lon,
    )
    return _with_tiles(make_response(html), view)
