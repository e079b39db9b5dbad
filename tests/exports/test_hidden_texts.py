"""Hidden comments' texts stay out of the raw data unless the preparer chooses otherwise.

By default every format keeps a hidden comment's row with its status and reason, and its
text is replaced by a marker. Including the texts is an explicit choice (a box on the
page, the workbook's form, ``--include-hidden-text``) that the audit log records, and
such a file says so at its beginning: its first line, its first sheet, the zip's first
file."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from eraati.exports import services
from eraati.exports.formats import FORMATS
from eraati.exports.views import STREAMED
from tests.consultations.topic_support import choose_language
from tests.exports.support import (
    all_text,
    audit_rows,
    csv_records,
    exports_path,
    give_map,
    read_csv,
    read_json,
    read_zip_csv,
)

# The files that hold comments (the poll answers' CSV holds none: tests/surveys checks its
# hidden open answers).
COMMENT_FORMATS = sorted(set(FORMATS) - {"csv-answers-excel"})
SECRET = "Loukkaava kommentti"  # the hidden comment's text in ``build_world``
LEFT_OUT = {
    "en": "[Text left out: hidden by the moderator]",
    "fi": "[Teksti jätetty pois: moderaattori piilotti kommentin]",
}
NOTICE = {
    "en": "This file includes the texts of comments that a moderator hid.",
    "fi": "Tässä tiedostossa ovat mukana myös niiden kommenttien tekstit",
}


def export(topic, code: str, lang: str = "en", **kw) -> bytes:
    return b"".join(services.prepare(topic, code, lang, **kw).chunks)


def _located(world, code: str) -> None:
    """The GeoJSON file has only the comments with a place: give each one a point."""
    if code == "geojson":
        from eraati.extensions import db

        for comment in world.comments.values():
            comment.lat, comment.lon = 63.56, 27.19
        db.session.commit()


def _hidden_row(world, code: str, data: bytes, lang: str) -> tuple[str, str, str]:
    """(status, reason, text) of the hidden comment's row in a file of ``code``."""
    cid = world.comments["hidden"].id
    if code == "geojson":
        features = read_json(data)["features"]
        (props,) = [f["properties"] for f in features if f["properties"]["comment_id"] == cid]
        return props["status"], props["hidden_reason"], props["text"]
    if code in ("csv", "csv-excel"):
        excel = code == "csv-excel"
        lines = read_csv(data, excel=excel)
        if lines[0][0].startswith(NOTICE[lang][:20]):
            lines = lines[1:]
        header, *body = lines
        (row,) = [dict(zip(header, line, strict=True)) for line in body if line[0] == str(cid)]
        return row[header[4]], row[header[5]], row[header[8]]
    if code == "json":
        (row,) = [c for c in read_json(data)["comments"] if c["id"] == cid]
        return row["status"], row["hidden_reason"], row["text"]
    if code == "polis":
        (row,) = [line for line in read_zip_csv(data, "comments.csv")[1:] if line[2] == str(cid)]
        return row[6], "", row[7]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[-5]  # the comments, after the notice sheet if there is one
    (row,) = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == cid]
    return row[4], row[5], row[8]


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("code", COMMENT_FORMATS)
def test_a_hidden_comments_text_is_left_out_by_default(world, code, lang):
    _located(world, code)
    data = export(world.topic, code, lang)
    assert SECRET not in all_text(data)
    assert NOTICE[lang] not in all_text(data)
    status, reason, text = _hidden_row(world, code, data, lang)
    assert text == LEFT_OUT[lang]
    assert status in ("hidden", "Hidden by the moderator", "Moderaattorin piilottama", "-1")
    if code != "polis":  # Polis's layout has no column for it
        assert reason == "Asiaton kielenkäyttö"
    # The shown comments keep their texts.
    assert world.comments["web"].body in all_text(data)


@pytest.mark.parametrize("code", COMMENT_FORMATS)
def test_chosen_the_hidden_text_is_in_the_file_which_says_so_first(world, code):
    _located(world, code)
    data = export(world.topic, code, hidden_texts=True)
    assert SECRET in all_text(data)
    assert LEFT_OUT["en"] not in all_text(data)
    assert _hidden_row(world, code, data, "en")[2] == SECRET
    if code in ("csv", "csv-excel"):
        first = read_csv(data, excel=code == "csv-excel")[0]
        assert len(first) == 1 and first[0].startswith(NOTICE["en"])
    elif code == "geojson":
        assert data.decode("utf-8").startswith('{"notice":"' + NOTICE["en"])
    elif code == "json":
        first_line = data.decode("utf-8").splitlines()[0]
        assert first_line.startswith('{"notice":"' + NOTICE["en"])
        assert read_json(data)["hidden_texts"] is True
    elif code == "polis":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            first = zf.namelist()[0]
            assert first == "NOTICE.txt"
            assert zf.read(first).decode("utf-8").startswith(NOTICE["en"])
        assert read_zip_csv(data, "comments.csv")[0][0] == "timestamp"  # Polis's layout
    else:
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames[:2] == ["Notice", "Comments"]
        assert book["Notice"]["A1"].value.startswith(NOTICE["en"])


