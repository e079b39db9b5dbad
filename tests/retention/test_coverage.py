"""The list of what retention covers (``coverage``) against the models themselves: a new
table or column that names a person fails here until it is added to the list (or said to
be outside a topic's retention)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eraati.extensions import db
from eraati.retention.coverage import (
    ADDRESS_LIKE_KEPT,
    ADDRESSES_OUTSIDE_TOPICS,
    LINKS,
    NOT_TOPIC,
    TEXTS,
    Keep,
)

# Column names that hold an address of a person: e-mail, postal, IP, phone.
ADDRESS_LIKE = re.compile(r"e?mail|address|(^|_)ip($|_)|phone|street|postal")


def _user_foreign_keys(metadata: sa.MetaData | None = None) -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in (metadata or db.metadata).sorted_tables
        for column in table.columns
        for fk in column.foreign_keys
        if fk.column.table.name == "users"
    }


def _topic_tables() -> set[str]:
    """Tables whose rows belong to a topic: the topic itself and every table with a
    foreign key (directly or through another such table) to one of them."""
    found = {"topics"}
    grew = True
    while grew:
        grew = False
        for table in db.metadata.sorted_tables:
            if table.name in found:
                continue
            if any(fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                grew = True
    return found


def test_every_reference_to_a_person_is_covered_or_outside_a_topic(app):
    covered = {link.key for link in LINKS}
    missing = _user_foreign_keys() - covered - NOT_TOPIC
    assert not missing, (
        f"{sorted(missing)} name a person: add each to eraati/retention/coverage.py (LINKS, "
        "or NOT_TOPIC when its rows are not a topic's)"
    )


def test_the_list_names_only_columns_that_exist(app):
    assert {link.key for link in LINKS} | set(NOT_TOPIC) <= _user_foreign_keys()
    for item in TEXTS:
        table, column = item.key
        assert column in db.metadata.tables[table].c, item.key
    for link in LINKS:
        if link.keep == Keep.PARTICIPANT:
            assert link.participant_column in link.model.__table__.c, link.key
            fk = next(iter(link.model.__table__.c[link.participant_column].foreign_keys))
            assert fk.column.table.name == "anonymised_participants"


def test_covered_tables_belong_to_a_topic_and_excluded_ones_do_not(app):
    topic_tables = _topic_tables()
    assert {table for table, _column in (link.key for link in LINKS)} <= topic_tables
    assert {table for table, _column in NOT_TOPIC}.isdisjoint(topic_tables)


def test_an_address_in_a_topics_rows_is_removed_or_kept_on_purpose(app):
    texts = {item.key for item in TEXTS}
    addresses = {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        if table.name in _topic_tables()
        for column in table.columns
        if ADDRESS_LIKE.search(column.name) and isinstance(column.type, sa.String)
    }
    assert addresses - texts - ADDRESS_LIKE_KEPT == set()


def test_an_address_outside_topics_says_what_becomes_of_it(app):
    """Invitations, accounts, blocks made by address: every address-like column outside a
    topic's rows is listed with what removes it (or why it stays)."""
    addresses = {
        (table.name, column.name)
        for table in db.metadata.sorted_tables
        if table.name not in _topic_tables()
        for column in table.columns
        if ADDRESS_LIKE.search(column.name) and isinstance(column.type, sa.String)
    }
    assert ("invitations", "email") in addresses
    assert addresses == set(ADDRESSES_OUTSIDE_TOPICS)


def test_a_walker_would_see_a_new_reference():
    """The walker itself: a new table with a user reference appears in it."""
    metadata = sa.MetaData()
    sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "topic_notes",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.ForeignKey("users.id")),
    )
    assert _user_foreign_keys(metadata) == {("topic_notes", "writer_id")}
