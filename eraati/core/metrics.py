"""Prometheus metrics at ``/metrics`` (prometheus-client), for the addresses the operator
allows (``METRICS_ALLOWED_NETWORKS``, none by default: everyone else gets 404).

Counted as things happen: requests by route (the URL rule) and status, their latency, the
database time of each request (the statements' time summed by SQLAlchemy's cursor events),
rate-limit refusals (every 429: Flask-Limiter's and the views' own), e-mails sent and
refused. Read when Prometheus asks (``on_scrape``): the RQ queue's length, failed jobs and
workers (with Redis), the export jobs queued and running (from the database).

Under gunicorn the workers are separate processes: with ``PROMETHEUS_MULTIPROC_DIR`` set
(an empty folder of the web service's own, see ``gunicorn.conf.py``) each process writes
its counts there and ``/metrics`` adds up the folder. A ``flask eraati worker`` given the
same folder adds its e-mails too. Without it (``make run``, the tests) the counts are the
process's own.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, abort, current_app, has_request_context, request
from prometheus_client import REGISTRY, Counter, Histogram, disable_created_metrics
from prometheus_client.core import Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from eraati.core import logs

log = logging.getLogger(__name__)

PATH = "/metrics"
disable_created_metrics()  # no ``_created`` series: multiprocess mode has none either
_DB_SECONDS = "eraati.db_seconds"

REQUESTS = Counter(
    "eraati_http_requests_total",
    "Requests answered, by route (the URL rule), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "eraati_http_request_duration_seconds",
    "Time from the start of a request to its response, by route and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_TIME = Histogram(
    "eraati_http_request_db_seconds",
    "Time a request spent in database statements (summed over its statements), by route.",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
RATE_LIMITED = Counter(
    "eraati_rate_limited_total",
    "Requests refused by a rate limit (429), by route.",
    ["route"],
)
EMAILS_SENT = Counter(
    "eraati_emails_sent_total",
    "E-mails the mail server took: stream=message (confirmations, password resets, "
    "invitations) or notification (replies, reminders, results, digests).",
    ["stream"],
)
EMAILS_REFUSED = Counter(
    "eraati_emails_refused_total",
    "E-mails not handed over: the server refused them or could not be reached. "
    "lasting=yes: a 5xx refusal of the address (not tried again).",
    ["stream", "lasting"],
)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def _quiet(count: Callable) -> Callable:
    """Counting never fails what is counted (a message the server took must be marked
    sent whatever befalls the metrics' folder): a failure is logged, and that is all."""

    @functools.wraps(count)
    def counting(*args, **kwargs):
        try:
            return count(*args, **kwargs)
        except Exception:
            log.warning("metrics: %s failed", count.__name__, exc_info=True)
            return args[0] if args and isinstance(args[0], Response) else None

    return counting


@_quiet
def email_sent(stream: str) -> None:
    EMAILS_SENT.labels(stream).inc()


@_quiet
def email_refused(stream: str, *, lasting: bool) -> None:
    EMAILS_REFUSED.labels(stream, "yes" if lasting else "no").inc()


# --- who may read them --------------------------------------------------------------------------


def _entries(setting) -> list[str]:
    if not setting:
        return []
    if isinstance(setting, str):
        setting = setting.split(",")
    return [str(part).strip() for part in setting if str(part).strip()]


@functools.cache
def _parse(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def allowed_networks(setting) -> tuple:
    """``METRICS_ALLOWED_NETWORKS`` (``"127.0.0.1/32,10.0.0.0/8"`` or a JSON list) parsed;
    a wrong entry raises ``ValueError``."""
    return _parse(tuple(_entries(setting)))


def allowed(address: str | None, setting) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if getattr(ip, "ipv4_mapped", None) is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in allowed_networks(setting))


# --- counting -----------------------------------------------------------------------------------


def _before_statement(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
    if has_request_context():
        conn.info.setdefault("eraati_statement_start", []).append(time.perf_counter())


def _after_statement(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
    starts = conn.info.get("eraati_statement_start")
    if starts and has_request_context():
        elapsed = time.perf_counter() - starts.pop()
        environ = request.environ
        environ[_DB_SECONDS] = environ.get(_DB_SECONDS, 0.0) + elapsed


def _statement_failed(context) -> None:
    conn = context.connection
    starts = conn.info.get("eraati_statement_start") if conn is not None else None
    if starts:
        starts.pop()


@_quiet
def _count(response: Response) -> Response:
    route = logs.route_of()
    method = request.method
    REQUESTS.labels(route, method, str(response.status_code)).inc()
    elapsed = logs.elapsed()
    if elapsed is not None:
        LATENCY.labels(route, method).observe(elapsed)
    DB_TIME.labels(route).observe(request.environ.get(_DB_SECONDS, 0.0))
    if response.status_code == 429:
        RATE_LIMITED.labels(route).inc()
    return response


# --- reading them -------------------------------------------------------------------------------

Scrape = Callable[[Flask], Iterable[Metric]]
bp = Blueprint("metrics", __name__)


def on_scrape(app: Flask, collect: Scrape) -> None:
    """``collect(app)`` yields metric families read when Prometheus asks (queue lengths)."""
    scrapers = app.extensions.setdefault("eraati_metrics", [])
    if collect not in scrapers:
        scrapers.append(collect)


class _Exposition:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterable[Metric]:
        path = multiprocess_dir()
        if path:
            yield from MultiProcessCollector(None, path).collect()
        else:
            yield from REGISTRY.collect()
        for collect in self.app.extensions.get("eraati_metrics", []):
            try:
                yield from collect(self.app)
            except Exception:  # one source away must not cost the others
                log.warning("metrics: %s failed", collect.__qualname__, exc_info=True)


@bp.get(PATH)
def exposition():
    if not allowed(request.remote_addr, current_app.config.get("METRICS_ALLOWED_NETWORKS")):
        abort(404)
    # The format the scraper asks for (Accept): the text format 0.0.4 unless it says more.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = Response(encode(_Exposition(current_app._get_current_object())))
    response.headers["Content-Type"] = content_type
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    if path := multiprocess_dir():  # gunicorn.conf.py makes it; a worker may start first
        os.makedirs(path, exist_ok=True)
    try:
        allowed_networks(app.config.get("METRICS_ALLOWED_NETWORKS"))
    except ValueError as exc:
        raise RuntimeError(
            f"METRICS_ALLOWED_NETWORKS: {exc} (give networks such as 127.0.0.1/32,10.0.0.0/8)"
        ) from exc
    from eraati.extensions import limiter

    limiter.exempt(exposition)
    app.register_blueprint(bp)
    app.after_request(_count)
    for name, listener in (
        ("before_cursor_execute", _before_statement),
        ("after_cursor_execute", _after_statement),
        ("handle_error", _statement_failed),
    ):
        if not sa.event.contains(sa.engine.Engine, name, listener):
            sa.event.listen(sa.engine.Engine, name, listener)
