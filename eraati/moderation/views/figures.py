"""The public account of a topic's moderation: hidden comments by reason, and waiting ones."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from eraati.consultations.queries import topic_or_404
from eraati.moderation.views import bp, locale
from eraati.permissions import require
from eraati.results.figures import moderation_figures


@bp.get("/<org_slug>/<topic_slug>/moderation-figures")
def topic_figures(org_slug: str, topic_slug: str):
    topic = topic_or_404(org_slug, topic_slug, poll=False)
    require(current_user, "read_topic", topic)
    return render_template(
        "moderation/figures.html",
        topic=topic,
        text=topic.text(locale()),
        figures=moderation_figures(topic, locale()),
    )
