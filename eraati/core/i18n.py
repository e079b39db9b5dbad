"""Languages: which one a request speaks, and picking organisation text by language."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import flask_babel
from babel import Locale, dates, numbers, support
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from wtforms.i18n import messages_path

from eraati.core import links

LANGUAGES = ("fi", "sv", "en")
# Language names are written in the language itself, so that a reader finds their own.
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def translation_directories() -> list[str]:
    """Each domain package keeps its own catalog; Flask-Babel merges them."""
    return sorted(str(p) for p in PACKAGE_DIR.glob("*/translations") if p.is_dir())


def address_language() -> str | None:
    """The language the address asks for (``?lang=sv``), if it is one of ours."""
    lang = request.args.get("lang") if request else None
    return lang if lang in LANGUAGES else None


def select_locale() -> str:
    """The address's ``?lang=``, then the reader's choice (session), then their profile,
    then the browser, then Finnish. What decided it is kept for ``_vary_by_language``."""
    lang = address_language()
    if lang is not None:
        return lang
    g.language_from = ("Cookie",)  # the session cookie: the visit's choice, the account
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    g.language_from = ("Cookie", "Accept-Language")
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or current_app.config.get("BABEL_DEFAULT_LOCALE", "fi")


def _vary_by_language(response):
    """A page in the language of the visit's cookie or of the browser's ``Accept-Language``
    (not of its address) says so (``Vary``), so that a shared cache never serves the page
    it kept for a Finnish reader to a Swedish one. A page whose language was never asked
    for (a redirect, a file) does not vary by it."""
    varies = g.get("language_from")
    if varies:
        response.vary.update(varies)
    return response


# --- translations, looked up once per request -----------------------------------------------
#
# Flask-Babel finds the request's catalogue again on every gettext call (the request
# context, the locale, its name, the cache: some 10 µs), and a page makes a hundred such
# calls. These keep the catalogue in ``g`` for as long as the request's locale is the same
# object: ``flask_babel.refresh()`` and ``force_locale()`` replace it, so a language change
# in the middle of a request is seen at once, as with Flask-Babel's own functions.


def request_translations():
    """The request's catalogue (Flask-Babel's ``get_translations()``), found once per request."""
    try:
        app_g = g._get_current_object()  # one context lookup instead of one per use of g
    except RuntimeError:  # no application context: Flask-Babel gives the untranslated texts
        return get_translations()
    locale = getattr(getattr(app_g, "_flask_babel", None), "babel_locale", None)
    cached = getattr(app_g, "_eraati_translations", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()  # also decides the request's locale
    locale = getattr(getattr(app_g, "_flask_babel", None), "babel_locale", None)
    app_g._eraati_translations = (locale, translations)
    return translations


# --- numbers in translated texts ----------------------------------------------------------
#
# A ``%(name)d`` placeholder is a count, and a count is written as the reader's language
# writes numbers: "20 000 kommenttia", "20 000 kommentarer", "20,000 comments". Every
# gettext of the application (Flask-Babel's, through ``Domain`` below, and the templates')
# fills its placeholders through ``interpolate``, so no caller formats a count itself. An
# identifier (a comment's number) is not a count: it goes in as ``%(name)s``.

_COUNT_PLACEHOLDER = re.compile(r"%\((\w+)\)d")


@functools.lru_cache(maxsize=4096)
def count_template(translated: str) -> tuple[str, tuple[str, ...]]:
    """``translated`` with its ``%(name)d`` placeholders as ``%(name)s``, and their names."""
    names = tuple(_COUNT_PLACEHOLDER.findall(translated))
    if not names:
        return translated, ()
    return _COUNT_PLACEHOLDER.sub(r"%(\1)s", str(translated)), names


def format_count(value: int) -> str:
    """A whole number as the reader's language writes it: "20 000" (with a no-break
    space), "20,000"."""
    if type(value) is int and 0 <= value < 1000:  # nothing to group (most counts)
        return str(value)
    return numbers.format_decimal(value, locale=format_locale())


def _counts(variables: Mapping, names: tuple[str, ...]) -> dict:
    out = dict(variables)
    for name in names:
        value = out.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = format_count(int(value))  # %d drops a fraction, so does this
    return out


def interpolate(translated: str, variables: Mapping) -> str:
    """``translated % variables``, with each ``%(name)d`` count written by the language."""
    template, names = count_template(translated)
    return template % (_counts(variables, names) if names else variables)


def _markup_interpolate(translated: str, variables: Mapping) -> Markup:
    """``interpolate`` for an autoescaped template: the values are escaped."""
    template, names = count_template(translated)
    markup = Markup(template)  # noqa: S704 - our catalogue's text, as jinja2.ext
    return markup % (_counts(variables, names) if names else variables)


class Domain(flask_babel.Domain):
    """Flask-Babel's message domain, filling placeholders through ``interpolate``: every
    ``gettext``, ``ngettext`` and ``lazy_gettext`` of the application writes its counts
    as the reader's language does."""

    def gettext(self, string, **variables):
        s = self.get_translations().ugettext(string)
        return interpolate(s, variables) if variables else s

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return interpolate(self.get_translations().ungettext(singular, plural, num), variables)

    def pgettext(self, context, string, **variables):
        s = self.get_translations().upgettext(context, string)
        return interpolate(s, variables) if variables else s

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        s = self.get_translations().unpgettext(context, singular, plural, num)
        return interpolate(s, variables)


