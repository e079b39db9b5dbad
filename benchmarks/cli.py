"""Run the scenarios against SQLite and/or PostgreSQL and write the results."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from benchmarks import report, wrk
from benchmarks.context import Context
from benchmarks.report import Figure
from benchmarks.scenarios import load_all
from benchmarks.settings import FULL, QUICK

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432"


def _args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="smaller data and shorter loads (< 3 min)")
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only these scenarios (repeat or comma-separate): {', '.join(names)}",
    )
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("ERAATI_BENCH_PG_URL", DEFAULT_PG),
        help="PostgreSQL server (a database eraati_bench_<pid> is created and dropped there)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="sample the workers with py-spy during the first run of each measured load "
        "(requirements-bench.txt); summaries in latest.json",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, SQLite)")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return p.parse_args(argv)


def _git(*args: str) -> str:
    try:
        return subprocess.run(  # noqa: S603 - read-only git commands
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    except OSError:
        return ""


def _machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores{', ' + cpu if cpu else ''}, Python {platform.python_version()}"


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    scenarios = load_all()
    args = _args(argv, list(scenarios))
    if args.list:
        for s in scenarios.values():
            print(f"{s.id:4} {s.title}\n     target: {s.target}")
        return 0
    wanted = [n.strip().upper() for item in args.only or [] for n in item.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in scenarios]
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(scenarios)}")
        return 2
    chosen = [s for k, s in scenarios.items() if not wanted or k in wanted]
    sizes = QUICK if args.quick else FULL
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.profile:
        from benchmarks import profile

        if profile.py_spy() is None:
            print("--profile needs py-spy: .venv/bin/pip install -r requirements-bench.txt")
            return 2
    if any(s.needs_server for s in chosen):
        try:
            wrk.ensure_wrk()
        except wrk.WrkMissing as exc:
            print(exc)
            return 2

    signal.signal(signal.SIGTERM, _on_sigterm)
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC)
    workdir = Path(tempfile.mkdtemp(prefix="eraati-bench-"))
    figures: list[Figure] = []
    timings: dict[str, dict] = {}
    logs: dict[str, dict] = {}
    profiles: dict[str, dict] = {}
    crashed = False
    print(
        f"eRaati benchmarks ({sizes.name}): {', '.join(s.id for s in chosen)} on {', '.join(kinds)}"
    )
    try:
        for kind in kinds:
            ctx = Context(
                kind,
                sizes,
                workdir,
                args.pg_url,
                "wsgi:app",
                log=lambda m: print(m, flush=True),
                profile=args.profile,
            )
            print(f"\n== {ctx.db.label} ==", flush=True)
            try:
                ctx.setup()
                print(f"  database ready in {ctx.timings['setup_s']:.1f} s", flush=True)
                for s in chosen:
                    t = time.monotonic()
                    print(f"- {s.id}: {s.title}", flush=True)
                    try:
                        got = s.run(ctx)
                    except KeyboardInterrupt:
                        raise
                    except Exception as exc:  # one scenario's failure does not stop the others
                        crashed = True
                        traceback.print_exc()
                        lines = str(exc).strip().splitlines() or [""]
                        message = f"{type(exc).__name__}: {lines[0]}"[:200]
                        got = [Figure(s.id, "error", message, s.target, False)]
                    for f in got:
                        f.db = kind
                        print(f"    {f.name}: {f.shown()}", flush=True)
                    figures += got
                    ctx.timings[f"{s.id}_s"] = time.monotonic() - t
                    print(f"  ({s.id} took {time.monotonic() - t:.0f} s)", flush=True)
            finally:
                if ctx.server is not None:
                    text = ctx.server.log_text()
                    logs[kind] = {
                        "tracebacks": text.count("Traceback"),
                        "database is locked": text.count("database is locked"),
                        "worker timeouts": text.count("WORKER TIMEOUT"),
                        "tail": text.splitlines()[-30:] if "Traceback" in text else [],
                    }
                timings[kind] = {k: round(v, 1) for k, v in ctx.timings.items()}
                if ctx.profiles:
                    profiles[kind] = ctx.profiles
                ctx.close()
    except KeyboardInterrupt:
        print("\ninterrupted: everything started was stopped")
        return 130
    finally:
        if args.keep:
            print(f"temporary files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    commit = _git("rev-parse", "--short", "HEAD") + (
        "-dirty" if _git("status", "--porcelain") else ""
    )
    meta = {
        "started": started_at.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(time.monotonic() - started, 1),
        "mode": sizes.name,
        "scenarios": [s.id for s in chosen],
        "databases": kinds,
        "machine": _machine(),
        "commit": commit,
        "app": "wsgi:app",
        "timings_s": timings,
        "server_logs": logs,
        "sizes": sizes.__dict__,
        "profiles": profiles,
    }
    js, md = report.write(figures, meta)
    print("\n" + report.terminal_table(figures))
    failed = [f for f in figures if f.ok is False]
    print(
        f"\n{len(failed)} of {sum(f.ok is not None for f in figures)} targets missed; "
        f"{meta['duration_s']:.0f} s in all. "
        f"Results: {js.relative_to(ROOT)}, {md.relative_to(ROOT)}"
    )
    if crashed:
        return 1
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
