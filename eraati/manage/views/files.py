"""Images and attachments of a topic: the admin's page, and serving them to readers."""

from __future__ import annotations

import io
import secrets

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations.models import FileKind, TopicFile
from eraati.core.focus import focus_after_redirect
from eraati.core.images import damaged_image, too_many_pixels
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage import forms, queries, services, uploads
from eraati.manage.display import file_size
from eraati.manage.views import bp
from eraati.manage.views.common import TOPIC_URL, admin_topic, topic_languages
from eraati.permissions import require


def _limits() -> tuple[int, int]:
    config = current_app.config
    return (
        config.get("TOPIC_IMAGE_MAX_BYTES", uploads.IMAGE_MAX_BYTES),
        config.get("TOPIC_FILE_MAX_BYTES", uploads.ATTACHMENT_MAX_BYTES),
    )


def _forms(org, topic, *, posted: str | None = None):
    languages = topic_languages(org, topic)
    image_cls = forms.image_form_class(languages)
    attachment_cls = forms.attachment_form_class(languages, file_size(_limits()[1]))
    # Only the form that was sent reads the request; the other one starts empty.
    image = (
        image_cls(prefix="image") if posted == "image" else image_cls(prefix="image", formdata=None)
    )
    if posted == "attachment":
        attachment = attachment_cls(prefix="attachment")
    else:
        attachment = attachment_cls(prefix="attachment", formdata=None)
    choices = _part_choices(org, topic)
    for form in (image, attachment):
        forms.set_part_choices(form, choices)
    return languages, image, attachment


def _part_choices(org, topic) -> list[tuple[str, str]]:
    """The topic's parts (eraati.parts) a file can be shown on."""
    from eraati.parts.queries import parts_of  # parts builds on manage

    choices = []
    for part in parts_of(topic.id):
        text = part.text(org.primary_language, org.language_list)
        title = text.title if text else ""
        choices.append(
            (str(part.id), _("Part %(number)d: %(title)s", number=part.position, title=title))
        )
    return choices


def _page(org, topic, image_form, attachment_form, languages, status=200):
    return render_template(
        "manage/files.html",
        org=org,
        topic=topic,
        images=services.files_of(topic, FileKind.IMAGE),
        attachments=services.files_of(topic, FileKind.ATTACHMENT),
        image_form=image_form,
        attachment_form=attachment_form,
        # {part id: "Part 2: Title"} of the topic's parts (eraati.parts)
        part_names={int(v): label for v, label in image_form.part.choices if v},
        languages=languages,
        limits=_limits(),
        now=utcnow(),
    ), status


def _files_url(org_slug: str, topic_id: int, **kw) -> str:
    return url_for(".files", org_slug=org_slug, topic_id=topic_id, **kw)


@bp.get(f"{TOPIC_URL}/files")
def files(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    languages, image_form, attachment_form = _forms(org, topic)
    return _page(org, topic, image_form, attachment_form, languages)


def _upload_error(error: uploads.UploadError) -> str:
    if error.code == "too_big":
        return _(
            "The file is too big. The largest allowed size is %(size)s.",
            size=file_size(error.limit),
        )
    if error.code == "not_image":
        return _("This is not a PNG or JPEG image. Save the image as PNG or JPEG and try again.")
    if error.code == "too_many_pixels":
        return too_many_pixels()
    if error.code == "damaged":
        return damaged_image()
    if error.code == "not_pdf":
        return _("This is not a PDF file. Save the document as PDF and try again.")
    return _("The file is empty. Choose the file again.")


def _add(org_slug: str, topic_id: int, kind: FileKind):
    org, topic = admin_topic(org_slug, topic_id)
    which = "image" if kind == FileKind.IMAGE else "attachment"
    languages, image_form, attachment_form = _forms(org, topic, posted=which)
    form = image_form if kind == FileKind.IMAGE else attachment_form
    if form.validate_on_submit():
        limit = _limits()[0 if kind == FileKind.IMAGE else 1]
        upload = form.file.data
        part_ids = {int(value) for value, _label in form.part.choices if value}
        part_id = forms.chosen_part(form, part_ids)
        try:
            checked = uploads.check_upload(upload.stream, upload.filename, kind, limit)
        except uploads.UploadError as exc:
            forms.add_error(form.file, _upload_error(exc))
        else:
            if part_id is False:
                return _page(org, topic, image_form, attachment_form, languages, status=422)
            prefix = "alt" if kind == FileKind.IMAGE else "title"
            texts = {code: form[f"{prefix}_{code}"].data or "" for code in languages}
            services.add_file(topic, checked, texts, current_user, part_id=part_id)
            db.session.commit()
            if kind == FileKind.IMAGE:
                flash(_("The image was added."), "success")
            else:
                flash(_("The attachment was added."), "success")
            return redirect(_files_url(org_slug, topic_id), code=303)
    return _page(org, topic, image_form, attachment_form, languages, status=422)


@bp.post(f"{TOPIC_URL}/files/image")
def add_image(org_slug: str, topic_id: int):
    return _add(org_slug, topic_id, FileKind.IMAGE)


@bp.post(f"{TOPIC_URL}/files/attachment")
def add_attachment(org_slug: str, topic_id: int):
    return _add(org_slug, topic_id, FileKind.ATTACHMENT)


def _topic_file(topic, file_id: int) -> TopicFile:
    found = next((f for f in topic.files if f.id == file_id), None)
    if found is None:
        abort(404)
    return found


@bp.post(f"{TOPIC_URL}/files/<int:file_id>/delete")
def delete_file(org_slug: str, topic_id: int, file_id: int):
    _org, topic = admin_topic(org_slug, topic_id)
    topic_file = _topic_file(topic, file_id)
    if forms.ActionForm().validate_on_submit():
        name = topic_file.filename
        services.delete_file(topic, topic_file)
        db.session.commit()
        flash(_("%(name)s was removed.", name=name), "success")
    return redirect(_files_url(org_slug, topic_id), code=303)


@bp.post(f"{TOPIC_URL}/files/<int:file_id>/move")
def move_file(org_slug: str, topic_id: int, file_id: int):
    _org, topic = admin_topic(org_slug, topic_id)
    topic_file = _topic_file(topic, file_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    if forms.ActionForm().validate_on_submit():
        services.move_file(topic, topic_file, step)
        db.session.commit()
        flash(_("The order was changed."), "success")
    focus_after_redirect(f"file-{file_id}")
    return redirect(_files_url(org_slug, topic_id, _anchor=f"file-{file_id}"), code=303)


# --- serving ---------------------------------------------------------------------------------


def _by_preview_token(topic) -> bool:
    token = request.args.get("preview", "")
    return bool(token and topic.preview_token) and secrets.compare_digest(
        token.encode(), topic.preview_token.encode()
    )


@bp.get("/files/<int:file_id>/<filename>")
def file(file_id: int, filename: str):
    """An image (shown inline) or a PDF (downloaded), for whoever may read its topic."""
    found = queries.file_with_topic(file_id)
    if found is None or found[0].filename != filename:
        abort(404)
    topic_file, topic = found
    public = topic.is_public(utcnow())
    if not public and not _by_preview_token(topic):
        require(current_user, "read_topic", topic)
    response = send_file(
        io.BytesIO(topic_file.data),
        mimetype=topic_file.content_type,
        as_attachment=topic_file.kind == FileKind.ATTACHMENT,
        download_name=topic_file.filename,
        etag=f"f{topic_file.id}-{topic_file.size}",
        last_modified=topic_file.created_at,
        max_age=3600 if public else None,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public:
        response.cache_control.public = True
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response
