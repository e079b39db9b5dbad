"""A part's page (``/<org>/<topic>/parts/<position>``): its text paragraph by paragraph,
the comments on it, and the comment form that can quote a paragraph."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, make_response, render_template, request, url_for
from flask_login import current_user

from eraati.consultations import queries as topic_queries
from eraati.consultations.models import Topic
from eraati.consultations.views.comments import handle_post
from eraati.consultations.views.pages import _locale, _read_only, discussion, topic_url
from eraati.core.time import utcnow
from eraati.parts import display, queries
from eraati.parts.forms import new_part_comment_form
from eraati.parts.models import TopicPart
from eraati.parts.paragraphs import split
from eraati.permissions import require

bp = Blueprint("parts", __name__)

PART_URL = "/<org_slug>/<topic_slug>/parts/<int:position>"


def part_url(topic: Topic, position: int, **kw) -> str:
    return url_for(
        "parts.part",
        org_slug=topic.organisation.slug,
        topic_slug=topic.slug,
        position=position,
        **kw,
    )


@bp.app_template_global("topic_parts")
def topic_parts(topic: Topic) -> list[dict]:
    """The topic page's table of contents: each part's title, address and number of
    comments: no query for a topic the page loaded knowing it has none, three with."""
    if topic.has_parts is False:
        return []
    parts = queries.parts_of(topic.id)
    if not parts:
        return []
    counts = queries.part_comment_counts(topic.id)
    locale = _locale()
    return [
        {
            "shown": display.shown(p, topic, locale),
            "url": part_url(topic, p.position),
            "comments": counts.get(p.id, 0),
        }
        for p in parts
    ]


@bp.app_template_global("comment_parts")
def comment_parts(comments) -> dict[int, display.CommentPart]:
    """What staff pages show of their comments' parts (``parts/_comment_part.html``):
    ``{part id: CommentPart}`` for the comments given, in two statements whatever their
    number (none when no comment is on a part)."""
    found = queries.parts_by_id(getattr(c, "part_id", None) for c in comments)
    return display.comment_parts(found, _locale(), part_url)


def _load(
    org_slug: str, topic_slug: str, position: int
) -> tuple[Topic, list[TopicPart], TopicPart]:
    topic = topic_queries.topic_or_404(org_slug, topic_slug, poll=False)
    require(current_user, "read_topic", topic)
    parts = queries.parts_of(topic.id)
    return topic, parts, queries.part_at(parts, position)


@bp.get(PART_URL)
def part(org_slug: str, topic_slug: str, position: int):
    topic, parts, part = _load(org_slug, topic_slug, position)
    return _read_only(render_part_page(topic, parts, part))


@bp.post(f"{PART_URL}/comments")
def post_part_comment(org_slug: str, topic_slug: str, position: int):
    topic, parts, part = _load(org_slug, topic_slug, position)
    reference = display.reference_paragraphs(part, topic)

    def on_part(form) -> dict:
        number = form.paragraph_number
        chosen = reference.get(number) if number else None
        return {
            "part_id": part.id,
            "paragraph": chosen.number if chosen else None,
            "paragraph_quote": chosen.text if chosen else None,
        }

    return handle_post(
        topic,
        lambda: new_part_comment_form(
            topic, [p.text for p in reference.paragraphs], formdata=request.form
        ),
        lambda **kw: render_part_page(topic, parts, part, **kw),
        lambda **kw: part_url(topic, part.position, **kw),
        on_part,
    )


def render_part_page(
    topic: Topic, parts: list[TopicPart], part: TopicPart, *, status: int = 200, **extra
) -> Response:
    now: datetime = extra.pop("now", None) or utcnow()
    locale = _locale()
    reference = display.reference_paragraphs(part, topic)
    texts = [p.text for p in reference.paragraphs]
    comment_form = extra.pop("comment_form", None)
    if comment_form is None and topic.is_open(now):
        comment_form = new_part_comment_form(topic, texts)
        # "Comment on this paragraph" without JavaScript: ?paragraph=3#comment-form.
        wanted = request.args.get("paragraph", "")
        if comment_form is not None and wanted.isdigit() and reference.get(int(wanted)):
            comment_form.paragraph.data = wanted
    context = discussion(
        topic,
        now,
        comment_form,
        lambda **kw: part_url(topic, part.position, **kw),
        part_id=part.id,
    )
    shown = display.shown(part, topic, locale)
    chosen = None
    if comment_form is not None and getattr(comment_form, "paragraph", None) is not None:
        number = comment_form.paragraph_number
        chosen = reference.get(number) if number else None
    index = parts.index(part)
    context.update(
        part=part,
        parts=parts,
        shown=shown,
        # Paragraphs of the text the reader reads; numbers and quotes are the primary
        # language's (the staff form keeps the language versions' paragraphs in step).
        text=split(shown.text.body if shown.text else ""),
        paragraph_count=len(reference.paragraphs),
        paragraph_counts=queries.paragraph_counts(part.id),
        part_comments=queries.part_comment_count(part.id),
        previous=display.shown(parts[index - 1], topic, locale) if index > 0 else None,
        next=display.shown(parts[index + 1], topic, locale) if index + 1 < len(parts) else None,
        files=queries.part_files(part.id),
        chosen_paragraph=chosen,
        comment_action=lambda **kw: url_for(
            "parts.post_part_comment",
            org_slug=topic.organisation.slug,
            topic_slug=topic.slug,
            position=part.position,
            **kw,
        ),
        topic_text=topic.text(locale),
        topic_url=topic_url(topic),
        here=part_url(topic, part.position),
        part_url=lambda position, **kw: part_url(topic, position, **kw),
    )
    context.update(extra)
    return make_response(render_template("parts/part.html", **context), status)


from eraati.parts import staff  # noqa: E402, F401
