"""Soft hyphens in headings, by the heading's language.

On a phone with the text at 200 % a heading has room for a dozen letters a line, and
Finnish and Swedish words are often longer ("talvikunnossapito", "tillgängligheten"). A
word that does not fit must break with a hyphen, not anywhere. Browsers hyphenate with
CSS ``hyphens: auto`` only where they have a dictionary for the language, which many do
not (Chromium on Linux has none), so every HTML page's headings get soft hyphens (U+00AD,
invisible unless the line breaks there) at the syllable boundaries of their long words:
Finnish by its syllable rule, Swedish and English from Pyphen's dictionaries (the same
ones WeasyPrint hyphenates the council report with). Screen readers, search in the page
and accessible names ignore soft hyphens.
"""

from __future__ import annotations

import functools
import re

import pyphen
from flask import Flask, Response
from flask_babel import get_locale

SOFT_HYPHEN = "\u00ad"
MIN_LETTERS = 6  # shorter words fit a phone's line even in a large heading
LEFT, RIGHT = 2, 3  # at least this many letters before and after a break

_HEADING = re.compile(r"(<h([1-6])(\s[^>]*)?>)(.*?)(</h\2>)", re.S)
_HEADING_BYTES = re.compile(_HEADING.pattern.encode(), re.S)
_LANG = re.compile(r'\slang="([a-z]{2})[^"]*"')
_TAG = re.compile(r"(<[^>]*>)")
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")
_TOKEN = re.compile(r"\S+")

# Finnish syllables (Kotus): a new syllable starts at a consonant followed by a vowel, and
# between two vowels that are neither a long vowel nor a diphthong.
_FI_VOWELS = frozenset("aeiouyäöå")
_FI_DIPHTHONGS = frozenset(
    [
        "ai",
        "ei",
        "oi",
        "ui",
        "yi",
        "äi",
        "öi",
        "au",
        "eu",
        "iu",
        "ou",
        "ey",
        "iy",
        "äy",
        "öy",
        "ie",
        "uo",
        "yö",
    ]
)
_PYPHEN_LANGS = {"sv": "sv", "en": "en_GB"}


def _finnish_breaks(word: str) -> list[int]:
    w = word.lower()
    points = []
    for i in range(1, len(w)):
        before, here = w[i - 1], w[i]
        if here not in _FI_VOWELS:
            after = w[i + 1] if i + 1 < len(w) else ""
            if after in _FI_VOWELS and any(c in _FI_VOWELS for c in w[:i]):
                points.append(i)
        elif before in _FI_VOWELS and before != here and before + here not in _FI_DIPHTHONGS:
            points.append(i)
    return points


@functools.cache
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=_PYPHEN_LANGS[lang], left=LEFT, right=RIGHT)


@functools.lru_cache(maxsize=4096)
def hyphenate_word(word: str, lang: str) -> str:
    """``word`` with a soft hyphen at each place it may break in ``lang``."""
    # Finnish by rule (the site's first language, also for any other), else a dictionary.
    points = _dictionary(lang).positions(word) if lang in _PYPHEN_LANGS else _finnish_breaks(word)
    points = [p for p in points if LEFT <= p <= len(word) - RIGHT]
    if not points:
        return word
    parts, last = [], 0
    for p in points:
        parts.append(word[last:p])
        last = p
    parts.append(word[last:])
    return SOFT_HYPHEN.join(parts)


def hyphenate_text(text: str, lang: str) -> str:
    """Soft hyphens in the long words of plain ``text`` (HTML text between tags); words
    that already have one, and addresses, are left as they are."""

    def token(m: re.Match) -> str:
        t = m.group(0)
        if SOFT_HYPHEN in t or "&shy;" in t or any(c in t for c in "@/&"):
            return t
        return _WORD.sub(lambda w: hyphenate_word(w.group(0), lang), t)

    return _TOKEN.sub(token, text)


def hyphenate_headings(html: str, lang: str) -> str:
    """Every ``<h1>``-``<h6>`` of a page with soft hyphens in its long words, in the
    heading's own ``lang`` if it has one, else the page's."""

    def heading(m: re.Match) -> str:
        start, _level, attrs, inner, end = m.groups()
        own = _LANG.search(attrs or "")
        code = own.group(1) if own else lang
        parts = _TAG.split(inner)
        for i in range(0, len(parts), 2):  # text between the tags
            if len(parts[i]) >= MIN_LETTERS:
                parts[i] = hyphenate_text(parts[i], code)
        return start + "".join(parts) + end

    return _HEADING.sub(heading, html)


def _soft_hyphens(response: Response) -> Response:
    """Every HTML page's headings, in the UTF-8 bytes (only the headings are decoded: a
    topic page is mostly comments)."""
    if (
        response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or response.status_code == 304
    ):
        return response
    body = response.get_data()
    lang = str(get_locale() or "fi")

    def heading(m: re.Match) -> bytes:
        return hyphenate_headings(m.group(0).decode(), lang).encode()

    changed = _HEADING_BYTES.sub(heading, body)
    if changed != body:
        response.set_data(changed)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_soft_hyphens)
