"""E-mails of topic management: followers hear that the results are out.

The results e-mail is a notification like every other kind (``eraati.notifications``,
``Kind.RESULTS``): publishing the results records one row per follower (``announce_results``,
before the commit, so nobody is told about results that were not saved), and after the
commit a worker sends them (``sending.kick``), each in the follower's language and as
their choices say (at once, in the weekly digest, or not at all). Each row is claimed
before its message and released when sending fails, so nobody is told twice and nobody
is skipped when a worker stops: ``flask eraati tick`` sends what a stopped worker left.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from eraati.consultations.models import Follow, Topic
from eraati.notifications import services
from eraati.notifications.models import Kind


def results_key(topic: Topic) -> str:
    return f"t{topic.id}"


def announce_results(topic: Topic, *, now: datetime | None = None) -> int:
    """Record the results e-mail for the topic's followers (in a request, before the
    commit; ``sending.kick()`` after it): the number of followers who will be told (a
    confirmed address, and the kind not turned off). A follower already recorded is not
    recorded again."""
    followers = sa.select(Follow.user_id).where(
        Follow.topic_id == topic.id, Follow.user_id.is_not(None)
    )
    return services.record(Kind.RESULTS, results_key(topic), followers, topic_id=topic.id, now=now)
