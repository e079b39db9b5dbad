"""Blocks: a person kept from taking part in one organisation's topics for a while."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from eraati.accounts.models import User
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from eraati.moderation import services
from eraati.moderation.models import UserBlock
from eraati.permissions import can
from tests import factories
from tests.consultations.topic_support import topic_path
from tests.moderation.support import add_comment, audit_rows, flashes, fresh, main_of, text

BLOCKS = "/staff/keitele/blocks"


@pytest.fixture
def person(db):
    user = factories.make_user("hairikko@example.fi", name="Heikki Häirikkö", locale="sv")
    db.session.commit()
    return user


def _blocks(user=None) -> list[UserBlock]:
    stmt = sa.select(UserBlock).order_by(UserBlock.id)
    if user is not None:
        stmt = stmt.where(UserBlock.user_id == user.id)
    return list(_db.session.scalars(stmt))


def _block(browser, **data):
    payload = {"email": "hairikko@example.fi", "days": "7", "reason": "Toistuvaa nimittelyä"}
    payload.update(data)
    return browser.post(BLOCKS, data={k: v for k, v in payload.items() if v is not None})


def test_block_by_email_writes_the_block_the_cache_the_mail_and_the_audit_row(
    app, db, browser, login_as, moderator, org, person, outbox
):
    login_as(moderator)
    before = utcnow()
    response = _block(browser, days="3")
    assert response.status_code == 303
    assert response.headers["Location"] == BLOCKS

    [block] = _blocks(person)
    assert block.organisation_id == org.id and block.created_by_id == moderator.id
    assert block.reason == "Toistuvaa nimittelyä"
    assert timedelta(days=3) <= block.ends_at - before < timedelta(days=3, minutes=1)
    cached = fresh(person).org_blocks
    assert set(cached) == {str(org.id)}
    assert datetime.fromisoformat(cached[str(org.id)]) == block.ends_at

    [row] = audit_rows("user.block")
    assert row.actor_id == moderator.id and row.target_type == "UserBlock"
    assert row.target_id == block.id and row.reason == "Toistuvaa nimittelyä"
    assert row.target_label == "h…@example.fi"  # not the account's name: see below
    assert row.details["block_id"] == block.id and row.details["days"] == 3

    [mail] = outbox
    assert mail.to == ["hairikko@example.fi"]
    assert mail.subject == "Du har blockerats från hörandena i Keitele"  # the person's language
    assert "Skäl: Toistuvaa nimittelyä" in mail.body
    with app.test_request_context(), force_locale("sv"):
        ends = app.jinja_env.filters["datetime"](block.ends_at)
    assert f"till {ends}" in mail.body

    page = main_of(text(browser.get(BLOCKS)))
    active = re.search(r"<caption>Blocks in force</caption>.*?</table>", page, re.S).group(0)
    assert "h…@example.fi" in active and "Toistuvaa nimittelyä" in active
    assert "Heikki Häirikkö" not in page  # a block by address never names the account
    assert "hairikko@example.fi" not in page  # nor lists the address


def test_a_blocked_person_cannot_take_part_in_this_organisation_only(
    db, browser, login_as, moderator, org, other_org, open_topic, person, resident
):
    theirs = add_comment(open_topic, resident, "Jonkun kommentti")
    elsewhere = factories.make_topic(other_org, slug="muualla")
    db.session.commit()
    login_as(moderator)
    _block(browser)

    login_as(person)
    page = text(browser.get(topic_path(open_topic)))
    assert 'name="body"' not in page  # no comment form
    comment = browser.post(topic_path(open_topic, "/comments"), data={"body": "Yritän"})
    assert comment.status_code == 403
    vote = browser.post(
        topic_path(open_topic, f"/comments/{theirs.id}/vote"), data={"value": "agree"}
    )
    assert vote.status_code == 403
    stance = browser.post(topic_path(open_topic, "/stance"), data={"stance": "support"})
    assert stance.status_code == 403
    assert not can(fresh(person), "answer_poll", open_topic)
    flag = browser.post(
        topic_path(open_topic, f"/comments/{theirs.id}/flag"), data={"reason": "spam"}
    )
    assert flag.status_code == 403  # nor report others' comments (reports can hide them)
    assert fresh(open_topic).comment_count == 1
    # Another organisation's topic is not affected.
    other = browser.post(topic_path(elsewhere, "/comments"), data={"body": "Muualla saa"})
    assert other.status_code == 303


def test_block_from_a_comment_blocks_its_writer(
    db, browser, login_as, moderator, org, open_topic, person
):
    comment = add_comment(open_topic, person, "Häiriköintiä")
    db.session.commit()
    login_as(moderator)
    page = main_of(text(browser.get(f"{BLOCKS}?comment={comment.id}")))
    assert "You are blocking the writer of this comment: Heikki Häirikkö" in page
    assert 'name="email"' not in page
    response = browser.post(
        BLOCKS, data={"comment_id": str(comment.id), "days": "14", "reason": "Häiriköinti"}
    )
    assert response.status_code == 303
    [block] = _blocks(person)
    assert block.ends_at - block.starts_at == timedelta(days=14)


def test_a_comment_without_a_registered_writer_cannot_be_blocked(
    db, browser, login_as, moderator, open_topic
):
    anonymous = add_comment(open_topic, None, "Nimetön", nickname="N")
    db.session.commit()
    login_as(moderator)
    response = browser.get(f"{BLOCKS}?comment={anonymous.id}")
    assert response.status_code == 303
    assert "no registered writer" in flashes(text(browser.get(BLOCKS)))
    assert _blocks() == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": ""}, "email", "Enter the person&#39;s e-mail address."),
        ({"email": "ei-osoite"}, "email", "Enter the e-mail address in the form name@example.fi."),
        ({"days": ""}, "days", "Enter the number of days."),
        ({"days": "0"}, "days", "Enter a number from 1 to 365."),
        ({"days": "366"}, "days", "Enter a number from 1 to 365."),
        ({"days": "kolme"}, "days", "Enter a whole number of days."),
        ({"days": "-3"}, "days", "Enter a whole number of days."),
        ({"reason": ""}, "reason", "Write the reason for the block."),
        ({"reason": "x" * 501}, "reason", "Use at most 500 characters."),
    ],
)
def test_bad_block_input_shows_the_error_keeps_the_input_and_writes_nothing(
    db, browser, login_as, moderator, person, outbox, data, field, message
):
    login_as(moderator)
    response = _block(browser, **data)
    assert response.status_code == 422
    page = main_of(text(response))
    assert 'class="error-summary"' in page
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    if field != "reason":
        assert "Toistuvaa nimittelyä" in page  # the reason typed is kept
    assert _blocks() == [] and audit_rows() == [] and outbox == []
    assert fresh(person).org_blocks == {}


def test_staff_of_the_organisation_and_oneself_cannot_be_blocked(
    db, browser, login_as, moderator, org_admin
):
    login_as(moderator)
    for email in ("paakayttaja@keitele.fi", "moderaattori@keitele.fi"):
        response = _block(browser, email=email)
        assert response.status_code == 422
        assert "Staff of this organisation cannot be blocked" in text(response)
    assert _blocks() == []


def test_a_second_block_while_one_is_in_force_is_refused(db, browser, login_as, moderator, person):
    login_as(moderator)
    _block(browser)
    response = _block(browser, days="30", reason="Uudestaan")
    assert response.status_code == 422
    assert "This address is already blocked until" in text(response)
    assert len(_blocks(person)) == 1
    assert len(audit_rows("user.block")) == 1


def test_a_block_ends_by_itself(db, moderator, org, open_topic, person):
    start = utcnow() - timedelta(days=10)
    services.block_user(org, person, 3, "Vanha", moderator, now=start)
    db.session.commit()
    assert can(fresh(person), "comment", open_topic)  # ended a week ago
    assert services.active_block(org, person, utcnow()) is None
    services.block_user(org, person, 2, "Uusi", moderator)  # a new one may be set
    db.session.commit()
    assert not can(fresh(person), "comment", open_topic)
    # Just before the end the person is still blocked; just after, no longer.
    block = _blocks(person)[-1]
    assert fresh(person).blocked_in(org.id, block.ends_at - timedelta(seconds=1))
    assert not fresh(person).blocked_in(org.id, block.ends_at)


def test_ended_blocks_are_listed_as_earlier_and_cannot_be_lifted(
    db, browser, login_as, moderator, org, person
):
    services.block_user(org, person, 3, "Vanha", moderator, now=utcnow() - timedelta(days=10))
    db.session.commit()
    login_as(moderator)
    page = main_of(text(browser.get(BLOCKS)))
    assert "Nobody is blocked now." in page
    earlier = re.search(r"<caption>Earlier blocks</caption>.*?</table>", page, re.S).group(0)
    assert "Heikki Häirikkö" in earlier and "Vanha" in earlier
    block = _blocks(person)[0]
    response = browser.post(f"{BLOCKS}/{block.id}/lift")
    assert response.status_code == 303
    assert "already ended" in flashes(text(browser.get(BLOCKS)))
    assert fresh(block).lifted_at is None
    assert audit_rows("user.unblock") == []


def test_lift_ends_the_block_now_and_keeps_other_organisations_blocks(
    db, browser, login_as, moderator, org, other_org, other_org_moderator, open_topic, person
):
    services.block_user(other_org, person, 5, "Vieremällä", other_org_moderator)
    db.session.commit()
    login_as(moderator)
    _block(browser)
    assert set(fresh(person).org_blocks) == {str(org.id), str(other_org.id)}
    block = next(b for b in _blocks(person) if b.organisation_id == org.id)

    response = browser.post(f"{BLOCKS}/{block.id}/lift")
    assert response.status_code == 303
    lifted = fresh(block)
    assert lifted.lifted_at is not None and lifted.lifted_by_id == moderator.id
    assert set(fresh(person).org_blocks) == {str(other_org.id)}
    assert can(fresh(person), "comment", open_topic)
    [row] = audit_rows("user.unblock")
    assert (row.target_type, row.target_id) == ("UserBlock", block.id)  # made by address
    assert row.details["block_id"] == block.id
    assert row.organisation_id == org.id
    page = main_of(text(browser.get(BLOCKS)))
    assert "Lifted" in page and "Nobody is blocked now." in page
    # Lifting again does nothing more.
    browser.post(f"{BLOCKS}/{block.id}/lift")
    assert len(audit_rows("user.unblock")) == 1


def test_unknown_block_is_not_found(browser, login_as, moderator, org):
    login_as(moderator)
    assert browser.post(f"{BLOCKS}/987654/lift").status_code == 404
    assert browser.get(f"{BLOCKS}?comment=abc").status_code == 404
    assert browser.get(f"{BLOCKS}?comment=987654").status_code == 404


def test_the_blocks_list_costs_the_same_for_few_and_many(
    db, browser, login_as, moderator, org, org_admin
):
    def add(n):
        for i in range(n):
            user = factories.make_user()
            by = moderator if i % 2 else org_admin
            now = utcnow() - timedelta(days=20) if i % 3 == 0 else None
            block = services.block_user(org, user, 5, f"Syy {i}", by, now=now)
            if i % 3 == 1:
                services.lift_block(block, by)
        db.session.commit()

    login_as(moderator)
    add(3)
    browser.get(BLOCKS)
    few = browser.queries
    add(27)
    page = text(browser.get(BLOCKS))
    assert page.count("Syy ") == 30
    assert browser.queries == few


def test_a_blocked_writer_can_no_longer_rewrite_a_recent_comment(
    db, client, login_as, moderator, org, open_topic, other_org, person
):
    """Editing publishes new words at once: a block stops it like it stops a new comment."""
    mine = add_comment(open_topic, person, "Alkuperäinen")
    elsewhere_topic = factories.make_topic(other_org, slug="toinen", title="Toinen")
    elsewhere = add_comment(elsewhere_topic, person, "Toisaalla")
    db.session.commit()
    services.block_user(org, person, 3, "Nimittelyä", moderator)
    db.session.commit()
    login_as(person)
    edit = topic_path(open_topic, f"/comments/{mine.id}/edit")
    assert client.get(edit).status_code == 403
    response = client.post(edit, data={"body": "Uusi loukkaava teksti"})
    assert response.status_code == 403
    assert fresh(mine).body == "Alkuperäinen"
    page = text(client.get(topic_path(open_topic)))
    assert f"/comments/{mine.id}/edit" not in page
    assert f"/comments/{mine.id}/delete" in page  # withdrawing one's words stays possible
    # Another organisation's block does not reach this one's topics.
    assert can(fresh(person), "edit_comment", elsewhere) is True


def _what_the_moderator_sees(browser, email: str) -> tuple:
    """Everything the address form shows: status, where it leads, the message, the new
    row of the list (without the address's hint) and the audit row's shape."""
    response = _block(browser, email=email)
    page = main_of(text(browser.get(BLOCKS)))
    active = re.search(r"<caption>Blocks in force</caption>.*?</table>", page, re.S).group(0)
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>.*?</td>\s*<td>(.*?)</td>", active, re.S
    )
    [event] = audit_rows("user.block")[-1:]
    return (
        response.status_code,
        response.headers.get("Location"),
        flashes(page),
        [(label.split("@")[1], reason) for label, reason in rows][-1],
        (event.target_type, event.target_label.split("@")[1], event.reason),
    )


def test_the_address_form_answers_alike_with_or_without_an_account(
    db, app, browser, login_as, moderator, org, person, outbox
):
    login_as(moderator)
    known = _what_the_moderator_sees(browser, "hairikko@example.fi")
    unknown = _what_the_moderator_sees(browser, "ei-tilia@example.fi")
    assert known == unknown
    assert known[0] == 303 and "If an account has this address" in known[2]
    assert [m.to for m in outbox] == [["hairikko@example.fi"]]  # only an owner is told
    # A block waiting for an account keeps no readable address.
    waiting = db.session.scalar(sa.select(UserBlock).where(UserBlock.user_id.is_(None)))
    assert waiting.email_hint == "e…@example.fi" and "ei-tilia" not in waiting.email_hash


def test_an_account_made_later_with_a_blocked_address_is_blocked(
    db, app, client, browser, login_as, moderator, org, open_topic
):
    login_as(moderator)
    assert _block(browser, email="Uusi.Tulija@Example.fi").status_code == 303
    with client.session_transaction() as session:
        session.clear()
    response = client.post(
        "/account/register",
        data={
            "email": "uusi.tulija@example.fi",
            "display_name": "Uusi Tulija",
            "password": "Sateinen-Kesäpäivä-Tervossa-42",
            "confirm": "Sateinen-Kesäpäivä-Tervossa-42",
            "home_municipality_code": "",
            "locale": "fi",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 200, response.status_code
    newcomer = db.session.scalar(sa.select(User).where(User.email == "uusi.tulija@example.fi"))
    [block] = _blocks(newcomer)
    assert str(org.id) in fresh(newcomer).org_blocks
    newcomer.email_verified_at = utcnow()
    db.session.commit()
    assert not can(fresh(newcomer), "comment", open_topic)
    assert block.email_hint == "u…@example.fi"


def test_an_address_block_of_someone_blocked_from_a_comment_tells_nothing_either(
    db, browser, login_as, moderator, org, open_topic, person
):
    comment = add_comment(open_topic, person, "Häiriköintiä")
    db.session.commit()
    login_as(moderator)
    browser.post(BLOCKS, data={"comment_id": str(comment.id), "days": "3", "reason": "Eka"})
    response = _block(browser)  # the same person, by address: no "already blocked"
    assert response.status_code == 303
    assert len(_blocks(person)) == 2
