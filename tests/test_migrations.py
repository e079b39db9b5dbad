"""Migrations upgrade and downgrade cleanly, and agree with the models."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from eraati import create_app
from eraati.analysis.search.schema import include_object
from eraati.extensions import db
from tests import pgdb


@pytest.fixture
def empty_database_url(tmp_path, worker_id):
    base = os.environ.get("ERAATI_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path}/migrations.sqlite3"
        return
    url = f"{base}_mig_{worker_id}"
    pgdb.create(url)
    yield url.replace("postgresql://", "postgresql+psycopg://")
    pgdb.drop(url)


def _diff(connection) -> list:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": False,
            "include_object": include_object,  # the search index is outside the models
        },
    )
    return _without_inline_sqlite_references(connection, compare_metadata(context, db.metadata))


def _without_inline_sqlite_references(connection, diff: list) -> list:
    """A column added to a big table on SQLite (``ALTER TABLE ... ADD COLUMN x REFERENCES
    ... ON DELETE ...``, never a copy of the table) keeps its reference in the column's
    definition, where SQLAlchemy's reflection finds the reference but not its ON DELETE
    (it reads options only from table-level FOREIGN KEY clauses). Such a pair of "remove the
    reflected one, add the model's" is no difference when SQLite's own list of the table's
    references (``PRAGMA foreign_key_list``) has the model's target and ON DELETE."""
    if connection.dialect.name != "sqlite":
        return diff

    def key(fk) -> tuple:
        return (fk.table.name, tuple(c.name for c in fk.columns), fk.elements[0].column.table.name)

    added = {key(d[1]): d for d in diff if d[0] == "add_fk"}
    removed = {key(d[1]): d for d in diff if d[0] == "remove_fk" and not d[1].ondelete}
    same = set()
    for k in added.keys() & removed.keys():
        table, columns, target = k
        pragma = connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})").fetchall()
        wanted = (added[k][1].ondelete or "NO ACTION").upper()
        # Rows: id, seq, table, from, to, on_update, on_delete, match.
        if (
            any((r[2], (r[3],), r[6].upper()) == (target, columns, wanted) for r in pragma)
            and len(columns) == 1
        ):
            same.add(k)
    return [d for d in diff if d[0] not in ("add_fk", "remove_fk") or key(d[1]) not in same]


def test_upgrade_matches_models_and_downgrade_is_clean(empty_database_url):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert _diff(conn) == [], "models and migrations disagree: run `flask db migrate`"
            tables = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables

        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}

        upgrade()  # and back up again
        with db.engine.connect() as conn:
            assert _diff(conn) == []
        db.engine.dispose()


def _row(conn, table: str, **values) -> int:
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    return conn.execute(reflected.insert().values(**values)).inserted_primary_key[0]


