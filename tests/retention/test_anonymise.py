"""Removing a topic's personal data: when it is due, what goes, what stays the same.

In the database (run on SQLite and, with ERAATI_TEST_DATABASE_URL, on PostgreSQL): every
link of ``coverage.LINKS`` is cleared for the topic's rows, the texts of ``coverage.TEXTS``
are gone, and the figures, the report's content and the raw data files are the same
before and after."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from eraati.accounts.models import User
from eraati.audit.models import AuditEvent
from eraati.consultations import counters
from eraati.consultations.models import (
    AnonymisedParticipant,
    Comment,
    CommentFlag,
    CommentStatus,
    Follow,
    Topic,
)
from eraati.core import pseudonyms
from eraati.exports import services as exports
from eraati.extensions import db
from eraati.jobs.models import ExportJob
from eraati.reports import appendix
from eraati.reports.build import make_report
from eraati.results.figures import topic_figures
from eraati.retention import services
from eraati.retention.coverage import LINKS, Keep
from tests import factories
from tests.exports.support import read_json
from tests.jobs.support import stored_path
from tests.retention.support import DUE, FLAG_DETAILS, NOT_YET, PUBLISHED


def _topic(world) -> Topic:
    db.session.expire_all()
    return db.session.get(Topic, world.topic.id)


def _linked_rows(topic_id: int) -> dict[str, int]:
    """Rows of the topic that still name a person, per link."""
    found = {}
    for link in LINKS:
        column = link.model.__table__.c[link.column]
        n = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(link.model)
            .where(link.rows(topic_id), column.is_not(None))
        )
        found[f"{link.model.__tablename__}.{link.column}"] = n
    return found


# --- when ----------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert services.add_months(PUBLISHED, 24) == PUBLISHED.replace(year=2028)
    assert services.add_months(PUBLISHED.replace(month=1, day=31), 1).day == 28  # 2026
    assert services.add_months(PUBLISHED.replace(month=12), 1).month == 1


def test_a_topic_is_due_its_organisations_months_after_the_results(db, world, other_org):
    assert services.due_topics(NOT_YET) == []
    (due,) = services.due_topics(DUE)
    assert due.topic.id == world.topic.id
    assert due.due_at == services.add_months(PUBLISHED, 24)
    world.org.retention_months = 6
    db.session.commit()
    assert [d.topic.id for d in services.due_topics(services.add_months(PUBLISHED, 6))] == [
        world.topic.id
    ]


def test_topics_without_published_results_are_never_due(db, org):
    factories.make_closed_topic(org)
    factories.make_topic(org, slug="auki")
    db.session.commit()
    assert services.due_topics(DUE + timedelta(days=3650)) == []


# --- what goes -----------------------------------------------------------------------------------


def test_anonymising_detaches_everyone_and_removes_the_texts(db, world, other_org):
    other = factories.make_topic(other_org, slug="muu")
    aino = world.people["aino"]
    untouched = Comment(topic_id=other.id, author_id=aino.id, body="Toisen aiheen kommentti")
    db.session.add(untouched)
    db.session.flush()
    counters.recount([other.id])
    db.session.commit()
    topic = world.topic
    before = _linked_rows(topic.id)
    assert all(before.values()), before  # the world has a row of every kind
    key = topic.pseudonym_key

    done = services.anonymise(topic, now=DUE)
    db.session.commit()

    assert _linked_rows(topic.id) == dict.fromkeys(before, 0)
    assert done.people == 4  # Aino, Olli, Pekka, the admin (voted, wrote the official reply)
    participants = db.session.scalars(
        sa.select(AnonymisedParticipant).where(AnonymisedParticipant.topic_id == topic.id)
    ).all()
    assert len(participants) == 4
    assert {p.pseudonym for p in participants} == {
        pseudonyms.person(key, u.id) for u in world.people.values()
    }
    homes = {p.pseudonym: p.home_municipality_code for p in participants}
    assert homes[pseudonyms.person(key, aino.id)] == aino.home_municipality_code == "844"  # Tervo

    c = {key: db.session.get(Comment, comment.id) for key, comment in world.comments.items()}
    assert c["hidden"].body == c["pending"].body == c["deleted"].body == ""
    assert c["web"].body == "Kirjaston pitäisi olla auki myös sunnuntaisin."  # shown: kept
    assert c["anonymous"].nickname == ""  # "Salainen Nimimerkki" is gone
    assert c["anonymous"].participant_id is None  # an anonymous writer is no account
    assert c["web"].nickname == "—" and c["web"].participant_id is not None
    flag = db.session.scalar(sa.select(CommentFlag))
    assert (flag.user_id, flag.details) == (None, None)
    everything = " ".join(
        str(v)
        for table in db.metadata.sorted_tables
        if table.name != "audit_events"
        for row in db.session.execute(sa.select(table))
        for v in row
    )
    for secret in ("Salainen Nimimerkki", FLAG_DETAILS, "Loukkaava kommentti"):
        assert secret not in everything
    # The accounts stay, and so does everything outside this topic.
    assert db.session.get(User, aino.id) is not None
    assert db.session.get(Comment, untouched.id).author_id == aino.id
    assert counters.mismatches() == []


def test_the_prepared_files_go_and_the_job_names_nobody(db, world):
    path = stored_path(world.job)
    assert path.exists()
    services.anonymise(world.topic, now=DUE)
    db.session.commit()
    assert not path.exists()
    job = db.session.get(ExportJob, world.job.id)
    assert (job.stored_name, job.requested_by_id) == (None, None)


def test_it_runs_once_and_says_so_in_the_audit_log(db, world):
    assert services.anonymise(world.topic, now=DUE) is not None
    db.session.commit()
    assert services.anonymise(_topic(world), now=DUE + timedelta(days=1)) is None
    db.session.commit()
    assert _topic(world).anonymised_at == DUE
    assert services.due_topics(DUE + timedelta(days=400)) == []
    (event,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "topic.anonymise")
    ).all()
    assert (event.target_id, event.actor_id, event.actor_name) == (world.topic.id, None, "system")
    assert event.details["people"] == 4
    assert event.details["comments.author_id"] == 6  # web, reply, official, hidden, 2 more


def test_a_later_account_deletion_changes_nothing_in_the_topic(db, world):
    from eraati.accounts.services import delete_account

    services.anonymise(world.topic, now=DUE)
    db.session.commit()
    before = topic_figures(_topic(world), now=DUE)
    aino = world.people["aino"]
    aino.password_hash = factories.make_user("x@example.fi").password_hash
    db.session.commit()
    delete_account(aino, factories.PASSWORD)
    db.session.commit()
    assert topic_figures(_topic(world), now=DUE) == before
    assert counters.mismatches() == []


# --- what stays the same -------------------------------------------------------------------------


def _report(topic, lang: str = "fi"):
    with force_locale(lang):
        report = make_report(topic, lang, now=DUE)
        entries = list(appendix.entries(topic, lang, topic.organisation.name(lang)))
    return report, entries


@pytest.mark.parametrize("locale", ["fi", "en"])
def test_the_figures_and_the_report_are_the_same_after(db, world, locale):
    figures = topic_figures(_topic(world), locale=locale, now=DUE)
    report, entries = _report(_topic(world), locale)
    assert figures.participants.registered == 4
    assert any(q.pseudonym for t in figures.themes for q in t.quotes)

    services.anonymise(_topic(world), now=DUE)
    db.session.commit()

    assert topic_figures(_topic(world), locale=locale, now=DUE) == figures
    assert _report(_topic(world), locale) == (report, entries)


@pytest.mark.parametrize("code", ["csv", "csv-excel", "json", "xlsx"])
def test_the_raw_data_is_the_same_after_but_for_removed_texts(db, world, code):
    def data(**kw) -> bytes | list:
        made = b"".join(exports.prepare(_topic(world), code, "en", now=DUE, **kw).chunks)
        if code == "xlsx":  # the cells (the zip itself holds the time it was written)
            book = openpyxl.load_workbook(io.BytesIO(made))
            return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
        return made

    before = data()
    key = _topic(world).pseudonym_key
    services.anonymise(_topic(world), now=DUE)
    db.session.commit()
    assert data() == before  # the hidden text was left out before, too
    if code == "json":
        # Asked for, the hidden text is gone now: the comment's row says nothing more.
        doc = read_json(data(hidden_texts=True))
        (hidden,) = [c for c in doc["comments"] if c["status"] == "hidden"]
        assert hidden["text"] == ""
        assert hidden["author"] == pseudonyms.person(key, world.people["olli"].id)


def test_the_polis_files_keep_every_participant_and_vote(db, world):
    import csv

    def tables() -> tuple[list, list]:
        data = b"".join(exports.prepare(_topic(world), "polis", "en", now=DUE).chunks)
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            comments = list(csv.reader(io.StringIO(zf.read("comments.csv").decode())))
            votes = list(csv.reader(io.StringIO(zf.read("participants-votes.csv").decode())))
        return comments, votes

    comments, votes = tables()
    services.anonymise(_topic(world), now=DUE)
    db.session.commit()
    after_comments, after_votes = tables()
    # Participants are numbered anew in every export; who wrote and voted what is the same.
    assert len(after_votes) == len(votes)
    assert sorted(v[2:] for v in after_votes[1:]) == sorted(v[2:] for v in votes[1:])
    assert [c[:3] + c[4:] for c in after_comments] == [c[:3] + c[4:] for c in comments]


def test_the_stances_and_answers_of_a_person_keep_their_pseudonym(db, world):
    before = read_json(b"".join(exports.prepare(_topic(world), "json", "en", now=DUE).chunks))
    key = _topic(world).pseudonym_key
    services.anonymise(_topic(world), now=DUE)
    db.session.commit()
    after = read_json(b"".join(exports.prepare(_topic(world), "json", "en", now=DUE).chunks))
    for table in ("stances", "poll_answers", "participation", "comments"):
        assert after[table] == before[table], table
    assert {s["participant"] for s in after["stances"]} == {
        pseudonyms.person(key, world.people[p].id) for p in ("aino", "pekka")
    }


def test_keep_kinds_cover_the_participation_tables():
    participating = {link.key for link in LINKS if link.keep == Keep.PARTICIPANT}
    assert participating == {
        ("comments", "author_id"),
        ("comment_votes", "user_id"),
        ("topic_stances", "user_id"),
        ("answers", "user_id"),
        ("background_answers", "user_id"),
    }


def test_follows_stay_counted_without_their_people(db, world):
    services.anonymise(world.topic, now=DUE)
    db.session.commit()
    (follow,) = db.session.scalars(sa.select(Follow)).all()
    assert follow.user_id is None
    assert _topic(world).follower_count == 1
    assert db.session.scalar(
        sa.select(Comment.status).where(Comment.id == world.comments["hidden"].id)
    ) == (CommentStatus.HIDDEN)


def test_the_open_data_api_gives_the_same_comments_after(db, world, client):
    path = f"/api/v1/topics/{world.topic.id}/comments"
    before = client.get(path).get_json()
    assert any(c["author"].startswith("P-") for c in before["data"])
    services.anonymise(_topic(world), now=DUE)
    db.session.commit()
    assert client.get(path).get_json() == before


# --- the kept pseudonyms name nobody --------------------------------------------------------------

P_CODE = re.compile(r"P-[0-9a-f]{8}")


def _every_value() -> list[str]:
    """Every value of every row of every table, the audit log too, as text."""
    return [
        str(v)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(sa.select(table))
        for v in row
        if v is not None
    ]


def _codes_in_files(world, client) -> set[str]:
    topic = _topic(world)
    found = set()
    for code in ("csv", "json"):
        data = b"".join(exports.prepare(topic, code, "en", now=DUE).chunks)
        found |= set(P_CODE.findall(data.decode("utf-8")))
    api = client.get(f"/api/v1/topics/{topic.id}/comments").get_data(as_text=True)
    found |= set(P_CODE.findall(api))
    figures = topic_figures(topic, now=DUE)
    found |= {q.pseudonym for t in figures.themes for q in t.quotes if q.pseudonym}
    return found


def test_the_kept_pseudonyms_cannot_be_computed_again_from_the_accounts(app, db, world, client):
    """The accounts stay after the removal: if a pseudonym could still be made from an
    account's id (with the secret key, the topic's id, or anything the database keeps),
    computing it for every account would tell who wrote, voted and answered what. The
    topic's key is discarded, so no pseudonym of the files, the API, the figures or the
    participants' rows is any computation over the users' ids."""
    figures = topic_figures(_topic(world), now=DUE)
    report = _report(_topic(world))
    before = _codes_in_files(world, client)
    key = _topic(world).pseudonym_key
    assert len(before) == 3 and len(key) == 32  # Aino, Olli, Pekka (the admin only voted)
    assert key in _every_value()

    services.anonymise(_topic(world), now=DUE)
    db.session.commit()

    # Figures, the report and every file carry the same pseudonyms as before...
    assert topic_figures(_topic(world), now=DUE) == figures
    assert _report(_topic(world)) == report
    assert _codes_in_files(world, client) == before
    kept = set(db.session.scalars(sa.select(AnonymisedParticipant.pseudonym)))
    assert len(kept) == 4 and before < kept
    # ...but the key they were made with is nowhere (not in the audit log either),
    topic = _topic(world)
    assert topic.pseudonym_key is None
    values = _every_value()
    assert not [v for v in values if key in v]
    with pytest.raises(pseudonyms.KeyDiscarded):
        pseudonyms.person(topic.pseudonym_key, world.people["aino"].id)
    # and no computation over the accounts' ids with what is left gives any of them back:
    # the topic's id (as pseudonyms were made before), any key or text the database holds.
    secret = app.config["SECRET_KEY"].encode()
    user_ids = list(db.session.scalars(sa.select(User.id)))
    candidates = {str(topic.id), *(v for v in values if len(v) < 100)}
    computed = {
        "P-" + hmac.new(secret, f"{c}:{uid}".encode(), hashlib.sha256).hexdigest()[:8]
        for c in candidates
        for uid in user_ids
    }
    assert len(computed) > 100 and not computed & kept
    # The participants are numbered in the order of their pseudonyms, not of the accounts.
    rows = db.session.execute(
        sa.select(AnonymisedParticipant.id, AnonymisedParticipant.pseudonym).order_by(
            AnonymisedParticipant.id
        )
    ).all()
    assert [p for _id, p in rows] == sorted(p for _id, p in rows)


# --- the moderators' notes ------------------------------------------------------------------------

NOTE = "Kommentissa mainittiin Vieremän hoitaja Liisa Esimerkki nimeltä."


def test_the_moderators_note_goes_and_the_organisations_reason_stays(db, world, client):
    """A hidden comment's reason is "<the organisation's reason>: <the moderator's note>",
    and the note often names the person the comment was about: after the removal only the
    organisation's reason is left (its template, in the organisation's first language),
    nowhere but in the audit log, which keeps the hiding act as it was."""
    from eraati.moderation.services import add_reason, hide_comment

    staff = world.people["staff"]
    reason = add_reason(world.org, {"fi": "Sisältää henkilötietoja", "sv": "Personuppgifter"},
                        staff)  # fmt: skip
    named = Comment(topic_id=world.topic.id, author_id=world.people["aino"].id,
                    body="Hoitaja Liisa oli töykeä.", created_at=PUBLISHED)  # fmt: skip
    # A reason whose template is gone (hidden_reason_id NULL), with a note after it.
    orphan = Comment(topic_id=world.topic.id, author_id=world.people["pekka"].id,
                     body="Toinen", status=CommentStatus.HIDDEN, created_at=PUBLISHED,
                     hidden_reason="Vanha syy: Liisa Esimerkki mainittiin")  # fmt: skip
    db.session.add_all([named, orphan])
    db.session.flush()
    counters.recount([world.topic.id])
    hide_comment(named, reason, NOTE, staff, note_lang="sv", now=PUBLISHED)
    db.session.commit()
    assert named.hidden_reason == f"Sisältää henkilötietoja: {NOTE}"
    assert db.session.get(Comment, named.id).hidden_note_lang == "sv"

    services.anonymise(_topic(world), now=DUE)
    db.session.commit()

    kept = {
        c.id: (c.hidden_reason, c.hidden_note_lang)
        for c in db.session.scalars(sa.select(Comment).where(Comment.hidden_reason.is_not(None)))
    }
    assert kept == {
        named.id: ("Sisältää henkilötietoja", None),
        orphan.id: ("Vanha syy", None),
        world.comments["hidden"].id: ("Asiaton kielenkäyttö", None),  # had no note
    }
    rows = {
        table.name: " ".join(str(v) for row in db.session.execute(sa.select(table)) for v in row)
        for table in db.metadata.sorted_tables
    }
    assert [name for name, text in rows.items() if "Liisa Esimerkki" in text] == ["audit_events"]
    # The topic page and the raw data give the organisation's reason alone.
    page = client.get(f"/{world.org.slug}/{world.topic.slug}").get_data(as_text=True)
    assert "Sisältää henkilötietoja" in page and "Liisa Esimerkki" not in page
    data = b"".join(exports.prepare(_topic(world), "csv", "fi", now=DUE).chunks).decode()
    assert "Sisältää henkilötietoja" in data and "Liisa" not in data


def test_the_dry_run_counts_the_notes(db, world):
    db.session.get(Comment, world.comments["hidden"].id).hidden_reason = "Asiaton: nimi"
    db.session.commit()
    assert services.plan(_topic(world)).texts["comments.hidden_reason"] == 1


def test_the_search_index_forgets_the_removed_texts(db, world):
    """The search index (eraati.analysis.search) holds a copy of each comment's words: a
    text the removal empties is no longer found by any of its words, in any form."""
    from eraati.analysis.search.queries import comment_matches

    def found(word: str) -> set[int]:
        return set(db.session.scalars(sa.select(Comment.id).where(comment_matches(word))))

    hidden = world.comments["hidden"]
    assert hidden.id in found("loukkaava")  # staff could find it before
    services.anonymise(world.topic, now=DUE)
    db.session.commit()
    assert found("loukkaava") == set() and hidden.id not in found("kommentti")
    assert db.session.get(Comment, hidden.id).search_text == ""
    assert world.comments["web"].id in found("kirjasto")  # a shown comment's text stays


def test_the_home_municipality_code_is_kept_and_the_later_profile_changes_nothing(db, world):
    aino = world.people["aino"]
    aino.home_municipality_code = "140"
    db.session.commit()
    key = world.topic.pseudonym_key
    services.anonymise(world.topic, now=DUE)
    db.session.commit()
    kept = db.session.scalars(
        sa.select(AnonymisedParticipant.home_municipality_code).where(
            AnonymisedParticipant.topic_id == world.topic.id,
            AnonymisedParticipant.pseudonym == pseudonyms.person(key, aino.id),
        )
    ).one()
    assert kept == "140"
    aino.home_municipality_code = "925"  # a move after: the topic's tables stay as they were
    db.session.commit()
    assert (
        db.session.scalars(
            sa.select(AnonymisedParticipant.home_municipality_code).where(
                AnonymisedParticipant.topic_id == world.topic.id
            )
        )
        .all()
        .count("140")
        == 1
    )
