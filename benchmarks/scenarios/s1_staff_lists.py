"""S1: the moderation queue and the audit log of an organisation with 10,000 items against
one with 50: SQL statements per page, p95 of page 1, and p95 of a deep page against page 1.

Two benchmark organisations (``bench-small``, ``bench-big``) each get a pre-moderated topic
with that many comments waiting for review and that many audit entries; one staff member
(admin and moderator of both) reads their pages over a signed session cookie, with wrk for
the timings (one connection per worker: service time) and the Flask test client for the
statement counts. Deep pages are reached by following ``rel="next"``.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from benchmarks import client, data
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register

LIMIT = 1.3
LISTS = {"queue": "/staff/{org}/moderation", "audit": "/staff/{org}/audit"}
# Other staff pages whose statement count must not grow with the organisation's data
# (B2's rule for "each staff list page"): counted only, not timed.
COUNTED = {
    "dashboard": "/staff/{org}/",
    "topics list": "/staff/{org}/topics",
    "queue, all comments": "/staff/{org}/moderation?tab=all",
    "workspace": "/staff/{org}/topics/{topic}/work",
    "blocks": "/staff/{org}/blocks",
    "people": "/staff/{org}/people",
}


def _topic_id(app, slug: str) -> int:
    from eraati.consultations.models import Topic
    from eraati.extensions import db
    from eraati.organisations.models import Organisation

    with app.app_context():
        return db.session.scalar(
            sa.select(Topic.id).join(Organisation).where(Organisation.slug == slug)
        )


def _seed(app, slug: str, items: int, staff_id: int) -> None:
    """An organisation with ``items`` comments (four in five waiting for review, the rest
    visible) and ``items`` audit entries."""
    from eraati.audit.models import AuditEvent
    from eraati.consultations.counters import recount
    from eraati.consultations.models import (
        Comment,
        CommentSource,
        CommentStatus,
        Topic,
        TopicStatus,
        TopicTranslation,
    )
    from eraati.core.time import utcnow
    from eraati.extensions import db
    from eraati.organisations.models import (
        Membership,
        Organisation,
        OrganisationKind,
        Role,
    )

    with app.app_context():
        if db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)):
            return
        now = utcnow()
        org = Organisation(slug=slug, kind=OrganisationKind.MUNICIPALITY, name_fi=slug)
        db.session.add(org)
        db.session.flush()
        for role in (Role.ADMIN, Role.MODERATOR):
            db.session.add(Membership(user_id=staff_id, organisation_id=org.id, role=role))
        topic = Topic(
            organisation_id=org.id,
            slug="jono",
            status=TopicStatus.OPEN,
            opens_at=now - timedelta(days=5),
            closes_at=now + timedelta(days=20),
            premoderated=True,
        )
        topic.translations.append(TopicTranslation(locale="fi", title="Jono", body=""))
        db.session.add(topic)
        db.session.flush()
        authors = data.resident_ids(app)
        first = now - timedelta(seconds=items)
        for start in range(0, items, data.BATCH):
            stop = min(items, start + data.BATCH)
            db.session.execute(
                sa.insert(Comment),
                [
                    {
                        "topic_id": topic.id,
                        "author_id": authors[i % len(authors)],
                        "body": f"Odottaa tarkastusta #{i}: kirjaston aukioloajat ja bussit.",
                        "language": "fi",
                        "status": CommentStatus.PENDING if i % 5 else CommentStatus.VISIBLE,
                        "source": CommentSource.WEB,
                        "created_at": first + timedelta(seconds=i),
                    }
                    for i in range(start, stop)
                ],
            )
            db.session.execute(
                sa.insert(AuditEvent),
                [
                    {
                        "organisation_id": org.id,
                        "actor_id": staff_id,
                        "actor_name": "Penkki Moderaattori",
                        "action": "comment.approve",
                        "target_type": "Comment",
                        "target_id": i,
                        "target_label": f"Kommentti #{i}",
                        "reason": None,
                        "details": {},
                        "created_at": first + timedelta(seconds=i),
                    }
                    for i in range(start, stop)
                ],
            )
        recount([topic.id])
        db.session.commit()


def _statements(app, path: str, session_cookie: tuple[str, str]) -> tuple[int, int]:
    """(statements, status) of one GET of ``path`` by the staff member, in-process."""
    from eraati.extensions import db

    test_client = app.test_client()
    test_client.set_cookie(session_cookie[0], session_cookie[1], domain="localhost")
    base = "https://localhost"
    # The session is bound to the address and browser it was made for (session protection).
    kw = {
        "base_url": base,
        "headers": {"User-Agent": client.USER_AGENT},
        "environ_base": {"REMOTE_ADDR": client.HOST},
    }
    test_client.get(path, **kw)  # warm
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        r = test_client.get(path, **kw)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    return len(seen), r.status_code


@register
class S1(Scenario):
    id = "S1"
    title = "staff lists: moderation queue and audit log, 10,000 vs 50 items"
    target = f"same statements at both sizes; p95 ratio <= {LIMIT}"

    def run(self, ctx):
        s = ctx.sizes
        ((staff_id, staff_email),) = data.ensure_users(ctx.app, "staff", 1)
        _seed(ctx.app, "bench-small", s.s1_small, staff_id)
        _seed(ctx.app, "bench-big", s.s1_big, staff_id)
        data.analyze(ctx.app)
        session = client.signed_session(ctx.app, staff_id, staff_email)
        headers = {"Cookie": session.cookie, "User-Agent": client.USER_AGENT}
        name, value = session.cookie.split("=", 1)

        figures: list[Figure] = []
        topics = {org: _topic_id(ctx.app, org) for org in ("bench-small", "bench-big")}
        for key, pattern in COUNTED.items():
            counts = [
                _statements(ctx.app, pattern.format(org=org, topic=topics[org]), (name, value))
                for org in ("bench-small", "bench-big")
            ]
            same = len({n for n, _st in counts}) == 1
            ok_status = all(st == 200 for _n, st in counts)
            figures.append(
                Figure(
                    self.id,
                    f"{key}: statements {s.s1_small} / {s.s1_big:,}",
                    " / ".join(str(n) for n, _st in counts)
                    + ("" if ok_status else f" (HTTP {[st for _n, st in counts]})"),
                    "same",
                    same and ok_status,
                )
            )
        for key, pattern in LISTS.items():
            small, big = pattern.format(org="bench-small"), pattern.format(org="bench-big")
            conn = client.Connection(ctx.port)

            def get(path: str, conn=conn) -> str:
                r = conn.request("GET", path, headers=headers)
                if r.status != 200:
                    raise RuntimeError(f"S1 GET {path}: {r.status}")
                return r.text

            try:
                deep, number = data.walk_pages(get, big, s.s1_page)
                for path in (small, big, deep):
                    for _ in range(4):
                        get(path)  # warm every worker
            finally:
                conn.close()
            counts = {
                label: _statements(ctx.app, path, (name, value))
                for label, path in (("50", small), ("10k", big), ("deep", deep))
            }
            same = len({n for n, _st in counts.values()}) == 1
            ok_status = all(st == 200 for _n, st in counts.values())
            figures.append(
                Figure(
                    self.id,
                    f"{key}: statements {s.s1_small} / {s.s1_big:,} / page {number}",
                    " / ".join(str(n) for n, _st in counts.values()),
                    "same",
                    same and ok_status,
                )
            )
            series = {"small": Series(), "big": Series(), "deep": Series()}
            paths = {"small": small, "big": big, "deep": deep}
            vs_small, vs_first = [], []
            for i in range(s.runs):
                got = {
                    k: series[k].add(
                        ctx.wrk(
                            paths[k],
                            seconds=s.s1_seconds,
                            connections=s.s1_connections,
                            label=f"S1 {key} {k} {i + 1}",
                            headers=headers,
                        )
                    )
                    for k in series
                }
                vs_small.append(ratio(got["big"].p95_ms, got["small"].p95_ms))
                vs_first.append(ratio(got["deep"].p95_ms, got["big"].p95_ms))
            a, b = median(vs_small), median(vs_first)
            errors = sum(x.errors for x in series.values())
            p95 = " / ".join(f"{series[k].median('p95_ms'):.0f}" for k in series)
            figures += [
                Figure(
                    self.id,
                    f"{key}: p95 {s.s1_big:,} vs {s.s1_small} items (page 1)",
                    a,
                    f"<= {LIMIT}",
                    check(a, "<=", LIMIT),
                    "x",
                    {k: v.summary() for k, v in series.items()},
                ),
                Figure(
                    self.id,
                    f"{key}: p95 page {number} vs page 1",
                    b,
                    f"<= {LIMIT}",
                    check(b, "<=", LIMIT),
                    "x",
                ),
                Figure(self.id, f"{key}: p95 small / big / deep", p95 + " ms"),
                Figure(self.id, f"{key}: errors", errors, "0", errors == 0),
            ]
        return figures
