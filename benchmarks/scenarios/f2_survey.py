"""F2: survey results at 50,000 respondents vs 500 (issue 20).

Two published surveys (``survey_support``), one question of every kind, answered by
``f2_small`` and by ``f2_big`` respondents. The staff results page
(``/staff/<org>/topics/<id>/results-overview``, over a signed session of an admin of the
organisation) and the public results page (``/<org>/<topic>/results``, anonymous) are
loaded with wrk at one connection per worker, the two sizes of a page in pairs whose order
alternates from run to run; ``sizes.runs`` runs, after one unrecorded warm-up load of each.
A page's ratio is the median over the runs of the big survey's p95 over the small one's.
The target is PostgreSQL's; SQLite is reported for information.

Statements per page are counted in-process as B2 counts them, at both sizes. Where the
time goes: each statement of the staff page timed in-process (``sqltime``, medians of
``f2_timed`` requests) at both sizes, and the floor that any live count has: one
``COUNT(*)`` of the survey's answer rows at both sizes (medians of as many).
"""

from __future__ import annotations

import statistics
import time

import sqlalchemy as sa

from benchmarks import client, sqltime
from benchmarks import survey_support as ss
from benchmarks.measure import Series, median, ratio
from benchmarks.report import Figure, check
from benchmarks.scenarios import Scenario, register
from benchmarks.scenarios.b2_query_counts import _Client, _statements

LIMIT = 1.3


class _StaffClient:
    """The Flask test client as the staff member's browser (session bound to its address
    and user agent, as the signed session was made)."""

    def __init__(self, app, session: client.Session) -> None:
        self.client = app.test_client()
        name, value = session.cookie.split("=", 1)
        self.client.set_cookie(name, value, domain="localhost")

    def get(self, path: str):
        return self.client.get(
            path,
            base_url="https://localhost",
            headers={"User-Agent": client.USER_AGENT},
            environ_base={"REMOTE_ADDR": client.HOST},
        )


def _floor(app, topic_id: int, times: int) -> float:
    """Median ms of the cheapest live aggregate over a survey's answers: one COUNT(*)."""
    from eraati.consultations.models import Answer, Question
    from eraati.extensions import db

    with app.app_context():
        ids = list(db.session.scalars(sa.select(Question.id).where(Question.topic_id == topic_id)))
        stmt = sa.select(sa.func.count()).select_from(Answer).where(Answer.question_id.in_(ids))
        db.session.scalar(stmt)
        took = []
        for _ in range(times):
            t = time.perf_counter()
            db.session.scalar(stmt)
            took.append((time.perf_counter() - t) * 1000)
        db.session.rollback()
    return statistics.median(took)


