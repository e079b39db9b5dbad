"""Downloads of a topic's raw data, for the preparers and admins of its organisation.

CSV, JSON and Polis stream: the audit row of a download is committed before the first
byte is sent, then the file is written while it streams (``services.prepare``), so a
large topic never sits in memory. Hidden comments' texts are left out unless the form's
box is ticked (``hidden_texts=y``), which the audit row records as the preparer's own
choice: so only the page's form, sent by POST with its CSRF token, can make it. A GET
(a link, a bookmark) gives the file without them whatever its address says. The XLSX
workbook and the council report are prepared in the background (``eraati.jobs``, a POST
form too); this page starts them and lists the latest ones.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import get_locale

from eraati.core.i18n import LANGUAGE_NAMES, LANGUAGES
from eraati.core.time import utcnow
from eraati.exports import services
from eraati.exports.formats import FORMATS
from eraati.extensions import db
from eraati.staff import org_topic_or_404, staff_org

bp = Blueprint("exports", __name__)

EXPORTS_URL = "/staff/<org_slug>/topics/<int:topic_id>/exports"
# Prepared in the background (eraati.jobs), not streamed here.
PREPARED = ("xlsx",)
STREAMED = tuple(code for code in FORMATS if code not in PREPARED)


def _load(org_slug: str, topic_id: int):
    org = staff_org(org_slug, "export")
    return org, org_topic_or_404(org, topic_id)


def _hidden_texts() -> bool:
    """The preparer ticked "include the texts of hidden comments" (off by default) in the
    form they sent: only a POST (CSRFProtect has checked its token) can carry the choice,
    never an address."""
    return request.method == "POST" and request.form.get("hidden_texts") in ("y", "1", "on")


def _language() -> str:
    """The language of the headings: the form's choice (``language=``; ``lang=`` is the
    page's own language, core.i18n), else the page's."""
    chosen = (request.form if request.method == "POST" else request.args).get("language")
    if chosen in LANGUAGES:
        return chosen
    return str(get_locale() or "fi")


@bp.get(EXPORTS_URL)
def page(org_slug: str, topic_id: int):
    org, topic = _load(org_slug, topic_id)
    return render_page(org, topic)


def render_page(org, topic, *, job_form=None) -> str:
    """The page; ``job_form`` is a refused job form, shown again with its errors."""
    from eraati.jobs import labels, queries
    from eraati.jobs.forms import ExportJobForm

    locale = str(get_locale() or "fi")
    text = topic.text(locale)
    chosen = _language()
    if job_form is None:
        job_form = ExportJobForm(formdata=None, lang=chosen)
    return render_template(
        "exports/page.html",
        org=org,
        topic=topic,
        title=text.title if text else "",
        title_lang=text.locale if text and text.locale != locale else None,
        formats=[FORMATS[code] for code in STREAMED if FORMATS[code].offered(topic)],
        workbook=FORMATS["xlsx"],
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        chosen=chosen,
        job_form=job_form,
        jobs=queries.recent(topic),
        job_labels=labels,
        now=utcnow(),
        keep_days=current_app.config["EXPORT_KEEP_DAYS"],
    )


@bp.route(f"{EXPORTS_URL}/<fmt>", methods=["GET", "POST"])
def download(org_slug: str, topic_id: int, fmt: str):
    """The file: POST from the page's form (which may include hidden texts), or GET
    (never with them)."""
    _org, topic = _load(org_slug, topic_id)
    if fmt not in STREAMED or not FORMATS[fmt].offered(topic):
        abort(404)  # GeoJSON: only a topic with a map has one
    lang = _language()
    hidden_texts = _hidden_texts()
    if request.method != "HEAD":  # HEAD asks about the file: nothing was downloaded
        services.record_download(topic, fmt, lang, hidden_texts=hidden_texts)
        db.session.commit()
    export = services.prepare(topic, fmt, lang, hidden_texts=hidden_texts)
    response = Response(stream_with_context(export.chunks), content_type=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
