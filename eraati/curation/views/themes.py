"""The topic's themes: list with counts, add, rename, delete."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.analysis.suggestions import stored_keywords
from eraati.consultations.models import Topic
from eraati.core.focus import focus_after_redirect, focus_target
from eraati.curation import forms, queries, services
from eraati.curation.views import bp
from eraati.curation.views.common import (
    THEME_URL,
    TOPIC_URL,
    common,
    load,
)
from eraati.extensions import db

# --- themes ----------------------------------------------------------------------------------


def _name_taken(themes, languages: list[str], name: str | None, *, except_id=None) -> bool:
    """Another theme of the topic already has this name in the first language."""
    if not name:
        return False
    wanted = name.casefold()
    first = languages[0]
    return any(
        (t.texts or {}).get(first, "").casefold() == wanted for t in themes if t.id != except_id
    )


def _themes_url(topic: Topic) -> str:
    return url_for("curation.themes", org_slug=topic.organisation.slug, topic_id=topic.id)


@bp.route(f"{TOPIC_URL}/themes", methods=["GET", "POST"])
def themes(org_slug: str, topic_id: int):
    org, topic = load(org_slug, topic_id)
    languages = org.language_list or ["fi"]
    existing = queries.themes(topic)
    form = forms.theme_form(languages)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            texts = forms.theme_texts(form, languages)
            if _name_taken(existing, languages, texts[languages[0]]):
                form[f"name_{languages[0]}"].errors.append(_("The topic already has this theme."))
            else:
                theme = services.create_theme(topic, texts, actor=current_user)
                db.session.commit()
                flash(_("The theme was added."), "success")
                focus_after_redirect(f"theme-{theme.id}")
                return redirect(_themes_url(topic), code=303)
    return render_template(
        "curation/themes.html",
        **common(org, topic),
        form=form,
        languages=languages,
        themes=existing,
        counts=queries.theme_counts(topic),
        keywords=stored_keywords(topic.id),
        focus_id=focus_target(),
    ), status


@bp.route(f"{THEME_URL}/edit", methods=["GET", "POST"])
def edit_theme(org_slug: str, topic_id: int, theme_id: int):
    org, topic = load(org_slug, topic_id)
    theme = queries.theme_or_404(topic, theme_id)
    languages = org.language_list or ["fi"]
    if request.method == "GET":
        form = forms.theme_form(
            languages, data={f"name_{c}": (theme.texts or {}).get(c, "") for c in languages}
        )
        status = 200
    else:
        form = forms.theme_form(languages)
        status = 422
        if form.validate_on_submit():
            texts = forms.theme_texts(form, languages)
            others = queries.themes(topic)
            if _name_taken(others, languages, texts[languages[0]], except_id=theme.id):
                form[f"name_{languages[0]}"].errors.append(_("The topic already has this theme."))
            else:
                changed = services.edit_theme(theme, texts, actor=current_user)
                db.session.commit()
                flash(
                    _("The theme was renamed.") if changed else _("The theme had no changes."),
                    "success" if changed else "info",
                )
                focus_after_redirect(f"theme-{theme_id}")
                return redirect(_themes_url(topic), code=303)
    return render_template(
        "curation/theme_edit.html",
        **common(org, topic),
        theme=theme,
        form=form,
        languages=languages,
    ), status


@bp.route(f"{THEME_URL}/delete", methods=["GET", "POST"])
def delete_theme(org_slug: str, topic_id: int, theme_id: int):
    org, topic = load(org_slug, topic_id)
    theme = queries.theme_or_404(topic, theme_id)
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        services.delete_theme(theme, actor=current_user)
        db.session.commit()
        flash(_("The theme was deleted."), "success")
        focus_after_redirect("messages")
        return redirect(_themes_url(topic), code=303)
    return render_template(
        "curation/theme_delete.html",
        **common(org, topic),
        theme=theme,
        form=form,
        tagged=queries.theme_counts(topic).get(theme.id, 0),
    )
