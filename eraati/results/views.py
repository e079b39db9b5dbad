"""Results pages of a topic: the staff overview and the public page after publication."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from eraati.consultations.models import Phase, Topic
from eraati.consultations.queries import topic_or_404
from eraati.core.time import utcnow
from eraati.results.display import result_charts
from eraati.results.figures import ResultFigures, for_public, topic_figures
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
    }


@bp.get("/staff/<org_slug>/topics/<int:topic_id>/results-overview")
def staff(org_slug: str, topic_id: int):
    """Everything, for the organisation's staff at any time (interim while it is open)."""
    org = staff_org(org_slug, "staff")
    topic = org_topic_or_404(org, topic_id)
    figures = topic_figures(topic, locale=_locale(), now=utcnow())
    return render_template("results/staff.html", org=org, **_context(topic, figures))


@bp.get("/<org_slug>/<topic_slug>/results")
def public(org_slug: str, topic_slug: str):
    """The public part, once the organisation has published the results."""
    topic = topic_or_404(org_slug, topic_slug)
    now = utcnow()
    if topic.phase(now) != Phase.PUBLISHED:
        abort(404)
    figures = for_public(topic_figures(topic, locale=_locale(), now=now))
    return render_template("results/public.html", **_context(topic, figures))
