"""A hidden comment's stored reason read back into its two parts.

``hide_comment`` stores "<the organisation's reason template, in the organisation's first
language>: <the moderator's note>" (``Comment.hidden_reason``, and the audit row's reason),
with the language the note was written in (``hidden_note_lang``). Every page that shows
the reason splits it again so that the note can be marked with its language
(``lang="fi"`` on an English page) and, on the public page, the template can be shown in
the reader's language when it has a translation.

The organisation's templates (retired ones too) are loaded with the first reason asked
for: one query a page, none on a page without hidden comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eraati.consultations.queries import hiding_reasons
from eraati.core.i18n import pick_language


@dataclass(slots=True, frozen=True)
class RemovedReason:
    """A hidden comment's reason: the organisation's reason and the moderator's own note
    as they wrote it, each with its language when that is not the page's."""

    reason: str
    reason_lang: str | None  # lang="..." when not the page's language
    note: str | None
    note_lang: str | None


class HiddenReasons:
    """Splits stored reasons of one organisation's comments for a page in ``locale``.

    ``translate``: the template in the reader's language where it has one (the topic
    page); otherwise as it was stored (staff pages and the audit log: the record)."""

    def __init__(
        self,
        organisation: Any,
        locale: str,
        *,
        translate: bool = True,
        templates: list[Any] | None = None,
    ) -> None:
        """``templates``: all of the organisation's templates, when the page has them."""
        self.organisation, self.locale, self.translate = organisation, locale, translate
        self.primary = organisation.primary_language
        self.templates = templates
        self.known: list[tuple[str, Any]] | None = None

    def _templates(self) -> list[tuple[str, Any]]:
        if self.known is None:
            templates = self.templates
            if templates is None:
                templates = hiding_reasons(self.organisation.id)
            pairs = [(r.text(self.primary), r) for r in templates]
            self.known = sorted(pairs, key=lambda pair: -len(pair[0]))  # longest first
        return self.known

    def _other(self, code: str | None) -> str | None:
        return code if code and code != self.locale else None

    def __call__(self, stored: str | None, note_lang: str | None = None) -> RemovedReason | None:
        if not stored:
            return None
        # Notes older than the language column: taken to be in the organisation's language.
        note_other = self._other(note_lang or self.primary)
        for text, reason in self._templates():
            if text and (stored == text or stored.startswith(text + ": ")):
                note = stored[len(text) + 2 :] or None
                if not self.translate:
                    return RemovedReason(text, self._other(self.primary), note, note_other)
                code = pick_language(reason.texts, self.locale, self.organisation.language_list)
                shown = reason.text(self.locale)
                if note and shown[-1:] not in ".!?":
                    shown += "."  # a sentence of its own before the note
                return RemovedReason(shown, self._other(code), note, note_other)
        # A template since renamed or removed: a note is known to be there when its
        # language was kept, and it follows the first ": " (as retention reads it).
        if note_lang and ": " in stored:
            text, note = stored.split(": ", 1)
            return RemovedReason(text, self._other(self.primary), note, note_other)
        return RemovedReason(stored, self._other(self.primary), None, None)
