"""The open data API under /api/v1: read-only JSON for anyone, and its documentation.

Every answer is what a visitor without an account sees (``queries``), so it is the same
for everyone and cached publicly: ``Cache-Control: public, max-age=60``, a strong ETag
(``If-None-Match`` gives 304) and ``Access-Control-Allow-Origin: *``. Lists continue with
an opaque cursor (``cursors``). Errors under /api are JSON, ``{"error": {"code": ...,
"message": ...}}``, also for unknown addresses (404). Every route is GET only (no form
posts here, so nothing to protect from CSRF); another method is a routing error (405),
which the app's handler answers in JSON under /api (``core.errors``).
A shared rate limit per client address covers the whole API (``API_RATE_LIMIT``).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from limits import parse_many
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, NotFound

from eraati.api import cursors, openapi, queries, resources
from eraati.consultations.models import Phase
from eraati.consultations.queries import StatusFilter
from eraati.core.time import utcnow
from eraati.extensions import db, limiter
from eraati.results.figures import for_public, topic_figures

bp = Blueprint("api", __name__, url_prefix="/api")

DEFAULT_RATE_LIMIT = "120 per minute"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Status filters of the topic list: what a visitor may see, never drafts.
TOPIC_STATUSES = {"upcoming", "open", "closed", "published", "all"}


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT)


limiter.shared_limit(_rate_limit, scope="api")(bp)


# --- answers ----------------------------------------------------------------------------------


class ApiError(HTTPException):
    """An HTTP error with a machine-readable ``code`` for the JSON body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body, status=status, mimetype="application/json")


def _ok(data: Any, *, links: dict[str, str] | None = None) -> Response:
    """200 with a strong ETag of the body, or 304 when the client has it already."""
    response = _json(data)
    response.headers["Cache-Control"] = "public, max-age=60"
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    response.add_etag()
    return response.make_conditional(request)


_ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
_MESSAGES = {
    404: "Nothing is published at this address.",
    500: "Something went wrong on the server.",
    503: "The service is temporarily unavailable. Please try again shortly.",
}


