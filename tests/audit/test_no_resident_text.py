"""The audit log is kept for ever (append-only; retention never removes it), so it keeps no
text written by residents: an act on a comment names the comment by its id and its topic,
and the log's page links it to the comment's moderation page, where staff see the text
while it exists."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations import services as consultations
from eraati.consultations.models import CommentSource, FlagReason
from eraati.curation import services as curation
from eraati.extensions import db as _db
from eraati.moderation import services as moderation
from eraati.moderation.reasons import create_default_reasons
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import Browser, choose_language, make_comment

ILLNESS = "Naapurin Matti sairastaa syöpää"  # hidden for this, and must not stay in the log
NICKNAME = "Matin naapuri Liisa"
REPORT = "Kommentissa kerrotaan Matin sairaudesta"
PAPER = "Paperilla: Matin syöpä on naapuruston tiedossa"
REPLY = "Poistimme Matin terveystiedot"
SECRETS = ("Matti", "Matin", "Liisa", "syöpä", "sairau")


def _rows() -> list[AuditEvent]:
    return list(_db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def _written(row: AuditEvent) -> str:
    return json.dumps([row.target_label, row.reason, row.details], ensure_ascii=False)


def test_acts_on_comments_name_the_comment_by_id_and_topic_never_its_text(
    app, db, client, login_as, org, open_topic, moderator, resident, other_resident
):
    org.flag_threshold = 2
    reasons = create_default_reasons(org)
    theme = curation.create_theme(open_topic, {"fi": "Terveys"}, actor=moderator)
    by_resident = make_comment(open_topic, resident, ILLNESS)
    anonymous = make_comment(open_topic, None, "Hyvä ajatus", nickname=NICKNAME)
    reported = make_comment(open_topic, resident, ILLNESS + ", kuulin kaupassa")
    db.session.commit()

    moderation.hide_comment(by_resident, reasons[0], "Terveystietoja", moderator)
    moderation.restore_comment(by_resident, moderator)
    curation.set_comment_themes(by_resident, {theme.id}, actor=moderator)
    curation.set_key(by_resident, True, actor=moderator)
    curation.set_key(by_resident, False, actor=moderator)
    reply, _ = curation.post_official_reply(open_topic, by_resident, moderator, REPLY)
    paper, _ = curation.add_paper_feedback(
        open_topic,
        moderator,
        PAPER,
        received_on=date.today(),
        source=CommentSource.PAPER,
        place="Kirjasto",
    )
    moderation.approve_comment(anonymous, moderator)
    moderation.hide_comment(anonymous, reasons[1], None, moderator)
    for reporter in (other_resident, moderator):
        consultations.flag_comment(reported, reporter, FlagReason.PERSONAL_DATA, REPORT)
    db.session.commit()

    rows = [r for r in _rows() if r.target_type == "Comment"]
    acts = [r.action for r in rows]
    assert acts == [
        "comment.hide",
        "comment.restore",
        "comment.tag",
        "comment.key",
        "comment.unkey",
        "comment.official_reply",
        "paper.add",
        "comment.approve",
        "comment.hide",
        "comment.auto_hide",
    ]
    targets = [by_resident] * 5 + [reply, paper, anonymous, anonymous, reported]
    for row, comment in zip(rows, targets, strict=True):
        assert row.target_id == comment.id, row.action
        assert row.details["comment_id"] == comment.id and row.details["topic_id"] == open_topic.id
        assert row.target_label == "Kirjaston aukioloajat", row.action  # the topic's title
    for row in _rows():
        for secret in SECRETS:
            assert secret not in _written(row), (row.action, secret)

    # The admins' page names each comment by number and links to where staff read it.
    admin = factories.make_user("admin@keitele.fi", org=org, roles=(Role.ADMIN,))
    db.session.commit()
    login_as(admin)
    choose_language(client, "en")
    page = Browser(app, client).get("/staff/keitele/audit").get_data(as_text=True)
    path = f"/staff/keitele/moderation/comments/{by_resident.id}"
    assert f'<a href="{path}">Comment {by_resident.id}</a>' in page
    assert f"Comment {reported.id}</a>" in page
    assert "Kirjaston aukioloajat" in page
    for secret in SECRETS:
        assert secret not in page, secret
    # The moderation page it links to shows the text, while the comment exists.
    comment_page = Browser(app, client).get(path)
    assert comment_page.status_code == 200 and ILLNESS in comment_page.get_data(as_text=True)
