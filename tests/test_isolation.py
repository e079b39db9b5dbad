"""Tests share one app per process (per xdist worker): whatever one test does to its
settings must not reach the tests after it. A setting left changed made
``tests/consultations/test_comments.py::test_anonymous_comment_needs_a_nickname`` fail now
and then under ``-n 2``: when it ran after ``tests/core/test_proxy.py`` on the same worker,
that test's anonymous comment limit of one was still set, and the second form it sent got
429 instead of its errors. The ``app`` fixture (``conftest.py``) puts the settings back
after every test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_setting_one_test_leaves_changed_does_not_reach_the_next():
    # Both tests in this order in one process (no -n: xdist would spread them over two),
    # on SQLite (a PostgreSQL database of the same name as this run's must not be shared).
    env = {k: v for k, v in os.environ.items() if k != "ERAATI_TEST_DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-o", "python_files=settings_cases.py", "tests/settings_cases.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
