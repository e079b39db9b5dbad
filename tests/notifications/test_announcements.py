"""A new consultation of an organisation I hear of (``NEW_TOPIC``, when an admin publishes
it) and the opening of an upcoming one I asked to be reminded of (``OPENING``, by ``flask
eraati tick``): in my language, through a real SMTP server, with working links and a
one-click unsubscribe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Follow, TopicStatus
from eraati.core.i18n import babel_locale, formatted_moment
from eraati.core.time import HELSINKI, utcnow
from eraati.notifications import announcements, sending, services
from eraati.notifications.models import Kind, Mode, Notification
from tests import factories
from tests.notifications.checks import unsubscribe_one_click
from tests.notifications.support import parts, path_of, unsubscribe_url

SUBJECTS = {
    Kind.NEW_TOPIC: {"fi": "Uusi kuuleminen: ", "sv": "Nytt hörande: ", "en": "New consultation: "},
    Kind.OPENING: {"fi": "Nyt avoinna: ", "sv": "Nu öppet: ", "en": "Now open: "},
}
TITLES = {
    "fi": "Kirjaston aukioloajat",
    "sv": "Bibliotekets öppettider",
    "en": "Kirjaston aukioloajat",
}


@pytest.fixture
def bilingual(db, org):
    org.languages, org.name_sv = "fi,sv", "Keitele"
    db.session.commit()
    return org


def _people(org, kind: Kind) -> dict[str, object]:
    """A resident of ``org`` in each language who chose ``kind`` at once."""
    people = {}
    for lang in ("fi", "sv", "en"):
        person = factories.make_user(f"{lang}@example.fi", name=f"Asukas {lang}", locale=lang)
        factories.set_home(person, org)
        services.set_mode(person.id, kind, Mode.INSTANT)
        people[lang] = person
    return people


def _moment(moment, lang: str) -> str:
    return formatted_moment(moment, None, babel_locale(lang), HELSINKI)


def _check_message(client, message, person, kind: Kind, topic) -> tuple[str, str]:
    lang = person.locale
    assert message["To"] == person.email and message["Content-Language"] == lang
    assert message["Subject"] == SUBJECTS[kind][lang] + TITLES[lang]
    text, html = parts(message)
    assert TITLES[lang] in text and f'lang="{lang}"' in html
    # In English the organisation wrote nothing: its Finnish title is marked as Finnish.
    mark = ' lang="fi"' if lang == "en" else ""
    assert f"<h1{mark}>{TITLES[lang]}</h1>" in html
    # Times in the person's language, in Helsinki time.
    closes = _moment(topic.closes_at, lang)
    assert closes in text and closes in html
    link = re.search(r"(http://localhost/keitele/\S+)", text).group(1)
    assert f'href="{link}"' in html
    page = client.get(path_of(link))
    assert page.status_code == 200 and TITLES[lang] in page.text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url(message) in text and unsubscribe_url(message) in html
    return text, html


def test_publishing_tells_the_people_who_hear_of_the_organisation_in_their_language(
    db, client, login_as, bilingual, other_org, org_admin, smtp
):
    org = bilingual
    topic = factories.make_topic(
        org,
        slug="aukioloajat",
        title=TITLES["fi"],
        title_sv=TITLES["sv"],
        status=TopicStatus.DRAFT,
        opens_in=timedelta(days=3),
        closes_in=timedelta(days=30),
    )
    people = _people(org, Kind.NEW_TOPIC)
    default_off = factories.make_user("ei@example.fi")  # subscribed by default, kind off
    factories.set_home(default_off, org)
    elsewhere = factories.make_user("muualla@example.fi")  # home Vieremä
    factories.set_home(elsewhere, other_org)
    services.set_mode(elsewhere.id, Kind.NEW_TOPIC, Mode.INSTANT)
    refused = factories.make_user("kieltaytyi@example.fi")  # chose not to hear of Keitele
    factories.set_home(refused, org)
    services.set_mode(refused.id, Kind.NEW_TOPIC, Mode.INSTANT)
    services.set_subscriptions(refused, set())
    in_digest = factories.make_user("kooste@example.fi")
    factories.set_home(in_digest, org)
    services.set_mode(in_digest.id, Kind.NEW_TOPIC, Mode.DIGEST)
    db.session.commit()

    login_as(org_admin)
    response = client.post(f"/staff/keitele/topics/{topic.id}/publish", data={"confirmed": "1"})
    assert response.status_code == 303
    client.post("/account/logout")

    messages = {m["To"]: m for m in smtp.messages()}
    assert set(messages) == {p.email for p in people.values()}
    for lang, person in people.items():
        text, html = _check_message(client, messages[person.email], person, Kind.NEW_TOPIC, topic)
        opens = _moment(topic.opens_at, lang)
        assert opens in text and opens in html  # it opens later: both times are given
        summary = "Sammanfattning" if lang == "sv" else "Tiivistelmä"
        assert summary in text and summary in html
    assert "klo" in _moment(topic.opens_at, "fi") and "kl." in _moment(topic.opens_at, "sv")

    # The digest reader hears of it on Monday morning, in one message.
    smtp.clear()
    (row,) = db.session.scalars(sa.select(Notification).where(Notification.digest.is_(True)))
    assert row.user_id == in_digest.id and row.key == f"t{topic.id}"
    assert sending.send_digests(now=row.due_at) == 1
    (digest,) = smtp.messages()
    assert digest["To"] == in_digest.email and TITLES["fi"] in parts(digest)[0]
    assert "Keitele julkaisi uuden kuulemisen." in parts(digest)[0]

    # One click stops this kind for that person, and only this kind.
    anonymous = client.application.test_client()
    sv = messages[people["sv"].email]
    assert (
        anonymous.post(
            path_of(unsubscribe_url(sv)), data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 204
    )
    modes = services.modes(people["sv"].id)
    assert modes[Kind.NEW_TOPIC] == Mode.OFF and modes[Kind.REPLY] == Mode.INSTANT
    # Publishing is told once: the same event again records nobody.
    assert announcements.topic_published(topic) == 0


def test_a_topic_that_concerns_another_organisation_tells_its_people_too_once(
    db, org, other_org, smtp
):
    """Keitele's matter that concerns Vieremä ("Koskee: Vieremä"): Vieremä's residents who
    hear of its new consultations are told, a person who hears of both once, a person who
    refused Vieremä and hears of no other not at all."""
    topic = factories.make_topic(org, slug="kirjastoauto")  # published: open
    topic.concerned_organisations = [other_org]

    def person(email, home, **choice):
        user = factories.make_user(email)
        factories.set_home(user, home)
        services.set_mode(user.id, Kind.NEW_TOPIC, Mode.INSTANT)
        if "organisations" in choice:
            services.set_subscriptions(user, choice["organisations"])
        return user

    vierema = person("vierema@example.fi", other_org)
    both = person("molemmat@example.fi", other_org, organisations={other_org.id, org.id})
    refused = person("ei-vierema@example.fi", other_org, organisations=set())
    keitele = person("keitele@example.fi", org)
    db.session.commit()

    assert announcements.topic_published(topic) == 3
    db.session.commit()
    assert sending.send_due() == 3
    messages = {m["To"]: m for m in smtp.messages()}
    assert sorted(messages) == sorted([vierema.email, both.email, keitele.email])
    assert refused.email not in messages
    # The message says why: the matter concerns Vieremä.
    for part in parts(messages[vierema.email]):
        assert "Koskee: Vieremä" in part


def _upcoming(org, *, opened_ago: timedelta):
    return factories.make_topic(
        org,
        slug=f"avautuu-{opened_ago.days}",
        title=TITLES["fi"],
        title_sv=TITLES["sv"],
        opens_in=-opened_ago,
        closes_in=timedelta(days=20),
    )


def test_tick_tells_who_asked_to_be_reminded_when_an_upcoming_topic_opens(
    db, client, runner, bilingual, smtp
):
    org = bilingual
    topic = _upcoming(org, opened_ago=timedelta(hours=1))
    long_ago = _upcoming(org, opened_ago=timedelta(days=3))  # opened before the window
    people = _people(org, Kind.OPENING)
    late = factories.make_user("myohassa@example.fi")  # followed after it opened
    before = topic.opens_at - timedelta(days=1)
    for person in people.values():
        db.session.add(Follow(topic_id=topic.id, user_id=person.id, created_at=before))
        db.session.add(Follow(topic_id=long_ago.id, user_id=person.id, created_at=before))
    db.session.add(Follow(topic_id=topic.id, user_id=late.id, created_at=utcnow()))
    db.session.commit()

    result = runner.invoke(args=["eraati", "tick"])
    assert result.exit_code == 0, result.output
    assert "notifications: 3 follower(s) to be told that 1 topic(s) opened" in result.output
    assert "notifications: 3 sent" in result.output
    messages = {m["To"]: m for m in smtp.messages()}
    assert set(messages) == {p.email for p in people.values()}
    for person in people.values():
        _check_message(client, messages[person.email], person, Kind.OPENING, topic)
    unsubscribe_one_click(client, messages[people["sv"].email])
    assert services.modes(people["sv"].id)[Kind.OPENING] == Mode.OFF
    assert services.modes(people["sv"].id)[Kind.REPLY] == Mode.INSTANT  # that kind only

    # The next tick tells nobody again.
    smtp.clear()
    again = runner.invoke(args=["eraati", "tick"])
    assert "opened" not in again.output and "notifications: 0 sent" in again.output
    assert smtp.messages() == []


def test_no_opening_note_for_a_topic_that_closed_meanwhile(db, bilingual, resident, smtp):
    topic = _upcoming(bilingual, opened_ago=timedelta(hours=1))
    db.session.add(
        Follow(
            topic_id=topic.id, user_id=resident.id, created_at=topic.opens_at - timedelta(days=1)
        )
    )
    db.session.commit()
    assert announcements.record_openings() == {topic.id: 1}
    topic.status = TopicStatus.CLOSED  # closed early before the worker sent it
    db.session.commit()
    assert sending.send_due() == 0 and smtp.messages() == []
    assert announcements.record_openings() == {}
