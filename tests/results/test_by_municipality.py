"""Results of a joint authority's topic by home municipality (eraati/results/
municipalities.py): the staff page, the public page where allowed, suppression, queries."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Stance, TopicStatus
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from eraati.organisations import services
from eraati.organisations.models import OrganisationKind, Role
from eraati.results.municipalities import NOT_TOLD, OTHER, municipality_results
from tests import factories
from tests.results.support import add_comment, answer, html, public_url, staff_url, stance, tables

CAPTION_STANCES = "Stances by home municipality"


def _authority():
    org = factories.make_org("ylasavon-sote", "Ylä-Savon SOTE",
                             kind=OrganisationKind.JOINT_AUTHORITY)  # fmt: skip
    services.set_member_codes(org, ["140", "263", "925"])
    return org


def _people(topic, homes: dict[str | None, list[Stance]]):
    """Residents with the given home codes, each taking the given stance, answering the
    first question (support: option 0, else option 1) and commenting once."""
    for code, stances in homes.items():
        for value in stances:
            user = factories.make_user()
            user.home_municipality_code = code
            stance(topic, user, value)
            answer(topic, user, 0, 0 if value == Stance.SUPPORT else 1)
            add_comment(topic, user, "Hyvä ehdotus.")
    _db.session.flush()


@pytest.fixture
def sote(db):
    org = _authority()
    topic = factories.make_closed_topic(org, slug="sote-aihe", stances_enabled=True)
    preparer = factories.make_user(org=org, roles=(Role.PREPARER,))
    _db.session.commit()
    return org, topic, preparer


def _table(page, caption):
    return {row[0]: row[1:] for row in tables(page)[caption][1:]}


def test_the_staff_page_shows_each_member_other_and_not_told(db, client, login_as, sote):
    _org, topic, preparer = sote
    S, X, N = Stance.SUPPORT, Stance.OPPOSE, Stance.NEUTRAL
    _people(topic, {
        "140": [S] * 7 + [X] * 6 + [N] * 5,  # Iisalmi: 18, every cell shown
        "925": [S] * 9 + [X] * 5 + [N] * 2,  # Vieremä: neutral 2 hidden, and oppose with it
        "263": [S] * 2,  # Kiuruvesi: 2 people, hidden whole ...
        "other": [S] * 6 + [X] * 5,  # ... and, as the only small group, this one too
        None: [S] * 5 + [X] * 5 + [N] * 5,
    })  # fmt: skip
    _db.session.commit()
    login_as(preparer)
    page = html(client.get(staff_url(topic) + "?lang=en"))
    rows = _table(page, CAPTION_STANCES)
    assert rows["Iisalmi"] == ["18", "7", "5", "6"]  # people, support, neutral, oppose
    assert rows["Vieremä"] == ["16", "9", "hidden", "hidden"]
    assert rows["Kiuruvesi"] == ["hidden"] * 4
    assert rows["Another municipality or outside Finland"] == ["hidden"] * 4
    assert rows["Not told"] == ["15", "5", "5", "5"]
    comments = _table(page, "Registered commenters by home municipality")
    assert comments["Iisalmi"] == ["18", "18"]
    assert comments["Kiuruvesi"] == ["hidden", "hidden"]
    answers = _table(page, "Answers by home municipality: Which option?")
    assert answers["Iisalmi"][:3] == ["18", "7", "11"]


def test_a_municipality_has_no_breakdown(db, client, login_as, org, preparer):
    topic = factories.make_closed_topic(org, stances_enabled=True)
    _db.session.commit()
    login_as(preparer)
    page = html(client.get(staff_url(topic)))
    assert 'id="by-municipality"' not in page
    assert municipality_results(topic, "fi") is None


def test_an_authority_without_members_has_no_breakdown(db, sote):
    org, topic, _preparer = sote
    services.set_member_codes(org, [])
    assert municipality_results(topic, "fi") is None


def test_the_public_page_shows_it_only_where_the_organisation_allows(db, client, sote):
    org, topic, _preparer = sote
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow()
    _people(topic, {"140": [Stance.SUPPORT] * 6})
    _db.session.commit()
    assert 'id="by-municipality"' not in html(client.get(public_url(topic)))
    org.municipality_results_public = True
    _db.session.commit()
    page = html(client.get(public_url(topic) + "?lang=en"))
    assert 'id="by-municipality"' in page
    assert _table(page, CAPTION_STANCES)["Iisalmi"] == ["6", "6", "0", "0"]


def _results(app, topic):
    with app.test_request_context():
        return municipality_results(topic, "fi")


def test_a_home_outside_the_members_counts_as_other_and_none_as_not_told(db, app, sote):
    _org, topic, _preparer = sote
    _people(topic, {"239": [Stance.SUPPORT] * 5, "other": [Stance.SUPPORT] * 5})
    table = _results(app, topic).stances
    assert table.row(OTHER).total == 10
    assert table.row(NOT_TOLD).total == 0
    assert table.row("140").total == 0


def test_the_threshold_setting_is_followed(db, app, sote):
    _org, topic, _preparer = sote
    _people(topic, {"140": [Stance.SUPPORT] * 6, "925": [Stance.SUPPORT] * 6})
    assert _results(app, topic).stances.row("140").total == 6
    app.config["SMALL_GROUP_MIN"] = 10
    try:
        assert _results(app, topic).stances.row("140").hidden
    finally:
        app.config["SMALL_GROUP_MIN"] = 5


def _statements(app, topic) -> int:
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", count)
    try:
        _db.session.expire_all()
        with app.test_request_context():
            municipality_results(_db.session.get(type(topic), topic.id), "fi")
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", count)
    return len(seen)


def test_statements_are_constant_in_participants(db, app, sote):
    _org, topic, _preparer = sote
    _people(topic, {"140": [Stance.SUPPORT] * 3, None: [Stance.OPPOSE] * 2})
    _db.session.commit()
    few = _statements(app, topic)
    _people(topic, {c: [Stance.SUPPORT, Stance.OPPOSE] * 10 for c in ("140", "925", "263", None)})
    _people(topic, {"other": [Stance.NEUTRAL] * 15})
    _db.session.commit()
    assert _statements(app, topic) == few
    assert few <= 10  # the topic, its organisation, questions and options, members, 3 tables


def test_the_tables_are_the_same_after_the_personal_data_is_removed(db, app, sote):
    from datetime import timedelta

    from eraati.retention import services as retention

    _org, topic, _preparer = sote
    topic.status = TopicStatus.PUBLISHED
    topic.results_published_at = utcnow() - timedelta(days=800)
    _people(
        topic, {"140": [Stance.SUPPORT] * 6 + [Stance.OPPOSE] * 5, "other": [Stance.SUPPORT] * 7}
    )
    _db.session.commit()
    before = _results(app, topic)
    assert retention.anonymise(topic, now=utcnow()) is not None
    _db.session.commit()
    after = _results(app, _db.session.get(type(topic), topic.id))
    assert after.stances == before.stances
    assert after.polls == before.polls
    assert after.comments == before.comments and after.comment_counts == before.comment_counts
    assert after.stances.row("140").total == 11
