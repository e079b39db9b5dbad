"""Search of a topic's comments by residents and visitors: what the thread shows of it,
its visible comments, newest first, each with a link to its place in the thread."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from eraati.analysis.search import comments as found
from eraati.analysis.search.index import MAX_QUERY_LENGTH
from eraati.consultations import queries
from eraati.consultations.forms import CommentSearchForm
from eraati.consultations.views import bp
from eraati.consultations.views.pages import _locale, _read_only
from eraati.permissions import require

PER_PAGE = 20


@bp.get("/<org_slug>/<topic_slug>/search")
def search_comments(org_slug: str, topic_slug: str):
    topic = queries.topic_or_404(org_slug, topic_slug, poll=False)
    require(current_user, "read_topic", topic)
    form = CommentSearchForm(formdata=request.args)
    q = (form.q.data or "")[:MAX_QUERY_LENGTH]
    form.q.data = q
    page = None
    if q:
        page = found.newest_matches(
            found.visible_in_topic(topic.id), q, after=request.args.get("after"), per_page=PER_PAGE
        )
    return _read_only(
        render_template(
            "consultations/search.html",
            topic=topic,
            text=topic.text(_locale()),
            form=form,
            q=q,
            page=page,
            marked_parts=found.marked_parts,
            results_url=lambda after: url_for(
                ".search_comments", org_slug=org_slug, topic_slug=topic_slug, q=q, after=after
            ),
        )
    )
