"""``flask eraati export TOPIC --format ... --output PATH``."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from eraati.exports.formats import FORMATS
from tests import factories
from tests.exports.support import (
    audit_rows,
    csv_records,
    give_map,
    read_csv,
    read_json,
    read_zip_csv,
)


def run(runner, *args):
    return runner.invoke(args=["eraati", "export", *args], catch_exceptions=False)


def test_geojson_only_for_a_topic_with_a_map(runner, world, tmp_path):
    """As on the export page: a topic without a map has no GeoJSON file, and nothing is
    written or recorded."""
    out = tmp_path / "out.geojson"
    result = runner.invoke(
        args=["eraati", "export", str(world.topic.id), "--format", "geojson", "--output", str(out)]
    )
    assert result.exit_code == 2
    assert "only for a topic that has a map" in result.output
    assert not out.exists() and audit_rows() == []


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_writes_the_same_file_as_the_download(runner, world, tmp_path, code):
    out = tmp_path / f"out.{code}"
    if FORMATS[code].needs_map:
        give_map(world.topic)
    result = run(runner, str(world.topic.id), "--format", code, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    data = out.read_bytes()
    if code == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames[0] == "Kommentit"
    elif code == "json":
        assert len(read_json(data)["comments"]) == 7
    elif code == "geojson":  # the world's comments have no place on a map
        assert read_json(data) | {"features": []} == read_json(data)
        assert read_json(data)["type"] == "FeatureCollection"
    elif code == "polis":
        assert len(read_zip_csv(data, "comments.csv")) == 8
    elif code == "csv-answers-excel":  # the poll answers, not the comments
        assert "Kysymyksen tyyppi" in read_csv(data, excel=True)[0]
    else:
        assert len(csv_records(data, excel=code == "csv-excel")) == 7
    assert not (tmp_path / f"out.{code}.part").exists()
    (event,) = audit_rows()
    assert event.details == {"format": code, "language": "fi", "via": "cli"}
    assert event.actor_id is None
    assert event.actor_name == "system"


def test_topic_by_organisation_and_address_and_headings_in_english(runner, world, tmp_path):
    out = tmp_path / "kommentit.csv"
    result = run(
        runner,
        "keitele/kirjaston-aukioloajat",
        "--format",
        "csv",
        "--lang",
        "en",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    records = csv_records(out.read_bytes(), excel=False)
    assert "Comment" in records[0]
    assert "Rows" in result.output  # the progress bar (on stderr, mixed in here)


@pytest.mark.parametrize("ref", ["999999", "keitele/ei-ole", "ei-ole/kirjaston-aukioloajat", "x"])
def test_an_unknown_topic_is_a_clear_error(runner, world, tmp_path, ref):
    out = tmp_path / "x.csv"
    result = run(runner, ref, "--format", "csv", "--output", str(out))
    assert result.exit_code == 1
    assert "No topic" in result.output
    assert not out.exists()
    assert audit_rows() == []


@pytest.mark.parametrize("code", ["docx", "pdf"])
def test_writes_the_council_report(runner, world, tmp_path, code):
    out = tmp_path / f"raportti.{code}"
    result = run(runner, str(world.topic.id), "--format", code, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} ({code} report in fi)" in result.output
    assert "Report" in result.output  # the progress bar (on stderr, mixed in here)
    data = out.read_bytes()
    if code == "docx":
        headings = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
        assert "3 Osallistuminen" in headings
    else:
        pages = PdfReader(io.BytesIO(data)).pages
        assert "Osallistuminen" in " ".join(page.extract_text() for page in pages)
    assert "Väliraportti" in all_text_of(data, code)  # the topic is still open
    assert not (tmp_path / f"raportti.{code}.part").exists()
    (event,) = audit_rows()
    assert event.details == {"format": code, "language": "fi", "via": "cli"}
    assert event.actor_name == "system"


def all_text_of(data: bytes, code: str) -> str:
    if code == "docx":
        doc = docx.Document(io.BytesIO(data))
        return " ".join(p.text for p in doc.paragraphs) + " ".join(
            p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
        )
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_report_in_swedish_with_the_appendix(runner, world, tmp_path):
    out = tmp_path / "rapport.docx"
    result = run(
        runner,
        str(world.topic.id),
        "--format",
        "docx",
        "--lang",
        "sv",
        "--appendix",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "with the appendix" in result.output
    text = all_text_of(out.read_bytes(), "docx")
    assert "Bilaga: kommentarerna som visas" in text
    assert audit_rows()[0].details["language"] == "sv"


def test_the_appendix_is_only_for_reports(runner, world, tmp_path):
    out = tmp_path / "x.csv"
    result = run(runner, str(world.topic.id), "--format", "csv", "--appendix", "--output", str(out))
    assert result.exit_code == 2
    assert "--appendix is only for the docx and pdf reports" in result.output
    assert not out.exists()
    assert audit_rows() == []


def test_an_unknown_format_or_language_is_refused(runner, world, tmp_path):
    out = str(tmp_path / "x")
    assert run(runner, "1", "--format", "odt", "--output", out).exit_code == 2
    assert run(runner, "1", "--format", "csv", "--lang", "de", "--output", out).exit_code == 2
    assert audit_rows() == []


def test_headings_default_to_the_organisations_main_language(db, runner, tmp_path):
    org = factories.make_org("narpes", "Närpiö", languages="sv,fi")
    topic = factories.make_topic(org, slug="hamnen")
    db.session.commit()
    out = tmp_path / "hamnen.csv"
    result = run(runner, "narpes/hamnen", "--format", "csv-excel", "--output", str(out))
    assert result.exit_code == 0, result.output
    header = read_csv(out.read_bytes(), excel=True)[0]
    assert "Kommentar" in header
    assert audit_rows()[0].details["language"] == "sv"
    assert audit_rows()[0].target_id == topic.id


def test_topic_by_its_address_alone_when_one_organisation_uses_it(runner, world, tmp_path):
    out = tmp_path / "kommentit.csv"
    result = run(runner, "kirjaston-aukioloajat", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert len(csv_records(out.read_bytes(), excel=False)) == 7


def test_an_address_two_organisations_use_asks_for_the_organisation(db, runner, world, tmp_path):
    other = factories.make_org("vierema", "Vieremän kunta")
    factories.make_topic(other, slug="kirjaston-aukioloajat")
    db.session.commit()
    out = tmp_path / "x.csv"
    result = run(runner, "kirjaston-aukioloajat", "--format", "csv", "--output", str(out))
    assert result.exit_code == 1
    assert "keitele/kirjaston-aukioloajat, vierema/kirjaston-aukioloajat" in result.output
    assert not out.exists()
    assert audit_rows() == []
