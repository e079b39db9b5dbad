"""The consultations blueprint: pages (front page, topic), comments, participation."""

from flask import Blueprint

from eraati.core import i18n

bp = Blueprint("consultations", __name__)
# Translations through eraati.core.i18n: templates find the catalogue once per request (not
# once per string: the topic page makes a hundred), WTForms reads its own once per process.
# TODO(lead): call i18n.init_app(app) in create_app (after babel.init_app) and drop this.
bp.record_once(lambda state: i18n.init_app(state.app))

from eraati.consultations.views import comments, pages, participation  # noqa: E402, F401
