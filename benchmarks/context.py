"""What a scenario gets: the database, the in-process app, the server (started on first use),
load helpers that record peak RSS, and a cache shared between the scenarios of one database."""

from __future__ import annotations

import contextlib
import secrets
import time
from pathlib import Path
from typing import Any

from benchmarks import client, data, profile, wrk
from benchmarks.measure import Load
from benchmarks.server import Server, server_env
from benchmarks.settings import Sizes

HELLO = "/_bench/hello"
NOOP = "/_bench/noop"


class BenchRoutesMissing(RuntimeError):
    pass


class Context:
    def __init__(
        self,
        kind: str,
        sizes: Sizes,
        workdir: Path,
        pg_base: str,
        app_target: str,
        log=print,
        profile=False,
    ) -> None:
        self.kind = kind
        self.sizes = sizes
        self.workdir = workdir
        self.app_target = app_target
        self.log = log
        self.db = data.Database(kind, workdir, pg_base)
        self.secret = secrets.token_urlsafe(48)
        self.app = None
        self.server: Server | None = None
        self.cache: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self.profile = profile
        self.profiles: dict[str, dict] = {}
        self._closers: list = []  # what scenarios started beside the server (on_close)

    # --- life cycle ----------------------------------------------------------------------

    def setup(self) -> None:
        t = time.monotonic()
        self.db.create()
        self.app = data.make_app(self.db.url, self.secret)
        data.migrate(self.app)
        data.seed_demo(self.app)
        self.timings["setup_s"] = time.monotonic() - t

    def ensure_server(self) -> Server:
        if self.server is None:
            env = server_env(self.db.url, self.secret)
            self.server = Server(env, self.workdir / f"gunicorn-{self.kind}.log", self.app_target)
            self.server.start()
            self.log(
                f"  gunicorn: 2 workers on {self.server.base} (pids {self.server.worker_pids()})"
            )
        return self.server

    def on_close(self, fn) -> None:
        """Call ``fn()`` when this database's run ends (e.g. stop an SMTP sink)."""
        self._closers.append(fn)

    def close(self) -> None:
        try:
            while self._closers:
                with contextlib.suppress(Exception):
                    self._closers.pop()()
            if self.server is not None:
                self.server.stop()
        finally:
            self.server = None
            if self.app is not None:
                from eraati.extensions import db

                with self.app.app_context():
                    db.engine.dispose()
            self.db.drop()

    # --- load ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.ensure_server().port

    def warm(self, path: str, times: int = 6) -> None:
        """GET ``path`` a few times first, so that no worker compiles templates while measured."""
        warmed = self.cache.setdefault("warmed", set())
        if path in warmed:
            return
        conn = client.Connection(self.port)
        try:
            for _ in range(times):
                conn.request("GET", path)
        finally:
            conn.close()
        warmed.add(path)

    def wrk(
        self,
        path: str,
        *,
        seconds: float,
        connections: int,
        label: str,
        headers: dict[str, str] | None = None,
    ) -> Load:
        server = self.ensure_server()
        if headers is None:
            self.warm(path)
        with self._profiling(label):
            return wrk.run(
                server,
                path,
                seconds=seconds,
                connections=connections,
                label=label,
                headers=headers,
            )

    def load(self, jobs: list[client.Job], *, connections: int, seconds: float, label: str):
        server = self.ensure_server()
        server.reset_peak_rss()
        with self._profiling(label):
            return client.run_jobs(
                server.port,
                jobs,
                connections=connections,
                seconds=seconds,
                label=label,
                rss=server.peak_rss_mb,
            )

    @contextlib.contextmanager
    def _profiling(self, label: str):
        """With --profile: py-spy on the workers during the first run of each measured load
        (not the hello/no-op baselines). Summaries go to ``self.profiles[label]``."""
        first = label.endswith(" 1") or label == "copies"
        if not self.profile or not first or any(b in label for b in ("hello", "noop")):
            yield
            return
        name = f"{self.kind}-{label.replace(' ', '_')}"
        rec = profile.Recorder(self.ensure_server().worker_pids(), self.workdir / "profiles", name)
        with rec:
            yield
        summary = rec.summary()
        self.profiles[label] = summary
        self.log(f"  profile of '{label}':\n{profile.format_summary(summary)}")

    # --- shared fixtures -----------------------------------------------------------------

    def check_bench_routes(self) -> None:
        """The baseline routes the app serves with BENCHMARK_ROUTES=True."""
        if self.cache.get("bench_routes"):
            return
        conn = client.Connection(self.port)
        try:
            r = conn.request("GET", HELLO)
        finally:
            conn.close()
        if r.status != 200 or not client.hidden_value(r.text, "csrf_token"):
            raise BenchRoutesMissing(
                f"GET {HELLO} answered {r.status}"
                + ("" if r.status != 200 else " without a csrf_token input")
                + ': the app must serve GET /_bench/hello (a page with <input name="csrf_token">) '
                "and a CSRF-checked POST /_bench/noop when BENCHMARK_ROUTES=True "
                "(env ERAATI_BENCHMARK_ROUTES=true)."
            )
        self.cache["bench_routes"] = True

    def noop(self, *, connections: int, label: str, sessions: int = 50) -> Load:
        """The baseline of the POST flows: CSRF-checked no-op POSTs by ``sessions`` visitors of
        /_bench/hello, over ``connections`` connections for ``sizes.noop_seconds``."""
        self.check_bench_routes()
        key = f"noop_sessions_{sessions}"
        if key not in self.cache:
            self.cache[key] = client.anonymous_sessions(self.port, HELLO, sessions)
        jobs = client.repeat([client.post_job(s, NOOP, {}) for s in self.cache[key]], 200_000)
        load, _statuses = self.load(
            jobs, connections=connections, seconds=self.sizes.noop_seconds, label=label
        )
        return load

    def voters(self, count: int) -> list[tuple[int, str]]:
        """The first ``count`` benchmark voters (id, e-mail); 200 exist at most per size."""
        have = self.cache.get("voters", [])
        if len(have) < count:
            have = data.ensure_users(self.app, "voter", count)
            self.cache["voters"] = have
        return have[:count]

    def sessions(
        self, people: list[tuple[int, str]], token_page: str = HELLO
    ) -> dict[int, client.Session]:
        """Logged-in sessions, made once per person and reused. The first
        ``sizes.real_logins`` people log in through the real form (POST /account/login);
        the others get the same session signed in-process (``client.signed_session``),
        because each real log-in costs a production argon2 hash. Every session then loads
        ``token_page`` for its CSRF token, as a browser would."""
        if token_page == HELLO:
            self.check_bench_routes()
        known: dict[int, client.Session] = self.cache.setdefault("sessions", {})
        missing = [p for p in people if p[0] not in known]
        if missing:
            t = time.monotonic()
            real = [p for p in missing if p in self.voters(self.sizes.real_logins)]
            known.update(client.log_in_all(self.port, real, data.PASSWORD, token_page))
            for uid, email in missing:
                if uid not in known:
                    b = client.Browser(self.port, client.signed_session(self.app, uid, email))
                    b.fetch_token(token_page)
                    b.close()
                    known[uid] = b.session
            self.timings["log_in_s"] = self.timings.get("log_in_s", 0) + time.monotonic() - t
            self.log(
                f"  {len(real)} real log-ins + {len(missing) - len(real)} signed sessions "
                f"in {time.monotonic() - t:.1f} s"
            )
        return {p[0]: known[p[0]] for p in people}

    def error_log_hits(self, *needles: str) -> dict[str, int]:
        text = self.server.log_text() if self.server else ""
        return {n: text.count(n) for n in needles}
