"""The API keeps the promises of its OpenAPI document (schemathesis, on the demo data).

The demo has organisations, topics in every state (a draft and a topic not yet open
included), hidden and waiting comments and published results. Two tests check every
answer against the document: no server error, a documented status code, content type
and headers, a body that matches the closed schemas (``additionalProperties: false``), and
a check of our own that no name or e-mail address of a person appears.

- ``test_generated_requests_keep_the_document``: schemathesis generates requests for each
  operation from the document, valid and invalid ones (limits out of range, bad cursors,
  odd ids and slugs). Hypothesis is derandomised: the same cases on every run.
- ``test_every_demo_object_keeps_the_document``: every organisation and every topic of
  the demo at each address (a 200 or a 404, as the topic's state says), walking each
  comment list to its end.

The document is loaded from ``openapi.document()`` when the module is imported (the
schemathesis fixture loader does not run under pytest 9); requests go to the test app.
"""

from __future__ import annotations

import contextvars

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eraati.api import openapi
from eraati.consultations.models import Phase, Topic
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.organisations.models import Organisation
from tests.api.support import all_secrets, leaks

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

schema = schemathesis.openapi.from_dict(openapi.document())


@pytest.fixture
def demo_secrets(demo_data):
    secrets = all_secrets()
    assert len(secrets) > 20
    return secrets


def _call(app, case, secrets: list[str]):
    """Send the case to the app and run every check; each request in its own context, as
    in production (its own database session and ``g``)."""

    def no_personal_data(ctx, response, case):
        found = leaks(response.content.decode("utf-8"), secrets)
        assert not found, f"personal data in the answer: {found}"

    return contextvars.Context().run(
        case.call_and_validate, app=app, checks=CHECKS, additional_checks=[no_personal_data]
    )


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_keep_the_document(case, app, demo_secrets):
    response = _call(app, case, demo_secrets)
    # Schemathesis also tries the methods the document does not list.
    method = case.method.upper()
    if method in ("GET", "HEAD"):
        assert response.status_code in (200, 304, 400, 404)
    elif method == "OPTIONS":
        assert response.status_code == 200
    else:
        assert response.status_code == 405, method


def test_every_demo_object_keeps_the_document(app, demo_secrets):
    now = utcnow()
    slugs = list(db.session.scalars(sa.select(Organisation.slug)))
    for slug in slugs:
        case = schema["/organisations/{slug}"]["GET"].Case(path_parameters={"slug": slug})
        assert _call(app, case, demo_secrets).status_code == 200
    for query in (
        {},
        {"status": "open", "limit": 3},
        {"status": "upcoming", "limit": 1},
        {"organisation": slugs[0], "limit": 1},
    ):
        case = schema["/topics"]["GET"].Case(query=query)
        while case is not None:
            body = _call(app, case, demo_secrets).json()
            cursor = body["next_cursor"]
            case = (
                schema["/topics"]["GET"].Case(query={**query, "cursor": cursor}) if cursor else None
            )

    seen: dict[Phase, int] = {}
    for topic in db.session.scalars(sa.select(Topic)):
        phase = topic.phase(now)
        seen[phase] = seen.get(phase, 0) + 1
        public = phase != Phase.DRAFT  # an upcoming topic too
        ids = {"topic_id": topic.id}
        detail = schema["/topics/{topic_id}"]["GET"].Case(path_parameters=ids)
        assert _call(app, detail, demo_secrets).status_code == (200 if public else 404)
        results = schema["/topics/{topic_id}/results"]["GET"].Case(path_parameters=ids)
        published = phase == Phase.PUBLISHED
        assert _call(app, results, demo_secrets).status_code == (200 if published else 404)
        operation = schema["/topics/{topic_id}/comments"]["GET"]
        query: dict = {"limit": 2}
        walked = 0
        while True:
            response = _call(app, operation.Case(path_parameters=ids, query=query), demo_secrets)
            if not public:
                assert response.status_code == 404
                break
            body = response.json()
            walked += len(body["data"])
            if body["next_cursor"] is None:
                break
            query = {"limit": 2, "cursor": body["next_cursor"]}
        assert walked == (topic.comment_count if public else 0)
    # The demo has topics in every state.
    assert set(seen) == set(Phase)
