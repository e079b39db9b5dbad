"""The site's public address (``PUBLIC_URL``): every link that leaves the site is made here,
and production answers only requests for its host.

A link in an e-mail must never come from the request: its ``Host`` (or a proxy's
``X-Forwarded-Host``) is whatever the sender typed, and a forged one on "forgot password"
would mail the victim a genuine reset link to the attacker's site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app


class PublicUrlError(RuntimeError):
    """``PUBLIC_URL`` is missing or not an address such as https://eraati.example.fi/."""


def problem(value: object) -> str | None:
    """What is wrong with ``value`` as the public address; None when it is fine."""
    if not value:
        return "ERAATI_PUBLIC_URL is not set (the site's address, e.g. https://eraati.example.fi/)"
    if not isinstance(value, str):
        return "ERAATI_PUBLIC_URL must be text, e.g. https://eraati.example.fi/"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"ERAATI_PUBLIC_URL={value!r} is not an address such as https://eraati.example.fi/"
    if parts.username or parts.password or parts.query or parts.fragment:
        return f"ERAATI_PUBLIC_URL={value!r} may have no user, ?query or #fragment"
    return None


def public_host(value: str) -> str:
    """The host name of the public address (no port), as ``TRUSTED_HOSTS`` lists it."""
    return urlsplit(value).hostname or ""


def trusted_hosts(config: dict) -> list[str]:
    """The public address's host, then any others the operator lists in ``TRUSTED_HOSTS``
    (a JSON list or comma-separated, e.g. an address the load balancer checks)."""
    extra = config.get("TRUSTED_HOSTS") or []
    if isinstance(extra, str):
        extra = extra.split(",")
    hosts = [public_host(config["PUBLIC_URL"]), *(str(h).strip().lower() for h in extra)]
    return list(dict.fromkeys(h for h in hosts if h))


def public_url(endpoint: str, *, anchor: str | None = None, **values: Any) -> str:
    """The absolute address of ``endpoint`` at the public address, in a request or outside
    one (a worker, ``flask eraati tick``); never the request's host."""
    base = current_app.config.get("PUBLIC_URL")
    if error := problem(base):
        raise PublicUrlError(error)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(anchor, safe='')}" if anchor else url