def test_json_says_when_hidden_texts_are_left_out(world):
    doc = read_json(export(world.topic, "json"))
    assert doc["hidden_texts"] is False
    assert "notice" not in doc


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    choose_language(client, "en")


def test_the_page_offers_the_choice_unticked(client, login_as, world, preparer, english):
    login_as(preparer)
    page = client.get(exports_path(world.topic)).get_data(as_text=True)
    assert page.count('name="hidden_texts" value="y"') == 2  # streamed files, workbook
    assert 'name="hidden_texts" value="y" checked' not in page
    assert "Include the texts of comments hidden by a moderator" in page
    assert 'aria-describedby="hidden_texts-hint"' in page
    assert "A hidden comment has its reason but not its text" in page


def test_a_download_leaves_hidden_texts_out_unless_ticked(client, login_as, world, preparer):
    login_as(preparer)
    plain = client.post(exports_path(world.topic, "/csv"), data={"language": "en"}).get_data()
    assert SECRET not in plain.decode("utf-8")
    chosen = client.post(
        exports_path(world.topic, "/csv"), data={"language": "en", "hidden_texts": "y"}
    ).get_data()
    assert read_csv(chosen, excel=False)[0][0].startswith(NOTICE["en"])
    assert SECRET in chosen.decode("utf-8")
    first, second = audit_rows()
    assert first.details == {"format": "csv", "language": "en", "via": "web"}
    assert second.details == {
        "format": "csv",
        "language": "en",
        "via": "web",
        "hidden_texts": True,
    }


def test_a_link_cannot_choose_the_hidden_texts(client, login_as, world, preparer, english):
    """A GET is a link someone may have been given: it serves the file without hidden
    texts whatever its address says, and the audit row records no such choice. Neither
    does such an address tick the page's box."""
    login_as(preparer)
    for code in ("csv", "json"):
        response = client.get(exports_path(world.topic, f"/{code}?language=en&hidden_texts=y"))
        assert response.status_code == 200
        data = response.get_data(as_text=True)
        assert SECRET not in data and LEFT_OUT["en"] in data
        assert NOTICE["en"] not in data
    assert [row.details.get("hidden_texts") for row in audit_rows()] == [None, None]
    page = client.get(exports_path(world.topic, "?hidden_texts=y")).get_data(as_text=True)
    assert 'name="hidden_texts" value="y" checked' not in page


def test_the_raw_data_form_is_a_post_with_the_csrf_token(
    client, login_as, world, preparer, english, csrf_enabled
):
    """The page's form sends the choice by POST with its token; a POST without the token
    (another site's form) is refused and downloads nothing."""
    login_as(preparer)
    page = client.get(exports_path(world.topic)).get_data(as_text=True)
    start = page.index("<h2>Raw data</h2>")
    form = page[start : page.index("</form>", start)]
    assert '<form method="post"' in form and 'id="hidden_texts"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    path = exports_path(world.topic, "/json")
    refused = client.post(path, data={"language": "en", "hidden_texts": "y"})
    assert refused.status_code == 400
    assert SECRET not in refused.get_data(as_text=True)
    assert audit_rows() == []
    sent = client.post(path, data={"language": "en", "hidden_texts": "y", "csrf_token": token})
    assert sent.status_code == 200
    assert read_json(sent.get_data())["hidden_texts"] is True
    (row,) = audit_rows()
    assert row.details["hidden_texts"] is True


def test_the_audit_log_shows_the_choice(client, login_as, world, preparer, org_admin, english):
    login_as(preparer)
    client.post(exports_path(world.topic, "/json"), data={"hidden_texts": "y"}).get_data()
    client.post(exports_path(world.topic, "/csv-excel")).get_data()
    login_as(org_admin)
    page = client.get(f"/staff/{world.org.slug}/audit").get_data(as_text=True)
    rows = page[page.index("<tbody>") : page.index("</tbody>")].split("<tr>")[1:]
    newest, oldest = rows  # newest first
    assert "Format: CSV for Excel" in newest
    assert "Texts of hidden comments: left out" in newest
    assert "Format: JSON" in oldest
    assert "Texts of hidden comments: included" in oldest
    assert "left out" not in oldest


AUDIT_WORDS = {
    "fi": ("Muoto: Polis (ZIP)", "Piilotettujen kommenttien tekstit: mukana"),
    "sv": ("Format: Polis (ZIP)", "Dolda kommentarers texter: med"),
    "en": ("Format: Polis (ZIP)", "Texts of hidden comments: included"),
}


@pytest.mark.parametrize("lang", sorted(AUDIT_WORDS))
def test_the_audit_log_says_format_and_choice_in_each_language(
    client, login_as, world, preparer, org_admin, lang
):
    login_as(preparer)
    client.post(exports_path(world.topic, "/polis"), data={"hidden_texts": "y"}).get_data()
    login_as(org_admin)
    choose_language(client, lang)
    page = client.get(f"/staff/{world.org.slug}/audit").get_data(as_text=True)
    for words in AUDIT_WORDS[lang]:
        assert words in page


