"""Results pages of a topic: the staff overview and the public page after publication."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eraati.analysis import runs
from eraati.analysis.models import AnalysisKind
from eraati.consultations.forms import ConfirmForm
from eraati.consultations.models import Phase, QuestionKind, Topic
from eraati.consultations.queries import topic_or_404
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.queries import answers_waiting
from eraati.parts.results import part_figures
from eraati.permissions import can, require
from eraati.results import queries
from eraati.results.display import result_charts
from eraati.results.figures import ResultFigures, for_public, topic_figures
from eraati.results.municipalities import results_by_group
from eraati.results.opinion import groups_view
from eraati.staff import org_topic_or_404, staff_org

bp = Blueprint("results", __name__)


def _locale() -> str:
    return str(get_locale() or "fi")


def _context(topic: Topic, figures: ResultFigures) -> dict[str, object]:
    text = topic.text(_locale())
    return {
        "topic": topic,
        "title": text.title if text else topic.slug,
        "title_lang": text.locale if text and text.locale != _locale() else None,
        "figures": figures,
        "charts": result_charts(figures),
        "phase": figures.phase,
        "now": figures.made_at,
        # A draft read part by part (eraati.parts): comments by part and by paragraph.
        "part_figures": part_figures(topic, _locale()),
    }


@bp.get("/staff/<org_slug>/topics/<int:topic_id>/results-overview")
def staff(org_slug: str, topic_id: int):
    """Everything, for the organisation's staff at any time (interim while it is open)."""
    org = staff_org(org_slug, "staff")
    topic = org_topic_or_404(org, topic_id)
    figures = topic_figures(topic, locale=_locale(), now=utcnow())
    # A moderator sees how many open answers wait for a check, with a link to that list.
    open_waiting = None
    asks_open = any(q.kind == QuestionKind.OPEN for q in topic.questions)
    if asks_open and can(current_user, "moderate_answers", topic):
        open_waiting = answers_waiting(org).get(topic.id, 0)
    by_municipality, by_background = results_by_group(topic, _locale())
    return render_template(
        "results/staff.html",
        org=org,
        by_municipality=by_municipality,
        by_background=by_background,
        open_answers=queries.open_answers(topic),
        open_listed=queries.OPEN_ANSWERS_LISTED,
        open_waiting=open_waiting,
        **_context(topic, figures),
    )


@bp.get("/<org_slug>/<topic_slug>/results")
def public(org_slug: str, topic_slug: str):
    """The public part, once the organisation has published the results."""
    topic = topic_or_404(org_slug, topic_slug)
    now = utcnow()
    if topic.phase(now) != Phase.PUBLISHED:
        abort(404)
    figures = for_public(topic_figures(topic, locale=_locale(), now=now))
    groups = groups_view(topic.id) if can(current_user, "view_opinion_groups", topic) else None
    by_municipality = by_background = None
    # The organisation's setting "results by group on the public page" covers both the
    # home municipalities of the accounts and the survey's background questions.
    if topic.organisation.municipality_results_public:
        by_municipality, by_background = results_by_group(topic, _locale())
    return render_template(
        "results/public.html",
        groups=groups if groups is not None and groups.chart is not None else None,
        by_municipality=by_municipality,
        by_background=by_background,
        **_context(topic, figures),
    )


@bp.get("/staff/<org_slug>/topics/<int:topic_id>/opinion-groups")
def opinion_groups(org_slug: str, topic_id: int):
    """The topic's opinion groups for its staff, open or closed. A stored result older
    than the votes asks for a new computation (queued: never computed in the request)."""
    org = staff_org(org_slug, "staff")
    topic = org_topic_or_404(org, topic_id)
    require(current_user, "view_opinion_groups", topic)
    runs.stored_asking(topic.id, AnalysisKind.GROUPS)
    text = topic.text(_locale())
    return render_template(
        "results/opinion_groups.html",
        org=org,
        topic=topic,
        title=text.title if text else topic.slug,
        title_lang=text.locale if text and text.locale != _locale() else None,
        groups=groups_view(topic.id),
        form=ConfirmForm(formdata=None),
    )


@bp.post("/staff/<org_slug>/topics/<int:topic_id>/opinion-groups")
def compute_opinion_groups(org_slug: str, topic_id: int):
    """The staff's "compute now" button: a new computation, queued at once."""
    org = staff_org(org_slug, "staff")
    topic = org_topic_or_404(org, topic_id)
    require(current_user, "compute_opinion_groups", topic)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if runs.ask(topic.id, AnalysisKind.GROUPS, force=True):
        flash(_("The opinion groups are being computed. This takes a moment."), "success")
    else:
        flash(_("The opinion groups are already being computed."), "info")
    db.session.commit()
    return redirect(url_for(".opinion_groups", org_slug=org.slug, topic_id=topic.id), 303)
