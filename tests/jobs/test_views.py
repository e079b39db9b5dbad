"""Starting a job from the download page, following it, downloading its file: who may,
what is recorded, what each state looks like, and the three ways a job is run."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs.models import ExportJob, JobState
from eraati.jobs.queue import wait_local
from eraati.organisations.models import Role
from tests import factories
from tests.consultations.topic_support import choose_language
from tests.exports.support import audit_rows
from tests.jobs.support import (
    fresh,
    job_path,
    jobs_of,
    make_done_job,
    make_job,
    start_path,
    stored_path,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture
def english(client):
    choose_language(client, "en")


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- starting -------------------------------------------------------------------------------------


def test_start_answers_303_to_the_progress_page_without_running_the_export(
    browser, login_as, world, preparer, redis_queue, export_dir
):
    """With a queue the request only queues: the worker writes the file later."""
    login_as(preparer)
    response = browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "fi"})
    assert response.status_code == 303
    (job,) = jobs_of(world.topic)
    assert response.headers["Location"].endswith(f"/staff/keitele/exports/jobs/{job.token}")
    assert (job.state, job.started_at, job.stored_name) == (JobState.QUEUED, None, None)
    assert not export_dir.exists() or list(export_dir.iterdir()) == []
    assert [j.args for j in redis_queue.get_jobs()] == [(job.id,)]


def test_the_rq_worker_runs_the_queued_job(browser, login_as, world, preparer, redis_queue):
    from rq import SimpleWorker

    login_as(preparer)
    browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "en"})
    (job,) = jobs_of(world.topic)
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True) is True  # it did something
    job = fresh(job.id)
    assert job.state == JobState.DONE, job.error
    book = openpyxl.load_workbook(io.BytesIO(stored_path(job).read_bytes()), read_only=True)
    assert book.sheetnames[0] == "Comments"
    assert redis_queue.count == 0


def test_the_local_worker_runs_the_job_in_the_web_process(
    browser, login_as, world, preparer, jobs_backend
):
    jobs_backend("local")
    login_as(preparer)
    response = browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "sv"})
    assert response.status_code == 303
    assert wait_local(timeout=120)
    (job,) = jobs_of(world.topic)
    assert job.state == JobState.DONE, job.error
    book = openpyxl.load_workbook(io.BytesIO(stored_path(job).read_bytes()), read_only=True)
    assert book.sheetnames[0] == "Kommentarer"


def test_inline_the_job_is_done_when_the_progress_page_opens(
    browser, login_as, world, org_admin, english
):
    login_as(org_admin)
    response = browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "fi"})
    page = _text(browser.get(response.headers["Location"]))
    (job,) = jobs_of(world.topic)
    assert job.state == JobState.DONE
    assert "The file is ready." in page
    assert REFRESH not in page


def test_a_report_from_the_button_to_the_download(browser, login_as, world, preparer, english):
    login_as(preparer)
    response = browser.post(start_path(world.topic), data={"format": "pdf", "lang": "sv"})
    page = _text(browser.get(response.headers["Location"]))
    (job,) = jobs_of(world.topic)
    assert job.state == JobState.DONE, job.error
    assert f'href="{job_path(job, "/download")}">Download: {job.filename}</a>' in page
    response = browser.get(job_path(job, "/download"))
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    assert job.filename.endswith("-rapport.pdf")
    assert [e.action for e in audit_rows("export.start") + audit_rows()] == [
        "export.start",
        "export.download",
    ]


def test_start_is_audited(browser, login_as, world, preparer, redis_queue):
    login_as(preparer)
    data = {"format": "docx", "lang": "sv", "appendix": "y"}
    browser.post(start_path(world.topic), data=data)
    (job,) = jobs_of(world.topic)
    (event,) = audit_rows("export.start")
    assert event.details == {"format": "docx", "language": "sv", "job": job.id, "appendix": True}
    assert (event.actor_id, event.target_id) == (preparer.id, world.topic.id)
    assert job.options == {"appendix": True}
    assert audit_rows("export.download") == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"format": "csv", "lang": "fi"}, "report-format", "Choose the file format."),
        ({"lang": "fi", "appendix": "y"}, "report-format", "Choose the file format."),
        ({"format": "pdf", "lang": "de", "appendix": "y"}, "report-lang", "Choose the language."),
        ({"format": "xlsx", "lang": ""}, "xlsx-lang", "Choose the language."),
    ],
)
def test_bad_input_shows_the_page_again_with_the_error_at_the_field(
    browser, login_as, world, preparer, english, data, field, message
):
    login_as(preparer)
    response = browser.post(start_path(world.topic), data=data)
    assert response.status_code == 422
    page = _text(response)
    assert "<h1>Download data</h1>" in page
    assert f'<a href="#{field}">{message}</a>' in page  # the summary links to the field
    block = page[page.index(f'id="{field}"') :]
    assert message in block[: block.index("</fieldset>" if "lang" in field else "</form>")]
    if data.get("appendix"):
        assert 'id="report-appendix" name="appendix" value="y" checked' in page  # kept
    assert jobs_of(world.topic) == []
    assert audit_rows("export.start") == []


def test_a_start_without_the_csrf_token_is_refused(
    browser, login_as, world, preparer, csrf_enabled
):
    login_as(preparer)
    response = browser.post(start_path(world.topic), data={"format": "xlsx", "lang": "fi"})
    assert response.status_code == 400
    assert jobs_of(world.topic) == []


# --- the progress page ----------------------------------------------------------------------------


def test_a_waiting_job_refreshes_itself_until_it_is_done(
    client, login_as, world, preparer, english
):
    job = make_job(world.topic, preparer, "pdf", options={"appendix": True})
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert REFRESH in page
    assert "<h1>Council report (PDF)</h1>" in page
    assert '<span class="badge">Waiting</span>' in page
    assert '<progress id="job-progress">Waiting to start</progress>' in page
    assert f'href="{job_path(job)}?auto=0">Stop updating</a>' in page
    assert "Download:" not in page
    # Without the automatic refresh the page offers to update by hand.
    page = _text(client.get(job_path(job, "?auto=0")))
    assert REFRESH not in page
    assert "Update the page</a>" in page


def test_a_running_job_shows_how_far_it_is(client, login_as, world, preparer, english):
    job = make_job(world.topic, preparer, state=JobState.RUNNING, started_at=utcnow())
    job.progress_total, job.progress_done = 400, 100
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert REFRESH in page
    assert '<span class="badge">Being prepared</span>' in page
    assert '<progress id="job-progress" max="100" value="25">25 %</progress>' in page
    assert '<label for="job-progress">Progress</label>' in page


def test_a_done_job_offers_its_file_until_it_expires(client, login_as, world, preparer, english):
    job = make_done_job(world.topic, preparer, data=b"x" * 5000)
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert REFRESH not in page
    assert '<span class="badge">Ready</span>' in page
    link = f'<a class="button" href="{job_path(job, "/download")}">Download: {job.filename}</a>'
    assert link in page
    assert "<dt>Size</dt>\n      <dd>5 kB</dd>" in page
    assert "The file is kept until" in page
    assert "<dt>Finished</dt>" in page
    assert f'href="/staff/keitele/topics/{world.topic.id}/exports">Back to' in page


def test_an_expired_job_says_so_and_offers_no_file(client, login_as, world, preparer, english):
    job = make_done_job(world.topic, preparer, finished_at=utcnow() - timedelta(days=8))
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert '<span class="badge">Expired</span>' in page
    assert "prepared files are kept for 7 days" in page
    assert "/download" not in page
    assert "Prepare the file again</button>" in page


def test_a_failed_or_expired_file_can_be_prepared_again_in_one_step(
    browser, login_as, world, preparer, english
):
    job = make_job(world.topic, preparer, "pdf", lang="sv", state=JobState.FAILED)
    job.options = {"appendix": True}
    job.error = "interrupted"
    db.session.commit()
    login_as(preparer)
    page = _text(browser.get(job_path(job)))
    form = page[page.index(f'<form method="post" action="{start_path(world.topic)}">') :]
    form = form[: form.index("</form>")]
    for hidden in (
        '<input type="hidden" name="format" value="pdf">',
        '<input type="hidden" name="lang" value="sv">',
        '<input type="hidden" name="appendix" value="y">',
    ):
        assert hidden in form
    assert "Prepare the file again</button>" in form
    data = {"format": "pdf", "lang": "sv", "appendix": "y"}
    assert browser.post(start_path(world.topic), data=data).status_code == 303
    _first, again = jobs_of(world.topic)
    assert (again.format, again.language, again.options) == ("pdf", "sv", {"appendix": True})


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("interrupted", "Preparing the file was interrupted"),
        ("queue_unavailable", "could not be reached"),
        ("timeout", "took too long"),
        ("no_space", "ran out of disk space"),
        ("error", "Something went wrong"),
        ("something-new", "Something went wrong"),
    ],
)
def test_a_failed_job_tells_why_in_words(client, login_as, world, preparer, english, code, text):
    job = make_job(world.topic, preparer, state=JobState.FAILED)
    job.error, job.finished_at = code, utcnow()
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert '<span class="badge">Failed</span>' in page
    assert "<dt>Stopped</dt>" in page
    assert text in page
    assert REFRESH not in page
    assert "Prepare the file again</button>" in page


def test_the_progress_page_speaks_finnish(client, login_as, world, preparer):
    job = make_job(world.topic, preparer, state=JobState.FAILED)
    job.error = "interrupted"
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(job_path(job)))
    assert '<html lang="fi">' in page
    assert "Excel-työkirja (XLSX)" in page
    assert "Tiedoston valmistelu keskeytyi" in page


# --- downloading ----------------------------------------------------------------------------------


def test_download_sends_the_file_and_records_it(client, login_as, world, preparer):
    job = make_done_job(world.topic, preparer, data=b"PK\x03\x04workbook", lang="sv")
    db.session.commit()
    login_as(preparer)
    response = client.get(job_path(job, "/download"))
    assert response.status_code == 200
    assert response.get_data() == b"PK\x03\x04workbook"
    assert response.headers["Content-Type"] == XLSX_TYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={job.filename}"
    assert response.headers["Cache-Control"] == "no-store"
    (event,) = audit_rows()
    assert event.details == {"format": "xlsx", "language": "sv", "via": "web"}
    assert (event.actor_id, event.target_id) == (preparer.id, world.topic.id)


def test_head_of_a_download_records_nothing(client, login_as, world, preparer):
    job = make_done_job(world.topic, preparer)
    db.session.commit()
    login_as(preparer)
    response = client.head(job_path(job, "/download"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX_TYPE
    assert audit_rows() == []


@pytest.mark.parametrize("case", ["queued", "running", "failed", "expired", "file gone"])
def test_nothing_to_download_is_404_and_not_recorded(client, login_as, world, preparer, case):
    if case in ("expired", "file gone"):
        days = 8 if case == "expired" else 0
        job = make_done_job(world.topic, preparer, finished_at=utcnow() - timedelta(days=days))
        if case == "file gone":
            stored_path(job).unlink()
    else:
        job = make_job(world.topic, preparer, state=JobState(case))
    db.session.commit()
    login_as(preparer)
    assert client.get(job_path(job, "/download")).status_code == 404
    assert audit_rows() == []


# --- who may --------------------------------------------------------------------------------------


@pytest.fixture
def done_job(db, world, preparer):
    job = make_done_job(world.topic, preparer)
    db.session.commit()
    return job


def _routes(world, job):
    return [
        ("POST", start_path(world.topic)),
        ("GET", job_path(job)),
        ("GET", job_path(job, "/download")),
    ]


@pytest.mark.parametrize("persona", ["preparer", "org_admin"])
def test_preparers_and_admins_of_the_organisation_may(
    request, client, login_as, world, done_job, persona
):
    login_as(request.getfixturevalue(persona))
    statuses = [client.open(url, method=m).status_code for m, url in _routes(world, done_job)]
    assert statuses == [422, 200, 200]  # the empty POST is a form error


@pytest.mark.parametrize("persona", ["moderator", "other_org_moderator", "resident"])
def test_others_are_refused(request, client, login_as, world, done_job, persona):
    login_as(request.getfixturevalue(persona))
    for method, url in _routes(world, done_job):
        response = client.open(url, method=method, data={"format": "xlsx", "lang": "fi"})
        assert response.status_code == 403, (persona, url)
        assert b"Kirjaston" not in response.get_data()
    assert len(jobs_of(world.topic)) == 1
    assert audit_rows() == [] and audit_rows("export.start") == []


def test_a_visitor_is_sent_to_log_in(client, world, done_job):
    for method, url in _routes(world, done_job):
        response = client.open(url, method=method)
        assert response.status_code in (302, 303)
        assert "/account/login" in response.headers["Location"]
    assert audit_rows() == []


def test_another_organisations_preparer_finds_nothing(db, client, login_as, world, done_job):
    vierema = factories.make_org("vierema", "Vieremä")
    outsider = factories.make_user("valmistelija@vierema.fi", org=vierema, roles=tuple(Role))
    db.session.commit()
    login_as(outsider)
    # At Keitele's address: not theirs.
    for method, url in _routes(world, done_job):
        assert client.open(url, method=method).status_code == 403
    # Keitele's topic and token in Vieremä's address: as if they did not exist.
    for method, url in (
        ("POST", start_path(world.topic, org_slug="vierema")),
        ("GET", job_path(done_job, org_slug="vierema")),
        ("GET", job_path(done_job, "/download", org_slug="vierema")),
    ):
        data = {"format": "xlsx", "lang": "fi"}
        assert client.open(url, method=method, data=data).status_code == 404, url
    assert len(jobs_of(world.topic)) == 1
    assert audit_rows() == [] and audit_rows("export.start") == []


def test_a_job_whose_topic_is_elsewhere_is_404(db, client, login_as, world, preparer):
    """A row naming our organisation but another's topic (never written by start) still
    does not open."""
    vierema = factories.make_org("vierema", "Vieremä")
    their_topic = factories.make_topic(vierema, slug="heidan")
    job = make_done_job(their_topic, preparer)
    job.organisation_id = world.org.id
    db.session.commit()
    login_as(preparer)
    assert client.get(job_path(job, org_slug="keitele")).status_code == 404
    assert client.get(job_path(job, "/download", org_slug="keitele")).status_code == 404
    assert audit_rows() == []


def test_an_unknown_token_is_404(client, login_as, world, preparer):
    login_as(preparer)
    assert client.get("/staff/keitele/exports/jobs/no-such-token").status_code == 404


# --- the list on the download page ----------------------------------------------------------------


def _jobs(topic, user, n):
    made = []
    for i in range(n):
        if i % 3 == 0:
            made.append(make_done_job(topic, user, "xlsx"))
        else:
            made.append(make_job(topic, user, "pdf" if i % 3 == 1 else "docx"))
    db.session.commit()
    return made


def test_the_download_page_lists_the_latest_jobs(
    browser, login_as, world, preparer, org_admin, english
):
    done = make_done_job(world.topic, preparer, lang="sv")
    waiting = make_job(world.topic, org_admin, "pdf", options={"appendix": True})
    db.session.commit()
    login_as(preparer)
    page = _text(browser.get(f"/staff/keitele/topics/{world.topic.id}/exports"))
    table = page[page.index('id="prepared"') :]
    rows = re.findall(r"<tr role=\"row\">(.*?)</tr>", table, re.S)[1:]
    assert len(rows) == 2
    newest, oldest = rows
    assert "Council report (PDF)" in newest and "with the appendix" in newest
    assert "Waiting" in newest and org_admin.display_name in newest
    assert "/download" not in newest
    assert job_path(waiting) in newest
    assert "Excel workbook (XLSX)" in oldest and '<span lang="sv">Svenska</span>' in oldest
    assert "Ready" in oldest and preparer.display_name in oldest
    assert f'href="{job_path(done, "/download")}"' in oldest


def test_the_download_page_costs_the_same_with_3_or_30_jobs(
    browser, login_as, world, preparer, org_admin
):
    login_as(preparer)
    url = f"/staff/keitele/topics/{world.topic.id}/exports"
    _jobs(world.topic, preparer, 3)
    assert browser.get(url).status_code == 200
    few = browser.queries
    _jobs(world.topic, org_admin, 27)
    assert browser.get(url).status_code == 200
    assert browser.queries == few


def test_the_download_page_without_jobs(client, login_as, world, preparer, english):
    login_as(preparer)
    page = _text(client.get(f"/staff/keitele/topics/{world.topic.id}/exports"))
    assert "No reports or workbooks have been prepared for this consultation yet." in page


def test_a_removed_account_is_named_as_such(db, client, login_as, world, preparer, english):
    job = make_job(world.topic, None)
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(f"/staff/keitele/topics/{world.topic.id}/exports"))
    assert "a removed account" in page
    assert "a removed account" in _text(client.get(job_path(job)))


def test_job_rows_of_other_topics_are_not_listed(db, client, login_as, world, preparer, org):
    other = factories.make_topic(org, slug="toinen", title="Toinen aihe")
    make_done_job(other, preparer)
    db.session.commit()
    login_as(preparer)
    page = _text(client.get(f"/staff/keitele/topics/{world.topic.id}/exports"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExportJob)) == 1
    assert "<tbody>" not in page