def test_a_file_with_hidden_texts_says_so_in_its_name(client, login_as, world, preparer):
    def name(code: str, **data) -> str:
        response = client.post(exports_path(world.topic, f"/{code}"), data=data)
        response.get_data()  # the stream ends inside its request
        return response.headers["Content-Disposition"].split('filename="')[1].rstrip('"')

    give_map(world.topic)  # the GeoJSON export is only for a topic with a map
    login_as(preparer)
    for code in sorted(STREAMED):
        suffix = FORMATS[code].suffix
        plain = name(code, language="en")
        chosen = name(code, language="en", hidden_texts="y")
        assert "hidden" not in plain
        assert chosen == plain.removesuffix(suffix) + "-hidden-texts" + suffix
        assert chosen.isascii()
    assert services.prepare(world.topic, "xlsx", "fi", hidden_texts=True).filename.endswith(
        "-hidden-texts.xlsx"
    )


# --- the workbook (a background job) -------------------------------------------------------------


def test_the_workbook_job_carries_the_choice(browser, login_as, world, preparer, english):
    from tests.jobs.support import job_path, jobs_of, start_path

    login_as(preparer)
    data = {"format": "xlsx", "lang": "en", "hidden_texts": "y"}
    progress = browser.get(browser.post(start_path(world.topic), data=data).headers["Location"])
    assert "This workbook includes the texts of comments hidden by a moderator." in (
        progress.get_data(as_text=True)
    )
    (job,) = jobs_of(world.topic)
    assert job.options == {"hidden_texts": True}
    assert job.filename.endswith("-hidden-texts.xlsx")
    (start,) = audit_rows("export.start")
    assert start.details == {
        "format": "xlsx",
        "language": "en",
        "job": job.id,
        "hidden_texts": True,
    }
    book = openpyxl.load_workbook(io.BytesIO(browser.get(job_path(job, "/download")).get_data()))
    assert book.sheetnames[0] == "Notice"
    assert SECRET in [r[8] for r in book["Comments"].iter_rows(min_row=2, values_only=True)]
    (download,) = audit_rows()
    assert download.details["hidden_texts"] is True
    page = browser.get(exports_path(world.topic)).get_data(as_text=True)
    assert "with the texts of hidden comments" in page  # the list of prepared files


def test_a_workbook_without_the_choice_leaves_them_out(browser, login_as, world, preparer):
    from tests.jobs.support import job_path, jobs_of, start_path

    login_as(preparer)
    browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "en"})
    (job,) = jobs_of(world.topic)
    assert job.options == {}
    assert "hidden" not in job.filename
    book = openpyxl.load_workbook(io.BytesIO(browser.get(job_path(job, "/download")).get_data()))
    assert book.sheetnames[0] == "Comments"
    texts = [r[8] for r in book["Comments"].iter_rows(min_row=2, values_only=True)]
    assert SECRET not in texts and LEFT_OUT["en"] in texts


def test_a_report_ignores_the_choice(browser, login_as, world, preparer):
    from tests.jobs.support import jobs_of, start_path

    login_as(preparer)
    data = {"format": "docx", "lang": "fi", "hidden_texts": "y"}
    browser.post(start_path(world.topic), data=data)
    (job,) = jobs_of(world.topic)
    assert job.options == {"appendix": False}


# --- the command line -----------------------------------------------------------------------------


def _run(runner, *args):
    return runner.invoke(args=["eraati", "export", *args], catch_exceptions=False)


@pytest.mark.parametrize("code", ["csv-excel", "xlsx"])
def test_the_command_line_includes_them_only_when_told(runner, world, tmp_path, code):
    out = tmp_path / "out"
    result = _run(runner, str(world.topic.id), "--format", code, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "hidden comments left out" in result.output
    assert SECRET not in all_text(out.read_bytes())
    result = _run(
        runner,
        str(world.topic.id),
        "--format",
        code,
        "--include-hidden-text",
        "--lang",
        "en",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert SECRET in all_text(out.read_bytes())
    assert NOTICE["en"] in all_text(out.read_bytes())
    first, second = audit_rows()
    assert "hidden_texts" not in first.details
    assert second.details == {"format": code, "language": "en", "via": "cli", "hidden_texts": True}


def test_the_command_line_refuses_the_choice_for_a_report(runner, world, tmp_path):
    out = tmp_path / "out.pdf"
    args = [str(world.topic.id), "--format", "pdf", "--include-hidden-text", "--output", str(out)]
    result = runner.invoke(args=["eraati", "export", *args])
    assert result.exit_code == 2
    assert "only for the raw data" in result.output
    assert audit_rows() == [] and not out.exists()


def test_csv_records_skip_nothing_without_the_choice(world):
    """The standard CSV without the choice still starts with its headings (RFC 4180)."""
    records = csv_records(export(world.topic, "csv"), excel=False)
    assert len(records) == 7 and "Comment ID" in records[0]
