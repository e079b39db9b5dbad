"""Residents' writing limits: comments and replies, votes, stances, reports and follows,
counted per account with the settings in config.py.

Anonymous comments count per browser (``ANONYMOUS_COMMENT_RATE_LIMIT``) and, much more
loosely, per address (``ANONYMOUS_COMMENT_ADDRESS_LIMIT``): thirty residents at a
library's digital-help evening share one public address, and each may write as freely as
one alone at home. The browser is a random code kept in its session (Flask's signed
session cookie, no cookie of its own); one without it, or a script that drops its
cookies, is a new browser each time, and only the address limit holds it back. A browser
that keeps writing while it should wait fills only its own counter, never the address's
that the others share.

A view calls ``limits.hit(Act.VOTE)`` once it knows the act is valid and permitted: it
counts the act and answers 0 (go on) or the seconds to wait. A refused comment or report
comes back as its form with the text kept (status 429); a refused vote, stance or follow
returns to where the resident was with a message.
"""

from __future__ import annotations

import enum
import secrets

from flask import request, session
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core import ratelimits


class Act(enum.StrEnum):
    COMMENT = "comment"
    VOTE = "vote"
    STANCE = "stance"
    FLAG = "flag"
    FOLLOW = "follow"


SETTINGS = {
    Act.COMMENT: "COMMENT_RATE_LIMIT",
    Act.VOTE: "VOTE_RATE_LIMIT",
    Act.STANCE: "STANCE_RATE_LIMIT",
    Act.FLAG: "FLAG_RATE_LIMIT",
    Act.FOLLOW: "FOLLOW_RATE_LIMIT",
}


ANONYMOUS_BROWSER = "ANONYMOUS_COMMENT_RATE_LIMIT"
ANONYMOUS_ADDRESS = "ANONYMOUS_COMMENT_ADDRESS_LIMIT"
# The session's key for the code of an anonymous writer's browser.
BROWSER_KEY = "anonymous_writer"


def hit(act: Act) -> int:
    """Count the act: 0, go on; else the seconds until the writer may do it again."""
    if current_user.is_authenticated:
        return ratelimits.hit(SETTINGS[act], f"user:{current_user.id}")
    # Only comments can be written without an account (where the topic allows it).
    return _hit_anonymous()


def _browser_code() -> str:
    """This browser's code for the anonymous comment limit, made on its first comment."""
    code = session.get(BROWSER_KEY)
    if not isinstance(code, str) or not code:
        code = session[BROWSER_KEY] = secrets.token_urlsafe(16)
    return code


def _hit_anonymous() -> int:
    browser = f"browser:{_browser_code()}"
    if ratelimits.wait(ANONYMOUS_BROWSER, browser):
        # Refused by its own limit: counted there only, not against the shared address.
        return ratelimits.hit(ANONYMOUS_BROWSER, browser)
    if wait := ratelimits.hit(ANONYMOUS_ADDRESS, f"address:{request.remote_addr or 'unknown'}"):
        return wait
    return ratelimits.hit(ANONYMOUS_BROWSER, browser)


def message(act: Act, seconds: int) -> str:
    """Why the act was refused and when to try again, in the reader's language."""
    when = ratelimits.wait_phrase(seconds)
    if act == Act.COMMENT:
        return _(
            "You have sent many comments in a short time. You can send this one %(wait)s. "
            "Your text is kept below.",
            wait=when,
        )
    if act == Act.VOTE:
        return _(
            "You have voted many times in a short time. You can vote again %(wait)s.", wait=when
        )
    if act == Act.STANCE:
        return _(
            "You have changed your stance many times in a short time. "
            "You can give it again %(wait)s.",
            wait=when,
        )
    if act == Act.FLAG:
        return _(
            "You have sent many reports in a short time. You can send this one %(wait)s. "
            "Your text is kept below.",
            wait=when,
        )
    return _(
        "You have followed and stopped following many times in a short time. "
        "You can try again %(wait)s.",
        wait=when,
    )
