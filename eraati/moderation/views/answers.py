"""One open survey answer: read it, hide it with a reason, restore it. The list of a
topic's open answers is on its staff results page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.consultations.models import Answer, Question, QuestionKind, Topic
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation import queries, services
from eraati.moderation.forms import AnswerHideForm
from eraati.moderation.views import bp, form_status, locale
from eraati.organisations.models import Organisation
from eraati.staff import staff_org

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
    return url_for(
        "results.staff",
        org_slug=org.slug,
        topic_id=question.topic_id,
        _anchor=f"open-{question.id}",
    )


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
    ), status


@bp.get(ANSWER_URL)
def answer(org_slug: str, answer_id: int):
    org = staff_org(org_slug, "moderate")
    return _render(org, *_answer_or_404(org, answer_id))


def _changed(org: Organisation, answer: Answer):
    db.session.rollback()
    flash(_("The answer had changed in the meantime. Please check it again."), "info")
    return redirect(url_for(".answer", org_slug=org.slug, answer_id=answer.id), code=303)


@bp.post(f"{ANSWER_URL}/hide")
def hide_answer(org_slug: str, answer_id: int):
    org = staff_org(org_slug, "moderate")
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
    org = staff_org(org_slug, "moderate")
    answer, question = _answer_or_404(org, answer_id)
    try:
        services.restore_answer(answer, question, current_user, now=utcnow())
    except services.AnswerChangedError:
        return _changed(org, answer)
    db.session.commit()
    flash(_("The answer was restored."), "success")
    return redirect(_results_url(org, question), code=303)
