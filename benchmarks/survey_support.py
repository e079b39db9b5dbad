"""F2's data: a survey whose results are read at 500 and at 50,000 respondents.

The topic ``bench-f2-<n>`` of Iisalmi is published (its public results page is served)
and carries the demo's survey shapes, one question of every kind: the laboratory survey's
single choice (5 options), scale (1-5), ranking (4 options) and optional open question
(``laboratorion-naytteenotto-kysely``) and the health-centre survey's multiple choice
(4 options, ``terveysasemien-aukioloajat``). It has no comments: the page's figures that
scale with respondents are the survey's.

Respondents are verified residents ``respondent<NNNNN>@bench.invalid`` (one shared
password hash, not usable for logging in: nobody logs in as them; home municipalities the
demo municipalities' codes in turn), shared by the topics:
the 500-respondent topic's are the first 500 of the 50,000. Each answers as the demo's
generated respondents do (``demo._demo_reply``: the questions' weights, the open question
left empty by about seven in ten, every reply checked by ``participation.check_answer``).
Rows go in by COPY on PostgreSQL and one ``executemany`` on SQLite (``exports_support``),
with their ids given; ``VACUUM (ANALYZE)`` on PostgreSQL afterwards.

The survey asks the three background questions (age group, relation, home municipality;
issue 20): ``background_rows`` writes a row for nine respondents in ten. The poll tallies
(``consultations.tallies``, also per background group) are recomputed by ``recount``.
"""

from __future__ import annotations

import dataclasses
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from benchmarks import data
from benchmarks import exports_support as es

PREFIX = "respondent"
SURVEY = "laboratorion-naytteenotto-kysely"  # single, scale, ranking, open
MULTIPLE_FROM = "terveysasemien-aukioloajat"  # its multiple-choice question


@dataclass(frozen=True)
class SurveyTopic:
    topic: data.BenchTopic
    respondents: int
    answers: int  # answer rows (an unanswered optional question has none)
    choices: int  # answer_choices rows
    kinds: tuple[str, ...]  # the questions' kinds, in order
    seed_seconds: float

    @property
    def public_path(self) -> str:
        return f"{self.topic.path}/results"

    @property
    def staff_path(self) -> str:
        return f"/staff/{self.topic.org}/topics/{self.topic.id}/results-overview"


def label(n: int) -> str:
    return f"{n / 1000:g}k" if n >= 1000 else str(n)


def _spec(slug: str):
    """The demo survey's spec as a published Iisalmi topic with every kind of question."""
    from eraati.consultations import demo_content

    by_slug = {t.slug: t for t in demo_content.TOPICS}
    survey, health = by_slug[SURVEY], by_slug[MULTIPLE_FROM]
    multiple = next(q for q in health.questions if q.kind == "multiple")
    return dataclasses.replace(
        survey,
        org=data.ORG,
        slug=slug,
        status="published",
        opens=-60,
        closes=-30,
        decision_in=-20,
        questions=[*survey.questions, multiple],
        comments=[],
        concerns=(),
        summary={},
        results=None,
        respondents=0,
    )


def respondent_ids(app, count: int) -> list[int]:
    """``count`` respondents (the first ``count`` of all), made by bulk INSERTs on first
    use; their ids in order."""
    from eraati.accounts.models import User
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.organisations.models import Organisation, OrganisationKind

    def email(i: int) -> str:
        return f"{PREFIX}{i:05d}@{data.BENCH_DOMAIN}"

    with app.app_context():
        pattern = f"{PREFIX}%@{data.BENCH_DOMAIN}"
        have = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email.like(pattern))
        )
        if have < count:
            # Home municipalities in turn: the demo municipalities' codes (none: not told).
            homes = list(
                db.session.scalars(
                    sa.select(Organisation.municipality_code)
                    .where(
                        Organisation.kind == OrganisationKind.MUNICIPALITY,
                        Organisation.municipality_code.is_not(None),
                    )
                    .order_by(Organisation.municipality_code)
                )
            ) or [None]
            now = utcnow()
            for start in range(have, count, data.BATCH):
                db.session.execute(
                    sa.insert(User),
                    [
                        {
                            "email": email(i),
                            "password_hash": "not-used-for-logging-in",
                            "display_name": f"Vastaaja {i}",
                            "locale": "fi",
                            "home_municipality_code": homes[i % len(homes)],
                            "email_verified_at": now,
                            "is_platform_admin": False,
                            "session_version": 1,
                            "created_at": now,
                        }
                        for i in range(start, min(count, start + data.BATCH))
                    ],
                )
            db.session.commit()
        rows = db.session.execute(
            sa.select(User.email, User.id).where(User.email.like(pattern))
        ).all()
        ids = dict(rows)
        return [ids[email(i)] for i in range(count)]


def background_rows(conn, topic, user_ids: list[int], rng: random.Random) -> int:
    """One ``background_answers`` row per respondent of the topic, which asks all three
    background questions (issue 20): an age group, a relation and a home municipality
    (the organisation's own code or "other"), each question left unsaid ("I'd rather not
    say", NULL) by about one in six, and one respondent in ten gives no background at all
    (no row). Written with the answers, in the same transaction; the number of rows."""
    from eraati.consultations import background
    from eraati.consultations.models import BackgroundAnswer
    from eraati.core.time import utcnow
    from eraati.extensions import db

    ages = list(background.AGE_GROUPS)
    relations = list(background.RELATIONS)
    homes = [*background.municipality_codes(topic.organisation), background.OTHER]

    def told(choices: list[str]) -> str | None:
        return None if rng.random() < 1 / 6 else rng.choice(choices)

    first = (db.session.scalar(sa.select(sa.func.max(BackgroundAnswer.id))) or 0) + 1
    now = utcnow()
    rows = [
        (first + i, topic.id, uid, told(ages), told(relations), told(homes), now, now)
        for i, uid in enumerate(u for u in user_ids if rng.random() >= 0.1)
    ]
    es._bulk(
        conn,
        "background_answers",
        (
            "id",
            "topic_id",
            "user_id",
            "age_group",
            "relation",
            "municipality_code",
            "created_at",
            "updated_at",
        ),
        rows,
    )
    return len(rows)


