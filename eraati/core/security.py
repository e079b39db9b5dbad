"""Response headers and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request, session

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def frame_policy(origins: list[str]) -> str:
    """``CSP`` with the sites that may frame the page (``frame-ancestors``); none: 'none'."""
    ancestors = " ".join(origins) if origins else "'none'"
    return CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


def allow_framing(response: Response, origins: list[str]) -> None:
    """Let these sites (origins such as ``https://www.iisalmi.fi``) show the page in a
    frame: the one page made for that (an organisation's consultation card). Every other
    page refuses framing (``CSP`` and ``X-Frame-Options: DENY``)."""
    if any(not o or ";" in o or "," in o or any(c.isspace() for c in o) for o in origins):
        raise ValueError(origins)  # never a header another directive could be smuggled in
    response.headers["Content-Security-Policy"] = frame_policy(origins)


def _framing_refused(policy: str | None) -> bool:
    """Whether a page's ``Content-Security-Policy`` lets no site frame it (none given, no
    ``frame-ancestors``, or ``frame-ancestors 'none'``)."""
    for directive in (policy or "").split(";"):
        name, _, sources = directive.strip().partition(" ")
        if name.lower() == "frame-ancestors":
            return sources.strip() == "'none'"
    return True


def set_security_headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    # X-Frame-Options knows no list of sites: a page that some may frame goes without it
    # (browsers follow frame-ancestors instead).
    if _framing_refused(h.get("Content-Security-Policy")):
        h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


# The account and staff areas: every page there is about a person or shows the staff's view
# of people, even before sign-in (the log-in and registration forms carry typed addresses).
PRIVATE_PATHS = ("/account/", "/staff/", "/platform/", "/invitation/")


def set_cache_policy(response: Response) -> Response:
    """``Cache-Control: no-store`` on every page of a signed-in person and on the account and
    staff pages, unless the view chose its own caching (the API, logos, files).

    Signed in is read from the session and the remember cookie, not by loading the user:
    a shared computer's browser cache and any proxy between must keep no copy of a page
    with someone's name, addresses or the staff's view of residents."""
    if "Cache-Control" in response.headers or request.endpoint == "static":
        return response
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if (
        request.path.startswith(PRIVATE_PATHS)
        or "_user_id" in session
        or remember in request.cookies
    ):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """A ``next=`` target only if it stays on this site (a path, no scheme or host)."""
    if not target:
        return default
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if any(ord(c) < 32 for c in target):
        return default
    return target


def init_app(app: Flask) -> None:
    app.after_request(set_security_headers)
    app.after_request(set_cache_policy)
