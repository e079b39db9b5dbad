"""GET load with wrk (Debian package ``wrk``); latency percentiles come from report.lua."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from benchmarks.measure import Load
from benchmarks.server import Server

SCRIPT = Path(__file__).resolve().parent / "report.lua"
INSTALL_HINT = "wrk is missing: install it with `apt-get install -y wrk` (Debian/Ubuntu) and rerun."


class WrkMissing(RuntimeError):
    pass


def ensure_wrk() -> str:
    """The path of wrk; as root, installs the Debian package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing the Debian package (apt-get install -y wrk) ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (
            ["apt-get", "install", "-y", "-q", "wrk"],
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "wrk"],
        ):
            subprocess.run(cmd, env=env, check=False, capture_output=True)  # noqa: S603
            found = shutil.which("wrk")
            if found:
                return found
    raise WrkMissing(INSTALL_HINT)


def run(
    server: Server,
    path: str,
    *,
    seconds: float,
    connections: int,
    label: str,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> Load:
    """``wrk`` against ``server`` for ``seconds`` with ``connections`` open connections."""
    if not path.startswith("/"):
        raise ValueError("wrk targets a path on the benchmark server only")
    cmd = [
        ensure_wrk(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(server.base + path)
    server.reset_peak_rss()
    done = subprocess.run(  # noqa: S603 - wrk with our own arguments
        cmd, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    errors, lat = data["errors"], data["latency_us"]
    # wrk counts a response of 400 or more as a "status" error; 2xx and 3xx are fine.
    return Load(
        label=label,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=lat["p50"] / 1000,
        p95_ms=lat["p95"] / 1000,
        p99_ms=lat["p99"] / 1000,
        status_errors=errors["status"],
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        peak_rss_mb=server.peak_rss_mb(),
    )
