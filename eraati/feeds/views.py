"""Atom feeds of the platform and of each organisation, and an organisation's
consultation card for its own website.

    /feeds/consultations.atom            new and coming consultations, every organisation
    /feeds/results.atom                  published results, every organisation
    /feeds/<org>/consultations.atom      the same of one organisation (and topics that concern it)
    /feeds/<org>/results.atom
    /embed/<org>                         the card, framed only by the organisation's own sites

A feed is in the language of ``?lang=`` (fi, sv or en), Finnish without one: a feed
reader sends no language of its own, and its address is what the reader subscribed to.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, make_response, render_template, request, url_for
from flask_babel import force_locale

from eraati.consultations.queries import organisation_or_404
from eraati.core import security
from eraati.core.i18n import LANGUAGES
from eraati.core.i18n import gettext as _
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.feeds import atom, queries
from eraati.organisations.forms import site_origin
from eraati.organisations.models import Organisation

bp = Blueprint("feeds", __name__)

FEED_CACHE_SECONDS = 300


def _feed_language() -> str:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else "fi"


def _feed_response(xml: bytes) -> Response:
    db.session.commit()  # read only: end the transaction (see consultations.views.pages)
    response = Response(xml, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = f"public, max-age={FEED_CACHE_SECONDS}"
    return response


def _org(org_slug: str | None) -> Organisation | None:
    return organisation_or_404(org_slug) if org_slug else None


def _page_url(org: Organisation | None, lang: str) -> str:
    if org is None:
        return url_for("consultations.index", lang=lang, _external=True)
    return url_for("consultations.organisation", org_slug=org.slug, lang=lang, _external=True)


def _self_url(endpoint: str, org: Organisation | None, lang: str) -> str:
    org_args = {"org_slug": org.slug} if org else {}
    return url_for(endpoint, **org_args, lang=lang, _external=True)


@bp.get("/feeds/consultations.atom")
@bp.get("/feeds/<org_slug>/consultations.atom")
def consultations(org_slug: str | None = None) -> Response:
    org = _org(org_slug)
    lang = _feed_language()
    now = utcnow()
    rows = queries.announced(org, now)
    with force_locale(lang):
        if org is None:
            title = _("New and coming consultations in eRaati")
        else:
            title = _("New and coming consultations of %(name)s", name=org.name(lang))
        entries = [atom.topic_entry(r.topic, r.announced_at, lang, now) for r in rows]
        return _feed("feeds.consultations", org, lang, title, entries)


@bp.get("/feeds/results.atom")
@bp.get("/feeds/<org_slug>/results.atom")
def results(org_slug: str | None = None) -> Response:
    org = _org(org_slug)
    lang = _feed_language()
    topics = queries.results(org)
    with force_locale(lang):
        if org is None:
            title = _("Published results in eRaati")
        else:
            title = _("Published results of %(name)s", name=org.name(lang))
        entries = [atom.results_entry(t, lang) for t in topics]
        return _feed("feeds.results", org, lang, title, entries)


def _feed(endpoint: str, org, lang: str, title: str, entries: list) -> Response:
    """One Atom feed of the platform (``org`` None) or of an organisation."""
    xml = atom.render(
        title=title,
        self_url=_self_url(endpoint, org, lang),
        page_url=_page_url(org, lang),
        lang=lang,
        entries=entries,
        updated_when_empty=_empty_feed_updated(org),
    )
    return _feed_response(xml)


def _empty_feed_updated(org: Organisation | None) -> datetime:
    """An empty feed's ``updated``: a moment that does not change on every request."""
    return org.created_at if org is not None else datetime(2026, 1, 1, tzinfo=UTC)


# --- the consultation card ------------------------------------------------------------------


@bp.get("/embed/<org_slug>")
def embed(org_slug: str) -> Response:
    """A small page of the organisation's open and coming consultations, for its own
    website to show in a frame; only the sites in its settings may frame it."""
    org = organisation_or_404(org_slug)
    now = utcnow()
    open_topics, coming = queries.card_topics(org, now)
    response = make_response(
        render_template(
            "feeds/embed.html", org=org, open_topics=open_topics, coming=coming, now=now
        )
    )
    db.session.commit()  # read only
    # Only what the settings page accepted (an origin, nothing that could end the header).
    origins = [o for o in org.embed_origin_list if site_origin(o) == o]
    security.allow_framing(response, origins)
    return response
