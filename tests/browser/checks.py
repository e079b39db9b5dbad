"""What every page visited in a real browser must pass, and how it is looked at.

``check_page(page, name, mode=..., lang=...)`` runs on every page a journey visits:

- axe-core (shipped offline by axe-playwright-python) with the WCAG 2.0 and 2.1 A and AA
  rules: zero violations;
- ``<html lang>`` is the language the person chose;
- at a phone viewport nothing is wider than the screen (no sideways scrolling), no word
  of a heading or of the language switcher is split across lines without a hyphen, and
  the person's larger text setting reaches the page;
- a full-page screenshot to ``screenshots/<mode>/<lang>/<name>.png`` (not committed).

It returns the problems found as sentences (an empty list when the page passes), so a
journey can collect them all and fail once at the end with the whole list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
BASE_FONT_PX = 16  # Chromium's default "standard" font size, which text zoom multiplies

_axe = Axe()


@dataclass(frozen=True)
class Mode:
    """How the person uses the site: screen size, JavaScript, text size, keyboard only."""

    name: str  # also the screenshot folder
    width: int
    height: int
    javascript: bool = True
    text_zoom: float = 1.0  # 2.0: the browser's text size set to 200 %
    keyboard: bool = False  # every action by Tab, Enter, Space, arrows and typing

    @property
    def viewport(self) -> dict[str, int]:
        return {"width": self.width, "height": self.height}

    @property
    def phone(self) -> bool:
        return self.width < 600

    def __str__(self) -> str:  # the test id: test_x[fi-phone-zoom]
        return self.name


DESKTOP = Mode("desktop", 1280, 900)
NO_JS = Mode("desktop-nojs", 1280, 900, javascript=False)
PHONE = Mode("phone-zoom", 360, 740, text_zoom=2.0)
KEYBOARD = Mode("desktop-keyboard", 1280, 900, keyboard=True)
MODES = (DESKTOP, NO_JS, PHONE)


@dataclass
class Checked:
    """One page checked: written to a log that the session summary counts."""

    name: str
    mode: str
    lang: str
    url: str
    problems: list[str] = field(default_factory=list)


def check_page(
    page: Page,
    name: str,
    *,
    mode: Mode = DESKTOP,
    lang: str | None = None,
    copy: NoScriptCopy | None = None,
    log: Path | None = None,
    screenshots: Path = SCREENSHOTS,
) -> list[str]:
    """Check the page now shown; the problems found, as sentences (see the module doc).

    With JavaScript disabled axe cannot run in the page itself (it needs timers): the
    page's HTML is checked in ``copy``, a JavaScript-enabled page of the same size.
    """
    page.wait_for_load_state("load")
    shown_lang = page.evaluate("() => document.documentElement.lang")
    problems: list[str] = []
    where = f"{name} ({mode.name}, {shown_lang}, {page.url})"
    if lang is not None and shown_lang != lang:
        problems.append(f"{where}: <html lang={shown_lang!r}>, expected {lang!r}")

    problems += [f"{where}: {p}" for p in _axe_problems(page, mode, copy)]
    if mode.phone:
        problems += [f"{where}: {p}" for p in _overflow(page)]
        problems += [f"{where}: {p}" for p in broken_words(page)]
    if mode.text_zoom != 1.0:
        problems += [f"{where}: {p}" for p in _text_zoom(page, mode)]

    folder = screenshots / mode.name / (lang or shown_lang or "xx")
    folder.mkdir(parents=True, exist_ok=True)
    _screenshot(page, mode, folder / f"{name}.png")

    if log is not None:
        record = Checked(name, mode.name, lang or shown_lang, page.url, problems)
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record.__dict__, ensure_ascii=False) + "\n")
    return problems


# A text-zoomed screenshot is taken in a viewport as tall as the page (at most this tall):
# Playwright's full-page screenshot resets Chromium's font-size preference while it
# captures, so the picture would show the page at 100 % text instead of 200 %.
ZOOMED_SHOT_MAX_HEIGHT = 16_000


def _screenshot(page: Page, mode: Mode, path: Path) -> None:
    if mode.text_zoom == 1.0:
        # Long staff pages on a phone are tens of thousands of pixels tall.
        page.screenshot(path=str(path), full_page=True, timeout=60_000)
        return
    height = min(page.evaluate("document.documentElement.scrollHeight"), ZOOMED_SHOT_MAX_HEIGHT)
    page.set_viewport_size({"width": mode.width, "height": max(height, mode.height)})
    try:
        page.screenshot(path=str(path), timeout=60_000)
    finally:
        page.set_viewport_size(mode.viewport)


def _axe_problems(page: Page, mode: Mode, copy: NoScriptCopy | None) -> list[str]:
    if mode.javascript:
        results = _axe.run(page, options=AXE_OPTIONS)
    else:
        if copy is None:
            raise ValueError("check_page needs copy= to run axe on a page without JavaScript")
        results = _axe.run(copy.show(page), options=AXE_OPTIONS)
    return [describe_violation(v) for v in results.response["violations"]]


class NoScriptCopy:
    """A JavaScript-enabled page of the same size that shows a no-JavaScript page's HTML,
    for axe. Its ``<base>`` is the original address, so styles and images load from the
    server as usual (and stay in this context's cache from page to page)."""

    def __init__(self, browser: Browser, mode: Mode):
        self.context = browser.new_context(viewport=mode.viewport, java_script_enabled=True)
        self.page = self.context.new_page()

    def show(self, page: Page) -> Page:
        html = page.content()
        base = f'<base href="{escape(page.url, quote=True)}">'
        html, found = re.subn(r"<head(\s[^>]*)?>", lambda m: m.group(0) + base, html, count=1)
        assert found, "the page has no <head>"
        self.page.set_content(html, wait_until="load")
        return self.page

    def close(self) -> None:
        self.context.close()


def describe_violation(violation: dict) -> str:
    """``axe color-contrast (serious): Elements must meet ... | .meta > a: <a href=...>``"""
    nodes = []
    for node in violation.get("nodes", [])[:5]:
        target = " ".join(str(t) for t in node.get("target", []))
        nodes.append(f"{target}: {node.get('html', '')[:160]}")
    more = len(violation.get("nodes", [])) - len(nodes)
    if more > 0:
        nodes.append(f"... and {more} more")
    return (
        f"axe {violation['id']} ({violation.get('impact')}): {violation.get('help')} | "
        + " | ".join(nodes)
    )


OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + classes.filter(Boolean).map(c => '.' + c).join('') + ' right=' + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def _overflow(page: Page) -> list[str]:
    found = page.evaluate(OVERFLOW_JS)
    if found["scrollWidth"] <= found["width"] + 1:
        return []
    return [
        f"wider than the screen: scrollWidth {found['scrollWidth']} > {found['width']}; "
        f"widest: {', '.join(found['wide'])}"
    ]


# Where a word must never be cut in two without a hyphen: headings and the language
# switcher (a phone at 200 % text has room for a dozen letters a line in a heading).
UNBROKEN = "h1, h2, h3, h4, h5, h6, .lang-switch"

# Each word's letters and their lines (Range.getClientRects): a word whose next letter
# starts a new line right after a letter was cut without a hyphen. A break after a hyphen
# or a soft hyphen (U+00AD, shown as "-" at the line's end) is a hyphenated one. Chromium
# here has no hyphenation dictionaries, so CSS ``hyphens: auto`` alone never hyphenates;
# addresses (with "@" or "/") and codes with digits ("(9f9296fc)") may break anywhere.
BROKEN_WORDS_JS = """(selector) => {
  const letter = /\\p{L}/u;
  const found = [];
  const range = document.createRange();
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const box = node.parentElement.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) continue;  // not shown, or visually hidden
      const words = /\\S+/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        const word = m[0];
        if (/[@\\/\\d]/.test(word)) continue;  // addresses, codes and numbers
        let lastTop = null;
        for (let i = 0; i < word.length; i++) {
          range.setStart(node, m.index + i);
          range.setEnd(node, m.index + i + 1);
          // A letter that starts a line also has an empty box at the end of the line before.
          const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
          if (!boxes.length) continue;  // a soft hyphen where the line does not break
          const top = boxes[boxes.length - 1].top;
          if (lastTop !== null && top > lastTop + 1 && letter.test(word[i - 1])
              && letter.test(word[i])) {
            const el = node.parentElement;
            const where = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
            found.push(word.slice(0, i).replace(/\\u00ad/g, '') + '|'
                       + word.slice(i).replace(/\\u00ad/g, '') + ' in ' + where);
          }
          lastTop = top;
        }
      }
    }
  }
  return found.slice(0, 12);
}"""


def broken_words(page: Page, selector: str = UNBROKEN) -> list[str]:
    """Words of ``selector`` split across two lines without a hyphen, as problems. A word
    counts only when it is split in two measurements a few frames apart: under load a
    measurement can catch a layout still settling (focus, scrolling to the error summary),
    which the screenshot taken right after does not show."""
    found = page.evaluate(BROKEN_WORDS_JS, selector)
    if found:
        page.evaluate(SETTLE_JS)
        again = set(page.evaluate(BROKEN_WORDS_JS, selector))
        found = [w for w in found if w in again]
    return [f"word split without a hyphen: {w}" for w in found]


# Two animation frames and a moment: whatever layout was pending has been done.
SETTLE_JS = """() => new Promise((done) => requestAnimationFrame(() =>
  requestAnimationFrame(() => setTimeout(done, 250))))"""


ROOT_FONT_JS = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"


def _text_zoom(page: Page, mode: Mode) -> list[str]:
    """The root font follows the browser's text size (rem and % sizes, not fixed px)."""
    px = float(page.evaluate(ROOT_FONT_JS))
    wanted = BASE_FONT_PX * mode.text_zoom * 0.8  # the site may scale its base down a little
    if px < wanted:
        return [f"text zoom {mode.text_zoom:.0%} did not reach the page: root font {px}px"]
    return []


def apply_text_zoom(context, page: Page, zoom: float) -> None:
    """Set the browser's default font sizes, as a person does in the browser's settings.

    Chromium's own "font size" preference, set through the DevTools protocol; it stays for
    the page's later navigations. Pages sized in rem or % follow it; fixed px do not."""
    if zoom == 1.0:
        return
    cdp = context.new_cdp_session(page)
    cdp.send(
        "Page.setFontSizes",
        {"fontSizes": {"standard": round(BASE_FONT_PX * zoom), "fixed": round(13 * zoom)}},
    )


def worker_log(worker_id: str) -> Path:
    return SCREENSHOTS / f"checks-{worker_id}.jsonl"


def read_logs() -> list[dict]:
    rows = []
    for path in sorted(SCREENSHOTS.glob("checks-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows
