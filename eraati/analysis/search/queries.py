"""Search conditions for ``select()`` statements: "this comment (this topic text) has
every one of the searcher's words, in any of its forms".

The condition is a filter like any other, so a list keeps its own order and keyset
pagination: the newest matching comments of a topic are an index walk newest first that
stops after one page when the word is common, and the index of the words (GIN, FTS5)
when it is rare; PostgreSQL picks by the word's frequency in its statistics.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from eraati.analysis.search.index import query_terms
from eraati.consultations.models import Comment, TopicTranslation
from eraati.extensions import db

_CONFIGS = ("finnish", "swedish", "english")


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def tsquery_text(terms: list[frozenset[str]]) -> str:
    """The terms in ``to_tsquery`` syntax: each form a quoted lexeme (quotes doubled, so
    nothing in it is syntax; forms are words, never a backslash), the forms of a term
    OR'ed, the terms AND'ed."""
    return " & ".join(
        "(" + " | ".join("'" + form.replace("'", "''") + "'" for form in sorted(t)) + ")"
        for t in terms
    )


def _tsquery(terms: list[frozenset[str]]) -> sa.ColumnElement:
    """The query in each configuration, OR'ed: a text's words were stemmed in its own
    language's configuration, and the searcher's language is not known. One bound
    string, so that the statement's text is the same for every query (psycopg prepares
    it once, PostgreSQL plans it once per connection)."""
    text = sa.bindparam("search_query", tsquery_text(terms), type_=sa.Text)
    parts = [
        sa.func.to_tsquery(sa.literal_column(f"'{config}'::regconfig"), text) for config in _CONFIGS
    ]
    return sa.type_coerce(
        sa.func.tsquery_or(parts[0], sa.func.tsquery_or(parts[1], parts[2])), TSQUERY
    )


def match_expression(terms: list[frozenset[str]]) -> str:
    """The FTS5 query: each term's forms as quoted strings (so that nothing in them is
    FTS5 syntax), OR'ed; the terms AND'ed."""
    return " AND ".join(
        "(" + " OR ".join('"' + form.replace('"', '""') + '"' for form in sorted(t)) + ")"
        for t in terms
    )


def _matches(table: sa.Table, q: str) -> sa.ColumnElement[bool]:
    terms = query_terms(q)
    if not terms:
        return sa.false()
    if _dialect() == "postgresql":
        vector = sa.literal_column(f"{table.name}.search_vector", type_=TSVECTOR)
        return vector.bool_op("@@")(_tsquery(terms))
    fts = sa.table(f"{table.name}_search", sa.column("rowid"))
    found = sa.select(fts.c.rowid).where(
        sa.literal_column(f"{table.name}_search").op("MATCH")(match_expression(terms))
    )
    return table.c.id.in_(found)


def comment_matches(q: str) -> sa.ColumnElement[bool]:
    """``Comment`` has every word of ``q`` (nothing when ``q`` has no word)."""
    return _matches(Comment.__table__, q)


def translation_matches(q: str) -> sa.ColumnElement[bool]:
    """``TopicTranslation`` has every word of ``q`` in its title, summary or body."""
    return _matches(TopicTranslation.__table__, q)


def topic_ids_matching(q: str) -> sa.Select:
    """Ids of topics with a text (in any language) that has every word of ``q``."""
    return sa.select(TopicTranslation.topic_id).where(translation_matches(q))
