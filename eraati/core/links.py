"""The site's public address (``PUBLIC_URL``): every link that leaves the site is made here,
and production answers only requests for its host.

A link in an e-mail must never come from the request: its ``Host`` (or a proxy's
``X-Forwarded-Host``) is whatever the sender typed, and a forged one on "forgot password"
would mail the victim a genuine reset link to the attacker's site. Nor may an absolute
address in a page or an API answer (the canonical link, a share link, the API's ``url``
fields and ``next`` pages): a cache between the site and its readers would keep the page
with the attacker's address and serve it to everyone. ``App.url_for`` makes every absolute
address at the public address, when one is configured (production always).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from flask import Flask, current_app, has_request_context, request
from werkzeug.exceptions import SecurityError
from werkzeug.routing import BuildError


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


def _listed_hosts(config: dict) -> list[str]:
    extra = config.get("TRUSTED_HOSTS") or []
    if isinstance(extra, str):
        extra = extra.split(",")
    return [h for h in (str(h).strip().lower() for h in extra) if h]


def trusted_hosts(config: dict) -> list[str]:
    """The public address's host, then any others the operator lists in ``TRUSTED_HOSTS``
    (a JSON list or comma-separated, e.g. an address the load balancer checks)."""
    hosts = [public_host(config["PUBLIC_URL"]), *_listed_hosts(config)]
    return list(dict.fromkeys(h for h in hosts if h))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _name_and_port(host: str) -> tuple[str, int | None]:
    """``eraati.example.fi:8443`` as (name, port); no port: None."""
    parts = urlsplit(f"//{host}")
    return (parts.hostname or "").lower(), parts.port


def host_ports(config: dict) -> dict[str, frozenset[int] | None]:
    """The ports a request may name with each trusted host name (None: any port). The
    public address's host only with its own port (as written, or its scheme's) and any
    it is listed with (``eraati.example.fi:8443``); another listed host with the port it is
    listed with (``status.internal:8000``), any port without one."""
    public = urlsplit(config["PUBLIC_URL"])
    own = public_host(config["PUBLIC_URL"])
    ports: dict[str, set[int] | None] = {own: {public.port or _DEFAULT_PORTS[public.scheme]}}
    for entry in _listed_hosts(config):
        name, port = _name_and_port(entry)
        if name == own and port is None:
            continue  # its name alone (trusted_hosts() lists it so) adds no port
        if port is None:
            ports[name] = None
        elif ports.get(name, set()) is not None:
            ports.setdefault(name, set()).add(port)
    return {name: None if p is None else frozenset(p) for name, p in ports.items()}


def refuse_other_ports(app: Flask) -> None:
    """Werkzeug checks ``TRUSTED_HOSTS`` by name only: ``eraati.example.fi:8666`` passes as
    ``eraati.example.fi``. This refuses, before anything else runs (it is the first hook),
    a request naming a port its host is not served at, as any other untrusted host (400)."""
    allowed = host_ports(app.config)

    @app.before_request
    def check_port() -> None:
        name, port = _name_and_port(request.host)
        ports = allowed.get(name)
        # No port named: the default of the request's own scheme, which Werkzeug drops.
        if port is not None and ports is not None and port not in ports:
            raise SecurityError(f"Host {request.host!r} is not trusted.")


def public_url(
    endpoint: str, *, anchor: str | None = None, method: str | None = None, **values: Any
) -> str:
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
    url = adapter.build(endpoint, values, method=method, force_external=True)
    return f"{url}#{quote(anchor, safe='')}" if anchor else url


def with_language(url: str, lang: str) -> str:
    """``url`` with ``?lang=lang`` (instead of any it had), its ``#fragment`` kept: a link
    made once for readers of several languages, given to each in theirs."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("lang", lang)])))


def site_root() -> str:
    """The site's absolute address without a trailing slash, for addresses ``url_for``
    does not make (a page's own address in another language): the public address when
    one is configured, else (development, tests) the request's."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/")
    return request.host_url.rstrip("/") + request.script_root


def site_host() -> str:
    """The site's host name (with a port, if any) as readers type it: the public
    address's, else (development, tests) the request's."""
    base = current_app.config.get("PUBLIC_URL")
    return urlsplit(base).netloc if base else request.host


class App(Flask):
    """Flask, but an absolute address (``url_for(..., _external=True)``, in Python and in
    templates, and any ``url_for`` outside a request) is made at the public address when
    one is configured: never from the ``Host`` a request named. Relative addresses, and
    every address when no public address is configured (development without one), are
    Flask's own."""

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        in_request = has_request_context()
        external = _external if _external is not None else (not in_request or _scheme is not None)
        if not external or not self.config.get("PUBLIC_URL"):
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        if endpoint[:1] == "." and in_request:  # relative to the request's blueprint
            blueprint = request.blueprint
            endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
        try:
            return public_url(endpoint, anchor=_anchor, method=_method, **values)
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=True)
            return self.handle_url_build_error(error, endpoint, values)
