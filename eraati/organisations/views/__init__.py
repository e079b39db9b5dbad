"""Staff home, organisation dashboard, staff and roles, invitations, settings, logos and
the platform admin's organisation pages.

Role changes need a fresh password (``/staff/reauth``): a session left open on a shared
computer must not hand out admin rights.
"""

from flask import Blueprint

from eraati.organisations import tokens
from eraati.organisations.forms import kind_label, role_label
from eraati.organisations.models import Role

bp = Blueprint("organisations", __name__)


@bp.context_processor
def _labels() -> dict:
    return {
        "role_label": role_label,
        "kind_label": kind_label,
        "Role": Role,
        "invitation_days": max(1, tokens.max_age() // 86400),
    }


from eraati.organisations.views import (  # noqa: E402, F401
    invitations,
    pages,
    people,
    platform,
    privacy,
    settings,
)
