"""Front page, organisation page and topic page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import Response, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import SelectChoice

from eraati.consultations import background, participation, queries, services
from eraati.consultations.forms import AnonymousCommentForm, CommentForm, TopicFilterForm
from eraati.consultations.models import CommentStatus, Topic
from eraati.consultations.queries import CommentSort, StatusFilter, TopicFilters, TopicSort
from eraati.consultations.views import bp
from eraati.consultations.views import threads as threads_view
from eraati.core.focus import focus_target
from eraati.core.i18n import LANGUAGES
from eraati.core.i18n import gettext as _
from eraati.core.sanitize import render_rich
from eraati.core.security import allow_images_from
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation
from eraati.permissions import can, require
from eraati.places import forms as place_forms
from eraati.places import queries as places_queries

T = TypeVar("T")


def _locale() -> str:
    return str(get_locale() or "fi")


def _page_arg() -> int:
    page = request.args.get("page", type=int) or 1
    return max(page, 1)


def _choice(enum_cls, value: str | None, default):
    try:
        return enum_cls(value)
    except ValueError:
        return default


def _read_only(response: T) -> T:
    """End a page's read-only transaction with COMMIT instead of the rollback it would get.

    psycopg forgets its prepared statements on every rollback, so PostgreSQL would plan the
    page's queries again on each request (planning the topic query costs more than running
    it). Nothing has been written: committing ends the transaction the same way. (Should
    an object have been changed in memory, it is rolled back as before, never saved.)"""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        session.rollback()
    else:
        session.commit()
    return response


# --- topic lists -----------------------------------------------------------------------------


@bp.get("/")
def index():
    return _read_only(_topic_list(None))


@bp.get("/<org_slug>")
def organisation(org_slug: str):
    return _read_only(_topic_list(queries.organisation_or_404(org_slug)))


def _topic_list(org: Organisation | None) -> str:
    now = utcnow()
    locale = _locale()
    orgs = queries.organisations()
    form = TopicFilterForm(formdata=request.args)
    form.organisation.choices = [SelectChoice("", _("All organisations"))] + [
        # A name in another language than the page's is marked with it.
        SelectChoice(
            o.slug, o.name(locale), {"lang": lang} if (lang := o.name_lang(locale)) else {}
        )
        for o in orgs
    ]
    if org is None:
        org = next((o for o in orgs if o.slug == form.organisation.data), None)
    form.organisation.data = org.slug if org else ""
    filters = TopicFilters(
        organisation=org,
        status=_choice(StatusFilter, form.status.data, StatusFilter.OPEN),
        q=(form.q.data or "")[:200],
        sort=_choice(TopicSort, form.sort.data, TopicSort.LATEST_DEADLINE),
    )
    form.status.data, form.sort.data = filters.status.value, filters.sort.value
    page = _page_arg()
    pagination = queries.front_page(filters, page, now)
    # What opens later, above the list: on its first page, unless the list shows just that.
    show_upcoming = page == 1 and not filters.q and filters.status != StatusFilter.UPCOMING
    return render_template(
        "consultations/index.html",
        form=form,
        filters=filters,
        org=org,
        pagination=pagination,
        page_url=_list_page_url(
            filters, on_org_page=request.endpoint == "consultations.organisation"
        ),
        now=now,
        upcoming=queries.upcoming(org, now) if show_upcoming else [],
    )


def _list_page_url(filters: TopicFilters, *, on_org_page: bool) -> Callable[[int], str]:
    """Page links keep the filters (defaults stay out of the address)."""
    args: dict[str, str] = {}
    if filters.organisation is not None and not on_org_page:
        args["organisation"] = filters.organisation.slug
    if filters.status != StatusFilter.OPEN:
        args["status"] = filters.status.value
    if filters.q:
        args["q"] = filters.q
    if filters.sort != TopicSort.LATEST_DEADLINE:
        args["sort"] = filters.sort.value
    view_args = dict(request.view_args or {})

    def page_url(page: int) -> str:
        return url_for(request.endpoint, **view_args, **args, page=page)

    return page_url


# --- topic page ------------------------------------------------------------------------------


@bp.get("/<org_slug>/<topic_slug>")
def topic(org_slug: str, topic_slug: str):
    topic = queries.topic_or_404(org_slug, topic_slug)
    require(current_user, "read_topic", topic)
    return _read_only(render_topic_page(topic))


def new_comment_form(topic: Topic, *, formdata=None) -> CommentForm | None:
    """The form this viewer may use on this topic: as a resident, anonymously, or none."""
    if can(current_user, "comment", topic):
        return CommentForm(formdata=formdata)
    if can(current_user, "comment_anonymously", topic):
        return AnonymousCommentForm(formdata=formdata)
    return None


def topic_url(topic: Topic, **kw) -> str:
    return url_for(
        "consultations.topic", org_slug=topic.organisation.slug, topic_slug=topic.slug, **kw
    )


def _sort_arg(sort: CommentSort) -> str | None:
    """``sort=`` of a topic page's address (the default order stays out of it)."""
    return sort.value if sort != CommentSort.NEWEST else None


