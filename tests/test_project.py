"""The project itself: layout, pinned requirements, the two commands, CI and the demo.

The top-level layout and pinned requirements, the README's two commands, what
``make run`` and ``make test`` do (read with ``make -n``, nothing is executed), the
SQLite default, ``.ci/run`` (run for real with a stand-in ``make``: it fails without
PostgreSQL and hands a fresh database to the second run), and the demo's votes, poll
answers and progress bar.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

from config import INSTANCE_DIR, Config, DevelopmentConfig
from tests.needs import missing

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("ERAATI_TEST_DATABASE_URL")


# --- layout --------------------------------------------------------------------------------------


def test_top_level_layout():
    for folder in ("eraati", "migrations", "templates", "tests", ".ci"):
        assert ROOT.joinpath(folder).is_dir(), folder
    for name in (
        "config.py",
        "wsgi.py",
        "requirements.txt",
        "requirements-dev.txt",
        "Makefile",
        "README.md",
        ".ci/run",
    ):
        assert ROOT.joinpath(name).is_file(), name
    assert ROOT.joinpath("eraati", "__init__.py").is_file()
    assert ROOT.joinpath("migrations", "env.py").is_file()
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_requirements_are_pinned(name):
    lines = [line.split("#", 1)[0].strip() for line in ROOT.joinpath(name).read_text().splitlines()]
    requirements = [line for line in lines if line and not line.startswith("-r ")]
    assert requirements
    unpinned = [
        r for r in requirements if not re.fullmatch(r"[A-Za-z0-9_.-]+(\[[\w,]+\])?==[\w.]+", r)
    ]
    assert unpinned == []
    if name == "requirements.txt":
        names = {re.split(r"[\[=]", r)[0].lower() for r in requirements}
        assert {"flask", "psycopg", "flask-migrate", "flask-babel", "flask-wtf"} <= names


def test_readme_opens_with_the_two_commands():
    readme = ROOT.joinpath("README.md").read_text()
    first_block = re.search(r"```[a-z]*\n(.*?)```", readme, re.S)
    assert first_block
    before = readme[: first_block.start()]
    assert before.count("\n## ") <= 1  # the first section of the README
    commands = [
        line.split("#", 1)[0].strip()
        for line in first_block.group(1).splitlines()
        if line.split("#", 1)[0].strip()
    ]
    assert commands == ["make run", "make test"]


def _dry_run(target: str, *assignments: str) -> list[str]:
    """The commands ``make <target>`` would run on a fresh clone (-B: nothing is built yet)."""
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-n", "-B", target, *assignments],  # noqa: S607 - make from PATH, as the README says
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def _in_order(lines: list[str], *needles: str) -> list[int]:
    positions = []
    for needle in needles:
        hits = [i for i, line in enumerate(lines) if needle in line]
        assert hits, (needle, lines)
        positions.append(hits[0])
    return positions


def test_make_run_sets_up_everything_then_serves():
    lines = _dry_run("run")
    steps = _in_order(
        lines,
        "-m venv .venv",
        "pip install --quiet -r requirements.txt",
        "eraati.core.catalogs compile",
        "db upgrade",
        "eraati seed-demo --if-empty",
        "run --host 127.0.0.1 --port 5000",
    )
    assert steps == sorted(steps)
    for line in lines:
        if "flask" in line:
            assert "ERAATI_ENV=development" in line, line


def test_make_run_serves_links_and_log_ins_at_the_port_chosen():
    lines = _dry_run("run", "PORT=8123")
    seed = next(line for line in lines if "eraati seed-demo" in line)
    serve = next(line for line in lines if " run --host" in line)
    for line in (seed, serve):
        assert "ERAATI_PUBLIC_URL=http://127.0.0.1:8123/" in line, line
    assert "--port 8123" in serve


def test_the_printed_command_for_every_demo_log_in_works_as_printed(db, runner, configure):
    """``make run`` prints a command for the other organisations' staff: pasted as it is
    in the project folder, it lists them all, at the address ``make run`` serves."""
    from eraati.consultations import demo
    from tests import factories

    factories.make_org("keitele", "Keitele")  # the database has data: nothing is loaded
    db.session.commit()
    configure(PUBLIC_URL="http://127.0.0.1:8123/")
    seeded = runner.invoke(
        args=["eraati", "seed-demo", "--if-empty"], env={"ERAATI_ENV": "development"}
    )
    assert seeded.exit_code == 0, seeded.output
    (hint,) = [line for line in seeded.output.splitlines() if "seed-demo --list" in line]
    command = hint.split(": ", 1)[1]

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ERAATI_", "FLASK_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("SECRET_KEY", None)
    listed = subprocess.run(  # noqa: S602 - the printed command, as a person pastes it
        command, shell=True, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    assert "http://127.0.0.1:8123/account/login" in listed.stdout
    for email, _label in demo.login_rows() + demo.staff_rows():
        assert email in listed.stdout, email


def test_make_test_installs_the_dev_tools_and_runs_pytest():
    lines = _dry_run("test")
    steps = _in_order(lines, "-m venv .venv", "-r requirements-dev.txt", "-m pytest")
    assert steps == sorted(steps)


def test_sqlite_under_instance_is_the_embedded_default():
    assert f"sqlite:///{INSTANCE_DIR / 'eraati.sqlite3'}" == Config.SQLALCHEMY_DATABASE_URI
    assert DevelopmentConfig.SQLALCHEMY_DATABASE_URI == Config.SQLALCHEMY_DATABASE_URI
    assert INSTANCE_DIR == ROOT / "instance"


# --- .ci/run ---------------------------------------------------------------------------------


# The SQLite pass leaves the browser journeys to the PostgreSQL pass (CI's time budget).
SQLITE_PASS = "test PYTEST_ARGS=--ignore=tests/browser --durations=30 db="


def _ci_run(tmp_path: Path, pg: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run .ci/run with a stand-in ``make`` that logs each call and the database it got."""
    log = tmp_path / "make.log"
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'echo "$* db=${ERAATI_TEST_DATABASE_URL:-}" >> "$FAKE_MAKE_LOG"\n'
        'if [ -n "${ERAATI_TEST_DATABASE_URL:-}" ]; then\n'
        f'  "{sys.executable}" -c "import psycopg, sys; psycopg.connect(sys.argv[1]).close()" '
        '"$ERAATI_TEST_DATABASE_URL" && echo "reachable" >> "$FAKE_MAKE_LOG"\n'
        "fi\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k != "ERAATI_TEST_DATABASE_URL"}
    env.update(
        PATH=f"{fake.parent}{os.pathsep}{env['PATH']}",
        FAKE_MAKE_LOG=str(log),
        ERAATI_CI_PG=pg,
        CI="1",
    )
    result = subprocess.run(  # noqa: S603 - our own script
        ["bash", str(ROOT / ".ci" / "run")],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


def test_ci_fails_when_postgresql_is_missing(tmp_path):
    result, calls = _ci_run(tmp_path, "postgresql://postgres@127.0.0.1:1")
    assert result.returncode != 0
    assert calls == [SQLITE_PASS]  # SQLite ran; PostgreSQL was not skipped quietly
    assert "FAIL" in result.stdout + result.stderr


def _postgresql_server() -> str:
    """The server of the test database, else the local one; under CI it must answer."""
    import psycopg

    url = PG_URL or os.environ.get("ERAATI_CI_PG", "postgresql://postgres@127.0.0.1:5432")
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="", query="", fragment=""))
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        missing(f"a PostgreSQL server at {server} ({exc})")
    return server


