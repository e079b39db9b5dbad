"""What the processes write to standard error: one line per record, JSON (production) or
text (development, tests), each with the id of the request it belongs to.

``LOG_FORMAT`` (``ERAATI_LOG_FORMAT=json|text``) picks the formatter. Every request gets an
id: the one in an incoming ``X-Request-ID`` header when it is a plain token (nginx's
``$request_id``, a load balancer's UUID), else a new one; the response carries it back in
``X-Request-ID``. Every line written while the request runs carries it (``request_id``),
and so do the lines of the background work the request handed over (``jobs.queue`` passes
it along, ``job_request_id`` sets it there).

``LOG_REQUESTS`` writes one line per request (the logger ``eraati.access``): method, route
(the URL rule, ``/<org_slug>/<topic_slug>``, never the path with its names and ids, nor
the query string, which may hold a token), status, duration in milliseconds, the
organisation's slug when the route names one, and the signed-in person's id when the
request looked at who it is (every page does). Nothing a person typed (passwords,
addresses, comments) is ever in it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, request
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
_ENVIRON_KEY = "eraati.request_id"
_START_KEY = "eraati.request_start"
# A request id from outside is kept only when it is a plain token: no spaces, no line
# breaks, nothing a log reader could mistake for another field or line.
_SANE = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# The organisation's slug in a route's arguments (``/<org_slug>/...``, ``/embed/<org>``).
_ORG_ARGS = ("org_slug", "org")

ACCESS = logging.getLogger("eraati.access")
FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(request_tag)s: %(message)s"

# The request id of the background work running in this thread (a job handed over by a
# request); requests themselves keep theirs in their environ.
_job_request_id: ContextVar[str | None] = ContextVar("eraati_job_request_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def request_id() -> str | None:
    """The id of the request being handled, or of the request whose job is running."""
    if has_request_context():
        environ = request.environ
        rid = environ.get(_ENVIRON_KEY)
        if rid is None:
            given = request.headers.get(HEADER, "")
            rid = given if _SANE.fullmatch(given) else new_id()
            environ[_ENVIRON_KEY] = rid
        return rid
    return _job_request_id.get()


@contextlib.contextmanager
def job_request_id(rid: str | None) -> Iterator[None]:
    """Lines written inside carry ``rid``, the id of the request that started the job."""
    token = _job_request_id.set(rid if rid and _SANE.fullmatch(rid) else None)
    try:
        yield
    finally:
        _job_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` (None outside requests and their jobs), and the
    text format its ``request_tag`` (`` [id]``, or nothing)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id()
        record.request_tag = f" [{record.request_id}]" if record.request_id else ""
        return True


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is when a record comes (as the logging
    module's own last resort does): test runners swap it per test."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            reserved_attrs=[*RESERVED_ATTRS, "request_tag"],  # the text format's
            timestamp="time",  # ISO 8601, UTC
        )
    return logging.Formatter(TEXT_FORMAT)


def handler(fmt: str, stream=None) -> logging.Handler:
    """A handler writing ``fmt`` lines with request ids (to ``stream``, else stderr)."""
    if fmt not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be json or text, not {fmt!r}")
    h = logging.StreamHandler(stream) if stream is not None else _Stderr()
    h.setFormatter(formatter(fmt))
    h.addFilter(RequestIdFilter())
    return h


def init_app(app: Flask) -> None:
    """The root logger writes to stderr in ``LOG_FORMAT`` at INFO; each request gets its
    id and, with ``LOG_REQUESTS``, its access line."""
    fmt = str(app.config.get("LOG_FORMAT") or "json").lower()
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "eraati", False)]:
        root.removeHandler(old)  # create_app called again (tests, the worker's app)
    new = handler(fmt)
    new.eraati = True
    root.addHandler(new)
    root.setLevel(logging.INFO)

    app.before_request(_start)
    app.after_request(_finish)


def _start() -> None:
    request.environ[_START_KEY] = time.perf_counter()
    request_id()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    if current_app.config.get("LOG_REQUESTS", True):
        seconds = elapsed()
        ms = round(seconds * 1000, 1) if seconds is not None else None
        route = route_of()
        ACCESS.info(
            "%s %s %s %s ms",
            request.method,
            route,
            response.status_code,
            ms,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": ms,
                "organisation": organisation_of(),
                "user_id": user_id_of(),
            },
        )
    return response


def elapsed() -> float | None:
    """Seconds since the request's first ``before_request`` (None if it never ran)."""
    started = request.environ.get(_START_KEY)
    return time.perf_counter() - started if started is not None else None


def route_of() -> str:
    """The URL rule the request matched (``/<org_slug>/<topic_slug>``), or ``<unmatched>``
    (a 404 or 405 before any rule: the raw path would put anything anyone types in the
    logs and metrics)."""
    rule = request.url_rule
    return rule.rule if rule is not None else "<unmatched>"


def organisation_of() -> str | None:
    args = request.view_args or {}
    for name in _ORG_ARGS:
        value = args.get(name)
        if isinstance(value, str):
            return value
    return None


def user_id_of() -> int | None:
    """The signed-in person's id if the request loaded them (Flask-Login keeps the user
    in ``g``); never loaded here, which would cost a query on requests that need none."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    # The id from the session's identity map: the row may be expired after a commit, and
    # reading ``user.id`` would load it again.
    state = sa.inspect(user, raiseerr=False)
    if state is not None and state.identity:
        return int(state.identity[0])
    return None
