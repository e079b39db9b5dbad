"""Scenario registry: one module per scenario, each registering one ``Scenario`` subclass.

A new scenario (E1, E2, ...) is a new module here::

    from benchmarks.scenarios import Scenario, register

    @register
    class E1(Scenario):
        id = "E1"
        title = "export of 100,000 comments"
        target = "..."
        needs_server = True

        def run(self, ctx):
            ...  # seed with benchmarks.data, measure with ctx.wrk / ctx.load
            return [Figure(...), ...]
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from benchmarks.context import Context
    from benchmarks.report import Figure


class Scenario:
    id: ClassVar[str]
    title: ClassVar[str]
    target: ClassVar[str]
    needs_server: ClassVar[bool] = True  # False: measured in-process (e.g. SQL counts)
    needs_bench_routes: ClassVar[bool] = False  # uses GET /_bench/hello, POST /_bench/noop

    def run(self, ctx: Context) -> list[Figure]:
        raise NotImplementedError


REGISTRY: dict[str, Scenario] = {}


def register(cls: type[Scenario]) -> type[Scenario]:
    if cls.id in REGISTRY:
        raise ValueError(f"scenario {cls.id} registered twice")
    REGISTRY[cls.id] = cls()
    return cls


def _natural(key: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def load_all() -> dict[str, Scenario]:
    """Import every module of this package; the scenarios in id order (B2 before B10)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return {k: REGISTRY[k] for k in sorted(REGISTRY, key=_natural)}
