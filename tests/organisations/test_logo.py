"""The organisation's logo: upload (PNG or JPEG by content, at most 512 KB), removal,
serving with safe headers, and the emblem beside the name that uses it."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal
from flask_sqlalchemy.record_queries import get_recorded_queries

from eraati.core.images import MAX_SIDE
from eraati.organisations import services
from eraati.organisations.models import Organisation
from tests import factories
from tests.accounts.helpers import tr
from tests.organisations.support import JPEG, PNG, audit_rows, text
from tests.page_support import read

UPLOAD = "/staff/keitele/settings/logo"


def _upload(client, data: bytes, filename="logo.png", content_type="image/png"):
    return client.post(
        UPLOAD,
        data={"logo": (io.BytesIO(data), filename, content_type)},
        content_type="multipart/form-data",
    )


def _stored(db, org):
    db.session.expire_all()
    return db.session.execute(
        sa.select(Organisation.logo, Organisation.logo_type).where(Organisation.id == org.id)
    ).one()


@pytest.mark.parametrize(("data", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_admin_uploads_a_png_or_jpeg_logo(db, client, login_as, org, org_admin, data, kind):
    login_as(org_admin)
    # The browser's content type is not trusted: the bytes decide.
    response = _upload(client, data, "logo.bin", "application/octet-stream")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#logo-section")
    assert tuple(_stored(db, org)) == (data, kind)
    (event,) = audit_rows("organisation.logo")
    assert (event.organisation_id, event.actor_id) == (org.id, org_admin.id)
    assert event.details == {"change": "upload", "type": kind, "bytes": len(data)}


@pytest.mark.parametrize(
    ("data", "filename", "content_type", "message"),
    [
        (b"GIF89a\x01\x00\x01\x00", "logo.png", "image/png", "not a PNG or JPEG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.png",
            "image/png",
            "not a PNG or JPEG",
        ),
        (b"<html><script>alert(1)</script></html>", "logo.jpg", "image/jpeg", "not a PNG or JPEG"),
        (PNG[:4], "logo.png", "image/png", "not a PNG or JPEG"),
        (PNG + b"\x00" * (512 * 1024), "iso.png", "image/png", "too large"),
    ],
)
def test_a_file_that_is_not_a_small_png_or_jpeg_is_refused(
    db, client, login_as, org, org_admin, data, filename, content_type, message
):
    login_as(org_admin)
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = _upload(client, data, filename, content_type)
    assert response.status_code == 422
    page = read(text(response))
    assert "logo-error" in page.ids()
    assert message in text(response)
    assert tuple(_stored(db, org)) == (None, None)
    assert audit_rows() == []


def test_a_logo_of_30000_by_30000_pixels_is_refused_next_to_the_field(
    db, client, login_as, org, org_admin
):
    login_as(org_admin)
    data = factories.png_header(30_000, 30_000)  # a hundred bytes, 900 million pixels
    response = _upload(client, data)
    assert response.status_code == 422
    page = text(response)
    assert "logo-error" in read(page).ids()
    assert (
        tr(
            "The image has too many pixels. Make it at most %(side)s × %(side)s pixels and try "
            "again.",
            "fi",
            side=format_decimal(MAX_SIDE, locale="fi"),
        )
        in page
    )
    assert tuple(_stored(db, org)) == (None, None)
    assert audit_rows() == []


def test_exactly_512_kb_is_accepted(db, client, login_as, org, org_admin):
    login_as(org_admin)
    data = PNG + b"\x00" * (512 * 1024 - len(PNG))
    assert _upload(client, data).status_code == 303
    assert _stored(db, org).logo_type == "image/png"


def test_no_file_chosen_is_an_error_next_to_the_field(db, client, login_as, org, org_admin):
    login_as(org_admin)
    response = client.post(UPLOAD, data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "logo-error" in read(text(response)).ids()
    assert audit_rows() == []


def test_admin_removes_the_logo(db, client, login_as, org, org_admin):
    services.set_logo(org, PNG)
    db.session.commit()
    login_as(org_admin)
    response = client.post("/staff/keitele/settings/logo/remove")
    assert response.status_code == 303
    assert tuple(_stored(db, org)) == (None, None)
    assert [e.details["change"] for e in audit_rows("organisation.logo")] == ["upload", "remove"]
    # Removing again changes and records nothing.
    client.post("/staff/keitele/settings/logo/remove")
    assert len(audit_rows("organisation.logo")) == 2


def test_the_logo_is_served_with_its_type_and_safe_headers(db, client, org):
    services.set_logo(org, JPEG)
    db.session.commit()
    stamp = str(int(org.logo_updated_at.timestamp()))
    response = client.get(f"/logo/keitele?v={stamp}")
    assert response.status_code == 200
    assert response.data == JPEG
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    # Without the current stamp the browser checks again soon.
    plain = client.get("/logo/keitele")
    assert "immutable" not in plain.headers["Cache-Control"]
    assert "max-age=300" in plain.headers["Cache-Control"]
    again = client.get("/logo/keitele", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_no_logo_is_not_found(client, org, other_org):
    assert client.get("/logo/keitele").status_code == 404
    assert client.get("/logo/ei-ole").status_code == 404


def test_the_emblem_shows_the_logo_or_else_the_initial(db, client, org, other_org):
    factories.make_topic(org, slug="kirjasto", title="Kirjasto")
    factories.make_topic(other_org, slug="koulu", title="Koulu")
    services.set_logo(org, PNG)
    db.session.commit()
    stamp = int(org.logo_updated_at.timestamp())
    page = read(text(client.get("/")))
    logos = [e for e in page.find("img") if "org-logo" in e.attrs.get("class", "")]
    assert logos
    for img in logos:
        assert img.attrs["src"] == f"/logo/keitele?v={stamp}"
        assert img.attrs["alt"] == ""  # decorative: the name is written beside it
    initials = [e for e in page.find("span") if "org-emblem" in e.attrs.get("class", "")]
    assert [e.text for e in initials] and all(e.text == "V" for e in initials)


def test_lists_never_load_the_logo_bytes(db, app, client, org):
    for i in range(3):
        factories.make_topic(org, slug=f"aihe-{i}")
    services.set_logo(org, PNG)
    db.session.commit()
    before = len(get_recorded_queries())
    assert client.get("/").status_code == 200
    statements = [q.statement.lower() for q in get_recorded_queries()[before:]]
    assert statements
    for sql in statements:
        assert "organisations.logo," not in sql and "organisations.logo " not in sql, sql


def test_a_truncated_logo_is_refused_next_to_the_field(db, client, login_as, org, org_admin):
    login_as(org_admin)
    whole = factories.image_file("PNG", 300, 200)
    response = _upload(client, whole[: len(whole) // 2])
    assert response.status_code == 422
    page = text(response)
    assert "logo-error" in read(page).ids()
    assert (
        tr(
            "The image file is damaged or incomplete and cannot be shown. Save the image again "
            "as PNG or JPEG and try again.",
            "fi",
        )
        in page
    )
    assert tuple(_stored(db, org)) == (None, None)
    assert audit_rows() == []
