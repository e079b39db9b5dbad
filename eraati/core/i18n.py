"""Languages: which one a request speaks, and picking organisation text by language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, TypeVar

from flask import current_app, request, session
from flask_login import current_user

LANGUAGES = ("fi", "sv", "en")
# Language names are written in the language itself, so that a reader finds their own.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    """Each domain package keeps its own catalog; Flask-Babel merges them."""
    return sorted(str(p) for p in PACKAGE_DIR.glob("*/translations") if p.is_dir())


def select_locale() -> str:
    """The reader's choice (session), then their profile, then the browser, then Finnish."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or current_app.config.get("BABEL_DEFAULT_LOCALE", "fi")


class HasLocale(Protocol):
    locale: str


T = TypeVar("T", bound=HasLocale)


def pick_translation(rows: Iterable[T], locale: str, fallbacks: Iterable[str] = ()) -> T | None:
    """The row in ``locale``; else the first of ``fallbacks`` present; else any row."""
    by_locale = {r.locale: r for r in rows}
    for code in (locale, *fallbacks, *LANGUAGES):
        if code in by_locale:
            return by_locale[code]
    return None


def pick_language(
    texts: Mapping[str, str] | None, locale: str, fallbacks: Iterable[str] = ()
) -> str | None:
    """Which language of ``{"fi": ..., "sv": ...}`` a reader of ``locale`` is shown."""
    texts = texts or {}
    return next((code for code in (locale, *fallbacks, *LANGUAGES) if texts.get(code)), None)


def pick_text(texts: Mapping[str, str] | None, locale: str, fallbacks: Iterable[str] = ()) -> str:
    """Same choice for ``{"fi": ..., "sv": ...}`` dictionaries (poll questions, options)."""
    code = pick_language(texts, locale, fallbacks)
    return texts[code] if code else ""


def other_language(
    texts: Mapping[str, str] | None, locale: str, fallbacks: Iterable[str] = ()
) -> str | None:
    """The language of the text shown when it is not the reader's (for a ``lang`` attribute)."""
    code = pick_language(texts, locale, fallbacks)
    return code if code and code != locale else None
