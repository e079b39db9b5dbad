"""Baseline routes for the benchmark harness, only when ``BENCHMARK_ROUTES`` is on.

Benchmarks report ratios against these, measured by the same workers in the same run:
``GET /_bench/hello`` (the smallest page the app can render, with a CSRF token for the
client to use) and ``POST /_bench/noop`` (a CSRF-checked POST that does nothing).
"""

from __future__ import annotations

from flask import Blueprint, render_template_string

bp = Blueprint("bench", __name__, url_prefix="/_bench")

HELLO = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hello</title></head>
<body><form method="post" action="/_bench/noop">
<input type="hidden" name="csrf_token" value="{{ csrf_token() }}"></form></body></html>"""


@bp.get("/hello")
def hello() -> str:
    return render_template_string(HELLO)


@bp.post("/noop")
def noop() -> tuple[str, int]:
    return "", 204  # CSRFProtect has checked the token before we get here
