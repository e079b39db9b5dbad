"""Moderation acts (state changes): comments, reason templates, blocks.

Services flush, never commit; views commit and send the e-mails after the commit. Every
act writes its audit row in the same transaction.
"""

from eraati.moderation.services.answers import (
    AnswerChangedError,
    check_answers,
    hide_answer,
    restore_answer,
)
from eraati.moderation.services.blocks import (
    active_block,
    block_address,
    block_user,
    claim_address_blocks,
    lift_block,
)
from eraati.moderation.services.comments import (
    HIDEABLE,
    BulkResult,
    approve_comment,
    bulk,
    hide_comment,
    public_reason,
    reason_in,
    restore_comment,
)
from eraati.moderation.services.common import (
    BLOCK_DAYS_MAX,
    BLOCK_REASON_MAX,
    DETAILS_MAX,
    LANGUAGES,
    REASON_MAX,
    REASON_TEXT_MAX,
    AlreadyBlockedError,
    BlockError,
    BlockNotActiveError,
    CannotBlockStaffError,
    CommentChangedError,
    ModerationError,
    ReasonNotAvailableError,
    excerpt,
)
from eraati.moderation.services.reason_templates import (
    add_default_reasons,
    add_reason,
    edit_reason,
    set_reason_active,
)

__all__ = [
    "BLOCK_DAYS_MAX",
    "BLOCK_REASON_MAX",
    "DETAILS_MAX",
    "HIDEABLE",
    "LANGUAGES",
    "REASON_MAX",
    "REASON_TEXT_MAX",
    "AlreadyBlockedError",
    "AnswerChangedError",
    "BlockError",
    "BlockNotActiveError",
    "BulkResult",
    "CannotBlockStaffError",
    "CommentChangedError",
    "ModerationError",
    "ReasonNotAvailableError",
    "active_block",
    "add_default_reasons",
    "add_reason",
    "approve_comment",
    "block_address",
    "block_user",
    "bulk",
    "check_answers",
    "claim_address_blocks",
    "edit_reason",
    "excerpt",
    "hide_answer",
    "hide_comment",
    "lift_block",
    "public_reason",
    "reason_in",
    "restore_answer",
    "restore_comment",
    "set_reason_active",
]
