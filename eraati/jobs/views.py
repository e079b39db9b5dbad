"""Export jobs on the staff pages: start one, follow it, download its file.

Every route needs the "export" rule in the organisation of the address; a job is found
by its token only within that organisation (and its topic too), so another
organisation's token is a 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user

from eraati.core.time import utcnow
from eraati.exports import services as exports
from eraati.exports.formats import FORMATS
from eraati.extensions import db
from eraati.jobs import labels, queries, services
from eraati.jobs.forms import ExportJobForm
from eraati.jobs.models import JobState
from eraati.staff import org_topic_or_404, staff_org

bp = Blueprint("jobs", __name__)

JOB_URL = "/staff/<org_slug>/exports/jobs/<token>"
REFRESH_SECONDS = 2


@bp.post("/staff/<org_slug>/topics/<int:topic_id>/exports/jobs")
def start(org_slug: str, topic_id: int):
    from eraati.exports.views import render_page

    org = staff_org(org_slug, "export")
    topic = org_topic_or_404(org, topic_id)
    form = ExportJobForm()
    if not form.validate_on_submit():
        return render_page(org, topic, job_form=form), 422
    job = services.start(
        topic,
        form.format.data,
        form.lang.data,
        appendix=form.appendix.data,
        hidden_texts=form.hidden_texts.data,
        user=current_user,
    )
    return redirect(url_for(".progress", org_slug=org.slug, token=job.token), 303)


@bp.get(JOB_URL)
def progress(org_slug: str, token: str):
    org = staff_org(org_slug, "export")
    job = queries.org_job_or_404(org, token)
    now = utcnow()
    state = labels.shown_state(job, now)
    working = job.state in (JobState.QUEUED, JobState.RUNNING)
    auto = request.args.get("auto") != "0"
    locale = str(get_locale() or "fi")
    text = job.topic.text(locale)
    return render_template(
        "jobs/progress.html",
        org=org,
        job=job,
        topic=job.topic,
        title=text.title if text else "",
        title_lang=text.locale if text and text.locale != locale else None,
        heading=labels.FORMAT_LABELS[job.format],
        state=state,
        state_label=labels.STATE_LABELS[state],
        working=working,
        refresh=REFRESH_SECONDS if working and auto else None,
        auto=auto,
        percent=labels.percent(job),
        reason=labels.reason_text(job) if job.state == JobState.FAILED else None,
        keep_days=_keep_days(),
    )


@bp.get(f"{JOB_URL}/download")
def download(org_slug: str, token: str):
    org = staff_org(org_slug, "export")
    job = queries.org_job_or_404(org, token)
    if labels.shown_state(job, utcnow()) != JobState.DONE:
        abort(404)
    path = services.export_dir() / job.stored_name
    if not path.is_file():
        abort(404)
    if request.method == "GET":  # HEAD asks about the file: nothing was downloaded
        exports.record_download(
            job.topic,
            job.format,
            job.language,
            hidden_texts=bool(job.options.get("hidden_texts")),
        )
        db.session.commit()
    response = send_file(
        path,
        mimetype=_mimetype(job.format),
        as_attachment=True,
        download_name=job.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _mimetype(fmt: str) -> str:
    if fmt == services.XLSX:
        return FORMATS[fmt].mimetype
    from eraati.reports.build import MIMETYPES

    return MIMETYPES[fmt]


def _keep_days() -> int:
    from flask import current_app

    return current_app.config["EXPORT_KEEP_DAYS"]
