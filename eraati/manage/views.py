from flask import Blueprint, abort

bp = Blueprint("manage", __name__)


@bp.route("/staff/<org_slug>/topics")
def topics(org_slug: str):  # placeholder, replaced by the real view
    abort(404)
