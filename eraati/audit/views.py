from flask import Blueprint, abort

bp = Blueprint("audit", __name__)


@bp.route("/staff/<org_slug>/audit")
def log(org_slug: str):  # placeholder, replaced by the real view
    abort(404)
