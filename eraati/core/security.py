"""Response headers and safe redirects."""

from __future__ import annotations

import re
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


_TILE_PLACEHOLDERS = re.compile(r"\{[a-z]\}")
_TILE_ALLOWED = re.compile(r"[A-Za-z0-9._~/%{}@=&?:+-]*")


def tile_origin(template: str | None, *, loopback_http: bool = False) -> str | None:
    """The origin (``https://tile.openstreetmap.org``) of a map tile address template, or
    None when it is not one we allow: https, a fixed host name (no ``{s}`` sub-domains: the
    CSP names one host), a path with ``{z}``, ``{x}`` and ``{y}`` (``{r}`` allowed too), no
    user, fragment, white space or characters that could end a CSP directive.
    ``loopback_http``: http://127.0.0.1 is allowed too (the browser tests' local tile stub;
    the app's ``MAP_TILES_LOOPBACK_HTTP`` setting, never set in production)."""
    if not template or len(template) > 500 or not _TILE_ALLOWED.fullmatch(template):
        return None
    try:
        parts = urlsplit(template)
        port = parts.port
    except ValueError:
        return None
    loopback = loopback_http and parts.scheme == "http" and parts.hostname == "127.0.0.1"
    if (
        (parts.scheme != "https" and not loopback)
        or not parts.hostname
        or "@" in parts.netloc
        or parts.fragment
    ):
        return None
    if "{" in parts.netloc or "}" in parts.netloc:
        return None
    host = parts.hostname
    if host.startswith(".") or host.endswith(".") or ".." in host:
        return None
    found = _TILE_PLACEHOLDERS.findall(parts.path + "?" + parts.query)
    if not {"{z}", "{x}", "{y}"} <= set(found) or not set(found) <= {"{z}", "{x}", "{y}", "{r}"}:
        return None
    if template.count("{") != len(found) or template.count("}") != len(found):
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def allow_images_from(response: Response, origin: str) -> None:
    """Let the page load images (map tiles) from ``origin`` too: the pages that show a
    topic's map, and only those. The rest of the page's policy stays as it is."""
    if origin != tile_origin(origin + "/{z}/{x}/{y}", loopback_http=True):
        raise ValueError(origin)  # never a header another directive could be smuggled in
    policy = response.headers.get("Content-Security-Policy", CSP)
    response.headers["Content-Security-Policy"] = policy.replace(
        "img-src 'self' data:", f"img-src 'self' data: {origin}", 1
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