def _comment_links(
    topic: Topic, sort: CommentSort, threads, page_url: Callable[..., str]
) -> dict[str, str]:
    """Address prefixes the comment templates complete with an id: built once per page
    instead of once per comment (a topic page shows up to 50 threads)."""
    here = page_url(sort=_sort_arg(sort), **threads.here)
    return {
        "comment": topic_url(topic) + "/comments/",  # + id + "/vote" etc.
        "here": here,  # this page, where forms send people back
        "reply": here + ("&" if "?" in here else "?") + "reply_to=",  # + id + "#reply-form"
        "paragraph": page_url(),  # a quoted paragraph: + "#p-3" (eraati.parts)
    }


def topic_languages(topic: Topic) -> list[str]:
    """The languages the topic has a text in, in the site's order (all, if it has none)."""
    written = {t.locale for t in topic.translations}
    return [code for code in LANGUAGES if code in written] or list(LANGUAGES)


@functools.lru_cache(maxsize=256)
def _topic_body(html: str) -> Markup:
    """The topic's text as ``|rich`` shows it. Sanitising it takes bleach a millisecond or
    so, and it is the same text on every page load until the organisation edits it."""
    return render_rich(html)


def render_topic_page(topic: Topic, *, status: int = 200, **extra) -> Response:
    """The whole topic page. Views that re-show it with their own form errors pass the form
    (``comment_form=form``, ``poll_form=form``) and ``status=422``."""
    now: datetime = extra.pop("now", None) or utcnow()
    comment_form = extra.pop("comment_form", None)
    topic_map = extra.pop("topic_map", None) or places_queries.map_view(topic)
    context = discussion(
        topic, now, comment_form, lambda **kw: topic_url(topic, **kw), topic_map=topic_map
    )
    locale = _locale()
    text = topic.text(locale)
    context.update(
        text=text,
        # The languages the topic is written in: its page's language versions.
        page_languages=topic_languages(topic),
        body=_topic_body(text.body) if text and text.body else None,
        share_url=topic_url(topic, _external=True),
    )
    context["topic_map"] = topic_map
    poll_form = extra.get("poll_form")
    if poll_form is not None:
        context["background_form"] = getattr(poll_form, "background_questions", [])
    elif (
        topic.background_questions
        and topic.questions
        and current_user.is_authenticated
        and topic.is_open(now)
    ):
        context["background_form"] = background.form_questions(topic, locale)
    context.update(extra)
    response = make_response(render_template("consultations/topic.html", **context), status)
    if topic_map is not None and topic_map.tile_origin:
        allow_images_from(response, topic_map.tile_origin)  # the map's tiles, this page only
    return response


def discussion(
    topic: Topic,
    now: datetime,
    comment_form: CommentForm | None,
    page_url: Callable[..., str],
    *,
    part_id: int | None = None,
    topic_map: Any = None,
) -> dict:
    """What a page with a discussion shows of it: a page of its comments with their
    replies, the viewer's votes, the comment form. The topic page's discussion, or that of
    the part ``part_id`` (eraati.parts), whose page is at ``page_url(**args)``. The topic
    page gives its ``topic_map`` (eraati.places): its form offers the named places."""
    sort = _choice(CommentSort, request.args.get("sort"), CommentSort.NEWEST)
    threads = queries.comment_page(
        topic,
        current_user,
        sort,
        after=request.args.get("after"),
        before=request.args.get("before"),
        part_id=part_id,
    )
    shown = threads.shown()
    state = participation.page_state(topic, current_user, [c.id for c in shown])
    is_open = topic.is_open(now)

    if comment_form is None and is_open:
        comment_form = new_comment_form(topic)
    if comment_form is not None:
        place_forms.fill_place_choices(comment_form, topic_map, _locale())
    reply_target = None
    if comment_form is not None:
        comment_form.new_token()
        wanted = comment_form.parent or request.args.get("reply_to", type=int)
        replyable = {c.id for c in shown if c.status == CommentStatus.VISIBLE}
        reply_target = wanted if wanted in replyable else None
        if not comment_form.parent_id.errors:
            comment_form.parent_id.data = str(reply_target) if reply_target else ""

    viewer = current_user._get_current_object()  # not the proxy, in the loops below
    editable_ids = (
        {c.id for c in shown if can(viewer, "edit_comment", c) and services.still_editable(c, now)}
        if is_open and viewer.is_authenticated
        else set()
    )
    locale = _locale()
    focus_id = focus_target()
    org_name = topic.organisation.marked_name(locale)  # an official reply's writer
    links = _comment_links(topic, sort, threads, page_url)
    # Quotes of paragraphs are in the topic's primary language (eraati.parts).
    primary = topic.organisation.primary_language
    links["quote_lang"] = primary if primary != locale else ""
    return {
        "topic": topic,
        "phase": topic.phase(now),
        "now": now,
        "is_open": is_open,
        "state": state,
        "threads": threads,
        "sort": sort,
        "comment_form": comment_form,
        "reply_target": reply_target,
        "editable_ids": editable_ids,
        "comment_links": links,
        "comment_labels": threads_view.comment_labels(),
        "comment_items": threads_view.comment_items(
            threads,
            viewer=viewer,
            votes=state.votes,
            is_open=is_open,
            can_reply=is_open and bool(comment_form),
            reply_target=reply_target,
            editable_ids=editable_ids,
            focus_id=focus_id,
            locale=locale,
            org_name=org_name,
            anonymised=topic.anonymised_at is not None,
        ),
        "vote_csrf": generate_csrf(),
        "viewer": viewer,
        "focus_id": focus_id,
        # The address of this page of comments, or of another (``after=``/``before=``).
        "comment_page_url": lambda position: page_url(sort=_sort_arg(sort), **position),
    }
