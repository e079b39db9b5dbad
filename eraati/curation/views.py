from flask import Blueprint

bp = Blueprint("curation", __name__)
