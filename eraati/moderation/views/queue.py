"""The moderation queue, bulk acts on it, and one comment's review: hide, restore, approve."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from eraati.consultations.forms import FLAG_REASON_LABELS
from eraati.consultations.hidden_reasons import HiddenReasons
from eraati.consultations.models import Comment, CommentSource, CommentStatus
from eraati.core.sanitize import clean_text
from eraati.core.security import safe_next
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation import mails, queries, services
from eraati.moderation.forms import (
    SOURCE_LABELS,
    STATUS_LABELS,
    BulkForm,
    HideForm,
    QueueFilterForm,
)
from eraati.moderation.queries import QueueFilters, Tab
from eraati.moderation.views import bp, form_status, locale
from eraati.notifications import events as notify
from eraati.notifications import sending
from eraati.organisations.models import Organisation
from eraati.staff import org_comment_or_404, staff_org

QUEUE_ARGS = ("tab", "topic", "status", "source", "after", "before")
_SAFE_ARG = re.compile(r"^[a-z0-9_]{1,60}$")
_MAX_QUERY = 200  # a search's words (q): longer is cut


def _choice(enum_cls, value: str | None, default):
    try:
        return enum_cls(value)
    except ValueError:
        return default


def queue_args(args: Any) -> dict[str, str]:
    """The queue's own address arguments, for sending the moderator back where they were."""
    kept = {k: args[k] for k in QUEUE_ARGS if _SAFE_ARG.match(args.get(k) or "")}
    q = clean_text(args.get("q") or "")
    if q and len(q) <= _MAX_QUERY:  # words: any text, escaped in the address
        kept["q"] = q
    return kept


def _filters(org: Organisation, topics: list) -> tuple[QueueFilters, QueueFilterForm]:
    """The queue's filters from the address. A topic id that is not this organisation's
    is "not found"; other values that make no sense fall back to the default."""
    args = request.args
    topic = None
    raw_topic = args.get("topic", "")
    if raw_topic:
        by_id = {str(t.id): t for t in topics}
        topic = by_id.get(raw_topic)
        if topic is None:
            abort(404)
    filters = QueueFilters(
        tab=_choice(Tab, args.get("tab"), Tab.PENDING),
        topic=topic,
        status=_choice(CommentStatus, args.get("status"), None),
        source=_choice(CommentSource, args.get("source"), None),
        q=clean_text(args.get("q") or "")[:_MAX_QUERY],
    )
    form = QueueFilterForm(formdata=None)
    form.topic.choices = [SelectChoice("", _("All topics"))] + [
        SelectChoice(str(t.id), topic_title(t)) for t in topics
    ]
    form.topic.data = str(topic.id) if topic else ""
    form.status.data = filters.status.value if filters.status else ""
    form.source.data = filters.source.value if filters.source else ""
    form.q.data = filters.q
    return filters, form


def topic_title(topic) -> str:
    text = topic.text(locale())
    return text.title if text else topic.slug


def render_queue(org: Organisation, *, bulk_form: BulkForm | None = None, status: int = 200):
    topics = queries.org_topics(org)
    filters, filter_form = _filters(org, topics)
    page = queries.queue_page(
        org,
        filters,
        after=request.args.get("after"),
        before=request.args.get("before"),
        per_page=current_app.config.get("MODERATION_PER_PAGE", queries.PER_PAGE),
    )
    every_reason = queries.reasons(org)  # retired ones too: they name hidden comments
    reasons = [r for r in every_reason if r.active]
    if bulk_form is None:
        bulk_form = BulkForm(formdata=None)
    bulk_form.set_reasons(reasons, locale())
    base_args = filters.args()
    here = {**base_args, **{k: v for k, v in page.here.items() if v}}
    context = {
        "org": org,
        "filters": filters,
        "filter_form": filter_form,
        "page": page,
        "counts": queries.tab_counts(org),
        # Open survey answers wait for a check too (their own list): how many, one query.
        "answers_waiting": sum(queries.answers_waiting(org).values()),
        "topics_by_id": {t.id: t for t in topics},
        "topic_title": topic_title,
        "bulk_form": bulk_form,
        "selected": set(bulk_form.ids.data or []),
        "reasons": reasons,
        "reason_parts": HiddenReasons(org, locale(), translate=False, templates=every_reason),
        "flag_labels": FLAG_REASON_LABELS,
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "tab_url": lambda tab: url_for(
            ".queue",
            org_slug=org.slug,
            **{**{k: v for k, v in base_args.items() if k != "tab"}, "tab": tab.value},
        ),
        "page_url": lambda position: url_for(".queue", org_slug=org.slug, **base_args, **position),
        "here_url": url_for(".queue", org_slug=org.slug, **here),
        "bulk_url": url_for(".bulk", org_slug=org.slug, **here),
        "Tab": Tab,
    }
    return render_template("moderation/queue.html", **context), status


