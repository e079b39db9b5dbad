"""Who may use the moderation pages: the organisation's moderators and admins only.

Every route, every persona: the preparer, a moderator of another organisation and a
resident get 403 and change nothing; a visitor is sent to log in; and an id of another
organisation's comment, reason or block is "not found" even for a moderator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eraati.consultations import services as comment_services
from eraati.consultations.models import CommentStatus, FlagReason
from eraati.core.time import utcnow
from eraati.extensions import db as _db
from eraati.moderation import services
from eraati.moderation.models import UserBlock
from eraati.moderation.reasons import create_default_reasons
from tests import factories
from tests.moderation.support import add_comment, audit_rows, fresh


@pytest.fixture
def world(db, org, other_org, open_topic, reasons, resident, other_resident):
    """One comment in each state, a block, and the same things in another organisation."""
    pending = add_comment(open_topic, resident, "Odottaa", status=CommentStatus.PENDING)
    hidden = add_comment(
        open_topic,
        resident,
        "Piilotettu",
        status=CommentStatus.HIDDEN,
        hidden_reason="Asiaton",
        hidden_reason_id=reasons[0].id,
    )
    reported = add_comment(open_topic, resident, "Raportoitu mutta näkyvä")
    block = UserBlock(
        organisation_id=org.id,
        user_id=other_resident.id,
        starts_at=utcnow(),
        ends_at=utcnow() + timedelta(days=3),
        reason="Häiriköinti",
    )
    db.session.add(block)
    other_topic = factories.make_topic(other_org, slug="muualla")
    elsewhere = add_comment(other_topic, resident, "Toisen kunnan", status=CommentStatus.PENDING)
    other_reason = create_default_reasons(other_org)[0]
    other_block = UserBlock(
        organisation_id=other_org.id,
        user_id=other_resident.id,
        starts_at=utcnow(),
        ends_at=utcnow() + timedelta(days=3),
        reason="Muualla",
    )
    db.session.add(other_block)
    db.session.commit()
    comment_services.flag_comment(reported, other_resident, FlagReason.SPAM)
    db.session.commit()
    return {
        "reported": reported,
        "pending": pending,
        "hidden": hidden,
        "reason": reasons[0],
        "block": block,
        "elsewhere": elsewhere,
        "other_reason": other_reason,
        "other_block": other_block,
    }


def _routes(w) -> list[tuple[str, str, dict]]:
    base = "/staff/keitele"
    pending, hidden = w["pending"].id, w["hidden"].id
    reason, block = w["reason"].id, w["block"].id
    return [
        ("get", f"{base}/moderation", {}),
        ("get", f"{base}/moderation?tab=flagged", {}),
        ("get", f"{base}/moderation/comments/{pending}", {}),
        ("get", f"{base}/moderation/reasons", {}),
        ("get", f"{base}/moderation/reasons/{reason}/edit", {}),
        ("get", f"{base}/blocks", {}),
        ("post", f"{base}/moderation/bulk", {"ids": str(pending), "action": "approve"}),
        ("post", f"{base}/moderation/comments/{pending}/hide", {"reason": str(reason)}),
        ("post", f"{base}/moderation/comments/{pending}/approve", {}),
        ("post", f"{base}/moderation/comments/{hidden}/restore", {}),
        ("post", f"{base}/moderation/comments/{w['reported'].id}/approve", {}),
        ("post", f"{base}/moderation/reasons", {"text_fi": "Uusi syy"}),
        ("post", f"{base}/moderation/reasons/defaults", {}),
        ("post", f"{base}/moderation/reasons/{reason}/edit", {"text_fi": "Muutettu"}),
        ("post", f"{base}/moderation/reasons/{reason}/active", {"active": "0"}),
        (
            "post",
            f"{base}/blocks",
            {"email": "asukas@example.fi", "days": "3", "reason": "Häiriköinti"},
        ),
        ("post", f"{base}/blocks/{block}/lift", {}),
    ]


ROUTE_NAMES = [
    "queue",
    "queue flagged",
    "comment",
    "reasons",
    "edit reason page",
    "blocks",
    "bulk",
    "hide",
    "approve",
    "restore",
    "keep visible",
    "add reason",
    "default reasons",
    "edit reason",
    "deactivate reason",
    "block",
    "lift block",
]


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
@pytest.mark.parametrize("persona", ["moderator", "org_admin"])
def test_moderators_and_admins_may(request, client, login_as, world, persona, index):
    login_as(request.getfixturevalue(persona))
    method, path, data = _routes(world)[index]
    response = getattr(client, method)(path, data=data) if data else getattr(client, method)(path)
    assert response.status_code in (200, 303), (path, response.status_code)


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
@pytest.mark.parametrize("persona", ["preparer", "other_org_moderator", "resident"])
def test_others_are_refused_and_nothing_changes(request, client, login_as, world, persona, index):
    login_as(request.getfixturevalue(persona))
    method, path, data = _routes(world)[index]
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 403, path
    assert fresh(world["pending"]).status == CommentStatus.PENDING
    assert fresh(world["hidden"]).status == CommentStatus.HIDDEN
    assert fresh(world["reported"]).reviewed_at is None  # its reports still wait
    assert fresh(world["reason"]).active is True
    assert fresh(world["block"]).lifted_at is None
    assert audit_rows() == []


@pytest.mark.parametrize("index", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_visitors_are_sent_to_log_in(client, world, index):
    method, path, data = _routes(world)[index]
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert fresh(world["pending"]).status == CommentStatus.PENDING
    assert audit_rows() == []


def test_unknown_organisation_is_not_found(client, login_as, moderator, world):
    login_as(moderator)
    assert client.get("/staff/ei-ole/moderation").status_code == 404
    assert client.get("/staff/ei-ole/blocks").status_code == 404


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("get", "/moderation/comments/{comment}", {}),
        ("post", "/moderation/comments/{comment}/hide", {"reason": "{reason}"}),
        ("post", "/moderation/comments/{comment}/approve", {}),
        ("post", "/moderation/comments/{comment}/restore", {}),
        ("post", "/moderation/bulk", {"ids": "{comment}", "action": "approve"}),
        ("get", "/moderation/reasons/{other_reason}/edit", {}),
        ("post", "/moderation/reasons/{other_reason}/active", {"active": "0"}),
        ("post", "/blocks/{other_block}/lift", {}),
        ("get", "/blocks?comment={comment}", {}),
        ("get", "/moderation?topic={topic}", {}),
    ],
)
def test_another_organisations_ids_are_not_found(
    client, login_as, moderator, world, method, suffix, data
):
    ids = {
        "comment": world["elsewhere"].id,
        "reason": world["reason"].id,
        "other_reason": world["other_reason"].id,
        "other_block": world["other_block"].id,
        "topic": world["elsewhere"].topic_id,
    }
    login_as(moderator)
    path = "/staff/keitele" + suffix.format(**ids)
    payload = {k: v.format(**ids) for k, v in data.items()}
    response = (
        getattr(client, method)(path, data=payload) if payload else getattr(client, method)(path)
    )
    assert response.status_code == 404
    assert fresh(world["elsewhere"]).status == CommentStatus.PENDING
    assert fresh(world["other_reason"]).active is True
    assert fresh(world["other_block"]).lifted_at is None
    assert audit_rows() == []


def test_a_mixed_bulk_selection_with_another_organisations_comment_changes_nothing(
    client, login_as, moderator, world
):
    login_as(moderator)
    response = client.post(
        "/staff/keitele/moderation/bulk",
        data={"ids": [str(world["pending"].id), str(world["elsewhere"].id)], "action": "approve"},
    )
    assert response.status_code == 404
    assert fresh(world["pending"]).status == CommentStatus.PENDING
    assert audit_rows() == []


def test_another_organisations_reason_cannot_hide(db, moderator, world):
    comment = world["pending"]
    with pytest.raises(services.ReasonNotAvailableError):
        services.hide_comment(comment, world["other_reason"], None, moderator)
    _db.session.rollback()
    assert fresh(comment).status == CommentStatus.PENDING


def test_staff_menu_shows_moderation_to_moderators_only(client, login_as, world, preparer):
    login_as(preparer)
    page = client.get("/staff/keitele/moderation")
    assert page.status_code == 403
