"""Commenting: post, reply, edit, delete, flag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations import participation, queries, services
from eraati.consultations.forms import (
    ConfirmForm,
    EditCommentForm,
    FlagForm,
)
from eraati.consultations.models import Comment, CommentStatus, FlagReason, Phase, Topic
from eraati.consultations.views import bp, limits
from eraati.consultations.views.limits import Act
from eraati.consultations.views.pages import new_comment_form, render_topic_page, topic_url
from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import format_moment
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.notifications import events as notify
from eraati.notifications import sending
from eraati.permissions import blocked_own_comment, require
from eraati.places import forms as place_forms
from eraati.places import queries as places_queries
from eraati.places import services as places

COMMENT_URL = "/<org_slug>/<topic_slug>/comments/<int:comment_id>"


def _closed_message(topic: Topic) -> str:
    """Why the topic takes no comment: it opens later, or it has closed."""
    if topic.phase(utcnow()) == Phase.UPCOMING:
        return _(
            "This consultation opens on %(date)s. Comments can be sent once it opens.",
            date=format_moment(topic.opens_at, "compact"),
        )
    return _("This consultation is closed. Comments can no longer be sent or changed.")


def _to_comment(topic: Topic, comment: Comment, *, keep_place: bool = True):
    """Back to the comment, on the page and in the order the writer was looking at (a new
    top-level comment is first on the first page of the newest, so it goes there). A
    comment on a part of the topic is on the part's page (eraati.parts)."""
    focus_after_redirect(f"c{comment.id}")
    args = queries.place_args(request.args) if keep_place else {}
    page_url = _page_of(topic, comment.part_id)
    return redirect(page_url(**args, _anchor=f"c{comment.id}"), code=303)


def _page_of(topic: Topic, part_id: int | None):
    """The address maker of the page that shows the comments of ``part_id`` (None: the
    topic page)."""
    if part_id is None:
        return lambda **kw: topic_url(topic, **kw)
    from eraati.parts import queries as part_queries  # parts builds on consultations
    from eraati.parts.views import part_url

    position = part_queries.position_of(part_id)
    return lambda **kw: part_url(topic, position, **kw)


def _load(org_slug: str, topic_slug: str, comment_id: int) -> tuple[Topic, Comment]:
    topic = queries.topic_or_404(org_slug, topic_slug)
    require(current_user, "read_topic", topic)
    return topic, queries.comment_or_404(topic, comment_id)


@bp.post("/<org_slug>/<topic_slug>/comments")
def post_comment(org_slug: str, topic_slug: str):
    topic = queries.topic_or_404(org_slug, topic_slug, poll=False, texts=False)
    return handle_post(
        topic,
        lambda: new_comment_form(topic, formdata=request.form),
        lambda **kw: render_topic_page(topic, **kw),
        lambda **kw: topic_url(topic, **kw),
    )


def handle_post(
    topic: Topic,
    make_form: Callable[[], Any],
    render: Callable[..., Response],
    page_url: Callable[..., str],
    on_part: Callable[[Any], dict] | None = None,
):
    """A comment or reply sent from a page with a discussion: the topic page, or a part's
    page (eraati.parts), which gives ``on_part(form)``: the part and paragraph it is on.
    ``render(status=..., comment_form=..., ...)`` shows the page again with the errors;
    ``page_url(**args)`` is its address."""
    require(current_user, "read_topic", topic)
    anonymous = not current_user.is_authenticated
    require(current_user, "comment_anonymously" if anonymous else "comment", topic)
    now = utcnow()
    if not topic.is_open(now):
        flash(_closed_message(topic), "error")
        return redirect(page_url(), code=303)
    form = make_form()
    if anonymous and form.website.data:
        # Only robots fill in the hidden field: tell them it worked, store nothing.
        flash(_pending_message(), "success")
        focus_after_redirect("messages")
        return redirect(page_url(), code=303)
    valid = form.validate_on_submit()
    chosen = places.CommentPlace()
    extra: dict[str, Any] = {}
    if on_part is None:  # a part's page has no map: its comments are on the text
        extra["topic_map"] = topic_map = places_queries.map_view(topic)
        if form.parent is None:  # a reply has no place of its own
            try:
                chosen = places.comment_place(
                    topic_map, form.place.data, form.lat.data, form.lon.data
                )
            except places.PlaceError as exc:
                form.place.errors = [*form.place.errors, place_forms.place_error(exc.reason)]
                valid = False
    if not valid:
        return render(status=422, comment_form=form, now=now, **extra)
    if wait := limits.hit(Act.COMMENT):
        response = render(
            status=429, comment_form=form, comment_wait=limits.message(Act.COMMENT, wait)
        )
        response.headers["Retry-After"] = str(wait)
        return response

    parent = None
    if form.parent is not None:
        parent = queries.comment_in_topic(topic, form.parent)
        if parent is None or parent.status != CommentStatus.VISIBLE:
            return _parent_gone(form, now, render)
    try:
        comment = services.post_comment(
            topic,
            None if anonymous else current_user,
            form.body.data,
            parent=parent,
            nickname=form.nickname.data if anonymous else None,
            token=form.submission_token.data or None,
            language=form.language.data,
            place=chosen,
            now=now,
            **(on_part(form) if on_part else {}),
        )
    except services.TopicClosedError:
        flash(_closed_message(topic), "error")
        return redirect(page_url(), code=303)
    except services.CommentNotAvailableError:
        return _parent_gone(form, now, render)
    if not anonymous and form.notify_results.data:
        participation.follow_topic(topic, current_user, now=now)
    told = notify.comment_shown(comment, now=now) if comment.status == CommentStatus.VISIBLE else 0
    # Where to go is decided before the commit, which expires the loaded rows.
    pending = comment.status == CommentStatus.PENDING
    if pending and comment.author_id is None:  # nobody can show an anonymous writer it
        focus_after_redirect("messages")
        response = redirect(page_url(_anchor="messages"), code=303)
    else:
        focus_after_redirect(f"c{comment.id}")
        args = queries.place_args(request.args) if comment.parent_id is not None else {}
        response = redirect(page_url(**args, _anchor=f"c{comment.id}"), code=303)
    db.session.commit()
    if told:
        sending.kick()
    flash(_pending_message() if pending else _("Thank you, your comment was published."), "success")
    return response


