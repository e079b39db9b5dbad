"""Images and attachments: checked by their bytes and size, alt text required, served
inline or as a download to whoever may read the topic, shown on the topic page."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal

from eraati.audit.models import AuditEvent
from eraati.consultations.models import FileKind, TopicFile, TopicStatus
from eraati.core.images import MAX_SIDE
from eraati.extensions import db
from tests import factories
from tests.accounts.helpers import tr
from tests.consultations.topic_support import choose_language
from tests.manage.support import JPEG, PDF, PNG, count, field_error, make_file, text


def _files(topic) -> str:
    return f"/staff/keitele/topics/{topic.id}/files"


def _upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


@pytest.fixture
def admin(login_as, org_admin):
    return login_as(org_admin)


@pytest.fixture
def bilingual_topic(db, org):
    org.languages = "fi,sv"
    org.name_sv = "Keitele"
    topic = factories.make_topic(
        org, slug="kaksikielinen", title="Kaksikielinen", title_sv="Tvåspråkig"
    )
    db.session.commit()
    return topic


# --- adding ----------------------------------------------------------------------------------


def test_admin_adds_an_image_with_alt_text_in_each_language(browser, admin, bilingual_topic):
    page = text(browser.get(_files(bilingual_topic)))
    assert 'id="image-alt_fi"' in page and 'id="image-alt_sv"' in page
    assert 'accept="image/png,image/jpeg"' in page
    response = browser.post(
        f"{_files(bilingual_topic)}/image",
        data={
            "image-file": _upload(PNG, "Kartta alueesta ÄÖ.png"),
            "image-alt_fi": "Kartta suunnitellusta pyörätiestä",
            "image-alt_sv": "Karta över den planerade cykelvägen",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    (image,) = db.session.scalars(sa.select(TopicFile))
    assert image.kind == FileKind.IMAGE and image.content_type == "image/png"
    assert image.filename == "Kartta_alueesta_AO.png" and image.size == len(PNG)
    assert image.texts == {
        "fi": "Kartta suunnitellusta pyörätiestä",
        "sv": "Karta över den planerade cykelvägen",
    }
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "file.add"))
    assert event.target_id == image.id and event.details["topic_id"] == bilingual_topic.id


def test_a_jpeg_is_an_image_too(browser, admin, open_topic):
    response = browser.post(
        f"{_files(open_topic)}/image",
        data={"image-file": _upload(JPEG, "kuva.jpeg"), "image-alt_fi": "Kuva"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    image = db.session.scalar(sa.select(TopicFile))
    assert (image.content_type, image.filename) == ("image/jpeg", "kuva.jpeg")


def test_admin_adds_a_pdf_attachment(browser, admin, open_topic):
    response = browser.post(
        f"{_files(open_topic)}/attachment",
        data={"attachment-file": _upload(PDF, "selvitys.pdf"), "attachment-title_fi": "Selvitys"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    pdf = db.session.scalar(sa.select(TopicFile))
    assert (pdf.kind, pdf.content_type, pdf.texts) == (
        FileKind.ATTACHMENT,
        "application/pdf",
        {"fi": "Selvitys"},
    )


@pytest.mark.parametrize(
    ("kind", "data", "name", "message"),
    [
        (
            "image",
            b"GIF89a" + b"\x00" * 20,
            "kuva.png",
            "This is not a PNG or JPEG image. Save the image as PNG or JPEG and try again.",
        ),
        (
            "image",
            b"<svg onload=alert(1)>",
            "kuva.png",
            "This is not a PNG or JPEG image. Save the image as PNG or JPEG and try again.",
        ),
        (
            "image",
            PDF,
            "kuva.png",
            "This is not a PNG or JPEG image. Save the image as PNG or JPEG and try again.",
        ),
        (
            "attachment",
            PNG,
            "liite.pdf",
            "This is not a PDF file. Save the document as PDF and try again.",
        ),
        ("attachment", b"", "liite.pdf", "The file is empty. Choose the file again."),
    ],
)
def test_the_bytes_decide_not_the_name(browser, admin, open_topic, kind, data, name, message):
    fields = {f"{kind}-file": _upload(data, name)}
    fields["image-alt_fi" if kind == "image" else "attachment-title_fi"] = "Teksti"
    response = browser.post(
        f"{_files(open_topic)}/{kind}", data=fields, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, f"{kind}-file") == tr(message, "fi")
    assert 'value="Teksti"' in page  # what was typed stays
    assert count(TopicFile) == 0 and count(AuditEvent) == 0


def test_too_big_image_is_refused(browser, admin, open_topic):
    big = PNG + b"\x00" * (2 * 1024 * 1024 - len(PNG) + 1)
    response = browser.post(
        f"{_files(open_topic)}/image",
        data={"image-file": _upload(big, "iso.png"), "image-alt_fi": "Iso"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert field_error(text(response), "image-file") == tr(
        "The file is too big. The largest allowed size is %(size)s.", "fi", size="2 Mt"
    )
    assert count(TopicFile) == 0


def test_an_image_of_too_many_pixels_is_refused_and_the_alt_text_stays(browser, admin, open_topic):
    response = browser.post(
        f"{_files(open_topic)}/image",
        data={
            "image-file": _upload(factories.png_header(30_000, 30_000), "pommi.png"),
            "image-alt_fi": "Kartta",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "image-file") == tr(
        "The image has too many pixels. Make it at most %(side)s × %(side)s pixels and try again.",
        "fi",
        side=format_decimal(MAX_SIDE, locale="fi"),
    )
    assert 'value="Kartta"' in page
    assert count(TopicFile) == 0 and count(AuditEvent) == 0


@pytest.fixture
def small_attachments(app):
    app.config["TOPIC_FILE_MAX_BYTES"] = 1000
    yield 1000
    del app.config["TOPIC_FILE_MAX_BYTES"]


def test_attachment_size_comes_from_the_configuration(
    browser, admin, open_topic, small_attachments
):
    page = text(browser.get(_files(open_topic)))
    assert tr("PDF file (at most %(size)s)", "fi", size="1 kt") in page
    response = browser.post(
        f"{_files(open_topic)}/attachment",
        data={"attachment-file": _upload(PDF + b"0" * 1000, "iso.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and count(TopicFile) == 0
    ok = browser.post(
        f"{_files(open_topic)}/attachment",
        data={"attachment-file": _upload(PDF, "pieni.pdf")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303 and count(TopicFile) == 1


def test_the_default_attachment_limit_is_ten_megabytes(app):
    from eraati.manage import uploads

    assert app.config.get("TOPIC_FILE_MAX_BYTES", uploads.ATTACHMENT_MAX_BYTES) == 10 * 1024 * 1024
    assert (
        app.config.get("MAX_CONTENT_LENGTH") is None
        or app.config["MAX_CONTENT_LENGTH"] > 10 * 1024 * 1024
    )


def test_alt_text_is_required_in_every_language_of_the_topic(browser, admin, bilingual_topic):
    response = browser.post(
        f"{_files(bilingual_topic)}/image",
        data={
            "image-file": _upload(PNG, "kartta.png"),
            "image-alt_fi": "Kartta",
            "image-alt_sv": "  ",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "image-alt_sv") == tr(
        "Describe the image in %(language)s for people who cannot see it.",
        "fi",
        language=tr("Swedish", "fi"),
    )
    assert field_error(page, "image-alt_fi") == ""
    assert 'id="error-summary"' in page
    assert count(TopicFile) == 0


def test_a_file_must_be_chosen(browser, admin, open_topic):
    response = browser.post(
        f"{_files(open_topic)}/image",
        data={"image-alt_fi": "Kartta"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert field_error(text(response), "image-file") == tr("Choose an image file.", "fi")


# --- order and removal -----------------------------------------------------------------------


def test_files_are_moved_within_their_kind_and_removed(browser, admin, open_topic):
    first = make_file(open_topic, filename="eka.png", position=0)
    second = make_file(open_topic, filename="toka.png", position=1)
    pdf = make_file(open_topic, FileKind.ATTACHMENT, position=0)
    db.session.commit()
    response = browser.post(f"{_files(open_topic)}/{second.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (first.position, second.position, pdf.position) == (1, 0, 0)
    assert (
        browser.post(f"{_files(open_topic)}/{second.id}/move", data={"direction": "up"}).status_code
        == 303
    )
    assert (
        browser.post(
            f"{_files(open_topic)}/{second.id}/move", data={"direction": "sideways"}
        ).status_code
        == 400
    )

    first_id = first.id
    assert browser.post(f"{_files(open_topic)}/{first_id}/delete").status_code == 303
    assert [
        f.filename for f in db.session.scalars(sa.select(TopicFile).order_by(TopicFile.id))
    ] == [
        "toka.png",
        "selvitys.pdf",
    ]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "file.delete"))
    assert event.target_id == first_id and event.target_label == "eka.png"


def test_a_file_of_another_topic_is_not_found_here(browser, admin, org, open_topic, closed_topic):
    theirs = make_file(closed_topic)
    db.session.commit()
    assert browser.post(f"{_files(open_topic)}/{theirs.id}/delete").status_code == 404
    assert count(TopicFile) == 1


# --- serving ---------------------------------------------------------------------------------


def test_a_public_topics_image_is_served_inline_to_anyone(browser, open_topic):
    image = make_file(open_topic)
    db.session.commit()
    response = browser.get(f"/files/{image.id}/kartta.png")
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in response.headers["Cache-Control"]


def test_a_pdf_is_a_download(browser, open_topic):
    pdf = make_file(open_topic, FileKind.ATTACHMENT)
    db.session.commit()
    response = browser.get(f"/files/{pdf.id}/selvitys.pdf")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=selvitys.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_name_or_id_is_not_found(browser, open_topic):
    image = make_file(open_topic)
    db.session.commit()
    assert browser.get(f"/files/{image.id}/muu.png").status_code == 404
    assert browser.get(f"/files/{image.id + 100}/kartta.png").status_code == 404


def test_a_drafts_files_are_private_and_not_cached(browser, login_as, moderator, draft_topic):
    image = make_file(draft_topic)
    db.session.commit()
    login_as(moderator)
    response = browser.get(f"/files/{image.id}/kartta.png")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


# --- on the topic page -----------------------------------------------------------------------


def test_the_topic_page_shows_images_and_attachments_in_the_readers_language(
    browser, client, bilingual_topic
):
    make_file(bilingual_topic, texts={"fi": "Kartta", "sv": "Karta"})
    make_file(
        bilingual_topic, FileKind.ATTACHMENT, data=PDF + b"0" * 300_000, texts={"fi": "Selvitys"}
    )
    db.session.commit()
    choose_language(client, "sv")
    page = text(browser.get("/keitele/kaksikielinen"))
    assert 'alt="Karta">' in page
    assert '<span lang="fi">Selvitys</span>' in page  # no Swedish name: the Finnish one, marked
    assert "(PDF, 293 kB)" in page
    choose_language(client, "fi")
    page = text(browser.get("/keitele/kaksikielinen"))
    assert 'alt="Kartta">' in page and "(PDF, 293 kt)" in page


def test_an_attachment_without_a_name_shows_its_file_name(browser, open_topic):
    make_file(open_topic, FileKind.ATTACHMENT, texts={})
    db.session.commit()
    page = text(browser.get("/keitele/kirjaston-aukioloajat"))
    assert ">selvitys.pdf</span></a>" in page


def test_no_file_sections_without_files(browser, open_topic):
    page = text(browser.get("/keitele/kirjaston-aukioloajat"))
    assert 'id="attachments-title"' not in page and "topic-images" not in page


def test_the_status_of_a_topic_is_kept_when_files_change(browser, admin, draft_topic):
    browser.post(
        f"{_files(draft_topic)}/image",
        data={"image-file": _upload(PNG, "a.png"), "image-alt_fi": "A"},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    assert draft_topic.status == TopicStatus.DRAFT and count(TopicFile) == 1


def test_a_truncated_image_is_refused_next_to_the_field(browser, admin, open_topic):
    whole = factories.image_file("JPEG", 300, 200)
    response = browser.post(
        f"{_files(open_topic)}/image",
        data={
            "image-file": _upload(whole[: len(whole) // 2], "puolikas.jpg"),
            "image-alt_fi": "Kartta",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text(response)
    assert field_error(page, "image-file") == tr(
        "The image file is damaged or incomplete and cannot be shown. Save the image again "
        "as PNG or JPEG and try again.",
        "fi",
    )
    assert 'value="Kartta"' in page
    assert count(TopicFile) == 0 and count(AuditEvent) == 0
