"""Suggested themes (``analysis.suggestions``): the moderator accepts or rejects each
suggestion, one by one or the chosen ones at once. Accepting tags the comment as tagging
by hand does; rejecting hides the suggestion for good. Nothing is tagged otherwise.

The suggestions are computed in the background (``analysis.runs``): the page shows the
last result with its time, asks for a new one when the tags or comments changed since
(only asks: the computation is a job), and says "being computed" meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from babel import numbers
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eraati.analysis import runs
from eraati.analysis.models import AnalysisKind, TopicAnalysis
from eraati.consultations.models import Comment, CommentStatus, Theme, Topic, comment_themes
from eraati.core.focus import focus_after_redirect, focus_target
from eraati.core.i18n import format_locale
from eraati.curation import forms, queries, services
from eraati.curation.models import SuggestionDecision
from eraati.curation.views import bp
from eraati.curation.views.common import TOPIC_URL, common, load, locale
from eraati.extensions import db

SUGGESTIONS_URL = f"{TOPIC_URL}/suggested-themes"
KIND = AnalysisKind.THEMES
# The most certain suggestions of each theme on the page; the rest after these are decided.
PER_THEME = 100


@dataclass(frozen=True)
class Suggestion:
    comment: Comment
    theme_id: int
    confidence: float

    @property
    def key(self) -> str:
        return f"{self.comment.id}-{self.theme_id}"

    @property
    def percent(self) -> str:
        return numbers.format_percent(self.confidence, locale=format_locale())


def _url(topic: Topic) -> str:
    return url_for("curation.suggested_themes", org_slug=topic.organisation.slug, topic_id=topic.id)


def _stored_confidences(stored: TopicAnalysis | None) -> dict[tuple[int, int], float]:
    result = (stored.result if stored else None) or {}
    return {
        (int(s["comment_id"]), int(s["theme_id"])): float(s["confidence"])
        for s in result.get("suggestions", [])
    }


def _open_suggestions(
    topic: Topic, themes: list[Theme], stored: TopicAnalysis | None
) -> list[tuple[Theme, list[Suggestion], int]]:
    """The stored suggestions still open, by theme: (theme, the first PER_THEME, how many
    in all). A comment hidden or tagged since, a theme deleted, a decided suggestion are
    left out. Three queries, however many suggestions."""
    confidences = _stored_confidences(stored)
    theme_ids = {t.id for t in themes}
    comment_ids = sorted({c for c, t in confidences if t in theme_ids})
    if not comment_ids:
        return []
    comments = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Comment).where(
                Comment.id.in_(comment_ids),
                Comment.topic_id == topic.id,
                Comment.status == CommentStatus.VISIBLE,
                ~sa.exists().where(comment_themes.c.comment_id == Comment.id),
            )
        )
    }
    decided = set(
        db.session.execute(
            sa.select(SuggestionDecision.comment_id, SuggestionDecision.theme_id).where(
                SuggestionDecision.comment_id.in_(sorted(comments))
            )
        ).tuples()
    )
    by_theme: dict[int, list[Suggestion]] = {t.id: [] for t in themes}
    for (cid, tid), p in confidences.items():
        if cid in comments and tid in by_theme and (cid, tid) not in decided:
            by_theme[tid].append(Suggestion(comments[cid], tid, p))
    out = []
    for theme in themes:
        found = sorted(by_theme[theme.id], key=lambda s: (-s.confidence, s.comment.id))
        if found:
            out.append((theme, found[:PER_THEME], len(found)))
    return out


@bp.get(SUGGESTIONS_URL)
def suggested_themes(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    stored, stale = runs.stored_asking(topic.id, KIND)
    themes = queries.themes(topic)
    result = (stored.result if stored else None) or {}
    learnt = result.get("themes", {})
    minimum = result.get("minimum", 5)
    return render_template(
        "curation/suggestions.html",
        **common(org, topic),
        themes=themes,
        stored=stored,
        stale=stale,
        groups=_open_suggestions(topic, themes, stored),
        too_few=[
            (theme, learnt[str(theme.id)]["examples"])
            for theme in themes
            if str(theme.id) in learnt and learnt[str(theme.id)]["reason"] == "few"
        ],
        minimum=minimum,
        form=forms.ConfirmForm(),
        themes_url=url_for("curation.themes", org_slug=org.slug, topic_id=topic.id),
        focus_id=focus_target(),
        page_locale=locale(),
    )


def _pairs(values: list[str]) -> set[tuple[int, int]] | None:
    """ "12-3" → (comment 12, theme 3); None when one is not of that shape."""
    pairs = set()
    for value in values:
        left, dash, right = value.partition("-")
        if not (dash and left.isdigit() and right.isdigit()):
            return None
        pairs.add((int(left), int(right)))
    return pairs


@bp.post(SUGGESTIONS_URL)
def decide_suggestions(org_slug: str, topic_id: int):
    _org, topic = load(org_slug, topic_id)
    form = forms.ConfirmForm()
    back = redirect(_url(topic), code=303)
    focus_after_redirect("messages")
    if not form.validate_on_submit():
        flash(_("The page had expired. Try again."), "error")
        return back
    if request.form.get("accept") or request.form.get("reject"):
        accept = bool(request.form.get("accept"))
        pairs = _pairs([request.form.get("accept") or request.form.get("reject")])
    else:
        accept = request.form.get("bulk") == "accept"
        if request.form.get("bulk") not in ("accept", "reject"):
            pairs = None
        else:
            pairs = _pairs(request.form.getlist("chosen"))
            if pairs == set():
                flash(_("Choose at least one suggestion."), "error")
                return back
    if not pairs:
        flash(_("Check the suggestions and try again."), "error")
        return back
    confidences = _stored_confidences(runs.analysis_of(topic.id, KIND))
    chosen = {pair: confidences.get(pair) for pair in pairs}
    decide = services.accept_suggestions if accept else services.reject_suggestions
    try:
        done = decide(topic, chosen, actor=current_user)
    except services.SuggestionGoneError:
        db.session.rollback()
        flash(
            _(
                "Someone decided on a suggestion meanwhile, or its comment or theme changed. "
                "Nothing was saved: the list is now up to date, check it and try again."
            ),
            "error",
        )
        return back
    db.session.commit()
    if accept:
        flash(
            ngettext("%(num)d suggestion accepted.", "%(num)d suggestions accepted.", done),
            "success",
        )
    else:
        flash(
            ngettext("%(num)d suggestion rejected.", "%(num)d suggestions rejected.", done),
            "success",
        )
    return back


@bp.post(f"{SUGGESTIONS_URL}/compute")
def compute_suggestions(org_slug: str, topic_id: int):
    _org, topic = load(org_slug, topic_id)
    form = forms.ConfirmForm()
    focus_after_redirect("messages")
    if not form.validate_on_submit():
        flash(_("The page had expired. Try again."), "error")
    elif runs.ask(topic.id, KIND, force=True):
        flash(_("The suggestions are being computed."), "success")
    else:
        flash(_("The suggestions are already being computed."), "info")
    return redirect(_url(topic), code=303)
