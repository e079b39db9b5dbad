"""The workspace: figures, tools, and the comments with their themes and key marks;
official replies to them."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations.models import CommentStatus, Topic
from eraati.core.focus import focus_target
from eraati.core.security import safe_next
from eraati.core.time import utcnow
from eraati.curation import forms, queries, services
from eraati.curation.queries import Show
from eraati.curation.views import bp
from eraati.curation.views.common import (
    COMMENT_URL,
    TOPIC_URL,
    back_to_list,
    common,
    load,
    load_comment,
    locale,
    not_accepting_message,
    page_arg,
    place_args,
    search_arg,
    show_arg,
    workspace_url,
)
from eraati.extensions import db
from eraati.notifications import events as notify
from eraati.notifications import sending
from eraati.organisations.models import Organisation

# --- workspace: figures, tools, comments with their themes and key marks ---------------------


@bp.get(f"{TOPIC_URL}/work")
def workspace(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    return _workspace_page(
        org, topic, show_arg(request.args.get("show")), page_arg(request.args.get("page"))
    )


def _workspace_page(
    org: Organisation,
    topic: Topic,
    show: Show,
    page: int,
    *,
    status: int = 200,
    tag_errors: dict[int, list[str]] | None = None,
    tag_values: dict[int, set[int]] | None = None,
):
    now = utcnow()
    q = search_arg()
    comments = queries.workspace_comments(topic, show, page, q)
    page = comments.page  # the last one, when the asked one is past the end
    tags = queries.theme_ids_by_comment([c.id for c in comments.items])
    tags.update(tag_values or {})
    place = place_args(show, page)

    def page_url(n: int) -> str:
        return workspace_url(topic, show, n)

    return render_template(
        "curation/workspace.html",
        **common(org, topic),
        now=now,
        phase=topic.phase(now),
        accepting=services.accepts_feedback(topic, now),
        figures=queries.figures(topic),
        themes=queries.themes(topic),
        comments=comments,
        tags=tags,
        tag_errors=tag_errors or {},
        show=show,
        q=q,
        shows=[
            (Show.ALL, _("All comments")),
            (Show.UNTAGGED, _("Without a theme")),
            (Show.KEY, _("Key comments")),
        ],
        page=page,
        place_query=_query(place),
        page_url=page_url,
        # Addresses of each comment's forms are this prefix + id + "/themes" and so on.
        comment_prefix=workspace_url(topic).removesuffix("/work") + "/comments/",
        topic_url=url_for("consultations.topic", org_slug=org.slug, topic_slug=topic.slug),
        focus_id=focus_target(),
    ), status


@bp.post(f"{COMMENT_URL}/themes")
def tag_comment(org_slug: str, topic_id: int, comment_id: int):
    org, topic, comment = load_comment(org_slug, topic_id, comment_id)
    form = forms.TagForm()
    form.theme_ids = {t.id for t in queries.themes(topic)}
    show, page = show_arg(form.show.data), page_arg(form.page.data)
    if comment.status != CommentStatus.VISIBLE:
        flash(_("This comment is no longer shown, so its themes cannot be changed."), "error")
        return back_to_list(topic, comment, show, page, listed=False)
    if not form.validate_on_submit():
        chosen = {t for t in form.themes.data or [] if t in form.theme_ids}
        return _workspace_page(
            org,
            topic,
            show,
            page,
            status=422,
            tag_errors={comment.id: form.themes.errors or [_("Check the themes and save again.")]},
            tag_values={comment.id: chosen},
        )
    try:
        added, removed = services.set_comment_themes(
            comment, set(form.themes.data or []), actor=current_user
        )
    except services.CommentNotVisibleError:
        db.session.rollback()
        flash(_("This comment is no longer shown, so its themes cannot be changed."), "error")
        return back_to_list(topic, comment, show, page, listed=False)
    except services.ThemeGoneError:
        db.session.rollback()
        form.theme_ids = {t.id for t in queries.themes(topic)}
        return _workspace_page(
            org,
            topic,
            show,
            page,
            status=422,
            tag_errors={comment.id: [forms.theme_gone_message()]},
            tag_values={comment.id: {t for t in form.themes.data if t in form.theme_ids}},
        )
    db.session.commit()
    if added or removed:
        flash(_("The themes of the comment were saved."), "success")
    else:
        flash(_("The themes of the comment were already these."), "info")
    return back_to_list(topic, comment, show, page, listed=show != Show.UNTAGGED or not added)


@bp.post(f"{COMMENT_URL}/key")
def key_comment(org_slug: str, topic_id: int, comment_id: int):
    _org, topic, comment = load_comment(org_slug, topic_id, comment_id)
    form = forms.KeyForm()
    if not form.validate_on_submit():
        abort(400)  # only a changed page sends anything else
    show, page = show_arg(form.show.data), page_arg(form.page.data)
    make_key = form.key.data == "1"
    if make_key and comment.status != CommentStatus.VISIBLE:
        flash(_("This comment is no longer shown, so it cannot be a key comment."), "error")
        if back := safe_next(form.next.data, ""):
            return redirect(back, code=303)
        return back_to_list(topic, comment, show, page, listed=False)
    services.set_key(comment, make_key, actor=current_user)
    db.session.commit()
    if make_key:
        flash(_("The comment is now marked as a key comment."), "success")
    else:
        flash(_("The comment is no longer marked as a key comment."), "success")
    if back := safe_next(form.next.data, ""):
        return redirect(f"{back}#c{comment.id}", code=303)
    return back_to_list(topic, comment, show, page, listed=make_key or show != Show.KEY)


# --- official replies ------------------------------------------------------------------------


@bp.route(f"{COMMENT_URL}/official-reply", methods=["GET", "POST"])
def official_reply(org_slug: str, topic_id: int, comment_id: int):
    org, topic, comment = load_comment(org_slug, topic_id, comment_id)
    show, page = show_arg(request.args.get("show")), page_arg(request.args.get("page"))
    now = utcnow()
    if not services.accepts_feedback(topic, now):
        flash(not_accepting_message(), "error")
        return back_to_list(topic, comment, show, page, listed=False)
    if comment.status != CommentStatus.VISIBLE:
        flash(_("This comment is no longer shown, so it cannot be replied to."), "error")
        return back_to_list(topic, comment, show, page, listed=False)
    form = forms.OfficialReplyForm()
    if form.validate_on_submit():
        try:
            reply, created = services.post_official_reply(
                topic,
                comment,
                current_user,
                form.body.data,
                language=locale(),
                token=form.submission_token.data or None,
                now=now,
            )
        except services.TopicNotAcceptingError:
            db.session.rollback()
            flash(not_accepting_message(), "error")
            return back_to_list(topic, comment, show, page, listed=False)
        except services.CommentNotVisibleError:
            db.session.rollback()
            flash(_("This comment is no longer shown, so it cannot be replied to."), "error")
            return back_to_list(topic, comment, show, page, listed=False)
        # The writer of the comment hears of it (``OFFICIAL_REPLY``), once, after the commit.
        told = notify.comment_shown(reply, now=now) if created else 0
        response = back_to_list(topic, comment, show, page)
        db.session.commit()
        if told:
            sending.kick()
        flash(_("The official reply was published."), "success")
        return response
    form.new_token()
    return render_template(
        "curation/official_reply.html",
        **common(org, topic),
        comment=comment,
        form=form,
        action=url_for(
            "curation.official_reply",
            org_slug=org.slug,
            topic_id=topic.id,
            comment_id=comment.id,
            **place_args(show, page),
        ),
        back_url=workspace_url(topic, show, page, _anchor=f"c{comment.id}"),
    ), 422 if request.method == "POST" else 200


def _query(args: dict[str, object]) -> str:
    """``?show=key&page=2`` for the arguments that are set, else nothing."""
    given = {k: v for k, v in args.items() if v}
    return "?" + urlencode(given) if given else ""
