"""The consultations blueprint: pages (front page, topic), comments, participation."""

from flask import Blueprint

bp = Blueprint("consultations", __name__)

from eraati.consultations.views import (  # noqa: E402, F401
    comments,
    pages,
    participation,
    rating,
    search,
)
