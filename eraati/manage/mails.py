"""E-mails of topic management: followers hear that the results are out.

The view hands them to a background worker (``announce_results``) after the commit, so
nobody is told about results that were not saved and the request does not wait for a
mail server while a topic with thousands of followers is told. ``Follow.told_at`` marks
each follower told, so that nobody is told twice, also when the sending runs again.
"""

from __future__ import annotations

import smtplib

import sqlalchemy as sa
from flask import current_app, url_for

from eraati.consultations.models import Follow, Topic
from eraati.core.mail import send_templated
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.jobs import queue
from eraati.manage import queries
from eraati.manage.display import topic_results

EXCERPT_MAX = 1500


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1].rstrip() + "…"


def announce_results(topic: Topic) -> int:
    """Have a worker tell the topic's followers that its results are out (in a request,
    after the commit); the number of followers who will be told."""
    link = url_for(
        "consultations.topic",
        org_slug=topic.organisation.slug,
        topic_slug=topic.slug,
        _anchor="results",
        _external=True,
    )
    count = queries.follower_count(topic.id)
    if count:
        queue.submit(SEND_RESULTS_PUBLISHED, topic.id, link)
    return count


SEND_RESULTS_PUBLISHED = "eraati.manage.mails.send_results_published"


def send_results_published(topic_id: int, link: str) -> int:
    """One message to each follower still to be told, in the follower's language; the
    number sent. Runs in a worker: ``link`` (the topic's results, absolute) comes from the
    request. Each follower is marked told (``Follow.told_at``) and committed right after
    their message, so that a second run (an RQ job run again from its failed registry)
    tells only those the first did not reach."""
    topic = db.session.get(Topic, topic_id)
    if topic is None or topic.results_published_at is None:
        return 0
    sent, after = 0, 0
    while batch := queries.followers_to_tell(topic_id, after=after):
        for follow_id, user in batch:
            after = follow_id
            topic = db.session.get(Topic, topic_id)  # the commits below expire it
            text = topic.text(user.locale)
            try:
                send_templated(
                    user.email,
                    "manage/email/results_published",
                    user.locale,
                    user=user,
                    title=text.title if text else topic.slug,
                    organisation=topic.organisation.name(user.locale),
                    decided_on=topic.decided_on,
                    outcome=_excerpt(topic_results(topic, user.locale).outcome.text),
                    link=link,
                )
            except (smtplib.SMTPException, OSError):
                # One bad address or a dropped connection must not stop the others; the
                # follower stays untold, for the next run.
                current_app.logger.exception(
                    "results e-mail of topic %s to user %s failed", topic_id, user.id
                )
                continue
            db.session.execute(
                sa.update(Follow).where(Follow.id == follow_id).values(told_at=utcnow())
            )
            db.session.commit()
            sent += 1
    return sent
