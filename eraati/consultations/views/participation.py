"""Stances, comment votes, poll answers, follows: POST, then back to the topic page (303)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from eraati.consultations import background, participation, queries
from eraati.consultations.models import Phase, Topic
from eraati.consultations.participation_forms import (
    FollowForm,
    PollForm,
    StanceForm,
    VoteForm,
)
from eraati.consultations.views import bp, limits
from eraati.consultations.views.limits import Act
from eraati.consultations.views.pages import render_topic_page
from eraati.core.focus import focus_after_redirect
from eraati.core.i18n import format_moment
from eraati.core.security import safe_next
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.permissions import require

TOPIC_URL = "/<org_slug>/<topic_slug>"
VOTE_URL = f"{TOPIC_URL}/comments/<int:comment_id>/vote"


def _topic(org_slug: str, topic_slug: str, *, poll: bool = False) -> Topic:
    # A poll's answers may be shown again with errors (the whole page): with the texts.
    topic = queries.topic_or_404(org_slug, topic_slug, poll=poll, texts=poll)
    require(current_user, "read_topic", topic)
    return topic


def _here(**kw) -> str:
    """This topic's page, from the address of the request: after a commit the topic
    object is expired, and reading its slugs would load it again."""
    args = request.view_args or {}
    return url_for(
        "consultations.topic", org_slug=args["org_slug"], topic_slug=args["topic_slug"], **kw
    )


def _page_and_sort(topic: Topic, next_url: str | None) -> dict[str, str]:
    """The comment page and order of ``next``, if it is this topic's page; else nothing."""
    target = urlsplit(safe_next(next_url, default=""))
    if target.path != _here():
        return {}
    return queries.place_args(MultiDict(parse_qsl(target.query)))


def _back(topic: Topic, anchor: str, next_url: str | None = None) -> Response:
    focus_after_redirect(anchor)  # the keyboard user goes on from what they just changed
    target = urlsplit(safe_next(next_url, default=""))
    parts = _here() + "/parts/"
    if target.path.startswith(parts) and target.path[len(parts) :].isdigit():
        # A comment on a part's page (eraati.parts): back there, on the same page of it.
        place = queries.place_args(MultiDict(parse_qsl(target.query)))
        query = ("?" + urlencode(place)) if place else ""
        return redirect(f"{target.path}{query}#{anchor}", code=303)
    return redirect(_here(**_page_and_sort(topic, next_url), _anchor=anchor), code=303)


def _refused(topic: Topic, act: Act, wait: int, anchor: str, next_url: str | None) -> Response:
    """A writing limit is full: back to where the resident was, told when to try again."""
    flash(limits.message(act, wait), "error")
    return _back(topic, anchor, next_url)


def _closed(topic: Topic, anchor: str, next_url: str | None) -> Response:
    """Back to the topic, told why it takes nothing: it opens later, or it has closed."""
    if topic.phase(utcnow()) == Phase.UPCOMING:
        message = _(
            "This consultation opens on %(date)s. Stances and answers can be given once it opens.",
            date=format_moment(topic.opens_at, "compact"),
        )
    else:
        message = _(
            "This consultation is closed. "
            "Stances, votes and answers can no longer be given or changed."
        )
    flash(message, "error")
    return _back(topic, anchor, next_url)


# --- stance ----------------------------------------------------------------------------------


@bp.post(f"{TOPIC_URL}/stance")
def set_stance(org_slug: str, topic_slug: str) -> Response:
    topic = _topic(org_slug, topic_slug)
    require(current_user, "stance", topic)
    form = StanceForm()
    if not form.validate_on_submit():
        abort(400)  # the buttons send only valid values
    if wait := limits.hit(Act.STANCE):
        return _refused(topic, Act.STANCE, wait, "stance", form.next.data)
    try:
        participation.set_stance(topic, current_user, form.choice)
    except participation.ParticipationClosedError:
        return _closed(topic, "stance", form.next.data)
    except participation.StancesDisabledError:
        flash(_("This consultation does not ask for stances on the proposal."), "error")
        return _back(topic, "your-view", form.next.data)
    db.session.commit()
    if form.choice is None:
        flash(_("Your stance was withdrawn."), "success")
    else:
        flash(_("Thank you, your stance was saved."), "success")
    return _back(topic, "stance", form.next.data)


# --- comment votes ---------------------------------------------------------------------------


