"""Real-browser tests: Debian's Chromium through Playwright, against a live server.

Per xdist worker: one Chromium (``chromium``), one server process with the demo data
(``live_server``, see ``server.py``) and its database (SQLite, or a PostgreSQL database
of its own when ``ERAATI_TEST_DATABASE_URL`` is set). Per test: a fresh browser context
(no cookies), so a test is one person starting from nothing.

Chromium is ``/usr/bin/chromium`` (``make browser`` installs it; ``ERAATI_CHROMIUM``
names another). Without it the browser tests are skipped outside CI and fail under CI.

    def test_something(site):                  # fi, desktop
    @pytest.mark.parametrize("lang", LANGS)    # or override lang / mode by parametrizing
    @pytest.mark.parametrize("mode", MODES, ids=str)
    def test_other(open_site):                 # more people: open_site(mode=...) each
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import pgdb
from tests.browser.checks import DESKTOP, ROOT, SCREENSHOTS, Mode, read_logs, worker_log
from tests.mailsink import MailSink
from tests.needs import missing

CHROMIUM = os.environ.get("ERAATI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGS = ("fi", "sv", "en")
SERVER_START_SECONDS = 60


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).is_file():
        message = (
            f"Chromium is not installed at {CHROMIUM}: run `make browser` "
            "(apt-get install -y chromium) for the browser tests."
        )
        missing(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


# --- the server ------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    database_url: str
    mail: MailSink  # the SMTP server process the app sends to
    log: Path


def _wait_ready(process: subprocess.Popen, log: Path) -> str:
    """The server's address, from its READY line; fails with its log if it dies first."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    line = ""
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line.startswith("READY "):
                return line.split()[1]
    process.kill()
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    pytest.fail(f"the test server did not start ({line!r}); its log:\n{tail}", pytrace=False)


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url}/healthz did not answer", pytrace=False)
        time.sleep(0.1)


@pytest.fixture(scope="session")
def live_server(chromium, tmp_path_factory, worker_id):
    folder = tmp_path_factory.mktemp("live-server")
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if base:
        database_url = f"{base}_browser_{worker_id}"
        pgdb.create(database_url)
    else:
        database_url = f"sqlite:///{folder / 'browser.sqlite3'}"
    try:
        sink = MailSink(folder / "maildir").start()
    except Exception as exc:
        missing(f"an SMTP server process (aiosmtpd) on 127.0.0.1: {exc}")
    log = folder / "server.log"
    with log.open("w") as err:
        process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "tests.browser.server",
             "--database-url", database_url, "--smtp-port", str(sink.port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
        )  # fmt: skip
    try:
        url = _wait_ready(process, log)
        _wait_healthy(url)
        yield LiveServer(url, database_url, sink, log)
    finally:
        sink.stop()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if base:
            pgdb.drop(database_url)


@pytest.fixture(scope="session")
def app_side(live_server):
    from tests.browser.site import AppSide

    side = AppSide(live_server.database_url)
    yield side
    side.close()


@pytest.fixture(scope="session")
def check_log(worker_id):
    SCREENSHOTS.mkdir(exist_ok=True)
    log = worker_log(worker_id)
    log.write_text("")
    return log


# --- people in browsers ----------------------------------------------------------------------


@pytest.fixture
def mode() -> Mode:
    return DESKTOP


@pytest.fixture
def lang() -> str:
    return "fi"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_passed = report.passed
    return report


@pytest.fixture
def open_site(request, chromium, live_server, app_side, check_log):
    """``open_site(mode=...)``: a new person (browser context) on the site's front page.

    A test that passed without calling ``site.done()`` still fails on the problems its
    pages had (as an error at teardown)."""
    from tests.browser.site import Mailbox, Site

    sites = []

    def _open(mode: Mode = DESKTOP, *, start: str | None = "/"):
        context = chromium.new_context(
            viewport=mode.viewport,
            java_script_enabled=mode.javascript,
            locale="fi-FI",  # a Finnish browser: the site starts in Finnish
            timezone_id="Europe/Helsinki",
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        site = Site(
            context,
            base_url=live_server.url,
            app=app_side,
            mailbox=Mailbox(live_server.mail),
            browser=chromium,
            mode=mode,
            log=check_log,
        )
        sites.append(site)
        if start is not None:
            site.open(start, name=None)
        return site

    yield _open
    unreported = [one for one in sites if one.problems]
    for one in sites:
        one.close()
    if getattr(request.node, "browser_test_passed", False):
        for one in unreported:
            one.done()


@pytest.fixture
def site(open_site, mode):
    return open_site(mode)


# --- the count of pages checked --------------------------------------------------------------


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without -n
        for old in SCREENSHOTS.glob("checks-*.jsonl"):
            old.unlink()


def pytest_terminal_summary(terminalreporter):
    rows = read_logs()
    if not rows:
        return
    pages = Counter((r["mode"], r["lang"]) for r in rows)
    names = {(r["name"], r["mode"], r["lang"]) for r in rows}
    failing = sum(1 for r in rows if r["problems"])
    terminalreporter.write_sep("-", "browser pages checked (axe WCAG 2.1 A/AA, lang, overflow)")
    terminalreporter.write_line(
        f"{len(rows)} page views checked, {len(names)} distinct page x language x mode, "
        f"{failing} with problems (known faults too); "
        f"screenshots in {SCREENSHOTS.relative_to(ROOT)}/"
    )
    for (mode, lang), count in sorted(pages.items()):
        terminalreporter.write_line(f"  {mode:18} {lang}: {count}")
