from flask import Blueprint, abort

bp = Blueprint("organisations", __name__)


@bp.route("/staff/")
def staff_home():  # placeholder, replaced by the real view
    abort(404)


@bp.route("/staff/<org_slug>/")
def dashboard(org_slug: str):  # placeholder, replaced by the real view
    abort(404)


@bp.route("/staff/<org_slug>/people")
def people(org_slug: str):  # placeholder, replaced by the real view
    abort(404)


@bp.route("/staff/<org_slug>/settings")
def settings(org_slug: str):  # placeholder, replaced by the real view
    abort(404)