def _answer_rows(app, topic_id: int, user_ids: list[int], first_answer: int, first_choice: int):
    """(answers, choices) rows of every respondent, as the demo's respondents reply."""
    from eraati.consultations import demo
    from eraati.consultations.models import QuestionKind, Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db

    topic = db.session.get(Topic, topic_id)
    spec = _spec(topic.slug)
    questions = list(topic.questions)
    rng = random.Random(f"f2/{topic.slug}/{len(user_ids)}")  # noqa: S311 - test data
    start = topic.opens_at
    span = (min(topic.closes_at, utcnow()) - start).total_seconds()
    answers, choices = [], []
    aid, cid = first_answer, first_choice
    for i, uid in enumerate(user_ids):
        when = start + timedelta(seconds=span * (i + 1) / (len(user_ids) + 1))
        for question in questions:
            reply = demo._demo_reply(question, spec.questions[question.position], rng)
            if reply is None:
                continue
            kind = question.kind
            text = reply if kind == QuestionKind.OPEN else None
            value = reply if kind == QuestionKind.SCALE else None
            answers.append((aid, question.id, uid, when, when, text, value))
            if kind == QuestionKind.RANKING:
                for place, option_id in enumerate(reply, start=1):
                    choices.append((cid, aid, option_id, place))
                    cid += 1
            elif kind.has_options:
                for option_id in sorted(reply):
                    choices.append((cid, aid, option_id, None))
                    cid += 1
            aid += 1
    return answers, choices, rng


def seed_topic(app, respondents: int, log=print) -> SurveyTopic:
    """The published survey ``bench-f2-<n>`` with ``respondents`` respondents (see the
    module's docstring)."""
    from eraati.consultations import background, demo
    from eraati.consultations.counters import recount
    from eraati.consultations.models import Answer, AnswerChoice, Topic
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.organisations.models import Organisation

    t = time.monotonic()
    slug = f"bench-f2-{label(respondents)}"
    users = respondent_ids(app, respondents)
    with app.app_context():
        if db.session.scalar(sa.select(Topic.id).where(Topic.slug == slug)):
            raise RuntimeError(f"topic {slug} exists already")
        orgs = {o.slug: o for o in db.session.scalars(sa.select(Organisation))}
        topic = demo._topic(_spec(slug), orgs, utcnow())
        topic.background_questions = list(background.KEYS)  # all three asked
        db.session.commit()
        topic_id = topic.id
        kinds = tuple(q.kind.value for q in topic.questions)
        first_answer = (db.session.scalar(sa.select(sa.func.max(Answer.id))) or 0) + 1
        first_choice = (db.session.scalar(sa.select(sa.func.max(AnswerChoice.id))) or 0) + 1
        answers, choices, rng = _answer_rows(app, topic_id, users, first_answer, first_choice)
        conn = db.session.connection()
        es._bulk(
            conn,
            "answers",
            ("id", "question_id", "user_id", "created_at", "updated_at", "text", "value"),
            answers,
        )
        es._bulk(conn, "answer_choices", ("id", "answer_id", "option_id", "rank"), choices)
        told = background_rows(conn, topic, users, rng)
        if conn.dialect.name == "postgresql":
            for table in ("answers", "answer_choices", "background_answers"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        # The topic's own counters (no comments, stances, follows) and its poll tallies,
        # counted once the new rows have statistics (without them PostgreSQL may join the
        # answers to the background rows pair by pair).
        db.session.commit()
        data.analyze(app)
        recount([topic_id])
        db.session.commit()
    data.analyze(app)
    seconds = time.monotonic() - t
    log(
        f"  F2 data {slug}: {respondents:,} respondents, {len(answers):,} answers, "
        f"{len(choices):,} choices, {told:,} background rows in {seconds:.1f} s"
    )
    return SurveyTopic(
        data.BenchTopic(topic_id, data.ORG, slug),
        respondents,
        len(answers),
        len(choices),
        kinds,
        round(seconds, 1),
    )


def topic(ctx, respondents: int) -> SurveyTopic:
    """The survey with ``respondents`` respondents of this database, seeded on first use."""
    key = f"f2_topic_{respondents}"
    if key not in ctx.cache:
        got = seed_topic(ctx.app, respondents, ctx.log)
        ctx.timings[f"F2 seed {label(respondents)}_s"] = got.seed_seconds
        ctx.cache[key] = got
    return ctx.cache[key]


def staff_member(app) -> tuple[int, str]:
    """A benchmark staff member (admin of Iisalmi) who reads the staff results page."""
    from eraati.extensions import db
    from eraati.organisations.models import Membership, Organisation, Role

    ((uid, email),) = data.ensure_users(app, "f2staff", 1)
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == data.ORG))
        if not db.session.scalar(
            sa.select(Membership.id).where(
                Membership.user_id == uid, Membership.organisation_id == org_id
            )
        ):
            db.session.add(Membership(user_id=uid, organisation_id=org_id, role=Role.ADMIN))
            db.session.commit()
    return uid, email
