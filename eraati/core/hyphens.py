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
import html
import re

import pyphen
from flask import Flask, Response
from flask_babel import get_locale
from markupsafe import Markup, escape

SOFT_HYPHEN = "\u00ad"
MIN_LETTERS = 6  # shorter words fit a phone's line even in a large heading
LEFT, RIGHT = 2, 3  # at least this many letters before and after a break

# A tag's inside: a quoted attribute value may hold ">" (title="a > b", aria-label).
_IN_TAG = r"""(?:[^>"']|"[^"]*"|'[^']*')"""
_HEADING = re.compile(rf"(<h([1-6])(\s{_IN_TAG}*)?>)(.*?)(</h\2>)", re.S)
_HEADING_BYTES = re.compile(_HEADING.pattern.encode(), re.S)
_LANG = re.compile(r'\slang="([a-z]{2})[^"]*"')
_TAG = re.compile(rf"(<{_IN_TAG}*>)")
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")
_TOKEN = re.compile(r"\S+")
# A character reference (&amp; &auml; &#228; &#xE4; &nbsp;, also without its ";", as
# browsers read some), or else one character.
_PIECE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?|.", re.S)
_LETTER = re.compile(r"[^\W\d_]")

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


def _hyphenate_references(token: str, lang: str) -> str:
    """A ``token`` with character references: a reference to a letter (&auml;, &#228;)
    is part of its word, any other (&nbsp;, &amp;, &hellip;) separates words, and a soft
    hyphen goes only between whole references and letters, never inside one."""
    pieces = _PIECE.findall(token)
    chars = [html.unescape(p) for p in pieces]
    if any(c in ("@", "/", SOFT_HYPHEN) for c in chars):  # an address, or hyphenated
        return token
    out: list[str] = []
    start = 0
    while start < len(pieces):
        end = start
        while end < len(pieces) and _LETTER.fullmatch(chars[end]):
            end += 1
        if end == start:  # not a letter: as it is
            out.append(pieces[start])
            start += 1
            continue
        word = "".join(chars[start:end])
        if len(word) < MIN_LETTERS:
            out.extend(pieces[start:end])
        else:
            breaks = _break_indices(hyphenate_word(word, lang))
            for i in range(start, end):
                if i - start in breaks:
                    out.append(SOFT_HYPHEN)
                out.append(pieces[i])
        start = end
    return "".join(out)


def _break_indices(hyphenated: str) -> set[int]:
    """Where the soft hyphens of a hyphenated word stand, as indices of its letters."""
    indices, letters = set(), 0
    for char in hyphenated:
        if char == SOFT_HYPHEN:
            indices.add(letters)
        else:
            letters += 1
    return indices


def hyphenate_text(text: str, lang: str) -> str:
    """Soft hyphens in the long words of ``text`` (HTML text between tags, character
    references and all); words that already have one, and addresses, are left as they
    are."""

    def token(m: re.Match) -> str:
        t = m.group(0)
        if "&" in t:
            return _hyphenate_references(t, lang)
        if SOFT_HYPHEN in t or any(c in t for c in "@/"):
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


def hyphenate(text: str | None, lang: str | None = None) -> Markup:
    """The template filter ``hyphenate``: ``text`` escaped, with soft hyphens in its long
    words, in ``lang`` (the text's own language) or else the page's. For texts that are
    headings without being ``<h1>``-``<h6>``: a survey question in its ``<legend>`` and
    above its results."""
    code = lang or str(get_locale() or "fi")
    return Markup(hyphenate_text(str(escape(text or "")), code))  # noqa: S704 - escaped first


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
    app.jinja_env.filters["hyphenate"] = hyphenate