@bp.get("/staff/<org_slug>/moderation")
def queue(org_slug: str):
    org = staff_org(org_slug, "moderate")
    return render_queue(org)


@bp.post("/staff/<org_slug>/moderation/bulk")
def bulk(org_slug: str):
    org = staff_org(org_slug, "moderate")
    reasons = queries.reasons(org, active_only=True)
    form = BulkForm()
    form.set_reasons(reasons, locale())
    if not form.validate_on_submit():
        return render_queue(org, bulk_form=form, status=422)
    comments = queries.org_comments(org, form.ids.data)
    if comments is None:
        abort(404)  # an id of another organisation's comment, or none at all
    action = form.action.data
    reason = None
    if action == "hide":
        reason = next(r for r in reasons if str(r.id) == form.reason.data)
    unseen = queries.never_shown([c.id for c in comments])
    out = mails.Outgoing()
    now = utcnow()
    result = services.bulk(
        comments,
        action,
        current_user,
        reason=reason,
        details=form.details.data,
        note_lang=form.note_lang.data,
        now=now,
    )
    told = 0
    for comment in result.done:
        if action == "hide":
            mails.comment_hidden(
                out, comment, reason, form.details.data, unseen=comment.id in unseen
            )
        elif comment.id in unseen:  # published for the first time
            told += notify.comment_approved(comment, now=now)
    done, skipped = len(result.done), len(result.skipped)
    db.session.commit()
    out.send()
    if told:
        sending.kick()
    if action == "hide":
        message = ngettext("%(num)d comment hidden.", "%(num)d comments hidden.", done)
    else:
        message = ngettext("%(num)d comment approved.", "%(num)d comments approved.", done)
    flash(message, "success" if done else "info")
    if skipped:
        flash(
            ngettext(
                "%(num)d comment was left as it was: it is hidden or deleted.",
                "%(num)d comments were left as they were: they are hidden or deleted.",
                skipped,
            )
            if action == "approve"
            else ngettext(
                "%(num)d comment was left as it was: it is already hidden or deleted.",
                "%(num)d comments were left as they were: they are already hidden or deleted.",
                skipped,
            ),
            "info",
        )
    return redirect(url_for(".queue", org_slug=org.slug, **queue_args(request.args)), code=303)


# --- one comment -----------------------------------------------------------------------------

COMMENT_URL = "/staff/<org_slug>/moderation/comments/<int:comment_id>"


def _back(org: Organisation, comment: Comment) -> str:
    """Where an act on one comment returns: the queue page it came from, else the comment."""
    default = url_for(".comment", org_slug=org.slug, comment_id=comment.id)
    return safe_next(request.values.get("next"), default)


def render_comment(org: Organisation, comment: Comment, *, hide_form=None, status: int = 200):
    reasons = queries.reasons(org, active_only=True)
    if hide_form is None:
        hide_form = HideForm(formdata=None)
    hide_form.set_reasons(reasons, locale())
    author = comment.author
    flags = queries.comment_flags(comment)
    context = {
        "org": org,
        "comment": comment,
        "topic": comment.topic,
        "topic_title": topic_title(comment.topic),
        "flags": flags,
        "flag_labels": FLAG_REASON_LABELS,
        "status_labels": STATUS_LABELS,
        "source_labels": SOURCE_LABELS,
        "names": queries.user_names(
            {comment.hidden_by_id, comment.reviewed_by_id, comment.entered_by_id}
        ),
        "unreviewed": comment.flag_count > 0
        and (comment.reviewed_at is None or any(f.created_at > comment.reviewed_at for f in flags)),
        "hide_form": hide_form,
        "reasons": reasons,
        "hidden_reason": HiddenReasons(org, locale(), translate=False)(
            comment.hidden_reason, comment.hidden_note_lang
        ),
        # Nobody but the writer has seen it: hiding leaves no trace in the discussion, and
        # restoring publishes it for the first time.
        "unseen": comment.id in queries.never_shown([comment.id]),
        "author_blocked": bool(author and author.blocked_in(org.id, utcnow())),
        "next_url": safe_next(request.values.get("next"), ""),
        "queue_url": safe_next(request.values.get("next"), url_for(".queue", org_slug=org.slug)),
    }
    return render_template("moderation/comment.html", **context), status


