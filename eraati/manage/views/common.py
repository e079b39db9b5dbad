"""What the manage views share: loading a topic for an admin, languages, messages."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from eraati.consultations.models import Topic
from eraati.core.i18n import LANGUAGES
from eraati.organisations.models import Organisation
from eraati.staff import org_topic_or_404, staff_org

TOPIC_URL = "/staff/<org_slug>/topics/<int:topic_id>"


def admin_topic(org_slug: str, topic_id: int) -> tuple[Organisation, Topic]:
    """The organisation (the user must be its admin) and its topic (else 404)."""
    org = staff_org(org_slug, "manage_topics")
    return org, org_topic_or_404(org, topic_id)


def ordered_languages(org: Organisation, *extra: str) -> list[str]:
    """The organisation's languages first, then any others given, each once."""
    return list(dict.fromkeys(c for c in (*org.language_list, *extra) if c in LANGUAGES))


def topic_languages(org: Organisation, topic: Topic) -> list[str]:
    """The languages the topic is written in, in the organisation's order."""
    have = {t.locale for t in topic.translations}
    return [c for c in ordered_languages(org, *sorted(have)) if c in have] or ordered_languages(org)


def edit_url(org: Organisation, topic: Topic, **kw) -> str:
    return url_for("manage.edit_topic", org_slug=org.slug, topic_id=topic.id, **kw)


def page_arg() -> int:
    return max(request.args.get("page", type=int) or 1, 1)


def state_message(code: str) -> str:
    return {
        "not_draft": _("This topic has already been published."),
        "closes_in_past": _(
            "The closing time has already passed. Change the closing date before publishing."
        ),
        "not_open": _("Only a published topic that has not been closed can be closed."),
        "not_closed": _(
            "Results can be published only after the consultation has closed. "
            "You can save them now and publish them later."
        ),
    }.get(code, _("This cannot be done in the topic's present phase."))


def stale_message() -> str:
    return _(
        "Someone else saved this topic while you were editing it, so your changes were not "
        "saved. The form now shows the saved version. What you wrote is shown below the "
        "form: copy what you need and save again."
    )
