"""Results pages of a topic: the staff overview and the public page after publication."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("results", __name__)
