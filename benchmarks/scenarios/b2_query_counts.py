"""B2: SQL statements per request as a topic grows from 0 to 10,000 comments (in-process).

Counted with a ``before_cursor_execute`` listener on the app's engine while the Flask test
client requests each page of the production app; each page is requested once before it
is counted, so that only the steady state is measured.
"""

from __future__ import annotations

import itertools
import uuid

import sqlalchemy as sa

from benchmarks import data
from benchmarks.client import hidden_value
from benchmarks.report import Figure
from benchmarks.scenarios import Scenario, register

TOPIC_PAGE_LIMIT = 10
DEEP_PAGE = 3  # or the last page, when there are fewer


def _statements(app, request) -> tuple[list[str], int]:
    """The statements one call of ``request()`` (a test-client request) executes; it is
    called once before, unmeasured, so that caches and compiled statements are warm."""
    from eraati.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split())[:160])

    request()
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        r = request()
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    return seen, r.status_code


def _own_votes(app, topic: data.BenchTopic, user_id: int, comment_ids: list[int]) -> None:
    """The viewer's stance, poll answers and votes on the comments shown."""
    from sqlalchemy.dialects import postgresql, sqlite

    from eraati.consultations.counters import recount
    from eraati.consultations.models import (
        Answer,
        AnswerChoice,
        CommentVote,
        Question,
        TopicStance,
        VoteValue,
    )
    from eraati.core.time import utcnow
    from eraati.extensions import db

    def _insert(model):  # INSERT ... ON CONFLICT for this database
        dialect = db.engine.dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)

    now = utcnow()
    with app.app_context():
        db.session.execute(
            _insert(TopicStance)
            .values(
                topic_id=topic.id, user_id=user_id, stance="support", created_at=now, updated_at=now
            )
            .on_conflict_do_nothing()
        )
        if comment_ids:
            db.session.execute(
                _insert(CommentVote).on_conflict_do_nothing(),
                [
                    {
                        "comment_id": c,
                        "user_id": user_id,
                        "value": VoteValue.AGREE,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for c in comment_ids
                ],
            )
        for q in db.session.scalars(sa.select(Question).where(Question.topic_id == topic.id)):
            answer_id = db.session.execute(
                _insert(Answer)
                .values(question_id=q.id, user_id=user_id, created_at=now, updated_at=now)
                .on_conflict_do_nothing()
                .returning(Answer.id)
            ).scalar_one_or_none()
            if answer_id is not None:
                db.session.execute(
                    sa.insert(AnswerChoice).values(answer_id=answer_id, option_id=q.options[0].id)
                )
        recount([topic.id])
        db.session.commit()


@register
class B2(Scenario):
    id = "B2"
    title = "SQL statements per request as comments grow"
    target = f"identical count at every size; <= {TOPIC_PAGE_LIMIT} for the topic page"
    needs_server = False

    def run(self, ctx):
        from eraati.accounts.models import User
        from eraati.extensions import db

        sizes = ctx.sizes.b2_sizes
        app = ctx.app
        topic = data.new_topic(app, "b2", poll=True)  # with a poll: the page's most queries
        ((user_id, _email),) = ctx.voters(1)
        with app.app_context():
            session_id = db.session.get(User, user_id).get_id()
        # HTTPS, as behind the production proxy: the session cookie is Secure.
        anon = _Client(app.test_client())
        member = _Client(app.test_client())
        with member.client.session_transaction(base_url=BASE) as s:
            s["_user_id"] = session_id
            s["_fresh"] = True

        def vote():
            value = next(values)
            return member.post(
                f"{topic.path}/comments/{shown[0]}/vote",
                data={"value": value, "next": topic.path, "csrf_token": token},
            )

        def comment():
            return member.post(
                f"{topic.path}/comments",
                data={
                    "body": "Kysely",
                    "submission_token": uuid.uuid4().hex,
                    "parent_id": "",
                    "csrf_token": token,
                },
            )

        values = itertools.cycle(["agree", "disagree", "pass"])
        pages = [
            ("front page", lambda: anon.get("/")),
            ("topic page, logged out", lambda: anon.get(topic.path)),
            ("topic page, logged out, page 3", lambda: anon.get(deep["anon"])),
            ("topic page, logged in with own votes", lambda: member.get(topic.path)),
            ("topic page, logged in, page 3", lambda: member.get(deep["member"])),
            ("vote POST (informative)", vote),
            ("comment POST (informative)", comment),
        ]
        counts: dict[str, list[int]] = {name: [] for name, _r in pages}
        statuses: dict[str, list[int]] = {name: [] for name, _r in pages}
        statements: dict[str, list[str]] = {}
        deep: dict[str, str] = {}
        have = 0
        for size in sizes:
            if size > have:
                grow = size - have
                data.add_comments(app, topic, roots=grow - grow // 5, replies=grow // 5)
                have = size
            first = member.get(topic.path).get_data(as_text=True)
            if "/account/logout" not in first:
                raise RuntimeError("B2: the logged-in test client is not logged in")
            shown = [int(x) for x in _comment_ids(first)]
            token = hidden_value(first, "csrf_token")
            _own_votes(app, topic, user_id, shown)

            def getter(c):
                return lambda p: c.get(p).get_data(as_text=True)

            # A later page (any page after the first takes the same path; B3 times deep ones).
            deep["anon"], _ = data.walk_pages(getter(anon), topic.path, DEEP_PAGE)
            deep["member"], _ = data.walk_pages(getter(member), topic.path, DEEP_PAGE)
            for name, request in pages:
                if name.startswith("vote") and not shown:
                    continue  # nothing to vote on yet
                seen, status = _statements(app, request)
                counts[name].append(len(seen))
                statements[name] = seen  # those of the largest size
                statuses[name].append(status)

        figures = []
        for name, ns in counts.items():
            if not ns:
                figures.append(Figure(self.id, name, "not measured", "", False))
                continue
            same = len(set(ns)) == 1
            limit_ok = max(ns) <= TOPIC_PAGE_LIMIT if name.startswith("topic") else True
            bad_status = [s for s in statuses[name] if not 200 <= s < 400]
            ok = same and limit_ok and not bad_status
            if "informative" in name:
                ok = None if not bad_status else False
            target = f"same; <= {TOPIC_PAGE_LIMIT}" if name.startswith("topic") else "same"
            if "informative" in name:
                target = ""
            shown = " / ".join(str(n) for n in ns)
            if bad_status:
                shown += f" (HTTP {bad_status})"
            figures.append(
                Figure(
                    self.id,
                    f"{name} @ {'/'.join(_k(s) for s in sizes[-len(ns) :])}",
                    shown,
                    target,
                    ok,
                    details={
                        "sizes": list(sizes),
                        "counts": ns,
                        "statuses": statuses[name],
                        "statements_at_largest": statements.get(name, []),
                    },
                )
            )
        return figures


def _k(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


def _comment_ids(page: str) -> list[str]:
    import re

    return re.findall(r'\bid="c(\d+)"', page)


BASE = "https://localhost"


class _Client:
    """The Flask test client over HTTPS, with a same-site Referer on POSTs (Flask-WTF checks
    it on HTTPS)."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, path: str):
        return self.client.get(path, base_url=BASE)

    def post(self, path: str, data: dict):
        return self.client.post(path, data=data, base_url=BASE, headers={"Referer": BASE + "/"})
