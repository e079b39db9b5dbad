"""Campaign texts: the groups of comments that share one text (computed in the background
by ``eraati.analysis.campaigns``), and one group's comments for review.

Grouping changes nothing: the moderator reads the group, hides a comment that breaks the
rules in the moderation tools, or marks one as a key comment. The page never computes:
it shows the last result, asks for a new one when comments changed since (the job
queue does the work), and offers "compute now".
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eraati.analysis import campaigns, runs
from eraati.analysis.models import AnalysisKind
from eraati.curation import forms
from eraati.curation.views import bp
from eraati.curation.views.common import TOPIC_URL, common, load, page_arg

KIND = AnalysisKind.CAMPAIGNS
PER_PAGE = 50


class _Pager:
    """Page links over a stored list of ids (what ``pagination_nav`` reads)."""

    def __init__(self, page: int, pages: int) -> None:
        self.page, self.pages = page, pages
        self.has_prev, self.has_next = page > 1, page < pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(self):
        shown = {1, 2, self.pages - 1, self.pages, *range(self.page - 2, self.page + 3)}
        last = 0
        for n in sorted(p for p in shown if 1 <= p <= self.pages):
            if n > last + 1:
                yield None
            yield n
            last = n


@bp.get(f"{TOPIC_URL}/campaigns")
def campaign_list(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    stored, out_of_date = runs.stored_asking(topic.id, KIND)
    result = stored.result if stored else None
    return render_template(
        "curation/campaigns.html",
        **common(org, topic),
        stored=stored,
        out_of_date=out_of_date,
        groups=campaigns.stored_groups(result),
        counted=(result or {}).get("comments", 0),
        min_size=(result or {}).get("min_size", campaigns.MIN_GROUP),
        min_exact_words=campaigns.MIN_EXACT_WORDS,
        min_near_words=campaigns.MIN_NEAR_WORDS,
        form=forms.ConfirmForm(),
    )


@bp.post(f"{TOPIC_URL}/campaigns/compute")
def compute_campaigns(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)  # only a changed page sends anything else
    if runs.ask(topic.id, KIND, force=True):
        flash(_("The campaign texts are being computed. This takes a moment."), "success")
    else:
        flash(_("The campaign texts are already being computed."), "info")
    return redirect(url_for(".campaign_list", org_slug=org.slug, topic_id=topic.id), code=303)


@bp.get(f"{TOPIC_URL}/campaigns/<int:comment_id>")
def campaign(org_slug: str, topic_id: int, comment_id: int):
    org, topic = load(org_slug, topic_id)
    stored = runs.analysis_of(topic.id, KIND)
    groups = campaigns.stored_groups(stored.result if stored else None)
    group = campaigns.find_group(groups, comment_id)
    if group is None:
        abort(404)
    page = page_arg(request.args.get("page"))
    pages = max(1, -(-group.size // PER_PAGE))
    page = min(page, pages)
    ids = group.ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    here = url_for(
        ".campaign",
        org_slug=org.slug,
        topic_id=topic.id,
        comment_id=group.representative_id,
        page=page if page > 1 else None,
    )
    return render_template(
        "curation/campaign.html",
        **common(org, topic),
        stored=stored,
        group=group,
        comments=campaigns.review_comments(topic.id, ids),
        pager=_Pager(page, pages),
        page_url=lambda n: url_for(
            ".campaign",
            org_slug=org.slug,
            topic_id=topic.id,
            comment_id=group.representative_id,
            page=n if n > 1 else None,
        ),
        here=here,
    )