class Babel(flask_babel.Babel):
    """Flask-Babel with ``Domain`` as the application's message domain."""

    @functools.cached_property
    def domain_instance(self) -> Domain:
        return Domain(domain=self.domain)


class LazyText(LazyString):
    """Flask-Babel's lazy string, also when filled later: WTForms fills a validator's
    message (``message % {"max": 20000}``) itself."""

    def __mod__(self, other):
        return interpolate(str(self), other)


def lazy_gettext(string: str, **variables) -> LazyText:
    """Flask-Babel's ``lazy_gettext`` (``_l`` in forms), with counts written by the language
    when it is filled later, too."""
    return LazyText(flask_babel.gettext, string, **variables)


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext``, with the catalogue found once per request."""
    translated = request_translations().ugettext(string)
    return interpolate(translated, variables) if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's ``ngettext`` (``num`` is also ``%(num)d``), likewise."""
    variables.setdefault("num", num)
    return interpolate(request_translations().ungettext(singular, plural, num), variables)


@functools.lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WtformsTranslations:
    """WTForms' own messages ("Not a valid choice.") in the request's language.

    Flask-WTF reads WTForms' catalogue from disk again in every request that builds a form
    with a choice field (a third of a millisecond); it looks for it in
    ``request.wtforms_translations`` first, where this puts a catalogue read once per
    process and language (chosen when first used, so a request that shows no form does not
    decide its language for nothing)."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale() or "fi")).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale() or "fi")).ungettext(singular, plural, n)


_WTFORMS_TRANSLATIONS = _WtformsTranslations()


def _share_wtforms_catalogue() -> None:
    request.wtforms_translations = _WTFORMS_TRANSLATIONS


# --- languages in addresses ------------------------------------------------------------------
#
# Every page has an address in each language: the page's own address with ``?lang=fi``,
# ``sv`` or ``en``. Opening one shows the page in that language and keeps the language for
# the rest of the visit (the session), so forms sent from it and the pages they lead back
# to stay in it. Only a GET does this, and it changes nothing but the visit's language
# (never the profile): a link cannot do more than the reader's own choice would.


def without_language_cookie(view):
    """A view whose answer is a file for another program (a calendar file), cached
    publicly: its ``?lang=`` chooses its language without becoming the visit's."""
    view.without_language_cookie = True
    return view


def _remember_address_language() -> None:
    lang = address_language()
    if lang is None or request.method not in ("GET", "HEAD"):
        return
    if request.blueprint == "api" and request.endpoint != "api.docs":
        return  # open data answers carry no cookie (they are cached publicly)
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "without_language_cookie", False):
        return  # nor do files for other programs (calendars), which are cached publicly
    if session.get("lang") != lang:
        session["lang"] = lang


