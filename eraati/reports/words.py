"""The small words of the report: dates in Helsinki, lists, and who gave a comment.

Everything here speaks the current locale (``build`` forces the report's language). A
writer is a pseudonym code or the channel, as on the results page, never a name.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import dates, lists
from flask_babel import gettext as _

from eraati.core.i18n import babel_locale, moment_pattern
from eraati.core.sanitize import clean_text
from eraati.core.time import local
from eraati.manage.display import Shown
from eraati.reports.model import Block, Para, Quote, xml_safe
from eraati.results.data import Channel
from eraati.results.data import Quote as FigureQuote


def day(value: date, lang: str) -> str:
    """25.11.2026 (fi), 25 nov. 2026 (sv), 25 Nov 2026 (en)."""
    return dates.format_date(value, "medium", locale=babel_locale(lang))


def moment(value: datetime, lang: str) -> str:
    """A date and time in Helsinki: 25.11.2026 17.37."""
    loc = babel_locale(lang)
    return dates.format_datetime(local(value), moment_pattern(loc, "medium"), locale=loc)


def join_list(items: list[str], lang: str) -> str:
    return lists.format_list(items, locale=babel_locale(lang)) if items else ""


def clean(value: str | None) -> str:
    return xml_safe(clean_text(value or ""))


def foreign(code: str | None, lang: str) -> str | None:
    return code if code and code != lang else None


# --- who gave a comment ---------------------------------------------------------------------


def author(channel: Channel, pseudonym: str | None) -> str:
    """Who gave a comment, as on the results page: a pseudonym code or the channel."""
    if channel == Channel.PAPER:
        return _("Feedback given on paper")
    if channel == Channel.EVENT:
        return _("Feedback given at an event")
    if channel == Channel.ANONYMOUS:
        return _("Participant without an account")
    if pseudonym:
        return _("Participant %(code)s", code=pseudonym)
    return _("Registered participant")


def attribution(
    channel: Channel,
    pseudonym: str | None,
    created_at: datetime,
    received_on: date | None,
    lang: str,
    *,
    reply: bool = False,
    agree: int = 0,
    disagree: int = 0,
) -> str:
    """ "Participant P-1a2b3c4d, 3 Nov 2026 · a reply · Agree 5, Disagree 1"."""
    when = (
        _("received %(date)s", date=day(received_on, lang))
        if received_on
        else moment(created_at, lang)
    )
    text = f"{author(channel, pseudonym)}, {when}"
    if reply:
        text += " · " + _("a reply")
    if agree or disagree:
        text += " · {}, {}".format(
            _("Agree %(count)d", count=agree), _("Disagree %(count)d", count=disagree)
        )
    return text


def official_attribution(org_name: str, created_at: datetime, lang: str) -> str:
    return f"{_('Reply from %(org)s', org=org_name)}, {moment(created_at, lang)}"


def quote(q: FigureQuote, lang: str, kind: str = "comment") -> Quote:
    return Quote(
        text=xml_safe(q.body),
        attribution=attribution(
            q.channel,
            q.pseudonym,
            q.created_at,
            q.received_on,
            lang,
            reply=q.is_reply,
            agree=q.agree_count,
            disagree=q.disagree_count,
        ),
        lang=foreign(q.lang, lang),
        kind=kind,
    )


def paras(shown: Shown, empty: str) -> list[Block]:
    text = clean(shown.text)
    if not text:
        return [Para(empty, kind="empty")]
    return [Para(text, lang=shown.lang)]
