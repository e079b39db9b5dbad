"""Downloads of a topic's raw data for the organisation's preparers and admins."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exports", __name__)
