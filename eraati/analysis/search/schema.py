"""The search index in each database, as DDL outside the SQLAlchemy models: neither
database can declare the other's index (an FTS5 virtual table, a ``tsvector`` column), so
the models hold only ``search_text`` and these statements run after the tables are
created (``create_all`` in tests, the migration ``e4b7c1d93a26`` everywhere else).
``include_object`` keeps them out of the models-vs-migrations comparison.

A later migration that rebuilds ``comments`` or ``topic_translations`` on SQLite (Alembic's
batch mode copies the table and drops the old one) drops the FTS5 triggers with it: such a
migration must run ``drop_statements`` before and ``create_statements`` and
``backfill_statements`` after.

SQLite: an FTS5 table per searched table, "external content" (it reads ``search_text``
from the table itself, so the text is not stored twice), kept in step by triggers on
every INSERT, DELETE and UPDATE of ``search_text``. PostgreSQL: a ``search_vector``
column filled by a trigger when ``search_text`` or the language changes (not on the
counter updates of every vote), in the text's own language's configuration, with a GIN
index.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eraati.consultations.models import Comment, TopicTranslation

# table -> its language column
SEARCHED = {"comments": "language", "topic_translations": "locale"}


def _sqlite(table: str) -> list[str]:
    fts = f"{table}_search"
    # Table names come from SEARCHED, never from input.
    add = f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text);"  # noqa: S608
    remove = (
        f"INSERT INTO {fts}({fts}, rowid, search_text) "  # noqa: S608
        "VALUES ('delete', old.id, old.search_text);"
    )
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_text ON {table} "
        f"BEGIN {remove} {add} END",
    ]


def _sqlite_drop(table: str) -> list[str]:
    fts = f"{table}_search"
    return [
        *(f"DROP TRIGGER IF EXISTS {fts}_{what}" for what in ("insert", "delete", "update")),
        f"DROP TABLE IF EXISTS {fts}",
    ]


_PG_CONFIG = (
    "CREATE OR REPLACE FUNCTION eraati_search_config(language text) RETURNS regconfig "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE language "
    "WHEN 'sv' THEN 'swedish'::regconfig WHEN 'en' THEN 'english'::regconfig "
    "ELSE 'finnish'::regconfig END $$"
)


def _postgresql(table: str) -> list[str]:
    language = SEARCHED[table]
    return [
        _PG_CONFIG,
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector",
        f"CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := to_tsvector("
        f"eraati_search_config(NEW.{language}), coalesce(NEW.search_text, '')); "
        "RETURN NEW; END $$",
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF search_text, "
        f"{language} ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
        f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_vector)",
    ]


def _postgresql_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_search_vector()",
        f"DROP INDEX IF EXISTS ix_{table}_search",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
    ]


def create_statements(dialect: str, table: str) -> list[str]:
    return {"sqlite": _sqlite, "postgresql": _postgresql}.get(dialect, lambda _t: [])(table)


def drop_statements(dialect: str, table: str) -> list[str]:
    drop = {"sqlite": _sqlite_drop, "postgresql": _postgresql_drop}
    return drop.get(dialect, lambda _t: [])(table)


def backfill_statements(dialect: str, table: str) -> list[str]:
    """The index of the rows written before it was created (the migration)."""
    if dialect == "sqlite":
        return [f"INSERT INTO {table}_search({table}_search) VALUES ('rebuild')"]  # noqa: S608
    if dialect == "postgresql":
        return [
            f"UPDATE {table} SET search_vector = to_tsvector("  # noqa: S608
            f"eraati_search_config({SEARCHED[table]}), coalesce(search_text, ''))"
        ]
    return []


# The FTS5 table and the shadow tables SQLite keeps for it.
_FTS_TABLES = frozenset(
    f"{table}_search{suffix}"
    for table in SEARCHED
    for suffix in ("", "_data", "_idx", "_docsize", "_config", "_content")
)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any):
    """For Alembic's comparison: the index's own tables, column and indexes are not in the
    models (see above), and are no difference between models and database."""
    if type_ == "table" and name in _FTS_TABLES:
        return False
    if type_ == "column" and name == "search_vector" and compare_to is None:
        return False
    return not (type_ == "index" and name in {f"ix_{t}_search" for t in SEARCHED})


for _model in (Comment, TopicTranslation):
    _table = _model.__table__
    for _dialect in ("sqlite", "postgresql"):
        for _sql in create_statements(_dialect, _table.name):
            sa.event.listen(_table, "after_create", sa.DDL(_sql).execute_if(dialect=_dialect))
        for _sql in drop_statements(_dialect, _table.name):
            sa.event.listen(_table, "before_drop", sa.DDL(_sql).execute_if(dialect=_dialect))
