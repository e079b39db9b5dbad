"""The manage blueprint: the staff topic list, topic forms, files, preview, lifecycle
and results; plus the public addresses of topic files and of preview links."""

from flask import Blueprint

from eraati.manage import display

bp = Blueprint("manage", __name__)

# The topic page (consultations) shows files and results with these.
bp.add_app_template_global(display.topic_files, "topic_files")
bp.add_app_template_global(display.topic_results, "topic_results")
bp.add_app_template_global(display.topic_decision, "topic_decision")
bp.add_app_template_global(display.file_text, "file_text")
bp.add_app_template_global(display.file_url, "file_url")
bp.add_app_template_filter(display.file_size, "filesize")
bp.add_app_template_filter(display.language_label, "language_label")

from eraati.manage.views import files, lifecycle, topics  # noqa: E402, F401
