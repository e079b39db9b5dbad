"""The comment form of a part's page: the topic's own, with the paragraph it comments."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice, SelectField, ValidationError

from eraati.consultations.forms import AnonymousCommentForm, CommentForm
from eraati.core.i18n import lazy_gettext as _l
from eraati.permissions import can

QUOTE_PREVIEW = 70  # characters of a paragraph in the list of paragraphs


class _Paragraph:
    paragraph = SelectField(_l("Paragraph you are commenting on"), validate_choice=False)

    def set_paragraphs(self, texts: list[str], lang: str | None = None) -> None:
        """The choices: the whole part, or paragraph 1..n (its first words, in ``lang``
        when that is not the page's language)."""
        choices = [SelectChoice("", _("The part as a whole"))]
        marked = {"lang": lang} if lang else {}
        for number, text in enumerate(texts, start=1):
            words = text if len(text) <= QUOTE_PREVIEW else text[:QUOTE_PREVIEW].rstrip() + "…"
            label = _("Paragraph %(number)d: %(words)s", number=number, words=words)
            choices.append(SelectChoice(str(number), label, marked))
        self.paragraph.choices = choices
        self._paragraph_count = len(texts)

    def validate_paragraph(self, field) -> None:
        if not field.data:
            return
        value = str(field.data)
        if not value.isdigit() or not 1 <= int(value) <= self._paragraph_count:
            raise ValidationError(_("Choose a paragraph of this part from the list."))

    @property
    def paragraph_number(self) -> int | None:
        value = str(self.paragraph.data or "")
        return int(value) if value.isdigit() else None


class PartCommentForm(_Paragraph, CommentForm):
    pass


class AnonymousPartCommentForm(_Paragraph, AnonymousCommentForm):
    pass


def new_part_comment_form(topic, texts: list[str], lang: str | None = None, *, formdata=None):
    """The form this viewer may use on a part of this topic (as ``new_comment_form``)."""
    if can(current_user, "comment", topic):
        form = PartCommentForm(formdata=formdata)
    elif can(current_user, "comment_anonymously", topic):
        form = AnonymousPartCommentForm(formdata=formdata)
    else:
        return None
    form.set_paragraphs(texts, lang)
    return form
