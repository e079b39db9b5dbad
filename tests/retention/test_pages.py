"""What people see of a topic whose personal data was removed: the date on its page, its
results and its downloads page; no names; no new links to people (follows, reports)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.consultations import participation, services
from eraati.consultations.models import CommentFlag, FlagReason, Follow, Topic
from eraati.retention.services import anonymise
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.exports.support import exports_path
from tests.retention.support import DUE

TOPIC = "/keitele/kirjaston-aukioloajat"


@pytest.fixture
def english(client):
    choose_language(client, "en")


@pytest.fixture
def anonymised(db, world):
    anonymise(world.topic, now=DUE)
    db.session.commit()
    return world


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_topic_page_names_nobody_and_says_when_the_data_went(db, client, world, english):
    before = _page(client, TOPIC)
    assert "Aino Virtanen" in before
    assert "/flag" in before  # comments could be reported
    anonymise(world.topic, now=DUE)
    db.session.commit()
    page = _page(client, TOPIC)
    assert "The personal data of this consultation was removed on" in page
    assert f'datetime="{DUE.isoformat()}"' in page
    for name in ("Aino Virtanen", "Olli Korhonen", "Salainen Nimimerkki"):
        assert name not in page
    assert "Name removed" in page
    assert "Kirjaston pitäisi olla auki myös sunnuntaisin." in page  # the shown comments stay
    assert "/flag" not in page
    assert "Follow this consultation" not in page
    assert "it can no longer be followed" in page


def test_the_topic_page_in_finnish(client, anonymised):
    page = _page(client, TOPIC)
    assert "Tämän kuulemisen henkilötiedot poistettiin" in page
    assert "Nimi poistettu" in page


def test_the_results_page_says_the_figures_are_as_they_were(client, anonymised, english):
    page = _page(client, TOPIC + "/results")
    assert "The personal data of the consultation was removed on" in page
    assert "the figures are as they were" in page


def test_the_downloads_page_says_so(client, login_as, anonymised, preparer, english):
    login_as(preparer)
    page = _page(client, exports_path(anonymised.topic))
    assert "the files name nobody" in page


def test_nobody_can_follow_it_any_more(db, client, login_as, anonymised, english):
    reader = factories.make_user("lukija@example.fi")
    db.session.commit()
    login_as(reader)
    response = client.post(TOPIC + "/follow", data={"next": TOPIC}, follow_redirects=True)
    assert "it can no longer be followed" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Follow).where(Follow.user_id == reader.id)) is None
    topic = db.session.get(Topic, anonymised.topic.id)
    with pytest.raises(participation.PersonalDataRemovedError):
        participation.follow_topic(topic, reader)


def test_nobody_can_report_its_comments_any_more(db, client, login_as, anonymised, english):
    reader = factories.make_user("lukija@example.fi")
    db.session.commit()
    login_as(reader)
    comment = anonymised.comments["web"]
    path = f"{TOPIC}/comments/{comment.id}/flag"
    response = client.post(path, data={"reason": "insulting"}, follow_redirects=True)
    assert "its comments can no longer be reported" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(CommentFlag).where(CommentFlag.user_id == reader.id)) is None
    with pytest.raises(services.CommentNotAvailableError):
        services.flag_comment(db.session.merge(comment), reader, FlagReason.INSULTING)