def _pending_message() -> str:
    return _("Thank you. Your comment will be published after a moderator has checked it.")


def _parent_gone(form, now, render):
    """The replied-to comment went away: keep the text, offer to send it as a new comment."""
    form.parent_id.errors = [
        _(
            "The comment you replied to is no longer available. "
            "You can send your text as a new comment."
        )
    ]
    form.parent_id.data = ""
    return render(status=422, comment_form=form, now=now)


@bp.route(f"{COMMENT_URL}/edit", methods=["GET", "POST"])
def edit_comment(org_slug: str, topic_slug: str, comment_id: int):
    topic, comment = _load(org_slug, topic_slug, comment_id)
    block_ends = blocked_own_comment(current_user, comment)
    if block_ends is not None:  # their own comment: say why, not a bare "no access"
        return render_template(
            "consultations/comment_blocked.html", topic=topic, comment=comment, until=block_ends
        ), 403
    require(current_user, "edit_comment", comment)
    now = utcnow()
    if not topic.is_open(now):
        flash(_closed_message(topic), "error")
        return _to_comment(topic, comment)
    if comment.status not in services.EDITABLE:
        flash(_("This comment can no longer be edited."), "error")
        return _to_comment(topic, comment)
    if not services.still_editable(comment, now):
        flash(_("The time for editing this comment has passed."), "error")
        return _to_comment(topic, comment)
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit():
        was_visible = comment.status == CommentStatus.VISIBLE
        try:
            services.edit_comment(comment, form.body.data, now=now)
        except services.EditWindowClosedError:
            flash(_("The time for editing this comment has passed."), "error")
            return _to_comment(topic, comment)
        except services.TopicClosedError:
            flash(_closed_message(topic), "error")
            return _to_comment(topic, comment)
        db.session.commit()
        if was_visible and comment.status == CommentStatus.PENDING:
            flash(_pending_message(), "success")
        else:
            flash(_("Your comment was updated."), "success")
        return _to_comment(topic, comment)
    status = 422 if request.method == "POST" else 200
    deadline = comment.created_at + services.edit_window()
    return render_template(
        "consultations/comment_edit.html",
        topic=topic,
        comment=comment,
        form=form,
        deadline=deadline,
    ), status


@bp.route(f"{COMMENT_URL}/delete", methods=["GET", "POST"])
def delete_comment(org_slug: str, topic_slug: str, comment_id: int):
    topic, comment = _load(org_slug, topic_slug, comment_id)
    require(current_user, "delete_comment", comment)
    if comment.status == CommentStatus.DELETED:
        flash(_("This comment has already been deleted."), "info")
        return _to_comment(topic, comment)
    if not topic.is_open(utcnow()):
        flash(_closed_message(topic), "error")
        return _to_comment(topic, comment)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.delete_comment(comment, now=utcnow())
        except services.TopicClosedError:  # closed between the page and the click
            db.session.rollback()
            flash(_closed_message(topic), "error")
            return _to_comment(topic, comment)
        db.session.commit()
        flash(_("Your comment was deleted."), "success")
        return _to_comment(topic, comment)
    return render_template(
        "consultations/comment_delete.html", topic=topic, comment=comment, form=form
    )


@bp.route(f"{COMMENT_URL}/flag", methods=["GET", "POST"])
def flag_comment(org_slug: str, topic_slug: str, comment_id: int):
    topic, comment = _load(org_slug, topic_slug, comment_id)
    require(current_user, "flag", comment)
    if comment.status != CommentStatus.VISIBLE:
        flash(_("This comment is no longer shown, so it cannot be reported."), "info")
        return _to_comment(topic, comment)
    if topic.anonymised_at is not None:
        flash(
            _(
                "The personal data of this consultation was removed: its comments can no "
                "longer be reported. If a comment breaks the rules, contact the organisation."
            ),
            "info",
        )
        return _to_comment(topic, comment)
    if services.has_flagged(comment, current_user):
        flash(_("You have already reported this comment. Thank you."), "info")
        return _to_comment(topic, comment)
    form = FlagForm()
    if not form.validate_on_submit():
        return _flag_page(topic, comment, form), 422 if request.method == "POST" else 200
    if wait := limits.hit(Act.FLAG):
        page = _flag_page(topic, comment, form, wait_message=limits.message(Act.FLAG, wait))
        return page, 429, {"Retry-After": str(wait)}
    try:
        services.flag_comment(
            comment,
            current_user,
            FlagReason(form.reason.data),
            form.details.data,
            now=utcnow(),
        )
    except services.AlreadyFlaggedError:
        flash(_("You have already reported this comment. Thank you."), "info")
        return _to_comment(topic, comment)
    db.session.commit()
    flash(_("Thank you. A moderator will check the comment."), "success")
    return _to_comment(topic, comment)


def _flag_page(topic: Topic, comment: Comment, form: FlagForm, **extra) -> str:
    return render_template(
        "consultations/comment_flag.html", topic=topic, comment=comment, form=form, **extra
    )
