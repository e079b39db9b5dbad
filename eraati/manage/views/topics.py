"""The staff topic list and the topic form (create and edit)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from eraati.consultations import background
from eraati.consultations.models import Topic
from eraati.core.i18n import LANGUAGES
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.manage import forms, queries, services
from eraati.manage.views import bp
from eraati.manage.views.common import (
    TOPIC_URL,
    admin_topic,
    edit_url,
    ordered_languages,
    page_arg,
    stale_message,
)
from eraati.organisations.models import Organisation, OrganisationKind
from eraati.permissions import can
from eraati.staff import staff_org

MIN_SLOTS = 3


# --- list ------------------------------------------------------------------------------------


@bp.get("/staff/<org_slug>/topics")
def topics(org_slug: str):
    org = staff_org(org_slug, "staff")
    pagination = queries.org_topics(org, page_arg())
    pending = queries.comment_figures([t.id for t in pagination.items])
    return render_template(
        "manage/topics.html",
        org=org,
        pagination=pagination,
        pending=pending,
        now=utcnow(),
        may_manage=can(current_user, "manage_topics", org),
        may_moderate=can(current_user, "moderate", org),
        may_export=can(current_user, "export", org),
        page_url=lambda n: url_for(".topics", org_slug=org.slug, page=n),
    )


# --- the topic form --------------------------------------------------------------------------


def _members(org: Organisation) -> list[Organisation]:
    if org.kind != OrganisationKind.JOINT_AUTHORITY:
        return []
    return list(org.members)


def _protected(topic: Topic | None) -> frozenset[str]:
    """Languages whose text has a moderators' summary or results (not removable)."""
    if topic is None:
        return frozenset()
    return frozenset(
        t.locale
        for t in topic.translations
        if t.moderator_summary or t.decision_outcome or t.feedback_use
    )


def _slot_count(topic: Topic | None, posted: bool) -> int:
    if posted:
        wanted = request.form.get("slot_count", type=int) or MIN_SLOTS
        if request.form.get("add_question"):
            wanted += 1
        return min(max(wanted, 1), forms.POLL_SLOTS_MAX)
    existing = len(topic.questions) if topic is not None else 0
    return min(max(MIN_SLOTS, existing + 1), forms.POLL_SLOTS_MAX)


def _build_form(org: Organisation, topic: Topic | None, *, posted: bool, poll_locked: bool):
    """The topic form with a section per language (the organisation's, the topic's, and any
    added with the "add a language" buttons) and its poll slots."""
    extra = []
    if topic is not None:  # the topic's languages, also those only its poll is written in
        extra += [t.locale for t in topic.translations]
        extra += [code for q in topic.questions for code in q.texts]
    if posted:
        extra += (request.form.get("languages") or "").split(",")
        extra.append(request.form.get("add_language") or "")
    languages = ordered_languages(org, *extra)
    slots = 0 if poll_locked else _slot_count(topic, posted)
    members = _members(org)
    cls = forms.topic_form_class(
        languages,
        org.primary_language,
        slots=slots,
        protected=_protected(topic),
        with_members=bool(members),
    )
    if posted:
        form = cls()
    elif topic is not None:
        form = cls(formdata=None, data=forms.topic_form_data(topic, languages, slots))
    else:
        form = cls(formdata=None)
    if members:
        locale = _locale()
        form.concerned.choices = [SelectChoice(m.id, m.name(locale)) for m in members]
    offered = background.available(org)
    if topic is not None:  # one chosen earlier stays choosable
        offered += [q for q in background.chosen(topic) if q not in offered]
    form.background.choices = [
        (q.key, str(q.label)) for q in background.QUESTIONS.values() if q in offered
    ]
    if poll_locked and topic is not None:  # shown, not posted (the boxes are disabled)
        form.background.data = background.chosen_keys(topic)
    form.languages.data = ",".join(languages)
    form.slot_count.data = str(slots)
    return form


def _locale() -> str:
    return str(get_locale() or "fi")


def _is_step() -> bool:
    """An "add a language" or "add a question" button: show the form again, save nothing."""
    return bool(request.form.get("add_language") or request.form.get("add_question"))


def _added_field(form) -> str | None:
    """The id of the first field an "add" button just put in the form (the new language's
    title, the new question's kind), so that the page focuses it: without JavaScript the
    button reloads the page, and a keyboard user would start again from its top."""
    code = request.form.get("add_language")
    if code:
        before = (request.form.get("languages") or "").split(",")
        if code in form.languages_shown and code not in before:
            return form.lang_field("title", code).id
        return None
    if request.form.get("add_question"):
        before = request.form.get("slot_count", type=int) or 0
        if form.slots > 0 and before < form.slots:
            return form.slot_field(form.slots - 1, "kind").id
    return None


