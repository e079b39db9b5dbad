"""The browser harness itself: each check catches what it is there to catch.

Small pages made in the test (no server) with one known fault each: ``check_page`` must
report it, with and without JavaScript; the keyboard helper must see a hidden focus
ring; the mailbox must find a link in what the SMTP server process received; and a missing Chromium
must skip outside CI and fail under CI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask import Flask
from flask_mailman import EmailMessage, Mail

from tests.browser import keyboard
from tests.browser.checks import DESKTOP, NO_JS, PHONE, NoScriptCopy, check_page
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.site import Mailbox, Site
from tests.mailsink import MailSink

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

GOOD = """<!doctype html><html lang="fi"><head><title>Hyvä sivu</title></head>
<body><main><h1>Otsikko</h1><label for="n">Nimi</label> <input id="n"></main></body></html>"""


def _page(chromium, mode, html: str):
    context = chromium.new_context(viewport=mode.viewport, java_script_enabled=mode.javascript)
    page = context.new_page()
    page.set_content(html)
    return context, page


@pytest.fixture
def shots(tmp_path):
    return tmp_path / "shots"


def test_chromium_starts(chromium):
    assert chromium.version.split(".")[0].isdigit()
    assert "--no-sandbox" in CHROMIUM_ARGS


def test_a_good_page_passes_and_gets_a_screenshot(chromium, shots):
    context, page = _page(chromium, DESKTOP, GOOD)
    assert check_page(page, "good", mode=DESKTOP, lang="fi", screenshots=shots) == []
    assert (shots / "desktop" / "fi" / "good.png").stat().st_size > 0
    context.close()


@pytest.mark.parametrize("mode", [DESKTOP, NO_JS], ids=str)
def test_axe_violations_are_reported_with_rule_and_element(chromium, shots, mode):
    bad = GOOD.replace('<label for="n">Nimi</label> ', "")
    context, page = _page(chromium, mode, bad)
    copy = None if mode.javascript else NoScriptCopy(chromium, mode)
    problems = check_page(page, "bad", mode=mode, lang="fi", copy=copy, screenshots=shots)
    assert len(problems) == 1, problems
    assert "axe label" in problems[0] and '<input id="n">' in problems[0]
    if copy:
        copy.close()
    context.close()


def test_a_wrong_page_language_is_reported(chromium, shots):
    context, page = _page(chromium, DESKTOP, GOOD)
    problems = check_page(page, "lang", mode=DESKTOP, lang="sv", screenshots=shots)
    assert problems and "<html lang='fi'>, expected 'sv'" in problems[0]
    context.close()


def test_sideways_overflow_on_a_phone_is_reported(chromium, shots):
    wide = GOOD.replace("</main>", '<p style="width: 500px">Leveä</p></main>')
    context, page = _page(chromium, PHONE, wide)
    problems = check_page(page, "wide", mode=PHONE, lang="fi", screenshots=shots)
    assert len(problems) == 2, problems  # the text zoom was not applied to this page either
    assert any("wider than the screen" in p and "p right=" in p for p in problems)
    context.close()


@pytest.mark.parametrize(
    ("heading", "style", "broken"),
    [
        # Cut anywhere (overflow-wrap): "Saavutettavuus|seloste" without a hyphen.
        ("Saavutettavuusseloste", "overflow-wrap: anywhere; width: 7rem", True),
        ("Saavutettavuusseloste", "word-break: break-all; width: 7rem", True),
        ("Saavutettavuusseloste", "overflow-wrap: break-word; width: 7rem", True),
        # A soft hyphen is shown as "-" where the line breaks; so is a hyphen of the word.
        ("Saavutettavuus\u00adseloste", "overflow-wrap: break-word; width: 9rem", False),
        ("Ylä-Savon kuntayhtymä", "overflow-wrap: anywhere; width: 7rem", False),
        # Short words wrap between words.
        ("Kuulemiset ja niiden tulokset", "overflow-wrap: anywhere; width: 7rem", False),
    ],
)
def test_a_heading_word_split_without_a_hyphen_is_reported(chromium, shots, heading, style, broken):
    from tests.browser.checks import broken_words

    html = GOOD.replace("<h1>Otsikko</h1>", f'<h1 style="{style}; font-size: 1rem">{heading}</h1>')
    context, page = _page(chromium, PHONE, html)
    found = broken_words(page)
    if broken:
        assert found and found[0].startswith("word split without a hyphen: Saavutett")
        assert found[0].endswith(" in h1")
        problems = check_page(page, "broken", mode=PHONE, lang="fi", screenshots=shots)
        assert any("word split without a hyphen" in p for p in problems), problems
    else:
        assert found == []
    context.close()


def test_text_that_ignores_the_text_size_setting_is_reported(chromium, shots):
    from tests.browser.checks import apply_text_zoom

    text = GOOD.replace('<label for="n">Nimi</label> <input id="n">', "<p>Teksti.</p>")
    fixed = text.replace("<head>", "<head><style>html { font-size: 14px }</style>")
    context = chromium.new_context(viewport=PHONE.viewport)
    page = context.new_page()
    apply_text_zoom(context, page, PHONE.text_zoom)
    page.set_content(text)
    assert check_page(page, "zoomed", mode=PHONE, lang="fi", screenshots=shots) == []
    page.set_content(fixed)
    problems = check_page(page, "fixed", mode=PHONE, lang="fi", screenshots=shots)
    assert problems and "text zoom 200% did not reach the page: root font 14.0px" in problems[0]
    context.close()


def test_tab_to_reaches_the_target_and_sees_a_hidden_focus_ring(chromium):
    html = GOOD.replace(
        "</main>",
        '<button id="a">Yksi</button><button id="b" style="outline: none">Kaksi</button>'
        '<button id="c">Kolme</button><div id="d">Ei kohdistettava</div></main>',
    )
    context, page = _page(chromium, DESKTOP, html)
    invisible = keyboard.tab_to(page, page.locator("#c"))
    assert keyboard.is_focused(page.locator("#c"))
    assert len(invisible) == 1 and 'id="b"' in invisible[0]
    with pytest.raises(keyboard.FocusNotReached):
        keyboard.tab_to(page, page.locator("#d"), limit=8)
    context.close()


def test_the_mailbox_reads_links_from_what_the_smtp_server_received(tmp_path):
    app = Flask(__name__)
    sink = MailSink(tmp_path).start()
    try:
        app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
        Mail(app)
        with app.app_context():
            for to, token in (("a@example.fi", "aaa"), ("b@example.fi", "bbb")):
                EmailMessage(
                    subject="Vahvista sähköpostiosoitteesi",
                    body=f"Hei Äijä,\n\navaa linkki:\nhttp://127.0.0.1:5/account/verify/{token}\n",
                    to=[to],
                ).send()
        box = Mailbox(sink)
        assert len(box.messages()) == 2
        link = box.link("b@example.fi", "/account/verify/")
        assert link == "http://127.0.0.1:5/account/verify/bbb"
        with pytest.raises(AssertionError, match=r"no e-mail to c@example\.fi"):
            box.latest_to("c@example.fi", timeout=0)
    finally:
        sink.stop()


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")])
def test_a_missing_chromium_skips_outside_ci_and_fails_under_ci(ci, outcome):
    env = {**os.environ, "ERAATI_CHROMIUM": "/nonexistent/chromium", "CI": ci}
    run = subprocess.run(  # our own test, in a child pytest
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-rsE",
         "tests/browser/test_harness.py::test_chromium_starts"],
        cwd=ROOT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert outcome in run.stdout, run.stdout + run.stderr
    assert "make browser" in run.stdout
    assert (run.returncode == 0) == (ci == "")


def test_known_faults_pass_only_while_they_occur(chromium):
    context = chromium.new_context()
    site = Site(context, base_url="http://127.0.0.1:1", app=None, mailbox=None, browser=chromium)
    reason = "the stance buttons overflow"
    site.known_problem(r"wider than the screen: .*stance-button", reason)
    site.problems = ["topic (phone-zoom): wider than the screen: button.stance-button right=435"]
    site.done()  # the known fault occurred: nothing else to report
    site.problems = ["topic (phone-zoom): axe label (critical): ..."]
    with pytest.raises(AssertionError) as failed:
        site.done()
    assert "axe label" in str(failed.value)
    assert f"a known fault did not occur (fixed? remove the known_problem): {reason}" in str(
        failed.value
    )
    site.close()
