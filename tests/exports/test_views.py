"""The downloads page and the downloads: who may, what is sent, the audit row."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from eraati.audit.models import AuditEvent
from eraati.consultations.models import TopicStatus
from eraati.core.time import HELSINKI, local, utcnow
from eraati.exports.views import STREAMED
from eraati.extensions import db
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.exports.support import audit_rows, csv_records, exports_path, give_map, read_csv

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-excel": "text/csv; charset=utf-8",
    "csv-answers-excel": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "polis": "application/zip",
}
ENDINGS = {
    "csv": ".csv",
    "csv-excel": "-excel.csv",
    "csv-answers-excel": "-answers-excel.csv",
    "json": ".json",
    "geojson": ".geojson",
    "polis": "-polis.zip",
}


@pytest.fixture
def english(client):
    choose_language(client, "en")


@pytest.mark.parametrize("names", [False, True])
def test_the_page_says_whether_names_can_be_in_the_data(
    db, client, login_as, world, preparer, english, names
):
    world.org.names_in_exports = names
    db.session.commit()
    login_as(preparer)
    page = client.get(exports_path(world.topic)).get_data(as_text=True)
    assert ("Names and e-mail addresses are never included." in page) is not names
    assert ("The organisation's settings allow names" in page) is names


def test_page_lists_every_format_with_a_download_button(client, login_as, world, preparer, english):
    give_map(world.topic)  # else no GeoJSON (below)
    login_as(preparer)
    response = client.get(exports_path(world.topic))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Download data</h1>" in page
    assert 'aria-current="page">Topics</a>' in page  # the staff menu's section
    for code in STREAMED:
        action = f'formaction="{exports_path(world.topic, "/" + code)}"'
        assert action in page, code
    assert re.search(r'<input type="radio" id="lang-en" name="language" value="en" checked>', page)
    assert "<legend>Language of the column headings</legend>" in page
    assert "Kirjaston aukioloajat" in page
    # The workbook and the report are prepared in the background: POST forms.
    assert exports_path(world.topic, "/xlsx") not in page
    jobs = f'<form method="post" action="{exports_path(world.topic, "/jobs")}"'
    assert page.count(jobs) == 2
    for code in ("xlsx", "docx", "pdf"):
        assert f'name="format" value="{code}"' in page
    assert "<h2>Council report</h2>" in page
    assert 'id="report-appendix" name="appendix" value="y"' in page
    assert re.search(r'id="report-lang-en" name="lang" value="en" checked>', page)


def test_download_is_streamed_after_its_audit_row_is_committed(
    client, login_as, world, preparer, english
):
    login_as(preparer)
    response = client.get(exports_path(world.topic, "/csv"))
    assert response.status_code == 200
    assert response.is_streamed  # a generator, not a body built in memory
    # Before the first byte is read, the audit row is already in the database.
    db.session.rollback()
    (event,) = audit_rows()
    assert event.details == {"format": "csv", "language": "en", "via": "web"}
    assert (event.actor_id, event.organisation_id) == (preparer.id, world.org.id)
    assert (event.target_type, event.target_id) == ("Topic", world.topic.id)
    assert event.target_label == "Kirjaston aukioloajat"
    assert len(csv_records(response.get_data(), excel=False)) == 7


@pytest.mark.parametrize("code", sorted(STREAMED))
def test_each_format_is_an_attachment_with_a_telling_name(client, login_as, world, org_admin, code):
    if code == "geojson":
        give_map(world.topic)
    login_as(org_admin)
    response = client.get(exports_path(world.topic, "/" + code))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CONTENT_TYPES[code]
    today = local(utcnow()).date().isoformat()
    name = f"kirjaston-aukioloajat-{today}{ENDINGS[code]}"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.get_data()) > 100
    assert [e.details["format"] for e in audit_rows()] == [code]


def test_geojson_is_offered_and_given_only_for_a_topic_with_a_map(
    client, login_as, world, preparer, english
):
    login_as(preparer)
    geojson = exports_path(world.topic, "/geojson")
    page = client.get(exports_path(world.topic)).get_data(as_text=True)
    assert f'formaction="{geojson}"' not in page and "GeoJSON" not in page
    assert f'formaction="{exports_path(world.topic, "/csv")}"' in page  # the others are
    assert client.get(geojson).status_code == 404
    assert client.post(geojson, data={"language": "en"}).status_code == 404
    assert audit_rows() == []  # nothing was downloaded
    give_map(world.topic)
    page = client.get(exports_path(world.topic)).get_data(as_text=True)
    assert f'formaction="{geojson}"' in page and "GeoJSON (map)" in page
    assert client.get(geojson).status_code == 200


def test_file_names_carry_the_day_in_helsinki(client, login_as, world, preparer, monkeypatch):
    """At 00:30 on 8 December in Helsinki it is still the 7th in UTC: names say the 8th."""
    from eraati.reports.build import report_filename

    moment = datetime(2026, 12, 8, 0, 30, tzinfo=HELSINKI).astimezone(UTC)
    monkeypatch.setattr("eraati.exports.services.utcnow", lambda: moment)
    login_as(preparer)
    response = client.get(exports_path(world.topic, "/csv-excel"))
    response.get_data()
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="kirjaston-aukioloajat-2026-12-08-excel.csv"'
    name = report_filename(world.topic, "pdf", "fi", moment)
    assert name == "kirjaston-aukioloajat-2026-12-08-raportti.pdf"


def test_each_download_is_a_row_of_its_own(client, login_as, world, preparer):
    login_as(preparer)
    for code in ("polis", "json", "polis"):
        client.get(exports_path(world.topic, "/" + code)).get_data()
    assert [e.details["format"] for e in audit_rows()] == ["polis", "json", "polis"]


def test_head_asks_about_a_download_without_recording_one(client, login_as, world, preparer):
    login_as(preparer)
    response = client.head(exports_path(world.topic, "/csv"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert audit_rows() == []
    client.get(exports_path(world.topic, "/csv")).get_data()
    assert len(audit_rows()) == 1


def test_headings_are_in_the_chosen_language(client, login_as, world, preparer, english):
    login_as(preparer)
    response = client.get(exports_path(world.topic, "/csv-excel?language=sv"))
    header = read_csv(response.get_data(), excel=True)[0]
    assert "Kommentar" in header
    assert audit_rows()[0].details["language"] == "sv"
    # An unknown language falls back to the page's, which the file's language left alone.
    response = client.get(exports_path(world.topic, "/csv-excel?language=xx"))
    assert "Comment" in read_csv(response.get_data(), excel=True)[0]


def test_an_unknown_format_is_404_and_not_recorded(client, login_as, world, preparer):
    login_as(preparer)
    assert client.get(exports_path(world.topic, "/docx")).status_code == 404
    # The workbook is prepared in the background (eraati.jobs), never streamed here.
    assert client.get(exports_path(world.topic, "/xlsx")).status_code == 404
    assert client.get(exports_path(world.topic, "/CSV")).status_code == 404
    assert audit_rows() == []


def test_a_draft_topic_can_be_exported_by_its_preparer(db, client, login_as, org, preparer):
    draft = factories.make_topic(org, slug="luonnos", status=TopicStatus.DRAFT)
    db.session.commit()
    login_as(preparer)
    response = client.get(exports_path(draft, "/json"))
    assert response.status_code == 200
    assert b'"status":"draft"' in response.get_data()


# --- who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/csv", "/xlsx"])
@pytest.mark.parametrize("persona", ["moderator", "other_org_moderator", "resident"])
def test_others_are_refused_and_nothing_is_recorded(
    request, client, login_as, world, suffix, persona
):
    login_as(request.getfixturevalue(persona))
    response = client.get(exports_path(world.topic, suffix))
    assert response.status_code == 403
    assert b"Kirjaston" not in response.get_data()
    assert audit_rows() == []


@pytest.mark.parametrize("suffix", ["", "/csv"])
def test_another_organisations_preparer_gets_404_for_our_topic_in_their_address(
    db, client, login_as, world, other_org, suffix
):
    outsider = factories.make_user("valmistelija@vierema.fi", org=other_org, roles=(Role.PREPARER,))
    db.session.commit()
    login_as(outsider)
    assert client.get(exports_path(world.topic, suffix)).status_code == 403
    response = client.get(exports_path(world.topic, suffix, org_slug=other_org.slug))
    assert response.status_code == 404
    assert audit_rows() == []


@pytest.mark.parametrize("suffix", ["", "/json"])
def test_a_visitor_is_sent_to_log_in(client, world, suffix):
    response = client.get(exports_path(world.topic, suffix))
    assert response.status_code in (302, 303)
    assert "/account/login" in response.headers["Location"]
    assert audit_rows() == []


def test_an_unknown_topic_or_organisation_is_404(client, login_as, world, preparer):
    login_as(preparer)
    assert client.get(f"/staff/keitele/topics/{world.topic.id + 999}/exports").status_code == 404
    assert client.get(f"/staff/ei-ole/topics/{world.topic.id}/exports/csv").status_code == 404
    assert db.session.scalars(sa.select(AuditEvent)).all() == []
