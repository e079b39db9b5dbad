"""The app under gunicorn (2 workers, production configuration) on 127.0.0.1, and its RSS."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.data import PUBLIC_URL

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WRITING_LIMITS = (
    "API_RATE_LIMIT",  # P6's load comes from one address, as the writers' does
    "COMMENT_RATE_LIMIT",
    "VOTE_RATE_LIMIT",
    "STANCE_RATE_LIMIT",
    "FLAG_RATE_LIMIT",
    "FOLLOW_RATE_LIMIT",
)


def server_env(database_url: str, secret_key: str) -> dict[str, str]:
    """The environment of a production server, plus the benchmark switches.

    The residents' writing limits are raised (not turned off: their check is part of what
    a vote or a comment costs) so that each writer can post and vote again and again;
    every other limit and setting is the production one. (Logging the voters in from one
    address uses up no log-in limit: only wrong passwords count.)
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    env.update(
        ERAATI_ENV="production",
        SECRET_KEY=secret_key,
        DATABASE_URL=database_url,
        ERAATI_PUBLIC_URL=PUBLIC_URL,  # its host is the one the load clients use
        ERAATI_BENCHMARK_ROUTES="true",
        **{f"ERAATI_{name}": "1000000 per minute" for name in WRITING_LIMITS},
        PYTHONUNBUFFERED="1",
    )
    return env


def _config_args() -> list[str]:
    """gunicorn reads ``./gunicorn.conf.py`` (the production configuration, if the project
    ships one) by itself; ``ERAATI_BENCH_GUNICORN_CONFIG`` names another file, for trying a
    configuration before shipping it. ``--workers 2`` below wins over either."""
    other = os.environ.get("ERAATI_BENCH_GUNICORN_CONFIG")
    return ["--config", other] if other else []


class Server:
    """``gunicorn --workers 2 --bind 127.0.0.1:<free port> wsgi:app``; ``stop()`` ends it."""

    def __init__(
        self, env: dict[str, str], log_path: Path, app: str = "wsgi:app", workers: int = WORKERS
    ) -> None:
        self.env = env
        self.workers = workers
        self.log_path = log_path
        self.app = app
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.port = free_port()
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            *_config_args(),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--error-logfile",
            "-",
            "--capture-output",
            self.app,
        ]
        # Production answers only its public address, at its port (core.links): the
        # address the load clients use, with the port chosen just now.
        env = dict(self.env)
        if "ERAATI_PUBLIC_URL" in env:
            env["ERAATI_PUBLIC_URL"] = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the whole group
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            if self._healthy() and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer /healthz in {timeout:.0f} s; see {self.log_path}"
        )

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def reset_peak_rss(self) -> None:
        """Start a new peak: writing 5 to clear_refs resets VmHWM (Linux)."""
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")

    def peak_rss_mb(self) -> float:
        """The larger worker's peak resident set size since the last reset, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)  # gunicorn's graceful stop of its workers
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