def _data(form, org: Organisation) -> services.TopicData:
    has_members = "concerned" in form
    return services.TopicData(
        opens_at=form.opens_at,
        closes_at=form.closes_at,
        texts=form.texts(),
        languages=form.languages_shown,
        slug=form.slug.data or "",
        decision_planned_on=form.decision_planned_on.data,
        case_number=form.case_number.data,
        concerned_ids=list(form.concerned.data or []) if has_members else None,
        allow_anonymous=form.allow_anonymous.data,
        premoderated=form.premoderated.data,
        stances_enabled=form.stances_enabled.data,
        offers_rating=form.offers_rating.data,
        reminder_days=form.reminder_days.data,
        poll=form.poll(),
        # A locked poll (no slots) locks its background questions too.
        background=list(form.background.data or []) if form.slots else None,
    )


def _slug_taken(form) -> None:
    forms.add_error(
        form.slug,
        _("Another topic of the organisation already has this address. Choose another one."),
    )


def _render(
    org, topic, form, *, status=200, poll_locked=False, stale=None, notice=None, focus_id=None
):
    return render_template(
        "manage/topic_form.html",
        org=org,
        topic=topic,
        form=form,
        poll_locked=poll_locked,
        stale=stale,
        stale_message=stale_message(),
        notice=notice,
        focus_id=focus_id,
        addable=[c for c in LANGUAGES if c not in form.languages_shown],
        max_slots=forms.POLL_SLOTS_MAX,
        body_hint=forms.body_hint(),
        members=_members(org),
        now=utcnow(),
        missing=services.missing_languages(topic) if topic is not None else [],
        file_count=len(topic.files) if topic is not None else 0,
        background_questions=background.QUESTIONS,
    ), status


@bp.route("/staff/<org_slug>/topics/new", methods=["GET", "POST"])
def new_topic(org_slug: str):
    org = staff_org(org_slug, "manage_topics")
    posted = request.method == "POST"
    form = _build_form(org, None, posted=posted, poll_locked=False)
    if not posted:
        return _render(org, None, form)
    if _is_step():
        return _render(org, None, form, focus_id=_added_field(form))
    if not form.validate_on_submit():
        return _render(org, None, form, status=422)
    try:
        topic = services.create_topic(org, _data(form, org), current_user)
    except (services.SlugTakenError, IntegrityError):  # in use, or taken a moment ago
        db.session.rollback()
        _slug_taken(form)
        return _render(org, None, form, status=422)
    topic_id = topic.id
    db.session.commit()
    flash(_("The topic was saved as a draft. Residents cannot see it yet."), "success")
    return redirect(url_for(".edit_topic", org_slug=org_slug, topic_id=topic_id), code=303)


def _submitted_texts(form) -> dict[str, dict[str, str]]:
    """What the admin wrote in each language, to show beside a stale form."""
    out = {}
    for code in form.languages_shown:
        values = {k: form.lang_field(k, code).data or "" for k in ("title", "summary", "body")}
        if any(values.values()):
            out[code] = values
    return out


def _stale(org: Organisation, topic: Topic, submitted_form):
    """Nothing was saved: the form shows the saved topic, the admin's text beside it."""
    db.session.rollback()
    mine = _submitted_texts(submitted_form)
    poll_locked = services.poll_has_answers(topic)
    form = _build_form(org, topic, posted=False, poll_locked=poll_locked)
    return _render(org, topic, form, status=409, poll_locked=poll_locked, stale=mine)


@bp.route(f"{TOPIC_URL}/edit", methods=["GET", "POST"])
def edit_topic(org_slug: str, topic_id: int):
    org, topic = admin_topic(org_slug, topic_id)
    poll_locked = services.poll_has_answers(topic)
    posted = request.method == "POST"
    form = _build_form(org, topic, posted=posted, poll_locked=poll_locked)
    if not posted:
        return _render(org, topic, form, poll_locked=poll_locked)
    if _is_step():
        return _render(org, topic, form, poll_locked=poll_locked, focus_id=_added_field(form))
    if not form.validate_on_submit():
        return _render(org, topic, form, status=422, poll_locked=poll_locked)
    expected = int(form.revision.data) if (form.revision.data or "").isdigit() else 0
    if expected != topic.revision:
        return _stale(org, topic, form)
    try:
        services.update_topic(topic, _data(form, org), expected)
    except services.StaleEditError:
        return _stale(org, topic, form)
    except (services.SlugTakenError, IntegrityError):
        db.session.rollback()
        _slug_taken(form)
        return _render(org, topic, form, status=422, poll_locked=poll_locked)
    except services.PollLockedError:
        # Someone answered the poll while the form was open: keep the rest of the form.
        db.session.rollback()
        form = _build_form(org, topic, posted=True, poll_locked=True)
        form.revision.data = str(expected)
        notice = _(
            "People have started answering the poll, so its questions can no longer be "
            "changed. Nothing was saved: check your other changes and save again."
        )
        return _render(org, topic, form, status=409, poll_locked=True, notice=notice)
    back = edit_url(org, topic)
    db.session.commit()
    flash(_("Your changes were saved."), "success")
    return redirect(back, code=303)