def error_response(status: int, code: str | None = None, message: str | None = None) -> Response:
    code = code or _ERROR_CODES.get(status, "error")
    message = message or _MESSAGES.get(status, "The request could not be answered.")
    response = _json({"error": {"code": code, "message": message}}, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> HTTPException | Response:
    if error.code is None or error.code < 400:  # a redirect raised as an exception
        return error
    status = error.code
    if isinstance(error, ApiError):
        response = error_response(status, error.error_code, error.description)
    elif status == 429:
        message = f"Too many requests ({error.description}). Please wait and try again."
        response = error_response(429, message=message)
    else:
        response = error_response(status)
    return response


@bp.errorhandler(OperationalError)
def database_down(error: OperationalError) -> Response:
    current_app.logger.exception("database unavailable")
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    return error_response(503)


@bp.errorhandler(SQLAlchemyError)
@bp.errorhandler(Exception)
def unexpected(error: Exception) -> Response:
    """The app's own handler logs and answers with an HTML page; JSON here instead."""
    current_app.logger.exception("unhandled error in the API")
    with contextlib.suppress(SQLAlchemyError):  # the connection itself may be gone
        db.session.rollback()
    return error_response(500)


@bp.after_request
def open_to_everyone(response: Response) -> Response:
    """Any web page may read the open data (CORS); nothing here needs a cookie."""
    h = response.headers
    h["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        h["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
        h["Access-Control-Allow-Headers"] = "If-None-Match"
        h["Access-Control-Max-Age"] = "86400"
    h["Access-Control-Expose-Headers"] = (
        "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
    )
    return response


def _bad(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def _limit_arg() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise _bad("invalid_limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def _cursor_arg(parse):
    raw = request.args.get("cursor")
    if raw is None:
        return None
    try:
        return parse(raw)
    except cursors.BadCursor:
        raise _bad(
            "invalid_cursor", "cursor must be a value given by this API as 'next_cursor'."
        ) from None


def _page(items: list[dict], next_url: str | None, next_cursor: str | None) -> Response:
    body = {"data": items, "next_cursor": next_cursor, "next": next_url}
    return _ok(body, links={"next": next_url} if next_url else None)


# --- documentation ----------------------------------------------------------------------------


@bp.get("")
@bp.get("/")
def home():
    return redirect(url_for(".docs"))


@bp.get("/v1/")
def docs():
    """What the API offers, for people (fi, sv, en)."""
    return render_template(
        "api/index.html",
        base=url_for(".docs", _external=True).rstrip("/"),
        default_limit=DEFAULT_LIMIT,
        max_limit=MAX_LIMIT,
        rate=parse_many(_rate_limit())[0],
    )


@bp.get("/v1/openapi.json")
def openapi_document():
    return _ok(openapi.document(url_for(".docs", _external=False).rstrip("/")))


# --- organisations ----------------------------------------------------------------------------


@bp.get("/v1/organisations")
def organisations():
    return _ok({"data": [resources.organisation(o) for o in queries.organisations()]})


@bp.get("/v1/organisations/<slug>")
def organisation(slug: str):
    org = queries.organisation(slug)
    if org is None:
        raise ApiError(404, "not_found", "No organisation has this slug.")
    return _ok(resources.organisation(org))


# --- topics -----------------------------------------------------------------------------------


@bp.get("/v1/topics")
def topics():
    status = request.args.get("status", "all")
    if status not in TOPIC_STATUSES:
        raise _bad(
            "invalid_status", "status must be one of: upcoming, open, closed, published, all."
        )
    org = None
    org_slug = request.args.get("organisation")
    if org_slug is not None:
        org = queries.organisation(org_slug)
        if org is None:
            raise _bad("unknown_organisation", "No organisation has this slug.")
    limit = _limit_arg()
    after_id = _cursor_arg(cursors.parse_topic_cursor)
    now = utcnow()
    rows = queries.topics(StatusFilter(status), now, org=org, after_id=after_id, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursors.topic_cursor(rows[-1].id) if more else None
    next_url = None
    if next_cursor:
        args = {k: v for k, v in request.args.items() if k in ("status", "organisation")}
        next_url = url_for(".topics", **args, limit=limit, cursor=next_cursor, _external=True)
    return _page([resources.topic_summary(t, now) for t in rows], next_url, next_cursor)


# Ids are 32-bit integers in the database: a larger number names nothing (and would not
# even fit in a query parameter on SQLite).
MAX_ID = 2**31 - 1


def _not_found_topic() -> ApiError:
    return ApiError(404, "not_found", "No published topic has this id.")


def _topic_or_404(load, topic_id: int):
    found = load(topic_id) if topic_id <= MAX_ID else None
    if found is None:
        raise _not_found_topic()
    return found


@bp.get("/v1/topics/<int:topic_id>")
def topic(topic_id: int):
    found = _topic_or_404(queries.topic_with_details, topic_id)
    themes = queries.themes(found)
    parts, places = queries.parts_and_places(found)
    return _ok(resources.topic_detail(found, themes, utcnow(), parts, places))


@bp.get("/v1/topics/<int:topic_id>/comments")
def comments(topic_id: int):
    found = _topic_or_404(queries.topic_only, topic_id)
    limit = _limit_arg()
    after = _cursor_arg(cursors.parse_comment_cursor)
    rows = queries.comments(found, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursors.comment_cursor(rows[-1].created_at, rows[-1].id) if more else None
    next_url = None
    if next_cursor:
        next_url = url_for(
            ".comments", topic_id=topic_id, limit=limit, cursor=next_cursor, _external=True
        )
    parts = queries.comment_parts(found, rows)
    places = queries.comment_places(found, rows)
    return _page([resources.comment(found, r, parts, places) for r in rows], next_url, next_cursor)


@bp.get("/v1/topics/<int:topic_id>/results")
def results(topic_id: int):
    """Like the public results page: only once the organisation has published them."""
    found = _topic_or_404(queries.topic_for_results, topic_id)
    now = utcnow()
    if found.phase(now) != Phase.PUBLISHED:
        raise ApiError(404, "results_not_published", "The results of this topic are not published.")
    figures = for_public(topic_figures(found, locale=found.organisation.primary_language, now=now))
    themes = {t.id: t for t in queries.themes(found)}
    orgs = queries.organisations_by_id(
        [m.organisation_id for m in figures.municipalities if m.organisation_id is not None]
    )
    reasons = queries.reasons_by_id(
        [r.reason_id for r in figures.moderation.hidden if r.reason_id is not None]
    )
    return _ok(resources.results(found, figures, themes, orgs, reasons))


# --- everything else under /api ---------------------------------------------------------------


@bp.get("/<path:rest>")
def elsewhere(rest: str):
    """Unknown addresses are 404 in JSON, with the API's headers (the app's own handler
    answers a routing error with an HTML page)."""
    raise NotFound()