@bp.get(COMMENT_URL)
def comment(org_slug: str, comment_id: int):
    org = staff_org(org_slug, "moderate")
    return render_comment(org, org_comment_or_404(org, comment_id))


def _changed(org: Organisation, comment: Comment):
    db.session.rollback()
    flash(_("The comment had changed in the meantime. Please check it again."), "info")
    return redirect(url_for(".comment", org_slug=org.slug, comment_id=comment.id), code=303)


@bp.post(f"{COMMENT_URL}/hide")
def hide(org_slug: str, comment_id: int):
    org = staff_org(org_slug, "moderate")
    comment = org_comment_or_404(org, comment_id)
    if comment.status not in services.HIDEABLE:
        return _changed(org, comment)
    reasons = queries.reasons(org, active_only=True)
    form = HideForm()
    form.set_reasons(reasons, locale())
    if not form.validate_on_submit():
        return render_comment(org, comment, hide_form=form, status=form_status())
    reason = next(r for r in reasons if str(r.id) == form.reason.data)
    back = _back(org, comment)
    unseen = comment.id in queries.never_shown([comment.id])
    try:
        services.hide_comment(
            comment,
            reason,
            form.details.data,
            current_user,
            note_lang=form.note_lang.data,
            now=utcnow(),
        )
    except services.CommentChangedError:
        return _changed(org, comment)
    out = mails.Outgoing()
    mails.comment_hidden(out, comment, reason, form.details.data, unseen=unseen)
    db.session.commit()
    out.send()
    if unseen:
        flash(
            _(
                "The comment was hidden. It was never published, so the discussion does not"
                " show it; its writer sees the reason."
            ),
            "success",
        )
    else:
        flash(_("The comment was hidden. The discussion shows the reason in its place."), "success")
    return redirect(back, code=303)


@bp.post(f"{COMMENT_URL}/restore")
def restore(org_slug: str, comment_id: int):
    org = staff_org(org_slug, "moderate")
    comment = org_comment_or_404(org, comment_id)
    back = _back(org, comment)
    first_time = comment.id in queries.never_shown([comment.id])
    now = utcnow()
    try:
        services.restore_comment(comment, current_user, now=now)
    except services.CommentChangedError:
        return _changed(org, comment)
    out = mails.Outgoing()
    mails.comment_restored(out, comment, published=first_time)
    # Shown for the first time: the writer of the comment it replies to hears of it (its
    # own writer has the restored message).
    told = notify.comment_shown(comment, now=now) if first_time else 0
    db.session.commit()
    out.send()
    if told:
        sending.kick()
    if first_time:
        flash(_("The comment was approved and published."), "success")
    else:
        flash(_("The comment was restored and is shown again."), "success")
    return redirect(back, code=303)


@bp.post(f"{COMMENT_URL}/approve")
def approve(org_slug: str, comment_id: int):
    org = staff_org(org_slug, "moderate")
    comment = org_comment_or_404(org, comment_id)
    back = _back(org, comment)
    was_pending = comment.status == CommentStatus.PENDING
    first_time = was_pending and comment.id in queries.never_shown([comment.id])
    now = utcnow()
    try:
        services.approve_comment(comment, current_user, now=now)
    except services.CommentChangedError:
        return _changed(org, comment)
    told = notify.comment_approved(comment, now=now) if first_time else 0
    db.session.commit()
    if told:
        sending.kick()
    if was_pending:
        flash(_("The comment was approved and published."), "success")
    else:
        flash(_("The comment stays visible and is marked as checked."), "success")
    return redirect(back, code=303)