@register
class F2(Scenario):
    id = "F2"
    title = "survey results at 50,000 respondents vs 500"
    target = f"results page p95 at 50k <= {LIMIT}x at 500 (PostgreSQL); statements constant"

    def run(self, ctx):
        s = ctx.sizes
        small, big = ss.topic(ctx, s.f2_small), ss.topic(ctx, s.f2_big)
        sizes = f"{ss.label(big.respondents)} vs {ss.label(small.respondents)}"
        staff_id, staff_email = ss.staff_member(ctx.app)
        session = client.signed_session(ctx.app, staff_id, staff_email)
        headers = {"Cookie": session.cookie, "User-Agent": client.USER_AGENT}
        staff = _StaffClient(ctx.app, session)
        anon = _Client(ctx.app.test_client())
        pages = {
            "staff": (lambda t: t.staff_path, staff, headers),
            "public": (lambda t: t.public_path, anon, None),
        }
        postgresql = ctx.kind == "postgresql"

        figures: list[Figure] = []
        for name, (path_of, who, _h) in pages.items():
            counts, statuses = {}, {}
            for t in (small, big):
                path = path_of(t)
                seen, status = _statements(ctx.app, lambda p=path, w=who: w.get(p))
                counts[ss.label(t.respondents)], statuses[ss.label(t.respondents)] = (
                    len(seen),
                    status,
                )
            ok = len(set(counts.values())) == 1 and set(statuses.values()) == {200}
            shown = " / ".join(str(v) for v in counts.values())
            if set(statuses.values()) != {200}:
                shown += f" (HTTP {statuses})"
            figures.append(
                Figure(
                    self.id,
                    f"{name} results page: statements @ {' / '.join(counts)}",
                    shown,
                    "same",
                    ok,
                    details={"counts": counts, "statuses": statuses},
                )
            )

        kw = {"seconds": s.f2_seconds, "connections": s.f2_connections}
        for name, (path_of, _who, h) in pages.items():
            for t in (small, big):
                ctx.wrk(
                    path_of(t),
                    label=f"F2 warm-up {name} {t.respondents}",
                    seconds=1.0,
                    connections=1,
                    headers=h,
                )
            series = {"small": Series(), "big": Series()}
            ratios = []
            for i in range(s.runs):
                order = [("small", small), ("big", big)]
                if i % 2:
                    order.reverse()
                got = {}
                for side, t in order:
                    got[side] = series[side].add(
                        ctx.wrk(path_of(t), label=f"F2 {name} {side} {i + 1}", headers=h, **kw)
                    )
                ratios.append(ratio(got["big"].p95_ms, got["small"].p95_ms))
            value = median(ratios)
            errors = sum(x.errors for x in series.values())
            figures += [
                Figure(
                    self.id,
                    f"{name} results page: p95 {sizes} respondents",
                    value,
                    f"<= {LIMIT}" if postgresql else "(PostgreSQL only)",
                    check(value, "<=", LIMIT) if postgresql else None,
                    "x",
                    {"ratios": ratios, **{k: v.summary() for k, v in series.items()}},
                ),
                Figure(
                    self.id,
                    f"{name} results page: p50 / p95 @ {ss.label(small.respondents)} vs "
                    f"{ss.label(big.respondents)}",
                    f"{series['small'].median('p50_ms'):.1f} / "
                    f"{series['small'].median('p95_ms'):.1f} vs "
                    f"{series['big'].median('p50_ms'):.1f} / "
                    f"{series['big'].median('p95_ms'):.1f} ms",
                ),
                Figure(self.id, f"{name} results page: errors", errors, "0", errors == 0),
            ]

        # Where the time goes: the staff page's statements, timed in-process.
        timed = {}
        for t in (small, big):
            got = sqltime.per_statement(ctx.app, lambda p=t.staff_path: staff.get(p), s.f2_timed)
            timed[ss.label(t.respondents)] = got
            ctx.log(f"  F2 staff page @ {ss.label(t.respondents)}: {got.table()}")
        a, b = timed[ss.label(small.respondents)], timed[ss.label(big.respondents)]
        costly = sorted(
            zip(a.statements, b.statements, strict=False), key=lambda p: -(p[1].ms - p[0].ms)
        )[:5]
        figures.append(
            Figure(
                self.id,
                "staff page in-process: request / SQL ms, then the statements growing most",
                f"{a.request_ms:.1f} / {a.sql_ms:.1f} vs {b.request_ms:.1f} / {b.sql_ms:.1f} ms; "
                + "; ".join(f"#{x.position} {x.ms:.1f} -> {y.ms:.1f}" for x, y in costly),
                details={
                    k: {
                        "request_ms": v.request_ms,
                        "sql_ms": v.sql_ms,
                        "statements": [
                            {"position": st.position, "ms": round(st.ms, 3), "sql": st.text[:300]}
                            for st in v.statements
                        ],
                    }
                    for k, v in timed.items()
                },
            )
        )
        low, high = (
            _floor(ctx.app, small.topic.id, s.f2_timed),
            _floor(ctx.app, big.topic.id, s.f2_timed),
        )
        figures.append(
            Figure(
                self.id,
                f"floor: one COUNT(*) of the answers ({small.answers:,} vs {big.answers:,} rows)",
                f"{low:.2f} vs {high:.2f} ms ({ratio(high, low):.0f}x)",
            )
        )
        return figures