def _link_address() -> tuple[str, list[tuple[str, str]]]:
    """The path and query of the page being shown, for links to its language versions. A
    page shown in answer to a form (errors next to the fields) has no address of its own
    unless its path also answers GET; then it is the page the form was sent from."""
    own = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if request.method in ("GET", "HEAD"):
        return request.path, own
    if current_app.url_map.bind_to_environ(request.environ).test(request.path, method="GET"):
        return request.path, own  # e.g. the log-in page, shown again with its errors
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path, [(k, v) for k, v in parse_qsl(referrer.query) if k != "lang"]
    return "/", []


def language_url(lang: str | None, *, external: bool = False) -> str:
    """This page's address in ``lang`` (``None``: without a language, as the reader's own
    choice or browser decides); absolute with ``external``, for ``hreflang`` links."""
    path, args = _link_address()
    if lang is not None:
        args = [*args, ("lang", lang)]
    query = "?" + urlencode(args) if args else ""
    prefix = links.site_root() if external else request.script_root
    return f"{prefix}{path}{query}"


def init_app(app: Flask) -> None:
    """Translations found once per request (templates) and once per process (WTForms);
    ``?lang=`` in any page's address."""
    init_jinja(app)
    app.before_request(_remember_address_language)
    app.before_request(_share_wtforms_catalogue)
    app.after_request(_vary_by_language)
    app.add_template_global(language_url)


# Jinja's "new style" gettext (autoescaped, always %-formatted with the keyword arguments),
# as jinja2.ext makes it, but calling the catalogue directly: Jinja's own goes through an
# alias and a wrapper, each a context call of its own (a page makes a hundred calls). The
# string arguments are positional-only, so any keyword is free for a placeholder.


@pass_context
def _jinja_gettext(context: Context, string: str, /, **variables) -> str:
    translated = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        return _markup_interpolate(translated, variables)
    return interpolate(translated, variables)


@pass_context
def _jinja_ngettext(context: Context, singular: str, plural: str, num: int, /, **variables) -> str:
    variables.setdefault("num", num)
    translated = request_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        return _markup_interpolate(translated, variables)
    return interpolate(translated, variables)


@pass_context
def _jinja_pgettext(context: Context, string_ctx: str, string: str, /, **variables) -> str:
    variables.setdefault("context", string_ctx)
    translated = request_translations().upgettext(string_ctx, string)
    if context.eval_ctx.autoescape:
        return _markup_interpolate(translated, variables)
    return interpolate(translated, variables)


@pass_context
def _jinja_npgettext(
    context: Context, string_ctx: str, singular: str, plural: str, num: int, /, **variables
) -> str:
    variables.setdefault("context", string_ctx)
    variables.setdefault("num", num)
    translated = request_translations().unpgettext(string_ctx, singular, plural, num)
    if context.eval_ctx.autoescape:
        return _markup_interpolate(translated, variables)
    return interpolate(translated, variables)


def init_jinja(app: Flask) -> None:
    """Templates' ``_()``, ``gettext``, ``ngettext`` (and the ``p`` forms) through
    ``request_translations``: Flask-Babel's, minus its catalogue lookup on every call."""
    env = app.jinja_env
    env.add_extension("jinja2.ext.i18n")  # Flask-Babel has added it; its `{% trans %}`
    env.install_gettext_callables(  # blocks are new style, and so are these
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
    )
    env.globals.update(
        _=_jinja_gettext,
        gettext=_jinja_gettext,
        ngettext=_jinja_ngettext,
        pgettext=_jinja_pgettext,
        npgettext=_jinja_npgettext,
    )


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


def marked(text: str, lang: str | None) -> Markup:
    """``text`` escaped, in ``<span lang="...">`` when it is in another language than the
    page (WCAG 3.1.2): for a fallback text inside a sentence or a link."""
    if not lang:
        return Markup.escape(text)
    return Markup('<span lang="%s">%s</span>') % (lang, text)


# --- dates and times -------------------------------------------------------------------------


@functools.cache
def babel_locale(code: str) -> Locale:
    return Locale.parse("en_GB" if code == "en" else code)


def format_locale() -> Locale:
    """The locale for dates: British English rather than American for "en"."""
    return babel_locale(str(get_locale() or "fi"))


