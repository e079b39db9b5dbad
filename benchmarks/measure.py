"""One load measurement (throughput, latency percentiles, errors, peak RSS) and medians."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Load:
    """What one load loop (wrk or the Python client) measured."""

    label: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    status_errors: int = 0  # responses other than 2xx/3xx
    socket_errors: int = 0  # connect/read/write errors and timeouts
    peak_rss_mb: float = 0.0  # the larger gunicorn worker's peak resident set size
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rps"] = round(self.rps, 1)
        for key in ("seconds", "p50_ms", "p95_ms", "p99_ms", "peak_rss_mb"):
            out[key] = round(out[key], 2)
        return out


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


@dataclass
class Series:
    """The same measurement repeated: medians of each figure, sums of errors, max RSS."""

    runs: list[Load] = field(default_factory=list)

    def add(self, load: Load) -> Load:
        self.runs.append(load)
        return load

    def median(self, attr: str) -> float:
        return median([getattr(r, attr) for r in self.runs])

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max((r.peak_rss_mb for r in self.runs), default=0.0)

    def summary(self) -> dict[str, Any]:
        return {
            "rps": round(self.median("rps"), 1),
            "p50_ms": round(self.median("p50_ms"), 2),
            "p95_ms": round(self.median("p95_ms"), 2),
            "p99_ms": round(self.median("p99_ms"), 2),
            "errors": self.errors,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "runs": [r.as_dict() for r in self.runs],
        }
