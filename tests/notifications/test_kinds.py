"""The organisation's official reply, a comment published after review and published
results reach the person by e-mail in fi, sv and en, through a real SMTP server: the
subject in their language, both parts, a link that opens the thing, and a one-click
unsubscribe that stops that kind."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from eraati.consultations.models import Comment, CommentStatus, Follow
from eraati.extensions import db
from eraati.notifications import services
from eraati.notifications.models import Kind, Mode, Notification
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import make_comment, topic_path
from tests.notifications.checks import (
    LANGS,
    check_message,
    open_link,
    the_message,
    unsubscribe_one_click,
)


def _speaking(user, lang: str):
    user.locale = lang
    db.session.commit()
    return user


def _translated(text: str, lang: str, **params) -> str:
    """``text`` in ``lang``; fails when fi or sv has no translation of it."""
    done = tr(text, lang, **params)
    if lang != "en":
        assert done != text % params, f"{text!r} is not translated into {lang}"
    return done


# --- the organisation's official reply ---------------------------------------------------------


def _official_reply(browser, login_as, moderator, topic, comment, body: str):
    login_as(moderator)
    response = browser.post(
        f"/staff/{topic.organisation.slug}/topics/{topic.id}/comments/{comment.id}/official-reply",
        data={"body": body, "submission_token": uuid.uuid4().hex},
    )
    assert response.status_code == 303


@pytest.mark.parametrize("lang", LANGS)
def test_an_official_reply_mails_the_writer_in_their_language(
    db, browser, client, login_as, moderator, open_topic, resident, smtp, lang
):
    _speaking(resident, lang)
    comment = make_comment(open_topic, resident, "Kirjasto auki myös sunnuntaisin?")
    db.session.commit()
    _official_reply(browser, login_as, moderator, open_topic, comment, "Selvitämme asian.")

    message = the_message(smtp, resident.email)
    link = check_message(
        message,
        lang=lang,
        subject=_translated("%(org)s replied officially to your comment", lang, org="Keitele"),
        quoted="Selvitämme asian.",
    )
    reply = db.session.scalar(sa.select(Comment).where(Comment.parent_id == comment.id))
    assert reply.is_official and link.endswith(f"lang={lang}#c{reply.id}")
    page = open_link(client, link)
    assert f'id="c{reply.id}"' in page.text and "Selvitämme asian." in page.text

    unsubscribe_one_click(client, message)
    assert services.modes(resident.id)[Kind.OFFICIAL_REPLY] == Mode.OFF
    assert services.modes(resident.id)[Kind.REPLY] == Mode.INSTANT  # that kind only
    smtp.clear()
    _official_reply(browser, login_as, moderator, open_topic, comment, "Toinen vastaus.")
    assert smtp.messages() == []


def test_an_official_reply_to_a_comment_by_staff_or_anonymous_mails_nobody(
    db, browser, login_as, moderator, open_topic, smtp
):
    anonymous = make_comment(open_topic, None, nickname="Vieras")
    db.session.commit()
    _official_reply(browser, login_as, moderator, open_topic, anonymous, "Kiitos.")
    assert smtp.messages() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


# --- a comment published after review ---------------------------------------------------------


@pytest.fixture
def premoderated(db, org):
    topic = factories.make_topic(
        org, slug="ennakkoon", title="Ennakkoon tarkistettu", premoderated=True
    )
    db.session.commit()
    return topic


def _post(browser, login_as, person, topic, body: str, parent=None) -> Comment:
    login_as(person)
    data = {"body": body, "submission_token": uuid.uuid4().hex}
    if parent is not None:
        data["parent_id"] = str(parent.id)
    assert browser.post(topic_path(topic, "/comments"), data=data).status_code == 303
    comment = db.session.scalar(sa.select(Comment).where(Comment.body == body))
    assert comment.status == CommentStatus.PENDING
    return comment


@pytest.mark.parametrize("lang", LANGS)
def test_a_comment_published_after_review_mails_its_writer(
    db, browser, client, login_as, moderator, premoderated, resident, smtp, lang
):
    _speaking(resident, lang)
    services.set_mode(resident.id, Kind.PUBLISHED, Mode.INSTANT)  # off until chosen
    db.session.commit()
    waiting = _post(browser, login_as, resident, premoderated, "Odottaa tarkistusta.")
    assert smtp.messages() == []  # nothing while it waits
    login_as(moderator)
    approve = f"/staff/keitele/moderation/comments/{waiting.id}/approve"
    assert browser.post(approve).status_code == 303

    message = the_message(smtp, resident.email)
    link = check_message(
        message,
        lang=lang,
        subject=_translated("Your comment was published", lang),
        quoted="Odottaa tarkistusta.",
    )
    assert link.endswith(f"lang={lang}#c{waiting.id}")
    page = open_link(client, link)
    assert f'id="c{waiting.id}"' in page.text and "Odottaa tarkistusta." in page.text

    unsubscribe_one_click(client, message)
    assert services.modes(resident.id)[Kind.PUBLISHED] == Mode.OFF
    smtp.clear()
    other = _post(browser, login_as, resident, premoderated, "Toinen odottaa.")
    login_as(moderator)
    assert browser.post(f"/staff/keitele/moderation/comments/{other.id}/approve").status_code == 303
    assert smtp.messages() == []


def test_approving_in_bulk_tells_each_writer_once_and_the_replied_to_too(
    db, browser, login_as, moderator, premoderated, resident, other_resident, smtp
):
    services.set_mode(resident.id, Kind.PUBLISHED, Mode.INSTANT)
    parent = make_comment(premoderated, other_resident, "Näkyvä kommentti.")
    db.session.commit()
    reply = _post(browser, login_as, resident, premoderated, "Vastaus odottaa.", parent=parent)
    quiet = _post(browser, login_as, other_resident, premoderated, "Oletus: ei viestiä.")
    login_as(moderator)
    data = {"action": "approve", "ids": [str(reply.id), str(quiet.id)]}
    assert browser.post("/staff/keitele/moderation/bulk", data=data).status_code == 303
    assert browser.post("/staff/keitele/moderation/bulk", data=data).status_code == 303  # again
    got = sorted((m["To"], m["Subject"]) for m in smtp.messages())
    assert got == [
        (resident.email, tr("Your comment was published", "fi")),
        (
            other_resident.email,
            tr("%(replier)s replied to your comment", "fi", replier="Aino Asukas"),
        ),
    ]  # the default of PUBLISHED is off: the other writer is not told of their own


# --- results --------------------------------------------------------------------------------


@pytest.fixture
def closed(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele sv"
    topic = factories.make_closed_topic(org, title="Koulureitit", title_sv="Skolvägar")
    db.session.commit()
    return topic


RESULTS = {
    "revision": "1",
    "decided_on": "2027-03-15",
    "outcome_fi": "Kunnanhallitus hyväksyi uudet reitit.",
    "outcome_sv": "Kommunstyrelsen godkände de nya vägarna.",
    "action": "publish",
}
TITLE = {"fi": "Koulureitit", "sv": "Skolvägar", "en": "Koulureitit"}
OUTCOME = {
    "fi": "Kunnanhallitus hyväksyi uudet reitit.",
    "sv": "Kommunstyrelsen godkände de nya vägarna.",
    "en": "Kunnanhallitus hyväksyi uudet reitit.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_published_results_mail_the_followers_in_their_language(
    db, browser, client, login_as, org_admin, closed, resident, smtp, lang
):
    _speaking(resident, lang)
    db.session.add(Follow(topic_id=closed.id, user_id=resident.id))
    db.session.commit()
    login_as(org_admin)
    results = f"/staff/keitele/topics/{closed.id}/results"
    assert browser.post(results, data=RESULTS).status_code == 303

    message = the_message(smtp, resident.email)
    link = check_message(
        message,
        lang=lang,
        subject=_translated("Results published: %(title)s", lang, title=TITLE[lang]),
        quoted=OUTCOME[lang],
    )
    assert link.endswith(f"lang={lang}#results")
    page = open_link(client, link)
    assert 'id="results"' in page.text and OUTCOME[lang] in page.text

    unsubscribe_one_click(client, message)
    assert services.modes(resident.id)[Kind.RESULTS] == Mode.OFF