# The word between a date and its time, as each language's style guides write it
# (Kotus: "klo 13.40"; Svenska språkbyrån: "kl. 13.40"); babel's CLDR data has no such
# pattern, only "{1} {0}".
_AT_TIME = {"fi": "'klo'", "sv": "'kl'.", "en": "'at'"}
# Swedish in Finland writes times and numeric dates with full stops, as Finnish does
# ("kl. 9.32", "24.11.2026", "24.11."); CLDR's Swedish (sv_FI too) has HH:mm, 2026-11-24
# and 24/11.
_TIME_PATTERN = {"sv": "H.mm"}
_SHORT_DATE_PATTERN = {"sv": "d.M.y"}
_DAY_MONTH_PATTERN = {"sv": "d.M."}


def date_pattern(locale: Locale, width: str) -> str:
    """The locale's date pattern of ``width`` (short, medium, long), as Finland writes it."""
    if width == "short" and locale.language in _SHORT_DATE_PATTERN:
        return _SHORT_DATE_PATTERN[locale.language]
    return locale.date_formats[width].pattern


def short_date(day, locale: Locale) -> str:
    """A numeric date: "24.11.2026" (fi, sv), "24/11/2026" (en)."""
    return dates.format_date(day, date_pattern(locale, "short"), locale=locale)


def day_and_month(day, locale: Locale) -> str:
    """A day without its year, as in a chart's axis: "24.11." (fi, sv), "24/11" (en)."""
    pattern = _DAY_MONTH_PATTERN.get(locale.language)
    if pattern:
        return dates.format_date(day, pattern, locale=locale)
    return dates.format_skeleton("Md", day, locale=locale)


# Between a date and its time, and between "klo" and the time: a no-break space, so that
# a line never ends after the day ("8.12.2026 | 13.40") or inside "klo 13.40".
NBSP = "\u00a0"


def moment_pattern(
    locale: Locale, date_width: str, *, at: bool = False, time: str | None = None
) -> str:
    """The locale's date (``date_width``) and short time (or the babel pattern ``time``) as
    one babel pattern, with the word "klo" / "kl." / "at" between them if ``at``, joined
    by no-break spaces."""
    date = date_pattern(locale, date_width)
    time = time or _TIME_PATTERN.get(locale.language) or locale.time_formats["short"].pattern
    word = _AT_TIME.get(locale.language) if at else None
    return NBSP.join((date, word, time) if word else (date, time))


@functools.cache
def _long_moment_pattern(locale: Locale) -> str:
    """The long date and the time as one pattern (one babel call per moment)."""
    return moment_pattern(locale, "long", at=True)


# A short moment, as in "Opens 12.1.2027 at 9.00": a numeric date in Finnish and Swedish,
# the day, the month's abbreviation and the year in English (a numeric date reads
# differently in Britain and America), and the time as Finland writes it in each language.
_COMPACT_DATE_WIDTH = {"en": "medium"}
_COMPACT_TIME = "H.mm"


@functools.cache
def _compact_moment_pattern(locale: Locale) -> str:
    width = _COMPACT_DATE_WIDTH.get(locale.language, "short")
    return moment_pattern(locale, width, at=True, time=_COMPACT_TIME)


def format_moment(moment, fmt: str | None = None) -> str:
    """Date and time as people write them, in Helsinki time:
    "8. joulukuuta 2026 klo 13.40", "8 december 2026 kl. 13.40", "8 December 2026 at 13:40";
    ``fmt="compact"``: "12.1.2027 klo 9.00", "12.1.2027 kl. 9.00", "12 Jan 2027 at 9.00";
    any other ``fmt`` is a babel pattern."""
    return formatted_moment(moment, fmt, format_locale(), get_timezone())


@functools.lru_cache(maxsize=8192)
def formatted_moment(moment, fmt: str | None, locale: Locale, tz) -> str:
    # A pure function of its arguments: the same comments are shown on every page load,
    # and babel takes some 20 µs a date.
    local = moment.astimezone(tz)
    if fmt == "compact":
        fmt = _compact_moment_pattern(locale)
    pattern = fmt or _long_moment_pattern(locale)
    return dates.format_datetime(local, pattern, tzinfo=tz, locale=locale)


def format_day(day, fmt: str = "long") -> str:
    return dates.format_date(day, fmt, locale=format_locale())
