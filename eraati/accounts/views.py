from flask import Blueprint

from eraati.accounts import auth  # noqa: F401 - registers the user loader

bp = Blueprint("accounts", __name__, url_prefix="/account")


# Placeholders until the account pages land.
@bp.get("/login")
def login():
    return "", 404


@bp.get("/register")
def register():
    return "", 404


@bp.get("/profile")
def profile():
    return "", 404


@bp.post("/logout")
def logout():
    return "", 404
