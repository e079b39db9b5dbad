"""Hide and restore a survey's open answers: personal text, moderated like comments.

An open answer is never published one by one, but the staff read it on the results page
and in the report and exports: a moderator hides one that names a third person or breaks
the rules, with a reason (the organisation's reason templates, as for comments). The text
is kept and can be restored; hidden answers are left out of the report's and the staff
list's quotes and marked in the raw exports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eraati.audit.services import record
from eraati.consultations.models import Answer, Question
from eraati.core.time import utcnow
from eraati.moderation.models import ModerationReason
from eraati.moderation.services.comments import public_reason
from eraati.moderation.services.common import ReasonNotAvailableError


class AnswerChangedError(Exception):
    """The answer was hidden or restored by someone else in the meantime."""


def _audit(action: str, answer: Answer, question: Question, actor: Any, now: datetime, **kw):
    """Named by the answer's id and its topic, never by its text (the log is kept for ever)."""
    topic = question.topic
    text = topic.text(topic.organisation.primary_language)
    record(
        action,
        organisation=topic.organisation_id,
        target=answer,
        target_label=text.title if text else topic.slug,
        actor=actor,
        now=now,
        **kw,
    )


def hide_answer(
    answer: Answer,
    question: Question,
    reason: ModerationReason,
    details: str | None,
    moderator: Any,
    *,
    now: datetime | None = None,
) -> Answer:
    now = now or utcnow()
    org = question.topic.organisation
    if reason.organisation_id != org.id or not reason.active:
        raise ReasonNotAvailableError(reason.id)
    if answer.hidden_at is not None:
        raise AnswerChangedError(answer.id)
    text = public_reason(reason, details, org)
    answer.hidden_at, answer.hidden_by_id, answer.hidden_reason = now, moderator.id, text
    answer.checked_at = now
    _audit(
        "answer.hide",
        answer,
        question,
        moderator,
        now,
        reason=text,
        details={"reason_id": reason.id, "question_id": question.id},
    )
    return answer


def restore_answer(
    answer: Answer, question: Question, moderator: Any, *, now: datetime | None = None
) -> Answer:
    now = now or utcnow()
    if answer.hidden_at is None:
        raise AnswerChangedError(answer.id)
    answer.hidden_at = answer.hidden_by_id = answer.hidden_reason = None
    answer.checked_at = now
    _audit("answer.restore", answer, question, moderator, now, details={"question_id": question.id})
    return answer


def check_answers(
    pairs: list[tuple[Answer, Question]], moderator: Any, *, now: datetime | None = None
) -> list[Answer]:
    """Marks open answers read and fine as they are ("checked"), so they stop waiting; a
    hidden one, or one already checked since its last change, is left as it is. Returns
    the answers marked, each with its audit row."""
    now = now or utcnow()
    done = []
    for answer, question in pairs:
        if not answer.waits_for_check:
            continue
        answer.checked_at = now
        _audit(
            "answer.check", answer, question, moderator, now, details={"question_id": question.id}
        )
        done.append(answer)
    return done
