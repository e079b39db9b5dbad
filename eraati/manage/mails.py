"""E-mails of topic management: followers hear that the results are out.

The view hands them to a background worker (``announce_results``) after the commit, so
nobody is told about results that were not saved and the request does not wait for a
mail server while a topic with thousands of followers is told. A follower is claimed
(``Follow.told_at`` set where it was empty) before their message and released if the
mail server refuses it, so that two runs never tell one person twice, and a run that
stopped is finished by ``flask eraati tick`` (``resume_results_mails``). The links point at
the site's public address (``PUBLIC_URL``), in a request or outside one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from eraati.consultations.models import Follow, Topic
from eraati.core.links import public_url, with_language
from eraati.core.mail import mail_language, refused_for_good, send_templated
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs import queue
from eraati.manage import queries
from eraati.manage.display import topic_results

EXCERPT_MAX = 1500
# A sending still unfinished this long after the publication has stopped: tick resumes it.
RESUME_AFTER = timedelta(minutes=15)
# ... and is given up this long after it (a mail server that is down for a week).
RESUME_WITHIN = timedelta(days=7)
SEND_RESULTS_PUBLISHED = "eraati.manage.mails.send_results_published"


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1].rstrip() + "…"


def _results_link(topic: Topic) -> str:
    """The absolute address of the topic's results, at the public address."""
    return public_url(
        "consultations.topic",
        org_slug=topic.organisation.slug,
        topic_slug=topic.slug,
        anchor="results",
    )


def announce_results(topic: Topic) -> int:
    """Have a worker tell the topic's followers that its results are out (in a request,
    after the commit); the number of followers who will be told."""
    count = queries.follower_count(topic.id)
    if count:
        queue.submit(SEND_RESULTS_PUBLISHED, topic.id, _results_link(topic))
    return count


def _claim(follow_id: int, now: datetime) -> bool:
    """Mark the follower told unless someone else has (committed): True if it was ours."""
    claimed = db.session.execute(
        sa.update(Follow)
        .where(Follow.id == follow_id, Follow.told_at.is_(None))
        .values(told_at=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _release(follow_id: int) -> None:
    db.session.execute(sa.update(Follow).where(Follow.id == follow_id).values(told_at=None))
    db.session.commit()


def _message(topic: Topic, locale: str | None) -> dict:
    """What the results e-mail says of the topic, in ``locale``."""
    text = topic.text(locale)
    return {
        "title": text.title if text else topic.slug,
        "organisation": topic.organisation.name(locale),
        "decided_on": topic.decided_on,
        "outcome": _excerpt(topic_results(topic, locale).outcome.text),
    }


def send_results_published(topic_id: int, link: str) -> int:
    """One message to each follower still to be told, in the follower's language; the
    number sent. Runs in a worker: ``link`` is the topic's results at the public address
    (``_results_link``), given to each follower with ``?lang=`` of their message. Each
    follower is claimed before
    their message; the claim is released when sending fails for a reason that may pass
    (a later run tries again) and kept when the server refuses the address for good."""
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.results_published_at is None:
        return 0
    messages: dict[str | None, dict] = {}  # by language, made once
    sent, after = 0, 0
    while batch := queries.followers_to_tell(topic_id, after=after):
        # Plain values first: each claim commits, which expires the loaded rows.
        people = [(f, u.id, u.email, u.locale, u.display_name) for f, u in batch]
        for locale in {p[3] for p in people} - messages.keys():
            messages[locale] = {
                **_message(topic, locale),
                "link": with_language(link, mail_language(locale)),
            }
        for follow_id, user_id, email, locale, name in people:
            after = follow_id
            if not _claim(follow_id, utcnow()):
                continue  # another run is telling this one, or they stopped following
            try:
                send_templated(
                    email,
                    "manage/email/results_published",
                    locale,
                    name=name,
                    **messages[locale],
                )
            except Exception as exc:  # one follower's failure must not stop the others
                current_app.logger.exception(
                    "results e-mail of topic %s to user %s failed", topic_id, user_id
                )
                db.session.rollback()
                if not refused_for_good(exc):
                    _release(follow_id)
                continue
            sent += 1
    return sent


def resume_results_mails(*, now: datetime | None = None) -> tuple[list[Topic], bool]:
    """For ``flask eraati tick``: the topics whose results were published over
    ``RESUME_AFTER`` but under ``RESUME_WITHIN`` ago and still have followers to tell (a
    worker stopped, or none ran), and whether their sending was started again: only with
    ``PUBLIC_URL`` set, for the links."""
    now = now or utcnow()
    topics = [
        db.session.get(Topic, topic_id)
        for topic_id in queries.topics_with_followers_to_tell(
            now - RESUME_WITHIN, now - RESUME_AFTER
        )
    ]
    if not topics or not current_app.config.get("PUBLIC_URL"):
        return topics, False
    for topic in topics:
        queue.submit(SEND_RESULTS_PUBLISHED, topic.id, _results_link(topic))
    return topics, True
