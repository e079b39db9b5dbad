"""The consultations blueprint: pages (front page, topic), comments, participation."""

from flask import Blueprint

bp = Blueprint("consultations", __name__)

from eraati.consultations.views import comments, pages, participation, search  # noqa: E402, F401
