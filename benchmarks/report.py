"""Figures, the terminal table, results/latest.json and results/latest.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
DB_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Figure:
    """One reported number of one scenario on one database, and whether it meets its target."""

    scenario: str
    name: str
    value: float | str | None
    target: str = ""
    ok: bool | None = None  # None: informative, no target
    unit: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    db: str = ""

    def shown(self) -> str:
        if self.value is None:
            return "-"
        if isinstance(self.value, float):
            text = f"{self.value:.2f}" if abs(self.value) < 100 else f"{self.value:.0f}"
        else:
            text = str(self.value)
        if self.unit:
            text += self.unit if self.unit in ("x", "%") else f" {self.unit}"
        mark = {True: "ok", False: "FAIL", None: ""}[self.ok]
        return f"{text} {mark}".strip()


def check(value: float, op: str, limit: float) -> bool:
    return {">=": value >= limit, "<=": value <= limit, "==": value == limit}[op]


def _rows(figures: list[Figure]) -> tuple[list[str], list[list[str]]]:
    dbs = [d for d in DB_LABELS if any(f.db == d for f in figures)]
    order: list[tuple[str, str]] = []
    cells: dict[tuple[str, str], dict[str, Figure]] = {}
    for f in figures:
        key = (f.scenario, f.name)
        if key not in cells:
            order.append(key)
            cells[key] = {}
        cells[key][f.db] = f
    header = ["id", "figure", "target", *(DB_LABELS[d] for d in dbs)]
    rows = []
    for key in order:
        by_db = cells[key]
        target = next((f.target for f in by_db.values() if f.target), "")
        rows.append(
            [key[0], key[1], target, *(by_db[d].shown() if d in by_db else "-" for d in dbs)]
        )
    return header, rows


def terminal_table(figures: list[Figure]) -> str:
    header, rows = _rows(figures)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def markdown_table(figures: list[Figure], meta: dict[str, Any]) -> str:
    header, rows = _rows(figures)
    esc = [[str(c).replace("|", "\\|") for c in r] for r in rows]
    out = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
        *("| " + " | ".join(r) + " |" for r in esc),
        "",
        f"Measured {meta['finished']} ({meta['mode']} run, {meta['duration_s']:.0f} s) on "
        f"{meta['machine']}, commit {meta['commit']}. Ratios are against a baseline served by the "
        "same gunicorn workers in the same run (median of 3). Rerun with `make bench` "
        "(`python -m benchmarks --quick` for a short run).",
    ]
    return "\n".join(out) + "\n"


def write(
    figures: list[Figure], meta: dict[str, Any], directory: Path = RESULTS
) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    js, md = directory / "latest.json", directory / "latest.md"
    js.write_text(
        json.dumps({"meta": meta, "figures": [asdict(f) for f in figures]}, indent=2, default=str)
        + "\n"
    )
    md.write_text(markdown_table(figures, meta))
    return js, md
