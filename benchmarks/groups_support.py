"""What the opinion-group scenarios (A1-A3) share: their sizes, the planted vote sets
(``eraati.analysis.planted``, written once to an .npz that both sides read), the runs of
``groups_child`` in fresh processes, and a cache of the runs.

No database is involved: the runs are made once per ``make bench`` and their figures are
reported under each database the run covers (``details["measured_once"]`` says so).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.measure import median

ROOT = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT = 900.0  # seconds for one analysis process (red-dwarf at 20,000 people)
DENSITY = 0.3
SIDES = ("eraati", "reddwarf")


@dataclass(frozen=True)
class GroupSizes:
    a1: tuple[int, int, int]  # participants, comments, groups: timed against red-dwarf
    a2: tuple[int, int, int]  # the larger set timed against A1
    runs: int  # fresh processes per side and set (median reported)
    sets: tuple[tuple[int, int, int], ...]  # planted sets: participants, comments, groups


FULL = GroupSizes(
    a1=(10_000, 1_000, 3),
    a2=(20_000, 1_000, 3),
    runs=3,
    sets=(
        (1_000, 400, 2),
        (2_000, 400, 3),
        (3_000, 400, 4),
        (5_000, 400, 5),
        (7_500, 400, 3),
        (10_000, 400, 4),
        (15_000, 400, 5),
        (20_000, 400, 2),
    ),
)
QUICK = GroupSizes(
    a1=(3_000, 500, 3),
    a2=(6_000, 500, 3),
    runs=1,
    sets=((1_000, 400, 2), (2_000, 400, 3), (3_000, 400, 4), (4_000, 400, 5)),
)

# Measured once per benchmark process, whatever the database (see the module docstring).
_RUNS: dict[tuple, list[dict]] = {}
_FILES: dict[tuple, Path] = {}


def sizes(ctx) -> GroupSizes:
    return QUICK if ctx.sizes.name == "quick" else FULL


def reddwarf_missing() -> str | None:
    """Why red-dwarf cannot run in this interpreter, or None."""
    if importlib.util.find_spec("reddwarf") is None:
        return "red-dwarf is not installed: .venv/bin/pip install -r requirements-bench.txt"
    return None


def label(participants: int, comments: int) -> str:
    def short(n: int) -> str:
        return f"{n / 1000:g}k" if n >= 1000 else str(n)

    return f"{short(participants)} x {short(comments)}"


def planted_file(ctx, participants: int, comments: int, groups: int, seed: int = 0) -> Path:
    """The planted votes (and the true groups) in an .npz, written once per run."""
    key = (participants, comments, groups, seed)
    if key not in _FILES or not _FILES[key].exists():
        from eraati.analysis.planted import plant

        planted = plant(participants, comments, groups, density=DENSITY, seed=seed)
        path = ctx.workdir / f"groups-{participants}-{comments}-{groups}-{seed}.npz"
        np.savez(
            path,
            participant=planted.votes.participant,
            comment=planted.votes.comment,
            value=planted.votes.value,
            truth=planted.truth,
        )
        _FILES[key] = path
    return _FILES[key]


def child(
    ctx,
    side: str,
    votes: Path,
    *,
    seed: int = 0,
    shuffle: bool = False,
    hash_seed: int = 0,
) -> dict[str, Any]:
    """One fresh process analysing ``votes``: its JSON line, with the adjusted Rand index
    of its groups against the planted ones (``ari``)."""
    from sklearn.metrics import adjusted_rand_score

    out = ctx.workdir / f"groups-{side}-{os.getpid()}-labels.npz"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERAATI_")}
    env["PYTHONHASHSEED"] = str(hash_seed)
    env["PYTHONWARNINGS"] = "ignore"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.groups_child",
        "--side",
        side,
        "--votes",
        str(votes),
        "--out",
        str(out),
        "--seed",
        str(seed),
    ]
    if shuffle:
        cmd.append("--shuffle")
    try:
        proc = subprocess.run(  # noqa: S603 - our own interpreter and module
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"{side} on {votes.name} failed ({proc.returncode}): {tail[0]}")
        result = json.loads(lines[-1])
        with np.load(out) as found, np.load(votes) as planted:
            truth = planted["truth"][found["participant"] - 1]
            result["ari"] = float(adjusted_rand_score(truth, found["label"]))
            result["planted_k"] = len(np.unique(planted["truth"]))
    finally:
        out.unlink(missing_ok=True)
    return result


def runs(ctx, side: str, key: tuple[int, int, int], count: int, **options) -> list[dict]:
    """``count`` fresh-process runs of one side on one planted set (cached for the run)."""
    cached = _RUNS.setdefault((side, key, tuple(sorted(options.items()))), [])
    path = planted_file(ctx, *key)
    while len(cached) < count:
        got = child(ctx, side, path, hash_seed=len(cached) + 1, **options)
        ctx.log(
            f"    {side} {label(*key[:2])} ({key[2]} planted groups): {got['seconds']:.2f} s, "
            f"peak RSS {got['peak_rss_mib']:.0f} MiB, k {got['k']}, ARI {got['ari']:.3f}"
        )
        cached.append(got)
    return cached[:count]


def alternating(ctx, key: tuple[int, int, int], count: int) -> dict[str, list[dict]]:
    """Both sides ``count`` times, one after the other, taking turns at going first."""
    done: dict[str, list[dict]] = {side: [] for side in SIDES}
    for i in range(count):
        order = SIDES if i % 2 == 0 else SIDES[::-1]
        for side in order:
            done[side] = runs(ctx, side, key, len(done[side]) + 1)
    return done


def median_of(results: list[dict], field: str) -> float:
    return median([r[field] for r in results])
