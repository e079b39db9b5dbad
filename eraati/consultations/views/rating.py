"""The page "Rate comments" (fi "Arvioi kommentteja"): one comment at a time, agree,
disagree or pass.

GET shows the next comment the person has not voted on (``consultations.rating`` chooses
it); POST records the vote with ``participation.vote_comment``, as the topic page's vote
buttons do (the same row, counters, rules and writing limit), and redirects (303) to the
next. Only topics whose organisation turned ``offers_rating`` on have the page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from eraati.consultations import participation, queries, rating
from eraati.consultations.models import Phase, Topic, VoteValue
from eraati.consultations.participation_forms import RatingForm
from eraati.consultations.queries import CommentSort, CommentThreads
from eraati.consultations.views import bp, limits
from eraati.consultations.views import threads as threads_view
from eraati.consultations.views.limits import Act
from eraati.consultations.views.pages import _locale, _read_only, topic_url
from eraati.core.focus import focus_after_redirect, focus_target
from eraati.core.i18n import format_moment
from eraati.core.i18n import gettext as _
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.permissions import can, require

RATE_URL = "/<org_slug>/<topic_slug>/rate"
# Where keyboard focus lands after a vote: the next comment.
FOCUS = "rating"


def _rate_url(org_slug: str, topic_slug: str, **kw) -> str:
    return url_for("consultations.rate", org_slug=org_slug, topic_slug=topic_slug, **kw)


def _state(topic: Topic, now) -> str:
    """What the page shows: the next comment, or why it shows none."""
    phase = topic.phase(now)
    if phase != Phase.OPEN:
        return "upcoming" if phase == Phase.UPCOMING else "closed"
    if not current_user.is_authenticated:
        return "log_in"
    if not can(current_user, "rate_comments", topic):
        return "refused"
    return "rate"


@bp.get(RATE_URL)
def rate(org_slug: str, topic_slug: str):
    topic = queries.topic_or_404(org_slug, topic_slug, poll=False)
    require(current_user, "read_topic", topic)
    if not topic.offers_rating:
        abort(404)
    now = utcnow()
    locale = _locale()
    state = _state(topic, now)
    context: dict = {"progress": None, "item": None, "thread_url": None}
    if state == "rate":
        progress = rating.progress(topic, current_user)
        chosen = rating.next_comment(
            topic, current_user, prefer=request.args.get("comment", type=int)
        )
        context["progress"] = progress
        if chosen is None:
            state = "done" if progress.total else "empty"
        else:
            viewer = current_user._get_current_object()
            (context["item"],) = threads_view.comment_items(
                CommentThreads([chosen.comment], CommentSort.NEWEST),
                viewer=viewer,
                votes={},
                is_open=True,
                can_reply=False,
                reply_target=None,
                editable_ids=(),
                focus_id=None,
                locale=locale,
                org_name=topic.organisation.marked_name(locale),
                anonymised=topic.anonymised_at is not None,
            )
            context["thread_url"] = topic_url(
                topic, **chosen.place, _anchor=f"c{chosen.comment.id}"
            )
            if chosen.comment.part_id is not None:  # its thread is on its part's page
                from eraati.parts.queries import position_of  # parts builds on this
                from eraati.parts.views import part_url

                position = position_of(chosen.comment.part_id)
                context["thread_url"] = part_url(
                    topic, position, **chosen.place, _anchor=f"c{chosen.comment.id}"
                )
    text = topic.text(locale)
    return _read_only(
        render_template(
            "consultations/rate.html",
            topic=topic,
            title=text.title if text else topic.slug,
            text_lang=text.locale if text and text.locale != locale else None,
            state=state,
            now=now,
            opens_on=format_moment(topic.opens_at, "compact"),
            here=_rate_url(org_slug, topic_slug),
            topic_here=topic_url(topic),
            focus=focus_target() == FOCUS,
            **context,
        )
    )


# After a vote: what was recorded, said as the topic page says it under a comment.
_SAID = {
    VoteValue.AGREE: lambda: _("You agreed."),
    VoteValue.DISAGREE: lambda: _("You disagreed."),
    VoteValue.PASS: lambda: _("You passed."),
}


@bp.post(f"{RATE_URL}/<int:comment_id>")
def rate_comment(org_slug: str, topic_slug: str, comment_id: int) -> Response:
    topic, comment = queries.topic_comment_or_404(org_slug, topic_slug, comment_id)
    require(current_user, "read_topic", topic)
    if not topic.offers_rating:
        abort(404)
    require(current_user, "vote", comment)
    form = RatingForm()
    if not form.validate_on_submit():
        abort(400)  # the buttons send only valid values
    back = redirect(_rate_url(org_slug, topic_slug), code=303)
    if wait := limits.hit(Act.VOTE):
        flash(limits.message(Act.VOTE, wait), "error")
        # The same comment again, to vote on once the wait is over.
        return redirect(_rate_url(org_slug, topic_slug, comment=comment_id), code=303)
    try:
        participation.vote_comment(comment, current_user, form.choice)
    except participation.ParticipationClosedError:
        return back  # the page says why nothing can be rated now
    except participation.CommentNotVotableError:
        # Hidden or withdrawn since it was shown: on to the next one.
        flash(_("This comment can no longer be voted on."), "error")
        return back
    db.session.commit()
    # The same form sent twice finds the vote already there and changes nothing; either
    # way the next page offers a comment the person has not voted on.
    flash(_SAID[form.choice](), "success")
    focus_after_redirect(FOCUS)
    return back


# After logging in, Flask-Login sends people back to the address they posted to.
@bp.get(f"{RATE_URL}/<int:comment_id>")
def back_to_rating(org_slug: str, topic_slug: str, comment_id: int) -> Response:
    return redirect(_rate_url(org_slug, topic_slug), code=303)
