from flask import Blueprint, render_template

bp = Blueprint("consultations", __name__)


@bp.get("/")
def index():
    return render_template("consultations/index.html")
