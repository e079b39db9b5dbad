"""``--profile``: py-spy samples both gunicorn workers during a measured load.

Samples are taken with ``--idle`` (so waiting for the database or a lock counts) and then
only the stacks inside a request (under Flask's ``wsgi_app``) are kept. The summary lists
the functions with the most samples, inclusive (the function and what it called) and
self (the function's own code), as shares of all request samples.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

REQUEST_FRAME = "wsgi_app ("


def py_spy() -> str | None:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


class Recorder:
    """py-spy on each worker pid while the ``with`` block runs."""

    def __init__(self, pids: list[int], out_dir: Path, name: str, rate: int = 200) -> None:
        self.pids, self.out_dir, self.name, self.rate = pids, out_dir, name, rate
        self.procs: list[tuple[subprocess.Popen, Path]] = []

    def __enter__(self) -> Recorder:
        exe = py_spy()
        if exe is None:
            raise RuntimeError("py-spy is missing: pip install -r requirements-bench.txt")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for pid in self.pids:
            out = self.out_dir / f"{self.name}-{pid}.txt"
            cmd = [
                exe,
                "record",
                "--pid",
                str(pid),
                "--rate",
                str(self.rate),
                "--idle",
                "--nonblocking",
                "--format",
                "raw",
                "--output",
                str(out),
                "--duration",
                "600",
            ]
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
            self.procs.append((proc, out))
        return self

    def __exit__(self, *exc) -> None:
        for proc, _out in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGINT)  # py-spy writes its file when interrupted
        for proc, _out in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def summary(self, top: int = 15) -> dict:
        stacks: Counter[str] = Counter()
        for _proc, out in self.procs:
            with contextlib.suppress(OSError):
                for line in out.read_text().splitlines():
                    stack, _, count = line.rpartition(" ")
                    if stack and count.isdigit():
                        stacks[stack] += int(count)
        return summarise(stacks, top)


def _short(frame: str) -> str:
    """``render (jinja2/environment.py:1295)`` instead of the full path."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in (
        "site-packages/",
        "/work/main/",
        str(Path(__file__).resolve().parent.parent) + "/",
    ):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})" if where else name


def summarise(stacks: Counter, top: int = 15) -> dict:
    total = 0
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        start = next((i for i, f in enumerate(frames) if REQUEST_FRAME in f), None)
        if start is None:
            continue  # the worker between requests
        frames = [_short(f) for f in frames[start:]]
        total += count
        for f in set(frames):
            inclusive[f] += count
        own[frames[-1]] += count
    pct = (lambda n: round(100 * n / total, 1)) if total else (lambda n: 0.0)
    return {
        "request_samples": total,
        "inclusive_pct": [(f, pct(n)) for f, n in inclusive.most_common(top * 3)],
        "self_pct": [(f, pct(n)) for f, n in own.most_common(top)],
    }


def format_summary(s: dict, top: int = 15) -> str:
    lines = [f"    {s['request_samples']} samples in requests; self time:"]
    lines += [f"      {p:5.1f}%  {f}" for f, p in s["self_pct"][:top]]
    lines.append("    inclusive (app and library functions):")
    shown = 0
    for f, p in s["inclusive_pct"]:
        if any(
            skip in f
            for skip in ("wsgi_app", "full_dispatch_request", "dispatch_request", "__call__")
        ):
            continue
        lines.append(f"      {p:5.1f}%  {f}")
        shown += 1
        if shown >= top:
            break
    return "\n".join(lines)