def test_decision_texts_move_to_the_first_languages_text_and_back(empty_database_url):
    """b7d4e1a9c2f5: the deciding body and the contact person, once columns of the topic,
    go to its text in the organisation's first language (Swedish first here); nothing that
    hangs on the topic is lost on the way (SQLite drops the columns without copying the
    table, which would cascade deletes), and the downgrade puts them back."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="b7d4e1a9c2f5-1")
        with db.engine.begin() as conn:
            org = _row(
                conn, "organisations", slug="kust", kind="municipality", name_fi="Kunta",
                languages="sv,fi", created_at=now,
            )  # fmt: skip
            topic = _row(
                conn, "topics", organisation_id=org, slug="aihe", status="open",
                opens_at=now, closes_at=now + timedelta(days=9), allow_anonymous=False,
                premoderated=False, stances_enabled=True, created_at=now, updated_at=now,
                deciding_body="Kommunstyrelsen", contact_person="Stina Ek, tfn 040 1",
            )  # fmt: skip
            for locale, title in (("fi", "Aihe"), ("sv", "Ämne")):
                _row(
                    conn, "topic_translations", topic_id=topic, locale=locale, title=title,
                    summary="", body="",
                )  # fmt: skip
            _row(
                conn, "comments", topic_id=topic, body="Hyvä.", status="visible",
                source="web", nickname="Nimimerkki", created_at=now,
            )  # fmt: skip

        upgrade()
        with db.engine.connect() as conn:
            texts = conn.execute(
                sa.text(
                    "SELECT locale, deciding_body, contact_person FROM topic_translations "
                    "ORDER BY locale"
                )
            ).all()
            comments = conn.execute(sa.text("SELECT count(*) FROM comments")).scalar()
            columns = {c["name"] for c in sa.inspect(conn).get_columns("topics")}
        assert [tuple(t) for t in texts] == [
            ("fi", "", ""),
            ("sv", "Kommunstyrelsen", "Stina Ek, tfn 040 1"),
        ]
        assert comments == 1
        assert not {"deciding_body", "contact_person"} & columns

        downgrade(revision="b7d4e1a9c2f5-1")
        with db.engine.connect() as conn:
            back = conn.execute(sa.text("SELECT deciding_body, contact_person FROM topics")).one()
            comments = conn.execute(sa.text("SELECT count(*) FROM comments")).scalar()
        assert tuple(back) == ("Kommunstyrelsen", "Stina Ek, tfn 040 1") and comments == 1
        db.engine.dispose()


def test_rebuilding_a_table_on_sqlite_loses_nothing_that_hangs_on_it(empty_database_url):
    """SQLite changes a column or constraint by copying the table and dropping the old one
    (Alembic's batch mode); with foreign keys on, that DROP would cascade and delete every
    row that refers to the table. 0ae960b429ff rebuilds organisations and comments: every
    organisation's topics, and every comment's votes and replies, must still be there."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0ae960b429ff-1")
        with db.engine.begin() as conn:
            org = _row(
                conn, "organisations", slug="tervo", kind="municipality", name_fi="Tervo",
                languages="fi", created_at=now,
            )  # fmt: skip
            user = _row(
                conn, "users", email="a@example.fi", display_name="A", password_hash="x",
                locale="fi", created_at=now, session_version=1, is_platform_admin=False,
            )  # fmt: skip
            topic = _row(
                conn, "topics", organisation_id=org, slug="aihe", status="open",
                opens_at=now, closes_at=now + timedelta(days=9), allow_anonymous=False,
                premoderated=False, stances_enabled=True, created_at=now, updated_at=now,
            )  # fmt: skip
            _row(conn, "topic_translations", topic_id=topic, locale="fi", title="Aihe",
                 summary="", body="")  # fmt: skip
            first = _row(
                conn, "comments", topic_id=topic, author_id=user, body="Hyvä.",
                status="visible", source="web", created_at=now,
            )  # fmt: skip
            _row(
                conn, "comments", topic_id=topic, parent_id=first, author_id=user,
                body="Samaa mieltä.", status="visible", source="web", created_at=now,
            )  # fmt: skip
            _row(conn, "comment_votes", comment_id=first, user_id=user, value="agree",
                 created_at=now, updated_at=now)  # fmt: skip

        upgrade()
        with db.engine.connect() as conn:
            counts = {
                table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
                for table in ("organisations", "topics", "topic_translations", "comments",
                              "comment_votes")
            }  # fmt: skip
        assert counts == {
            "organisations": 1, "topics": 1, "topic_translations": 1, "comments": 2,
            "comment_votes": 1,
        }  # fmt: skip
        db.engine.dispose()


