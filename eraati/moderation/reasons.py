"""The reason templates a new organisation starts with (moderators edit them later)."""

from __future__ import annotations

from eraati.extensions import db
from eraati.moderation.models import ModerationReason
from eraati.organisations.models import Organisation

DEFAULT_REASONS: tuple[dict[str, str], ...] = (
    {
        "fi": "Loukkaava tai asiaton kielenkäyttö",
        "sv": "Kränkande eller osakligt språk",
        "en": "Insulting or inappropriate language",
    },
    {
        "fi": "Henkilötietoja tai yksityiselämää koskevia tietoja",
        "sv": "Personuppgifter eller uppgifter om privatlivet",
        "en": "Personal data or details of someone's private life",
    },
    {
        "fi": "Mainonta tai roskaviesti",
        "sv": "Reklam eller skräppost",
        "en": "Advertising or spam",
    },
    {
        "fi": "Ei liity kuultavaan asiaan",
        "sv": "Hör inte till ärendet",
        "en": "Not about the matter being consulted on",
    },
    {
        "fi": "Lainvastainen sisältö",
        "sv": "Olagligt innehåll",
        "en": "Unlawful content",
    },
)


def create_default_reasons(org: Organisation) -> list[ModerationReason]:
    """Add the default templates to a new organisation (flushes; the caller commits)."""
    reasons = [
        ModerationReason(organisation=org, texts=dict(texts), position=i)
        for i, texts in enumerate(DEFAULT_REASONS)
    ]
    db.session.add_all(reasons)
    db.session.flush()
    return reasons
