"""What the editorial pages share: loading the organisation, topic and comment of the
address, where the moderator was in the workspace's list, the topic's heading."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from eraati.consultations.models import Comment, Topic
from eraati.core.focus import focus_after_redirect
from eraati.core.sanitize import clean_text
from eraati.curation.queries import Show
from eraati.organisations.models import Organisation
from eraati.staff import org_comment_or_404, org_topic_or_404, staff_org

TOPIC_URL = "/staff/<org_slug>/topics/<int:topic_id>"
COMMENT_URL = f"{TOPIC_URL}/comments/<int:comment_id>"
THEME_URL = f"{TOPIC_URL}/themes/<int:theme_id>"


# --- loading ---------------------------------------------------------------------------------


def load(org_slug: str, topic_id: int) -> tuple[Organisation, Topic]:
    org = staff_org(org_slug, "moderate")
    return org, org_topic_or_404(org, topic_id)


def load_comment(
    org_slug: str, topic_id: int, comment_id: int
) -> tuple[Organisation, Topic, Comment]:
    org, topic = load(org_slug, topic_id)
    comment = org_comment_or_404(org, comment_id)
    if comment.topic_id != topic.id:
        abort(404)
    return org, topic, comment


def locale() -> str:
    return str(get_locale() or "fi")


def page_arg(value: object) -> int:
    try:
        page = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), 100_000)


def show_arg(value: object) -> Show:
    try:
        return Show(value)
    except ValueError:
        return Show.ALL


def search_arg() -> str:
    """The workspace's search words (``q``, from the address or a form of the list)."""
    return clean_text(request.values.get("q") or "")[:200]


def place_args(show: Show, page: int) -> dict[str, object]:
    """The workspace's address arguments (the defaults stay out of the address); the
    search of the request is kept."""
    return {
        "show": show.value if show != Show.ALL else None,
        "q": search_arg() or None,
        "page": page if page > 1 else None,
    }


def workspace_url(topic: Topic, show: Show = Show.ALL, page: int = 1, **kw) -> str:
    return url_for(
        "curation.workspace",
        org_slug=topic.organisation.slug,
        topic_id=topic.id,
        **place_args(show, page),
        **kw,
    )


def topic_title(topic: Topic) -> str:
    text = topic.text(locale())
    return text.title if text else ""


def title_lang(topic: Topic) -> str | None:
    """The title's language when it is not the reader's (a ``lang`` attribute)."""
    text = topic.text(locale())
    return text.locale if text and text.locale != locale() else None


def common(org: Organisation, topic: Topic) -> dict[str, object]:
    """What every page of this domain shows: the organisation (staff layout) and topic."""
    return {
        "org": org,
        "topic": topic,
        "title": topic_title(topic),
        "title_lang": title_lang(topic),
        "workspace_url": workspace_url(topic),
    }


def back_to_list(topic: Topic, comment: Comment, show: Show, page: int, *, listed: bool = True):
    """Back to the comment in the workspace, or to the message when it left the list."""
    if listed:
        focus_after_redirect(f"c{comment.id}")
        return redirect(workspace_url(topic, show, page, _anchor=f"c{comment.id}"), code=303)
    focus_after_redirect("messages")
    return redirect(workspace_url(topic, show, page), code=303)


def not_accepting_message() -> str:
    return _(
        "This can be done while the consultation is open or closed, "
        "but not before it opens or after the results have been published."
    )