@bp.post(VOTE_URL)
def vote_comment(org_slug: str, topic_slug: str, comment_id: int) -> Response:
    topic, comment = queries.topic_comment_or_404(org_slug, topic_slug, comment_id)
    require(current_user, "read_topic", topic)
    require(current_user, "vote", comment)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    anchor = f"c{comment.id}"
    if wait := limits.hit(Act.VOTE):
        return _refused(topic, Act.VOTE, wait, anchor, form.next.data)
    try:
        participation.vote_comment(comment, current_user, form.choice)
    except participation.ParticipationClosedError:
        return _closed(topic, anchor, form.next.data)
    except participation.CommentNotVotableError:
        flash(_("This comment can no longer be voted on."), "error")
        return _back(topic, anchor, form.next.data)
    db.session.commit()
    if form.choice is None:
        flash(_("Your vote was withdrawn."), "success")
    else:
        flash(_("Your vote was saved."), "success")
    return _back(topic, anchor, form.next.data)


# --- poll ------------------------------------------------------------------------------------


@bp.post(f"{TOPIC_URL}/poll")
def answer_poll(org_slug: str, topic_slug: str) -> Response:
    topic = _topic(org_slug, topic_slug, poll=True)
    require(current_user, "answer_poll", topic)
    if not topic.questions:
        abort(404)
    now = utcnow()
    asked = background.form_questions(topic, str(get_locale() or "fi"))
    form = PollForm(topic.questions, request.form, asked)
    if not topic.is_open(now):
        return _closed(topic, "poll", form.next)
    if not form.validate():
        return render_topic_page(topic, status=422, poll_form=form, now=now)
    try:
        # The background answers in the same transaction: all of the survey, or nothing.
        saved = participation.answer_poll(
            topic,
            current_user,
            form.data,
            background=form.background_data if asked else None,
            now=now,
        )
    except participation.ParticipationClosedError:
        return _closed(topic, "poll", form.next)
    except participation.InvalidAnswerError as exc:  # the poll changed under the form
        db.session.rollback()  # nothing of the survey is saved
        form.errors[exc.question_id] = [_("Choose from the options shown.")]
        return render_topic_page(topic, status=422, poll_form=form, now=now)
    except participation.InvalidBackgroundError as exc:  # the choices changed under the form
        db.session.rollback()
        form.background_errors[exc.key] = [_("Choose from the options shown.")]
        return render_topic_page(topic, status=422, poll_form=form, now=now)
    db.session.commit()
    if saved == participation.Saved.CHANGED:
        flash(_("Your answers were updated."), "success")
    else:
        flash(_("Thank you, your answers were saved."), "success")
    return _back(topic, "poll", form.next)


# --- follow ----------------------------------------------------------------------------------


@bp.post(f"{TOPIC_URL}/follow")
def follow(org_slug: str, topic_slug: str) -> Response:
    topic = _topic(org_slug, topic_slug)
    require(current_user, "follow", topic)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    if wait := limits.hit(Act.FOLLOW):
        return _refused(topic, Act.FOLLOW, wait, "follow", form.next.data)
    try:
        participation.follow_topic(topic, current_user)
    except participation.PersonalDataRemovedError:
        flash(
            _("The personal data of this consultation was removed: it can no longer be followed."),
            "info",
        )
        return _back(topic, "follow", form.next.data)
    db.session.commit()
    if topic.results_out:  # the follow starts told: no e-mail will come
        flash(
            _(
                "You now follow this consultation. Its results have already been published, "
                "so no more e-mails will be sent about it."
            ),
            "success",
        )
    elif topic.phase(utcnow()) == Phase.UPCOMING:  # followers are told when it opens
        flash(
            _(
                "You now follow this consultation. We will e-mail you when it opens and "
                "when its results are published."
            ),
            "success",
        )
    else:
        flash(
            _(
                "You now follow this consultation. We will e-mail you when the results "
                "are published."
            ),
            "success",
        )
    return _back(topic, "follow", form.next.data)


@bp.post(f"{TOPIC_URL}/unfollow")
def unfollow(org_slug: str, topic_slug: str) -> Response:
    topic = _topic(org_slug, topic_slug)
    require(current_user, "follow", topic)
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    if wait := limits.hit(Act.FOLLOW):
        return _refused(topic, Act.FOLLOW, wait, "follow", form.next.data)
    participation.unfollow_topic(topic, current_user)
    db.session.commit()
    flash(_("You no longer follow this consultation."), "success")
    return _back(topic, "follow", form.next.data)


# After logging in, Flask-Login sends people back to the address they posted to: show the
# topic there instead of "method not allowed".
@bp.get(f"{TOPIC_URL}/stance")
@bp.get(f"{TOPIC_URL}/poll")
@bp.get(f"{TOPIC_URL}/follow")
@bp.get(f"{TOPIC_URL}/unfollow")
@bp.get(VOTE_URL)
def back_to_topic(org_slug: str, topic_slug: str, comment_id: int | None = None) -> Response:
    topic = _topic(org_slug, topic_slug)
    return _back(topic, f"c{comment_id}" if comment_id else "your-view")
