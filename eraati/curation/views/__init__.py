"""The moderators' editorial work on one topic: the workspace (tags and key comments,
official replies), themes, paper and event feedback, the summary.

Every route is under ``/staff/<org_slug>/topics/<topic_id>/`` and needs the "moderate"
rule in that organisation; the topic, and any comment or theme, is looked up within it
(another organisation's or another topic's id is a 404).
"""

from flask import Blueprint

bp = Blueprint("curation", __name__)

from eraati.curation.views import (  # noqa: E402, F401
    campaigns,
    feedback,
    suggestions,
    summary,
    themes,
    workspace,
)
