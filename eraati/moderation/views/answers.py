"""Open survey answers: the organisation's list of them (those waiting for a look, or
all), marking them checked, and one answer's page: read it, hide it with a reason,
restore it. The staff results page lists each question's newest answers too."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eraati.consultations.models import Answer, Question, QuestionKind, Topic
from eraati.core.security import safe_next
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation import queries, services
from eraati.moderation.forms import AnswerCheckForm, AnswerHideForm
from eraati.moderation.queries import AnswerTab
from eraati.moderation.views import bp, form_status, locale
from eraati.organisations.models import Organisation
from eraati.staff import staff_org

LIST_URL = "/staff/<org_slug>/moderation/answers"
_SAFE_ARG = re.compile(r"^[a-z0-9_]{1,60}$")


def _list_args() -> dict[str, str]:
    """The list's own address arguments (tab, topic, page position), checked."""
    return {
        k: request.args[k]
        for k in ("tab", "topic", "after", "before")
        if _SAFE_ARG.match(request.args.get(k) or "")
    }


def render_answers(org: Organisation, *, form: AnswerCheckForm | None = None, status=200):
    topics = queries.survey_topics(org)
    by_id = {str(t.id): t for t in topics}
    raw_topic = request.args.get("topic", "")
    topic = by_id.get(raw_topic) if raw_topic else None
    if raw_topic and topic is None:
        abort(404)
    try:
        tab = AnswerTab(request.args.get("tab") or AnswerTab.WAITING)
    except ValueError:
        tab = AnswerTab.WAITING
    page = queries.answers_page(
        org,
        tab,
        topic,
        after=request.args.get("after"),
        before=request.args.get("before"),
        per_page=current_app.config.get("MODERATION_PER_PAGE", queries.PER_PAGE),
    )
    waiting = queries.answers_waiting(org)
    base = {"tab": tab.value} if tab != AnswerTab.WAITING else {}
    if topic is not None:
        base["topic"] = str(topic.id)
    here = {**base, **{k: v for k, v in page.here.items() if v}}
    titles = {
        t.id: (topic_text.title if (topic_text := t.text(locale())) else t.slug) for t in topics
    }
    return render_template(
        "moderation/answers.html",
        org=org,
        tab=tab,
        AnswerTab=AnswerTab,
        topic=topic,
        topics=topics,
        titles=titles,
        page=page,
        waiting=waiting,
        waiting_here=waiting.get(topic.id, 0) if topic is not None else sum(waiting.values()),
        check_form=form or AnswerCheckForm(formdata=None),
        tab_url=lambda t: url_for(
            ".answers",
            org_slug=org.slug,
            **{k: v for k, v in base.items() if k != "tab"},
            **({"tab": t.value} if t != AnswerTab.WAITING else {}),
        ),
        page_url=lambda position: url_for(".answers", org_slug=org.slug, **base, **position),
        here_url=url_for(".answers", org_slug=org.slug, **here),
    ), status


@bp.get(LIST_URL)
def answers(org_slug: str):
    org = staff_org(org_slug, "moderate_answers")
    return render_answers(org)


@bp.post(f"{LIST_URL}/checked")
def check_answers(org_slug: str):
    org = staff_org(org_slug, "moderate_answers")
    form = AnswerCheckForm()
    if not form.validate_on_submit():
        return render_answers(org, form=form, status=422)
    pairs = queries.org_answers(org, form.ids.data)
    if pairs is None:
        abort(404)  # an id of another organisation's answer, or not an open answer
    done = services.check_answers(pairs, current_user, now=utcnow())
    db.session.commit()
    flash(
        ngettext("%(num)d answer marked checked.", "%(num)d answers marked checked.", len(done)),
        "success" if done else "info",
    )
    if len(done) < len(pairs):
        skipped = len(pairs) - len(done)
        flash(
            ngettext(
                "%(num)d answer was left as it was: it is hidden or was already checked.",
                "%(num)d answers were left as they were: they are hidden or were already checked.",
                skipped,
            ),
            "info",
        )
    back = url_for(".answers", org_slug=org.slug, **_list_args())
    return redirect(safe_next(request.form.get("next"), back), code=303)


ANSWER_URL = "/staff/<org_slug>/moderation/answers/<int:answer_id>"


def _answer_or_404(org: Organisation, answer_id: int) -> tuple[Answer, Question]:
    row = db.session.execute(
        sa.select(Answer, Question)
        .join(Question, Question.id == Answer.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(
            Answer.id == answer_id,
            Topic.organisation_id == org.id,
            Question.kind == QuestionKind.OPEN,
        )
    ).one_or_none()
    if row is None:
        abort(404)
    return row[0], row[1]


def _results_url(org: Organisation, question: Question) -> str:
    """Where an act on the answer returns: the list it came from (``next``), else the
    question on the topic's staff results page."""
    default = url_for(
        "results.staff",
        org_slug=org.slug,
        topic_id=question.topic_id,
        _anchor=f"open-{question.id}",
    )
    return safe_next(request.values.get("next"), default)


def _render(org: Organisation, answer: Answer, question: Question, form=None, status=200):
    reasons = queries.reasons(org, active_only=True)
    if form is None:
        form = AnswerHideForm(formdata=None)
    form.set_reasons(reasons, locale())
    topic = question.topic
    text = topic.text(locale())
    return render_template(
        "moderation/answer.html",
        org=org,
        answer=answer,
        question=question,
        topic=topic,
        topic_title=text.title if text else topic.slug,
        hide_form=form,
        reasons=reasons,
        hidden_by=queries.user_names({answer.hidden_by_id}).get(answer.hidden_by_id, "—"),
        results_url=_results_url(org, question),
        next_url=safe_next(request.values.get("next"), ""),
        waiting=answer.waits_for_check,
    ), status


@bp.get(ANSWER_URL)
def answer(org_slug: str, answer_id: int):
    org = staff_org(org_slug, "moderate_answers")
    return _render(org, *_answer_or_404(org, answer_id))


def _changed(org: Organisation, answer: Answer):
    db.session.rollback()
    flash(_("The answer had changed in the meantime. Please check it again."), "info")
    return redirect(url_for(".answer", org_slug=org.slug, answer_id=answer.id), code=303)


@bp.post(f"{ANSWER_URL}/hide")
def hide_answer(org_slug: str, answer_id: int):
    org = staff_org(org_slug, "moderate_answers")
    answer, question = _answer_or_404(org, answer_id)
    if answer.hidden_at is not None:
        return _changed(org, answer)
    reasons = queries.reasons(org, active_only=True)
    form = AnswerHideForm()
    form.set_reasons(reasons, locale())
    if not form.validate_on_submit():
        return _render(org, answer, question, form, status=form_status())
    reason = next(r for r in reasons if str(r.id) == form.reason.data)
    try:
        services.hide_answer(
            answer, question, reason, form.details.data, current_user, now=utcnow()
        )
    except services.AnswerChangedError:
        return _changed(org, answer)
    db.session.commit()
    flash(_("The answer was hidden. It is left out of the report; the text is kept."), "success")
    return redirect(_results_url(org, question), code=303)


@bp.post(f"{ANSWER_URL}/restore")
def restore_answer(org_slug: str, answer_id: int):
    org = staff_org(org_slug, "moderate_answers")
    answer, question = _answer_or_404(org, answer_id)
    try:
        services.restore_answer(answer, question, current_user, now=utcnow())
    except services.AnswerChangedError:
        return _changed(org, answer)
    db.session.commit()
    flash(_("The answer was restored."), "success")
    return redirect(_results_url(org, question), code=303)
