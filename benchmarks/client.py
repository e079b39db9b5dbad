"""A small HTTP client for scripted flows (log in, CSRF token, POST) and a bounded load loop.

Only 127.0.0.1 is ever contacted. Cookies are kept by hand: the production session cookie
is ``Secure`` and a standard cookie jar would not send it over plain HTTP to localhost.
"""

from __future__ import annotations

import html
import http.client
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from benchmarks.measure import Load, percentile

HOST = "127.0.0.1"
USER_AGENT = "eraati-bench"  # sent with every request (Flask-Login's session identifier uses it)
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


def hidden_value(page: str, name: str) -> str | None:
    """The value of the first ``<input name=NAME value=...>`` in ``page``."""
    for tag in _INPUT.findall(page):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") == name and "value" in attrs:
            return html.unescape(attrs["value"])
    return None


def ok(status: int) -> bool:
    return 200 <= status < 400


@dataclass
class Response:
    status: int  # 0: socket error or timeout
    headers: list[tuple[str, str]]
    body: bytes
    ms: float

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Connection:
    """One HTTP/1.1 connection to the server; reconnects after ``Connection: close``."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        start = time.perf_counter()
        try:
            self.conn.request(
                method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})}
            )
            r = self.conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data, (time.perf_counter() - start) * 1000)
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return Response(0, [], b"", (time.perf_counter() - start) * 1000)

    def close(self) -> None:
        self.conn.close()


def form_headers(cookie: str) -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}


@dataclass
class Session:
    """A browser's state: its cookies and the CSRF token of its session."""

    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    email: str = ""
    user_id: int | None = None

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def absorb(self, response: Response) -> None:
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val:
                    self.cookies[key.strip()] = val.strip()
                else:
                    self.cookies.pop(key.strip(), None)

    def form(self, fields: dict[str, Any]) -> bytes:
        return urlencode({**fields, "csrf_token": self.csrf}).encode()


class Browser:
    """Sequential requests of one person, keeping the cookies the server sets."""

    def __init__(self, port: int, session: Session | None = None) -> None:
        self.conn = Connection(port)
        self.session = session or Session()

    def get(self, path: str) -> Response:
        r = self.conn.request("GET", path, headers={"Cookie": self.session.cookie})
        self.session.absorb(r)
        return r

    def post(self, path: str, fields: dict[str, Any]) -> Response:
        r = self.conn.request(
            "POST", path, self.session.form(fields), form_headers(self.session.cookie)
        )
        self.session.absorb(r)
        return r

    def fetch_token(self, path: str) -> str:
        """GET a page with a form and keep the session's CSRF token from it."""
        r = self.get(path)
        token = hidden_value(r.text, "csrf_token") if r.status == 200 else None
        if not token:
            raise RuntimeError(f"GET {path}: {r.status}, no csrf_token input in the page")
        self.session.csrf = token
        return token

    def close(self) -> None:
        self.conn.close()


def log_in(port: int, email: str, password: str, token_page: str) -> Session:
    """The real log-in form, then a page with forms for the logged-in session's CSRF token."""
    b = Browser(port, Session(email=email))
    try:
        b.fetch_token("/account/login")
        r = b.post("/account/login", {"email": email, "password": password, "next": ""})
        if r.status != 303:
            raise RuntimeError(f"log-in of {email} answered {r.status}")
        b.fetch_token(token_page)  # the session was renewed at log-in: a new token
        return b.session
    finally:
        b.close()


def signed_session(app, user_id: int, email: str) -> Session:
    """A logged-in session made in-process, as a log-in makes it: ``login_user`` in a request
    from the client's address and user agent, signed by the app's own session interface.
    (A real log-in costs a production argon2 verification, about 0.5 s on 2 cores.)"""
    from flask import session
    from flask_login import login_user

    from eraati.accounts.models import User
    from eraati.extensions import db

    with app.test_request_context(
        "/account/login",
        method="POST",
        environ_base={"REMOTE_ADDR": HOST},
        headers={"User-Agent": USER_AGENT},
    ):
        login_user(db.session.get(User, user_id))
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return Session(cookies={app.config["SESSION_COOKIE_NAME"]: value}, email=email, user_id=user_id)


def log_in_all(
    port: int, people: Sequence[tuple[int, str]], password: str, token_page: str, workers: int = 4
) -> dict[int, Session]:
    """Log everyone in (argon2 makes each log-in slow on purpose; a few at a time)."""

    def one(person: tuple[int, str]) -> tuple[int, Session]:
        s = log_in(port, person[1], password, token_page)
        s.user_id = person[0]
        return person[0], s

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(one, people))


def anonymous_sessions(port: int, path: str, count: int) -> list[Session]:
    """``count`` visitors who each loaded ``path`` (a page with a form) once."""
    out = []
    for _ in range(count):
        b = Browser(port)
        b.fetch_token(path)
        b.close()
        out.append(b.session)
    return out


@dataclass
class Job:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    key: Any = None  # what the caller wants to find again in the outcomes


def post_job(session: Session, path: str, fields: dict[str, Any], key: Any = None) -> Job:
    return Job("POST", path, session.form(fields), form_headers(session.cookie), key)


def run_jobs(
    port: int,
    jobs: Sequence[Job],
    *,
    connections: int,
    seconds: float,
    label: str,
    rss: Callable[[], float] | None = None,
) -> tuple[Load, list[int | None]]:
    """Send ``jobs`` in order over ``connections`` parallel connections, at most ``seconds``.

    Returns the measurement and each job's status (None: not sent before the time ran out).
    Jobs next to each other in the list start at (nearly) the same moment.
    """
    statuses, latencies, seconds_taken = send(port, jobs, connections=connections, seconds=seconds)
    done = sorted(ms for ms in latencies if ms is not None)
    counts = Counter(str(s) for s in statuses if s is not None)
    load = Load(
        label=label,
        requests=len(done),
        seconds=seconds_taken,
        p50_ms=percentile(done, 50),
        p95_ms=percentile(done, 95),
        p99_ms=percentile(done, 99),
        status_errors=sum(1 for s in statuses if s is not None and s != 0 and not ok(s)),
        socket_errors=sum(1 for s in statuses if s == 0),
        peak_rss_mb=rss() if rss else 0.0,
        statuses=dict(counts),
    )
    return load, statuses


def send(
    port: int, jobs: Sequence[Job], *, connections: int, seconds: float
) -> tuple[list[int | None], list[float | None], float]:
    """Send ``jobs`` in order over ``connections`` parallel connections, at most ``seconds``:
    each job's status and time in ms (None: not sent), and the seconds from the first
    request to the last response. Each connection takes the next job when its previous
    one is answered, so jobs next to each other start at (nearly) the same moment."""
    statuses: list[int | None] = [None] * len(jobs)
    latencies: list[float | None] = [None] * len(jobs)
    lock = threading.Lock()
    position = iter(range(len(jobs)))
    start = time.perf_counter()
    deadline = start + seconds
    finished = [start]

    def worker() -> None:
        conn = Connection(port)
        try:
            while True:
                with lock:
                    index = next(position, None)
                if index is None or time.perf_counter() > deadline:
                    return
                job = jobs[index]
                r = conn.request(job.method, job.path, job.body, job.headers)
                statuses[index] = r.status
                latencies[index] = r.ms
                end = time.perf_counter()
                with lock:
                    finished[0] = max(finished[0], end)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, latencies, finished[0] - start


def repeat(jobs: Iterable[Job], count: int) -> list[Job]:
    """``count`` jobs taken round-robin from ``jobs``."""
    pool = list(jobs)
    return [pool[i % len(pool)] for i in range(count)]