def test_ci_runs_the_tests_again_on_a_fresh_postgresql_database(tmp_path):
    server = _postgresql_server()
    result, calls = _ci_run(tmp_path, server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls[0] == SQLITE_PASS
    second, reached = calls[1:]
    # the whole suite, browser journeys included
    assert second.startswith("test PYTEST_ARGS=--durations=30 db=")
    database = second.removeprefix("test PYTEST_ARGS=--durations=30 db=")
    assert database.startswith(server + "/eraati_ci_")
    assert reached == "reachable"  # the database existed while the tests ran
    import psycopg

    with psycopg.connect(f"{server}/postgres") as conn:
        name = urlsplit(database).path.lstrip("/")
        left = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert left is None  # dropped afterwards


# --- demo data -------------------------------------------------------------------------------


def test_demo_has_votes_replies_and_poll_answers(db):
    from eraati.consultations import demo
    from eraati.consultations.models import Answer, Comment, CommentVote, Follow

    demo.seed()
    db.session.commit()

    def rows(model, *where) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    assert rows(CommentVote) > 0
    assert rows(Answer) > 0
    assert rows(Follow) > 0
    assert rows(Comment, Comment.parent_id.is_not(None)) > 0


def test_large_topic_reports_its_progress_to_the_end(db, runner):
    from eraati.consultations import demo

    demo.seed()
    db.session.commit()
    steps: list[int] = []
    demo.add_large_topic(150, progress=steps.append)
    assert steps and sum(steps) == 150  # the bar ends full

    result = runner.invoke(args=["eraati", "seed-demo", "--comments", "180"])
    assert result.exit_code == 0, result.output
    # Outside a terminal click prints the bar's label once, on its own line.
    assert "Large topic" in result.output.splitlines()
