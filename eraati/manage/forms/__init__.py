"""Forms of topic management. Topic and results forms have a section per language and
the topic form a fixed number of poll question slots, so their classes are built per
request (``topic_form_class``, ``results_form_class``); the rest are plain classes."""

from eraati.manage.forms.common import (
    POLL_SLOTS_MAX,
    ActionForm,
    PublishForm,
    add_error,
    body_hint,
    helsinki_to_utc,
    language_name,
    utc_to_helsinki,
)
from eraati.manage.forms.files import (
    attachment_form_class,
    chosen_part,
    image_form_class,
    set_part_choices,
)
from eraati.manage.forms.results import results_form_class
from eraati.manage.forms.topic import topic_form_class, topic_form_data

__all__ = [
    "POLL_SLOTS_MAX",
    "ActionForm",
    "PublishForm",
    "add_error",
    "attachment_form_class",
    "body_hint",
    "chosen_part",
    "helsinki_to_utc",
    "image_form_class",
    "language_name",
    "results_form_class",
    "set_part_choices",
    "topic_form_class",
    "topic_form_data",
    "utc_to_helsinki",
]
