"""What the moderation services share: limits, errors, and the excerpt of a comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eraati.moderation.models import UserBlock

REASON_MAX = 500  # Comment.hidden_reason
DETAILS_MAX = 300  # the moderator's free text after the template text
REASON_TEXT_MAX = 200
BLOCK_REASON_MAX = 500
BLOCK_DAYS_MAX = 365
LANGUAGES = ("fi", "sv", "en")


class ModerationError(Exception):
    """A state rule refused the act; the view shows a translated message."""


class CommentChangedError(ModerationError):
    """The comment is not (or no longer) in a state this act applies to."""


class ReasonNotAvailableError(ModerationError):
    """The reason template is inactive or belongs to another organisation."""


class BlockError(ModerationError):
    """The block cannot be made or lifted."""


class AlreadyBlockedError(BlockError):
    def __init__(self, block: UserBlock) -> None:
        super().__init__(block.id)
        self.block = block


class CannotBlockStaffError(BlockError):
    """Staff of the organisation (and oneself) are not blocked; their roles are removed."""


class BlockNotActiveError(BlockError):
    """The block has already ended or been lifted."""


def excerpt(text: str, length: int = 80) -> str:
    """A one-line beginning of a comment, for lists and e-mails (never the audit log)."""
    line = " ".join((text or "").split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"
