from flask import Blueprint, abort

bp = Blueprint("moderation", __name__)


@bp.route("/staff/<org_slug>/moderation")
def queue(org_slug: str):  # placeholder, replaced by the real view
    abort(404)


@bp.route("/staff/<org_slug>/blocks")
def blocks(org_slug: str):  # placeholder, replaced by the real view
    abort(404)