def test_topics_get_a_pseudonym_key_and_anonymised_ones_new_participants(empty_database_url):
    """7e007d08944c: a topic not yet anonymised gets a random pseudonym key of its own; the
    participants of a topic anonymised before (their pseudonyms anyone with the secret could
    compute again from the accounts) are replaced by new ones with new random pseudonyms,
    and every row keeps pointing at one participant per person."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="7e007d08944c-1")
        with db.engine.begin() as conn:
            org = _row(
                conn, "organisations", slug="tervo", kind="municipality", name_fi="Tervo",
                languages="fi", created_at=now,
            )  # fmt: skip
            topics = []
            for slug, anonymised in (("auki", None), ("vanha", now), ("toinen", None)):
                topics.append(_row(
                    conn, "topics", organisation_id=org, slug=slug, status="published",
                    opens_at=now, closes_at=now + timedelta(days=9), allow_anonymous=False,
                    premoderated=False, stances_enabled=True, created_at=now, updated_at=now,
                    anonymised_at=anonymised,
                ))  # fmt: skip
            old = topics[1]
            people = [
                _row(conn, "anonymised_participants", topic_id=old, pseudonym=code,
                     home_organisation_id=home)
                for code, home in (("P-11111111", org), ("P-22222222", None))
            ]  # fmt: skip
            for n, person in enumerate([*people, people[0]]):
                _row(
                    conn, "comments", topic_id=old, participant_id=person, body=f"K{n}",
                    nickname="—", status="visible", source="web", created_at=now,
                )  # fmt: skip
            _row(conn, "topic_stances", topic_id=old, participant_id=people[1], stance="support",
                 created_at=now, updated_at=now)  # fmt: skip

        upgrade(revision="7e007d08944c")  # b21b2c3d4e5f drops home_organisation_id later
        with db.engine.connect() as conn:
            keys = dict(conn.execute(sa.text("SELECT id, pseudonym_key FROM topics")).all())
            participants = conn.execute(
                sa.text("SELECT id, pseudonym, home_organisation_id FROM anonymised_participants")
            ).all()
            comments = conn.execute(
                sa.text("SELECT body, participant_id FROM comments ORDER BY body")
            ).all()
            stance = conn.execute(sa.text("SELECT participant_id FROM topic_stances")).scalar()
        assert keys[old] is None
        fresh = [keys[topics[0]], keys[topics[2]]]
        assert all(len(k) == 32 for k in fresh) and fresh[0] != fresh[1]
        assert len(participants) == 2 and not {p.id for p in participants} & set(people)
        codes = {p.pseudonym for p in participants}
        assert len(codes) == 2 and not codes & {"P-11111111", "P-22222222"}
        assert all(len(c) == 10 and c.startswith("P-") for c in codes)
        by_id = {p.id: p for p in participants}
        first, second, third = (c.participant_id for c in comments)
        assert first == third != second and stance == second
        assert by_id[first].home_organisation_id == org
        assert by_id[second].home_organisation_id is None
        db.engine.dispose()


def test_topics_closed_early_get_the_moment_from_their_audit_event(empty_database_url):
    """c5e8a2d14f70: a topic an admin closed before its deadline gets ``closed_at`` from its
    ``topic.close`` event marked early; one closed by the tick at its deadline does not."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    closed = now + timedelta(days=3, hours=2, minutes=15)
    with app.app_context():
        upgrade(revision="c5e8a2d14f70-1")
        with db.engine.begin() as conn:
            org = _row(
                conn, "organisations", slug="tervo", kind="municipality", name_fi="Tervo",
                languages="fi", created_at=now,
            )  # fmt: skip
            ids = {}
            for slug, early in (("early", True), ("ontime", False)):
                ids[slug] = _row(
                    conn, "topics", organisation_id=org, slug=slug, status="closed",
                    opens_at=now, closes_at=now + timedelta(days=9), allow_anonymous=False,
                    premoderated=False, stances_enabled=True, created_at=now, updated_at=now,
                )  # fmt: skip
                _row(
                    conn, "audit_events", organisation_id=org, actor_name="A",
                    action="topic.close", target_type="Topic", target_id=ids[slug],
                    details={"early": early}, created_at=closed,
                )  # fmt: skip

        upgrade()
        with db.engine.connect() as conn:
            found = dict(conn.execute(sa.text("SELECT slug, closed_at FROM topics")).all())
        early = found["early"]
        early = datetime.fromisoformat(early) if isinstance(early, str) else early
        assert (early if early.tzinfo else early.replace(tzinfo=UTC)) == closed
        assert found["ontime"] is None
        db.engine.dispose()


