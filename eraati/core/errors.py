"""Calm, translated error pages; no traceback ever reaches a user."""

from __future__ import annotations

import contextlib

from flask import Flask, Response, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from eraati.extensions import db

PAGES = {400, 403, 404, 405, 413, 429}


def _render(code: int, error: Exception | None = None):
    template = f"errors/{code}.html" if code in PAGES | {500, 503} else "errors/generic.html"
    return render_template(template, code=code, error=error), code


def _is_api() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


HEALTH_PATH = "/healthz"
# What a 503 asks the client to wait: a restarted database is back within seconds.
RETRY_AFTER_SECONDS = 5


def first_line(error: Exception) -> str:
    """The driver's message, first line only (no statement, parameters or traceback)."""
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0] if text else ''}"


def health_answer(code: int) -> Response:
    """The health check's answer: ``{"status": "ok"}``, ``{"status": "unavailable",
    "database": "down"}`` (503), or ``{"status": "error", "code": ...}``; never a page, and
    never kept by a cache."""
    if code == 200:
        body = {"status": "ok"}
    elif code == 503:
        body = {"status": "unavailable", "database": "down"}
    else:
        body = {"status": "error", "code": code}
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def _is_health() -> bool:
    return request.path == HEALTH_PATH


def _json(error: HTTPException) -> Response:
    """The open data API answers in JSON, also when a request never reached its views
    (another method than GET: 405). Errors inside the API are its own (``api.views``)."""
    code = error.name.lower().replace(" ", "_")
    response = jsonify({"error": {"code": code, "message": error.description}})
    response.status_code = error.code
    for name, value in error.get_headers():
        if name == "Allow":
            response.headers["Allow"] = value
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store"
    return response


def _unknown_host() -> Response:
    """A request for a host production does not answer (``TRUSTED_HOSTS``): no page, as
    no address can be made for one."""
    text = _("This address does not belong to this service.")
    return Response(text + "\n", status=400, mimetype="text/plain")


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if _is_health():
            return health_answer(error.code)
        if isinstance(error, SecurityError):
            return _unknown_host()
        if _is_api():
            return _json(error)
        return _render(error.code, error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if _is_health():
            return health_answer(400)
        return render_template("errors/csrf.html", code=400), 400

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError):
        # One line, no traceback: while the database is away every request fails alike.
        app.logger.warning("database unavailable: %s", first_line(error))
        with contextlib.suppress(SQLAlchemyError):  # the connection itself may be gone
            db.session.rollback()
        if _is_health():
            response = health_answer(503)
        else:
            # The page must not ask the database again: the signed-in person is not
            # loaded (the page shows the signed-out header).
            g._login_user = current_app.login_manager.anonymous_user()
            response = make_response(_render(503, error))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(SQLAlchemyError)
    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unhandled error")
        with contextlib.suppress(SQLAlchemyError):  # the connection itself may be gone
            db.session.rollback()
        if _is_health():
            return health_answer(500)
        return _render(500, InternalServerError())
