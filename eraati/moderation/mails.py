"""E-mails to the people moderation acts on, each in the recipient's own language, sent
by the job queue (``jobs.queue``), so that a slow mail server never makes a moderator
wait.

Views collect the messages about comments *before* the commit (``Outgoing``) and hand them
over after it, so nobody is told about a change that failed, and no row has to be loaded
again after the commit. A block's notice is a task given only the block's id
(``block_made``): the worker finds out whether an account is to be told, so blocking by
an address does the same work in the request whether or not the address has an account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eraati.consultations.models import Comment
from eraati.core.links import public_url
from eraati.core.mail import mail_language, send_templated
from eraati.extensions import db
from eraati.jobs import queue
from eraati.moderation.models import ModerationReason, UserBlock
from eraati.moderation.services import excerpt, reason_in

SEND_BLOCK_NOTICE = "eraati.moderation.mails.send_block_notice"


@dataclass
class Outgoing:
    """Messages to send once the transaction is committed."""

    messages: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, to: str, template: str, locale: str, **context: Any) -> None:
        self.messages.append((to, template, locale, context))

    def send(self) -> None:
        for to, template, locale, context in self.messages:
            queue.send_mail(to, template, locale, **context)


def _comment_context(comment: Comment, locale: str) -> dict[str, Any]:
    topic = comment.topic
    org = topic.organisation
    text = topic.text(locale)
    return {
        "name": comment.author.display_name,
        "org_name": org.name(locale),
        "contact": org.contact_email,
        "topic_title": text.title if text else topic.slug,
        "excerpt": excerpt(comment.body, 300),
        "link": public_url(
            "consultations.topic",
            org_slug=org.slug,
            topic_slug=topic.slug,
            anchor=f"c{comment.id}",
            lang=mail_language(locale),
        ),
    }


def comment_hidden(
    out: Outgoing,
    comment: Comment,
    reason: ModerationReason,
    details: str | None,
    *,
    unseen: bool = False,
) -> None:
    """``unseen``: the comment was never published (it waited for its first check)."""
    author = comment.author
    if author is None or not author.email:
        return  # anonymous, paper and event feedback, deleted accounts
    locale = author.locale
    out.add(
        author.email,
        "moderation/email/comment_hidden",
        locale,
        reason=reason_in(reason, details, locale),
        unseen=unseen,
        **_comment_context(comment, locale),
    )


def comment_restored(out: Outgoing, comment: Comment, *, published: bool = False) -> None:
    """``published``: shown now for the first time (it was hidden before anyone saw it)."""
    author = comment.author
    if author is None or not author.email:
        return
    out.add(
        author.email,
        "moderation/email/comment_restored",
        author.locale,
        published=published,
        **_comment_context(comment, author.locale),
    )


def block_made(block_id: int) -> None:
    """After the commit of a block, whoever it was made on: the worker tells the account's
    owner, if there is one (``send_block_notice``)."""
    queue.submit(SEND_BLOCK_NOTICE, block_id)


def send_block_notice(block_id: int) -> None:
    """The notice of a block to its account's owner; nothing for an address without an
    account, or a block lifted before the worker came to it."""
    block = db.session.get(UserBlock, block_id)
    if block is None or block.lifted_at is not None or block.user is None:
        return
    user = block.user
    org = block.organisation
    send_templated(
        user.email,
        "moderation/email/blocked",
        user.locale,
        name=user.display_name,
        org_name=org.name(user.locale),
        contact=org.contact_email,
        reason=block.reason,
        ends_at=block.ends_at,
    )
