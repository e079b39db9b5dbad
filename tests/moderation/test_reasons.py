"""The organisation's reason templates: list, add, edit, take out of use and back."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eraati.consultations.models import CommentStatus
from eraati.extensions import db as _db
from eraati.moderation import services
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Role
from tests import factories
from tests.moderation.support import add_comment, audit_rows, fresh, main_of, text

REASONS = "/staff/keitele/moderation/reasons"


def _reasons(org) -> list[ModerationReason]:
    return list(
        _db.session.scalars(
            sa.select(ModerationReason)
            .where(ModerationReason.organisation_id == org.id)
            .order_by(ModerationReason.position)
        )
    )


def test_the_list_shows_every_language_and_whether_in_use(
    db, browser, login_as, moderator, reasons
):
    services.set_reason_active(reasons[4], False, moderator)
    db.session.commit()
    login_as(moderator)
    page = main_of(text(browser.get(REASONS)))
    assert "<caption>Reasons</caption>" in page
    assert '<td lang="fi">Loukkaava tai asiaton kielenkäyttö</td>' in page
    assert '<td lang="sv">Kränkande eller osakligt språk</td>' in page
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    assert "Take into use" in rows[-1] and ">No<" in rows[-1]
    assert "Take out of use" in rows[1] and ">Yes<" in rows[1]


def test_an_organisation_without_reasons_can_add_the_standard_ones_once(
    db, browser, login_as, moderator, org
):
    login_as(moderator)
    assert "Add the standard reasons" in text(browser.get(REASONS))
    assert browser.post(f"{REASONS}/defaults").status_code == 303
    assert len(_reasons(org)) == 5
    assert len(audit_rows("reason.create")) == 5
    browser.post(f"{REASONS}/defaults")
    assert len(_reasons(org)) == 5


def test_add_a_reason(db, browser, login_as, moderator, org, reasons):
    login_as(moderator)
    response = browser.post(REASONS, data={"text_fi": " Uhkailu ", "text_sv": "Hot", "text_en": ""})
    assert response.status_code == 303
    added = _reasons(org)[-1]
    assert added.texts == {"fi": "Uhkailu", "sv": "Hot"}
    assert added.active and added.position == 5
    [row] = audit_rows("reason.create")
    assert row.target_id == added.id and row.target_label == "Uhkailu"
    assert row.actor_id == moderator.id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"text_fi": "", "text_sv": "Bara svenska"},
            "text_fi",
            "Write the reason in this language.",
        ),
        (
            {"text_fi": "x" * 201, "text_sv": "Bara svenska"},
            "text_fi",
            "Use at most 200 characters.",
        ),
        ({"text_fi": "Hyvä", "text_sv": "y" * 201}, "text_sv", "Use at most 200 characters."),
    ],
)
def test_bad_reason_input_shows_the_error_keeps_the_input_and_writes_nothing(
    db, browser, login_as, moderator, org, reasons, data, field, message
):
    login_as(moderator)
    response = browser.post(REASONS, data=data)
    assert response.status_code == 422
    page = main_of(text(response))
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert 'class="error-summary"' in page
    assert 'value="Bara svenska"' in page or 'value="Hyvä"' in page
    assert len(_reasons(org)) == 5
    assert audit_rows() == []


def test_an_organisation_writing_swedish_first_requires_swedish(db, browser, login_as, moderator):
    org = factories.make_org("korsholm", "Mustasaari", languages="sv,fi")
    admin = factories.make_user("admin@korsholm.fi", org=org, roles=(Role.ADMIN,))
    db.session.commit()
    login_as(admin)
    page = text(browser.get("/staff/korsholm/moderation/reasons"))
    sv_field = re.search(r'<label for="text_sv">.*?</div>', page, re.S).group(0)
    assert 'class="required-note"' in sv_field
    assert page.index('for="text_sv"') < page.index('for="text_fi"')  # the main language first
    refused = browser.post("/staff/korsholm/moderation/reasons", data={"text_fi": "Vain suomeksi"})
    assert refused.status_code == 422
    assert (
        browser.post(
            "/staff/korsholm/moderation/reasons", data={"text_sv": "Endast svenska"}
        ).status_code
        == 303
    )
    assert _reasons(org)[0].texts == {"sv": "Endast svenska"}


def test_edit_a_reason_keeps_earlier_hidden_comments_words(
    db, browser, login_as, moderator, org, open_topic, reasons
):
    comment = add_comment(open_topic, None, nickname="N")
    db.session.commit()
    services.hide_comment(comment, reasons[0], None, moderator)
    db.session.commit()
    login_as(moderator)
    form = text(browser.get(f"{REASONS}/{reasons[0].id}/edit"))
    assert 'value="Loukkaava tai asiaton kielenkäyttö"' in form
    response = browser.post(
        f"{REASONS}/{reasons[0].id}/edit",
        data={"text_fi": "Asiaton kielenkäyttö", "text_sv": "Osakligt språk", "text_en": ""},
    )
    assert response.status_code == 303
    assert fresh(reasons[0]).texts == {"fi": "Asiaton kielenkäyttö", "sv": "Osakligt språk"}
    assert fresh(comment).hidden_reason == "Loukkaava tai asiaton kielenkäyttö"
    [row] = audit_rows("reason.edit")
    assert row.details["before"]["en"] == "Insulting or inappropriate language"
    assert row.details["texts"]["fi"] == "Asiaton kielenkäyttö"


def test_bad_edit_writes_nothing(db, browser, login_as, moderator, reasons):
    login_as(moderator)
    response = browser.post(f"{REASONS}/{reasons[0].id}/edit", data={"text_fi": "", "text_sv": "X"})
    assert response.status_code == 422
    assert "Write the reason in this language." in text(response)
    assert fresh(reasons[0]).texts["fi"] == "Loukkaava tai asiaton kielenkäyttö"
    assert audit_rows() == []


def test_take_out_of_use_and_back(db, browser, login_as, moderator, open_topic, reasons):
    login_as(moderator)
    assert (
        browser.post(f"{REASONS}/{reasons[1].id}/active", data={"active": "0"}).status_code == 303
    )
    assert fresh(reasons[1]).active is False
    comment = add_comment(open_topic, None, nickname="N", status=CommentStatus.PENDING)
    db.session.commit()
    page = text(browser.get(f"/staff/keitele/moderation/comments/{comment.id}"))
    assert "Personal data or details" not in page
    browser.post(f"{REASONS}/{reasons[1].id}/active", data={"active": "1"})
    assert fresh(reasons[1]).active is True
    assert [r.details for r in audit_rows("reason.edit")] == [
        {"reason_id": reasons[1].id, "active": False},
        {"reason_id": reasons[1].id, "active": True},
    ]
    assert (
        browser.post(f"{REASONS}/{reasons[1].id}/active", data={"active": "x"}).status_code == 400
    )
    assert browser.post(f"{REASONS}/987654/active", data={"active": "0"}).status_code == 404


def test_a_reason_written_only_in_finnish_is_marked_in_the_hide_form(
    db, browser, login_as, moderator, open_topic, org, reasons
):
    only_fi = ModerationReason(organisation_id=org.id, texts={"fi": "Mainos"}, position=99)
    _db.session.add(only_fi)
    comment = add_comment(open_topic, None, nickname="N", status=CommentStatus.PENDING)
    db.session.commit()
    login_as(moderator)
    page = text(browser.get(f"/staff/keitele/moderation/comments/{comment.id}"))
    labels = dict(re.findall(r'<input[^>]*value="(\d+)"[^>]*> (<label[^>]*>[^<]*</label>)', page))
    assert re.fullmatch(r'<label for="[\w-]+" lang="fi">Mainos</label>', labels[str(only_fi.id)])
    assert 'lang="' not in labels[str(reasons[0].id)]  # written in English: not marked
