"""Staff pages of a topic's parts: who may use them, adding, editing, ordering, deleting,
bad input, and files of a part."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations.models import TopicFile
from eraati.extensions import db
from eraati.parts.models import TopicPart, TopicPartText
from tests.consultations.topic_support import choose_language
from tests.manage.support import PDF, field_error
from tests.parts.support import BODY_FI, BODY_SV, comment_on, make_parts

EN = {"Accept-Language": "en"}


def _url(topic, suffix=""):
    return f"/staff/keitele/topics/{topic.id}/parts{suffix}"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _parts(topic):
    return db.session.scalars(
        sa.select(TopicPart).where(TopicPart.topic_id == topic.id).order_by(TopicPart.position)
    ).all()


@pytest.fixture
def admin(client, login_as, org_admin):
    login_as(org_admin)
    choose_language(client, "en")
    return org_admin


def test_admin_adds_a_part_in_both_languages(browser, admin, bilingual_topic):
    assert browser.get(_url(bilingual_topic, "/new"), headers=EN).status_code == 200
    response = browser.post(
        _url(bilingual_topic, "/new"),
        data={"title_fi": "Visio", "body_fi": BODY_FI, "title_sv": "Vision", "body_sv": BODY_SV},
        headers=EN,
    )
    assert response.status_code == 303
    (part,) = _parts(bilingual_topic)
    assert part.position == 1
    assert {t.locale: t.title for t in part.texts} == {"fi": "Visio", "sv": "Vision"}
    assert (
        db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.target_id == part.id))
        == "part.add"
    )
    listing = _text(browser.get(_url(bilingual_topic), headers=EN))
    assert "Visio" in listing and "Move down" not in listing


def test_versions_must_have_the_same_paragraphs(browser, admin, bilingual_topic):
    response = browser.post(
        _url(bilingual_topic, "/new"),
        data={
            "title_fi": "Visio",
            "body_fi": BODY_FI,
            "title_sv": "Vision",
            "body_sv": "<p>Bara ett stycke.</p>",
        },
        headers=EN,
    )
    assert response.status_code == 422
    page = _text(response)
    assert "different number of paragraphs" in field_error(page, "body_sv")
    assert "Bara ett stycke." in page  # what was typed stays
    assert _parts(bilingual_topic) == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title_fi": "", "body_fi": "<p>Teksti</p>"}, "title_fi", "Write the title in Finnish."),
        ({"title_fi": "x" * 201, "body_fi": ""}, "title_fi", "Use at most 200 characters."),
        (
            {"title_fi": "Osa", "body_fi": "<p>A</p>", "title_sv": "", "body_sv": "<p>B</p>"},
            "title_sv",
            "Write the title in Swedish too.",
        ),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    browser, admin, bilingual_topic, data, field, message
):
    response = browser.post(_url(bilingual_topic, "/new"), data=data, headers=EN)
    assert response.status_code == 422
    assert field_error(_text(response), field) == message
    assert _parts(bilingual_topic) == []


def test_admin_edits_moves_and_deletes_parts(browser, admin, open_topic):
    first, second, third = make_parts(open_topic, 3)
    db.session.commit()
    first_id, first_text_id = first.id, first.texts[0].id
    form = _text(browser.get(_url(open_topic, f"/{second.id}/edit"), headers=EN))
    assert "Osa 2" in form and "Ensimmäinen kappale" in form
    response = browser.post(
        _url(open_topic, f"/{second.id}/edit"),
        data={"title_fi": "Toinen osa", "body_fi": "<p>Uusi</p>"},
    )
    assert response.status_code == 303
    assert (
        browser.post(_url(open_topic, f"/{third.id}/move"), data={"direction": "up"}).status_code
        == 303
    )
    assert [p.text_in("fi").title for p in _parts(open_topic)] == ["Osa 1", "Osa 3", "Toinen osa"]
    assert browser.post(_url(open_topic, f"/{first_id}/delete")).status_code == 303
    assert [(p.position, p.text_in("fi").title) for p in _parts(open_topic)] == [
        (1, "Osa 3"),
        (2, "Toinen osa"),
    ]
    assert db.session.get(TopicPartText, first_text_id) is None


def test_a_part_with_comments_is_kept(browser, admin, open_topic, resident):
    (part,) = make_parts(open_topic, 1)
    comment_on(open_topic, part, resident)
    db.session.commit()
    response = browser.post(_url(open_topic, f"/{part.id}/delete"), headers=EN)
    assert response.status_code == 303
    assert len(_parts(open_topic)) == 1
    page = _text(browser.get(_url(open_topic), headers=EN))
    assert "This part has comments, so it cannot be deleted" in page


def test_a_moderator_and_a_preparer_may_not(browser, login_as, open_topic, moderator, preparer):
    (part,) = make_parts(open_topic, 1)
    db.session.commit()
    for user in (moderator, preparer):
        login_as(user)
        assert browser.get(_url(open_topic)).status_code == 403
        assert browser.post(_url(open_topic, f"/{part.id}/delete")).status_code == 403
    assert len(_parts(open_topic)) == 1


def test_another_organisations_admin_cannot_reach_these_parts(
    browser, login_as, open_topic, other_org, other_org_admin
):
    (part,) = make_parts(open_topic, 1)
    db.session.commit()
    login_as(other_org_admin)
    assert browser.get(_url(open_topic)).status_code == 403
    # Keitele's ids at Vieremä's own address: not found.
    own = f"/staff/vierema/topics/{open_topic.id}/parts/{part.id}"
    assert browser.get(f"{own}/edit").status_code == 404
    assert browser.post(f"{own}/delete").status_code == 404
    assert browser.post(f"{own}/move", data={"direction": "down"}).status_code == 404
    assert len(_parts(open_topic)) == 1


def test_a_part_of_another_topic_is_not_found(browser, admin, org, open_topic, closed_topic):
    (part,) = make_parts(closed_topic, 1)
    db.session.commit()
    assert browser.get(_url(open_topic, f"/{part.id}/edit")).status_code == 404
    assert browser.post(_url(open_topic, f"/{part.id}/delete")).status_code == 404


def test_an_attachment_is_added_to_a_part(browser, admin, open_topic):
    (part,) = make_parts(open_topic, 1)
    db.session.commit()
    files_url = f"/staff/keitele/topics/{open_topic.id}/files"
    page = _text(browser.get(files_url, headers=EN))
    assert f'<option value="{part.id}">Part 1: Osa 1</option>' in page
    response = browser.post(
        f"{files_url}/attachment",
        data={
            "attachment-file": (io.BytesIO(PDF), "osa.pdf"),
            "attachment-title_fi": "Osan liite",
            "attachment-part": str(part.id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(TopicFile.part_id)) == part.id
    assert "Osan liite" in _text(browser.get(f"/keitele/{open_topic.slug}/parts/1"))


def test_a_file_for_a_part_that_is_not_there_is_a_field_error(
    browser, admin, open_topic, closed_topic
):
    make_parts(open_topic, 1)
    (elsewhere,) = make_parts(closed_topic, 1)
    db.session.commit()
    response = browser.post(
        f"/staff/keitele/topics/{open_topic.id}/files/attachment",
        data={
            "attachment-file": (io.BytesIO(PDF), "osa.pdf"),
            "attachment-part": str(elsewhere.id),
        },
        content_type="multipart/form-data",
        headers=EN,
    )
    assert response.status_code == 422
    assert (
        field_error(_text(response), "attachment-part")
        == "Choose where the file is shown from the list."
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TopicFile)) == 0