def test_followers_not_yet_told_of_results_are_carried_over_as_notifications(
    empty_database_url,
):
    """c4d81e2f9a60: ``follows.told_at`` goes; a follower of results published in the last
    week whom the old sending had not told yet becomes a due results notification, so the
    upgrade skips nobody; one told already, or of older results, does not."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade(revision="c4d81e2f9a60-1")
        with db.engine.begin() as conn:
            org = _row(
                conn, "organisations", slug="tervo", kind="municipality", name_fi="Tervo",
                languages="fi", created_at=now,
            )  # fmt: skip
            people = [
                _row(
                    conn,
                    "users",
                    email=f"{name}@example.fi",
                    display_name=name,
                    password_hash="x",
                    locale="fi",
                    created_at=now,
                    session_version=1,
                    is_platform_admin=False,
                    email_verified_at=now,
                )
                for name in ("waiting", "told", "old")
            ]
            topics = {}
            for slug, published in (
                ("new", now - timedelta(days=1)),
                ("old", now - timedelta(days=30)),
            ):
                topics[slug] = _row(
                    conn, "topics", organisation_id=org, slug=slug, status="published",
                    opens_at=published - timedelta(days=20),
                    closes_at=published - timedelta(days=5),
                    results_published_at=published, allow_anonymous=False, premoderated=False,
                    stances_enabled=True, created_at=now, updated_at=now,
                )  # fmt: skip
            waiting, told, old = people
            _row(conn, "follows", topic_id=topics["new"], user_id=waiting, created_at=now)
            _row(conn, "follows", topic_id=topics["new"], user_id=told, created_at=now, told_at=now)
            _row(conn, "follows", topic_id=topics["old"], user_id=old, created_at=now)

        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT user_id, kind, key, sent_at FROM notifications")
            ).all()
    assert [tuple(r) for r in rows] == [(waiting, "results", f"t{topics['new']}", None)]


def test_home_organisations_become_home_municipality_codes(empty_database_url):
    """b21b2c3d4e5f: a municipality without a code gets its code by name; a person's home
    organisation becomes their home municipality code unless they had told one, in the
    accounts and in the participants of anonymised topics; the columns go, and the
    downgrade gives them back from the codes."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="b21b2c3d4e5f-1")
        with db.engine.begin() as conn:

            def org(slug, name, code=None, kind="municipality"):
                return _row(
                    conn, "organisations", slug=slug, kind=kind, name_fi=name, languages="fi",
                    municipality_code=code, created_at=now,
                )  # fmt: skip

            tervo = org("tervo", "Tervo")  # no code: 844 by its name
            iisalmi = org("iisalmi", "Iisalmi", "140")
            sote = org("sote", "Ylä-Savon SOTE", kind="joint_authority")  # never a code
            lautakunta = org("lautakunta", "Kylälautakunta")  # no such municipality

            def user(email, home, code=None):
                return _row(
                    conn, "users", email=email, display_name=email, password_hash="x",
                    locale="fi", created_at=now, session_version=1, is_platform_admin=False,
                    home_organisation_id=home, home_municipality_code=code,
                )  # fmt: skip

            people = {
                "tervo": user("a@example.fi", tervo),
                "iisalmi": user("b@example.fi", iisalmi),
                "told": user("c@example.fi", iisalmi, "263"),  # said Kiuruvesi: kept
                "sote": user("d@example.fi", sote),
                "none": user("e@example.fi", lautakunta),
                "nothing": user("f@example.fi", None),
            }
            topic = _row(
                conn, "topics", organisation_id=tervo, slug="vanha", status="published",
                opens_at=now, closes_at=now + timedelta(days=9), allow_anonymous=False,
                premoderated=False, stances_enabled=True, created_at=now, updated_at=now,
                anonymised_at=now,
            )  # fmt: skip
            _row(
                conn, "anonymised_participants", topic_id=topic, pseudonym="P-11111111",
                home_organisation_id=tervo,
            )  # fmt: skip

        upgrade()
        with db.engine.connect() as conn:
            codes = dict(
                conn.execute(sa.text("SELECT id, municipality_code FROM organisations")).all()
            )
            homes = dict(
                conn.execute(sa.text("SELECT id, home_municipality_code FROM users")).all()
            )
            kept = conn.execute(
                sa.text("SELECT home_municipality_code FROM anonymised_participants")
            ).scalar()
            columns = {
                table: {c["name"] for c in sa.inspect(conn).get_columns(table)}
                for table in ("users", "anonymised_participants")
            }
        assert codes == {tervo: "844", iisalmi: "140", sote: None, lautakunta: None}
        assert {key: homes[uid] for key, uid in people.items()} == {
            "tervo": "844", "iisalmi": "140", "told": "263", "sote": None, "none": None,
            "nothing": None,
        }  # fmt: skip
        assert kept == "844"
        assert all("home_organisation_id" not in names for names in columns.values())
        with db.engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.execute(
                sa.text("UPDATE organisations SET municipality_code = '140' WHERE id = :id"),
                {"id": tervo},
            )

        downgrade(revision="b21b2c3d4e5f-1")
        with db.engine.connect() as conn:
            back = dict(conn.execute(sa.text("SELECT id, home_organisation_id FROM users")).all())
            kept = conn.execute(
                sa.text("SELECT home_organisation_id FROM anonymised_participants")
            ).scalar()
        assert {key: back[uid] for key, uid in people.items()} == {
            "tervo": tervo, "iisalmi": iisalmi, "told": None, "sote": None, "none": None,
            "nothing": None,
        }  # fmt: skip
        assert kept == tervo
        db.engine.dispose()
