"""The comment tree of the topic page, worked out in Python once per page.

The topic page shows up to 50 threads. Rendering them was most of the page's cost: a
recursive macro per comment, with translations, dates and permission checks looked up
again for every comment. Here each comment becomes a ``CommentItem`` holding what the
template shows of it (labels translated once per page, dates formatted with the locale
looked up once, ``can()`` asked once), in the order of the page, with the nesting as
"opens a list of replies" / "closes so many lists". ``_comment.html`` renders them in
one flat loop. The HTML is the template's; nothing here builds markup.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from babel import dates
from flask_babel import get_timezone
from markupsafe import Markup

from eraati.consultations.hidden_reasons import HiddenReasons, RemovedReason
from eraati.consultations.models import CommentSource, CommentStatus, VoteValue
from eraati.consultations.queries import CommentThreads, ShownComment
from eraati.core import i18n
from eraati.core.i18n import gettext as _
from eraati.core.sanitize import render_plain
from eraati.permissions import can

VOTE_VALUES = (VoteValue.AGREE, VoteValue.DISAGREE, VoteValue.PASS)
_NONE = range(0)
_CACHED_TEXT = 2000  # characters: longer comments are rendered every time


@functools.lru_cache(maxsize=1024)
def _plain(text: str) -> Markup:
    return render_plain(text)


def comment_html(text: str) -> Markup:
    """A comment's text as ``|plain`` shows it. A pure function of the text, remembered for
    the last thousand short texts: the same comments are shown on every load of a page
    (as ``|datetime`` remembers dates). At most ~5 MB a process."""
    return _plain(text) if len(text) <= _CACHED_TEXT else render_plain(text)


def comment_labels() -> dict[str, str]:
    """The fixed words of every comment, translated once per page."""
    return {
        "edited": _("edited"),
        "waiting": _("Waiting for review"),
        "deleted": _("The writer deleted this comment."),
        "reported": _("Hidden after reports from readers until a moderator has checked it."),
        "only_you": _("Only you can see this comment until a moderator has checked it."),
        "reply": _("Reply"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "report": _("Report to a moderator"),
        "official": _("Official reply"),
        "key": _("Key comment"),
        "your_vote": _("Your vote on this comment"),
        "not_registered": _("(not registered)"),
        # A comment on one paragraph of a part (eraati.parts) quotes it.
        "on_paragraph": _("On paragraph %(number)d:"),
    }


@dataclass(slots=True)
class CommentItem:
    """One comment of the page and what the template shows of it."""

    comment: ShownComment
    id: str  # the comment's id as text, for the element ids and addresses
    name: str  # who wrote it (or "Feedback given on paper", the organisation's marked name, ...)
    unregistered: bool  # an anonymous writer's nickname: "(not registered)" follows
    received: str | None  # "Received 3 March 2026" for paper and event feedback
    when: str  # the time it was written, formatted (when not ``received``)
    iso: str  # ... and as <time datetime="...">
    edited: bool
    lang: str | None  # lang="..." of its text when not the page's language
    removed: RemovedReason | None  # why a moderator hid it, in the reader's language
    shown: bool  # the viewer is shown its text (not hidden, deleted or held after reports)
    body: Markup | None  # its text, when shown (also the writer's own hidden text)
    own: bool  # the viewer wrote it
    focus: bool  # keyboard focus lands here after a redirect
    vote_form: bool  # the viewer may vote: buttons, else the counts
    buttons: tuple[tuple[str, str, bool], ...]  # (value, label, pressed) of the vote form
    agree: str  # "Agree 3" under the counts (the buttons carry their own labels)
    disagree: str
    yours: str | None  # "You agreed." under the counts, after the viewer's vote
    can_reply: bool
    can_edit: bool
    can_delete: bool
    can_flag: bool
    actions: bool  # any of the four
    reply_box: bool  # the reply form goes under it
    opens: bool  # its replies follow, in a list of their own
    closes: range  # one step per list of replies that ends after it


def _counted(label: str) -> str:
    return i18n.count_template(label)[0]


def comment_items(
    threads: CommentThreads,
    *,
    viewer: Any,
    votes: Mapping[int, str],
    is_open: bool,
    can_reply: bool,
    reply_target: int | None,
    editable_ids: Collection[int],
    focus_id: str | None,
    locale: str,
    org_name: str,
    anonymised: bool = False,
) -> list[CommentItem]:
    """Every comment of the page, depth first, ready for ``_comment.html``. On a topic
    whose personal data was removed (``anonymised``) writers are "Name removed" and
    comments can no longer be reported."""
    signed_in = bool(viewer is not None and viewer.is_authenticated)
    viewer_id = viewer.id if signed_in else None
    format_locale, tz = i18n.format_locale(), get_timezone()
    paper, event, former = (
        _("Feedback given on paper"),
        _("Feedback given at an event"),
        _("Name removed") if anonymised else _("Former user"),
    )
    received_label = _("Received %(date)s")
    # Counts as the language writes them ("Samaa mieltä (1 234)"): the labels' %(count)d
    # as %(count)s, filled with format_count.
    agree_button, disagree_button, pass_button = (
        _counted(_("Agree (%(count)d)")),
        _counted(_("Disagree (%(count)d)")),
        _("Pass"),
    )
    agree_count, disagree_count = _counted(_("Agree %(count)d")), _counted(_("Disagree %(count)d"))
    number = i18n.format_count
    yours = {
        VoteValue.AGREE: _("You agreed."),
        VoteValue.DISAGREE: _("You disagreed."),
        VoteValue.PASS: _("You passed."),
    }

    removed_reason = (
        HiddenReasons(threads.roots[0].topic.organisation, locale) if threads.roots else None
    )
    items: list[CommentItem] = []
    # (comment, depth) depth first, replies oldest first, as CommentThreads.shown().
    stack = [(c, 0) for c in reversed(threads.roots)]
    depths: list[int] = []
    while stack:
        c, depth = stack.pop()
        replies = threads.replies.get(c.id)
        if replies:
            stack.extend((r, depth + 1) for r in reversed(replies))
        status = c.status
        visible = status == CommentStatus.VISIBLE
        own = signed_in and c.author_id is not None and c.author_id == viewer_id

        if c.is_official:
            name, unregistered = org_name, False
        elif c.source == CommentSource.PAPER:
            name, unregistered = paper, False
        elif c.source == CommentSource.EVENT:
            name, unregistered = event, False
        elif c.author_name is not None:
            name, unregistered = c.author_name, False
        elif c.nickname and c.nickname != "—":
            name, unregistered = c.nickname, True
        else:
            name, unregistered = former, False

        if c.received_on:
            received = received_label % {
                "date": dates.format_date(c.received_on, "long", locale=format_locale)
            }
            when = ""
        else:
            received, when = None, i18n.formatted_moment(c.created_at, None, format_locale, tz)
        iso = "" if received else c.created_at.isoformat()

        # The text is shown unless removed, deleted or held after reports (to others).
        if status == CommentStatus.HIDDEN:
            text_shown = own
        elif status == CommentStatus.DELETED:
            text_shown = False
        else:
            text_shown = not (status == CommentStatus.PENDING and c.auto_hidden_at and not own)

        mine = votes.get(c.id)
        vote_form = visible and is_open and can(viewer, "vote", c)
        if vote_form:
            buttons = tuple(
                (str(value), label, mine == value)
                for value, label in zip(
                    VOTE_VALUES,
                    (
                        agree_button % {"count": number(c.agree_count)},
                        disagree_button % {"count": number(c.disagree_count)},
                        pass_button,
                    ),
                    strict=True,
                )
            )
            agree = disagree = ""
        else:
            buttons = ()
            agree = agree_count % {"count": number(c.agree_count)}
            disagree = disagree_count % {"count": number(c.disagree_count)}

        item_id = str(c.id)
        may_reply = can_reply and visible and reply_target != c.id
        may_edit = c.id in editable_ids
        may_delete = (
            is_open and status != CommentStatus.DELETED and can(viewer, "delete_comment", c)
        )
        may_flag = visible and not anonymised and (not signed_in or can(viewer, "flag", c))
        items.append(
            CommentItem(
                comment=c,
                id=item_id,
                name=name,
                unregistered=unregistered,
                received=received,
                when=when,
                iso=iso,
                edited=bool(c.edited_at)
                and status in (CommentStatus.VISIBLE, CommentStatus.PENDING),
                lang=c.language if c.language and c.language != locale else None,
                removed=removed_reason(c.hidden_reason, c.hidden_note_lang)
                if removed_reason and status == CommentStatus.HIDDEN
                else None,
                shown=text_shown,
                body=comment_html(c.body) if text_shown else None,
                own=own,
                focus=focus_id == "c" + item_id,
                vote_form=vote_form,
                buttons=buttons,
                agree=agree,
                disagree=disagree,
                yours=yours.get(mine) if mine else None,
                can_reply=may_reply,
                can_edit=may_edit,
                can_delete=may_delete,
                can_flag=may_flag,
                actions=may_reply or may_edit or may_delete or may_flag,
                reply_box=reply_target == c.id,
                opens=bool(replies),
                closes=_NONE,
            )
        )
        depths.append(depth)
    # A comment without replies ends its own <li>, then the lists of replies it is the last
    # one of: as many as the next comment is shallower.
    for i, item in enumerate(items):
        if not item.opens:
            following = depths[i + 1] if i + 1 < len(items) else 0
            item.closes = range(depths[i] - following)
    return items
