"""Topic management: create, edit, publish, close, preview links, results and files.

Services flush, never commit; views (and ``flask eraati tick``) commit. Every act is
written to the audit log in the same transaction. ``Topic.revision`` guards against
stale edits: a save first moves the revision on in SQL, on the condition that it is
still the one the form was built from (compare and set), so of two admins saving the
same version one wins and the other is told, and nothing is overwritten silently.
"""

from eraati.manage.services.common import (
    ManageError,
    PollLockedError,
    QuestionData,
    ResultsData,
    SlugTakenError,
    StaleEditError,
    TopicData,
    TopicStateError,
    TopicText,
    title_of,
)
from eraati.manage.services.files import add_file, delete_file, files_of, move_file
from eraati.manage.services.lifecycle import (
    close_due_topics,
    close_topic,
    missing_languages,
    publish_topic,
    renew_preview,
    results_publishable,
    revoke_preview,
    save_results,
)
from eraati.manage.services.topics import (
    SLUG_PATTERN,
    create_topic,
    current_poll,
    poll_has_answers,
    rich_body,
    slug_taken,
    slugify,
    unique_slug,
    update_topic,
)

__all__ = [
    "SLUG_PATTERN",
    "ManageError",
    "PollLockedError",
    "QuestionData",
    "ResultsData",
    "SlugTakenError",
    "StaleEditError",
    "TopicData",
    "TopicStateError",
    "TopicText",
    "add_file",
    "close_due_topics",
    "close_topic",
    "create_topic",
    "current_poll",
    "delete_file",
    "files_of",
    "missing_languages",
    "move_file",
    "poll_has_answers",
    "publish_topic",
    "renew_preview",
    "results_publishable",
    "revoke_preview",
    "rich_body",
    "save_results",
    "slug_taken",
    "slugify",
    "title_of",
    "unique_slug",
    "update_topic",
]
