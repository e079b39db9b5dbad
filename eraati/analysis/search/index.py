"""What the search index holds: a text's words as lemmas (``index_text``), kept next to
the text in ``search_text`` and written whenever the text is.

Every word is stored as its lemma in the text's language and, when that differs, also as
it was written: a word the lemmatiser gets wrong ("kadun" -> "katua") is still found by
its own form. The searcher's words are looked up in every language (``query_terms``): a
Swedish speaker may search a Finnish topic, and the query box does not know the language.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

import sqlalchemy as sa

from eraati.analysis.text import LANGUAGES, lemma, words
from eraati.consultations.models import Comment, TopicTranslation

# A query longer than this is cut (nobody types more; a long one costs every row it meets).
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
_TAG = re.compile(r"<[^>]*>")


@functools.lru_cache(maxsize=100_000)
def _word_forms(word: str, language: str) -> str:
    found = lemma(word, language)
    return found if found == word else f"{found} {word}"


def index_text(text: str | None, language: str | None) -> str:
    """``text`` as the search index stores it: lemmas in ``language`` (Finnish when the
    language is not known), each followed by the word's own form when that differs."""
    if not text:
        return ""
    language = language if language in LANGUAGES else "fi"
    return " ".join(_word_forms(word, language) for word in words(text))


def plain(html_text: str | None) -> str:
    """The words of organisation-written HTML (tags out, entities decoded)."""
    return html.unescape(_TAG.sub(" ", html_text or ""))


def translation_text(title: str | None, summary: str | None, body: str | None) -> str:
    return " ".join((title or "", summary or "", plain(body)))


def query_terms(q: str) -> list[frozenset[str]]:
    """The searcher's words, each as the set of forms that may stand for it in the index
    (its lemma in each language, and itself); at most ``MAX_QUERY_WORDS`` words. Anything
    not a word (quotes, ``*``, ``NEAR(``, punctuation) is dropped, so no query syntax
    reaches either database."""
    terms: list[frozenset[str]] = []
    for word in words((q or "")[:MAX_QUERY_LENGTH]):
        forms = frozenset({word, *(lemma(word, language) for language in LANGUAGES)})
        if forms not in terms:
            terms.append(forms)
        if len(terms) == MAX_QUERY_WORDS:
            break
    return terms


# --- keeping search_text with its text (ORM writes) ----------------------------------------


def _comment_body_set(target: Comment, value: Any, _old: Any, _initiator: Any) -> None:
    target.search_text = index_text(value, target.language)


def _comment_language_set(target: Comment, value: Any, _old: Any, _initiator: Any) -> None:
    if target.body is not None:
        target.search_text = index_text(target.body, value)


def _translation_changed(target: TopicTranslation, key: str, value: Any) -> None:
    parts = {"title": target.title, "summary": target.summary, "body": target.body}
    parts[key] = value
    target.search_text = index_text(translation_text(**parts), target.locale)


def _translation_locale_set(target: TopicTranslation, value: Any, *_args: Any) -> None:
    text = translation_text(target.title, target.summary, target.body)
    target.search_text = index_text(text, value)


for _key in ("title", "summary", "body"):
    sa.event.listen(
        getattr(TopicTranslation, _key),
        "set",
        functools.partial(
            lambda key, target, value, *_a: _translation_changed(target, key, value), _key
        ),
    )
sa.event.listen(TopicTranslation.locale, "set", _translation_locale_set)
sa.event.listen(Comment.body, "set", _comment_body_set)
sa.event.listen(Comment.language, "set", _comment_language_set)


def comment_row(row: dict[str, Any]) -> dict[str, Any]:
    """A comment row for a bulk ``INSERT`` (demo, benchmarks) with its ``search_text``."""
    return {**row, "search_text": index_text(row.get("body"), row.get("language"))}
