"""Where keyboard focus lands after a redirect: the new comment, the changed poll.

A view calls ``focus_after_redirect("c42")`` before redirecting; the next page gives that
element ``tabindex="-1" autofocus`` (the ``focus_attrs`` template global), so a keyboard
or screen-reader user continues from what they just did. No JavaScript is needed.
"""

from __future__ import annotations

from flask import g, session
from markupsafe import Markup

_KEY = "focus"


def focus_after_redirect(element_id: str) -> None:
    session[_KEY] = element_id


def focus_target() -> str | None:
    """The element to focus on this page (taken from the session once per request)."""
    if "focus_target" not in g:
        g.focus_target = session.pop(_KEY, None)
    return g.focus_target


def focus_attrs(element_id: str) -> Markup:
    if focus_target() == element_id:
        return Markup(' tabindex="-1" autofocus')
    return Markup("")
