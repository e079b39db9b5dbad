"""The OpenAPI 3.1 document of the open data API, served at /api/v1/openapi.json.

Built here as a Python dictionary next to the code it describes (``resources`` makes the
objects, ``views`` the answers). Objects are closed (``additionalProperties: false``), so
that the schemathesis test in ``tests/api`` fails when a field is added, renamed or changes
its type without this document following.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

VERSION = "1.0.0"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema["type"]
    return {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}


def _object(properties: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


INT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
URL = {"type": "string", "format": "uri"}
BOOL = {"type": "boolean"}
LANGUAGE = {"type": "string", "enum": ["fi", "sv", "en"]}
LATITUDE = {"type": "number", "minimum": -90, "maximum": 90, "description": "WGS 84"}
LONGITUDE = {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS 84"}
CHANNEL = {
    "type": "string",
    "enum": ["registered", "anonymous", "paper", "event"],
    "description": "How the comment reached the topic: on the web by a registered person, "
    "on the web without an account, on a paper form or at an event (typed in by staff).",
}

SCHEMAS: dict[str, Any] = {
    "LocalisedText": {
        "type": "object",
        "description": "A text of the organisation in each language it exists in.",
        "properties": {"fi": STR, "sv": STR, "en": STR},
        "additionalProperties": False,
    },
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {
                        "type": "string",
                        "description": "Machine-readable, e.g. not_found, invalid_cursor.",
                    },
                    "message": STR,
                }
            )
        }
    ),
    "Organisation": _object(
        {
            "slug": STR,
            "kind": {"type": "string", "enum": ["municipality", "joint_authority"]},
            "names": _ref("LocalisedText"),
            "languages": _array(LANGUAGE),
            "website_url": _nullable(STR),
            "members": {
                **_array(STR),
                "description": "Slugs of the member municipalities of a joint authority.",
            },
            "url": URL,
            "topics_url": URL,
            "html_url": URL,
        }
    ),
    "OrganisationList": _object({"data": _array(_ref("Organisation"))}),
    "Decision": _object(
        {
            "deciding_body": {
                **_nullable(STR),
                "description": "In the organisation's first language (as deciding_bodies).",
            },
            "deciding_bodies": {
                **_ref("LocalisedText"),
                "description": "The deciding body in each language of the topic.",
            },
            "case_number": _nullable(STR),
            "planned_on": _nullable(DATE),
        },
        "The decision the consultation prepares.",
    ),
    "TopicCounts": _object(
        {
            "comments": {**INT, "description": "Shown comments and replies."},
            "hidden_comments": {
                **INT,
                "description": "Comments the moderators hid (kept, and restorable).",
            },
            "support": INT,
            "oppose": INT,
            "neutral": INT,
            "followers": INT,
        }
    ),
    "Votes": _object({"agree": INT, "disagree": INT, "pass": INT}),
    "QuoteVotes": _object({"agree": INT, "disagree": INT}),
    "File": _object(
        {
            "id": ID,
            "kind": {"type": "string", "enum": ["image", "attachment"]},
            "filename": STR,
            "content_type": STR,
            "size": INT,
            "texts": {
                **_ref("LocalisedText"),
                "description": "An image's text alternative or an attachment's title.",
            },
            "url": URL,
        }
    ),
    "PollQuestion": _object(
        {
            "id": ID,
            "kind": {
                "type": "string",
                "enum": ["single", "multiple", "open", "scale", "ranking"],
            },
            "required": {**BOOL, "description": "Must be answered for the survey to be saved."},
            "max_length": {
                **_nullable(INT),
                "description": "An open question's longest answer, in characters.",
            },
            "scale_labels": _nullable(
                _object({"low": _ref("LocalisedText"), "high": _ref("LocalisedText")})
            ),
            "texts": _ref("LocalisedText"),
            "options": _array(
                _object(
                    {
                        "id": ID,
                        "texts": _ref("LocalisedText"),
                        "exclusive": {
                            **BOOL,
                            "description": "Chosen only on its own, such as "
                            '"none of these" (multiple choice).',
                        },
                    }
                )
            ),
        }
    ),
    "Theme": _object({"id": ID, "names": _ref("LocalisedText")}),
    "Outcome": _object(
        {
            "decided_on": _nullable(DATE),
            "minutes_url": _nullable(STR),
            "decision_outcome": _ref("LocalisedText"),
            "feedback_use": _ref("LocalisedText"),
            "moderator_summary": _ref("LocalisedText"),
        },
        "What was decided and how the feedback was used (published topics only).",
    ),
    "Comment": _object(
        {
            "id": ID,
            "parent_id": {
                **_nullable(ID),
                "description": "The comment replied to. It may be missing from the list "
                "when a moderator has hidden it.",
            },
            "author": {
                **_nullable(STR),
                "description": "A pseudonym, the same for one person throughout one topic "
                "and different in each topic: P-... for a registered person, A-... (one per "
                "comment) for feedback without an account. null on official replies, "
                "which the organisation writes.",
            },
            "channel": CHANNEL,
            "is_official": BOOL,
            "is_key": {**BOOL, "description": "Marked as a key comment by a moderator."},
            "language": _nullable(STR),
            "body": {**STR, "description": "Plain text, as written."},
            "created_at": DATETIME,
            "edited_at": _nullable(DATETIME),
            "received_on": {
                **_nullable(DATE),
                "description": "The day paper or event feedback was given.",
            },
            "votes": _ref("Votes"),
            "themes": {**_array(ID), "description": "Ids of the topic's themes."},
            "part": {
                **_nullable(_object({"number": ID, "title": _ref("LocalisedText")})),
                "description": "The part of a draft read part by part that the comment is "
                "on: its number (1, 2, ...; its page is .../parts/<number>) and its title in "
                "each language. null on a comment on the topic as a whole.",
            },
            "paragraph": {
                **_nullable(ID),
                "description": "The paragraph of the part the comment is on (1-based, "
                "counted in the topic's primary language), or null.",
            },
            "paragraph_quote": {
                **_nullable(STR),
                "description": "The paragraph's text as it was when the comment was "
                "written (later edits of the part do not change it), or null.",
            },
            "place": {
                **_nullable(
                    _object(
                        {
                            "place_id": {
                                **_nullable(ID),
                                "description": "The named place (see the topic's map), "
                                "or null for a point of the comment's own.",
                            },
                            "names": {"oneOf": [_ref("LocalisedText"), {"type": "null"}]},
                            "lat": LATITUDE,
                            "lon": LONGITUDE,
                        }
                    )
                ),
                "description": "Where on the topic's map the comment is (WGS 84): a named "
                "place with its point, or a point of its own. null when the comment has none.",
            },
        }
    ),
    "CommentList": _object(
        {
            "data": _array(_ref("Comment")),
            "next_cursor": _nullable(STR),
            "next": _nullable(URL),
        }
    ),
    "Quote": _object(
        {
            "comment_id": ID,
            "body": STR,
            "language": _nullable(STR),
            "channel": CHANNEL,
            "is_reply": BOOL,
            "created_at": DATETIME,
            "received_on": _nullable(DATE),
            "votes": _ref("QuoteVotes"),
        }
    ),
    "Results": _object(
        {
            "topic_id": ID,
            "results_published_at": _nullable(DATETIME),
            "participants": _object(
                {
                    "registered": {
                        **INT,
                        "description": (
                            "Registered people who took part in any way: wrote a shown "
                            "comment or reply, voted on a shown comment, took a stance or "
                            "answered the poll. Hidden comments and comments waiting for "
                            "review make nobody a participant."
                        ),
                    },
                    "commenters": INT,
                    "voters": INT,
                    "stance_takers": INT,
                    "poll_respondents": INT,
                    "anonymous_comments": INT,
                    "paper_comments": INT,
                    "event_comments": INT,
                }
            ),
            "channels": _array(
                _object({"channel": CHANNEL, "comments": INT, "replies": INT}),
            ),
            "municipalities": {
                **_array(
                    _object(
                        {
                            "organisation": _nullable(STR),
                            "names": {
                                "oneOf": [_ref("LocalisedText"), {"type": "null"}],
                            },
                            "people": INT,
                            "comments": INT,
                        }
                    )
                ),
                "description": "Registered commenters by home municipality. Municipalities "
                "with fewer than five are counted under organisation null.",
            },
            "timeline": _object(
                {
                    "unit": {"type": "string", "enum": ["day", "week"]},
                    "periods": _array(_object({"start": DATE, "comments": INT})),
                }
            ),
            "stances": _object({"enabled": BOOL, "support": INT, "oppose": INT, "neutral": INT}),
            "poll": _array(
                _object(
                    {
                        "question_id": ID,
                        "texts": _ref("LocalisedText"),
                        "multiple": BOOL,
                        "kind": {
                            "type": "string",
                            "enum": ["single", "multiple", "open", "scale", "ranking"],
                        },
                        "respondents": INT,
                        "options": _array(
                            _object(
                                {
                                    "option_id": ID,
                                    "texts": _ref("LocalisedText"),
                                    "count": {
                                        **INT,
                                        "description": "A ranking's: people who put it first.",
                                    },
                                    "share": {"type": "number", "minimum": 0, "maximum": 1},
                                    "mean_rank": {
                                        **_nullable({"type": "number"}),
                                        "description": "A ranking's average place (1 = first).",
                                    },
                                }
                            )
                        ),
                        "scale": _array(_object({"value": INT, "count": INT})),
                        "mean": _nullable({"type": "number"}),
                        "median": _nullable({"type": "number"}),
                    }
                )
            ),
            "themes": _array(
                _object(
                    {
                        "theme_id": ID,
                        "names": _ref("LocalisedText"),
                        "comments": INT,
                        "quotes": _array(_ref("Quote")),
                    }
                )
            ),
            "untagged_comments": INT,
            "key_comments": _array(_ref("Quote")),
            "official_replies": _array(
                _object(
                    {
                        "comment_id": ID,
                        "body": STR,
                        "language": _nullable(STR),
                        "created_at": DATETIME,
                        "in_reply_to": {"oneOf": [_ref("Quote"), {"type": "null"}]},
                    }
                )
            ),
            "moderation": _object(
                {
                    "hidden": _array(
                        _object(
                            {
                                "reason": {"oneOf": [_ref("LocalisedText"), {"type": "null"}]},
                                "count": INT,
                            }
                        )
                    ),
                    "waiting": {**INT, "description": "Comments waiting for a moderator."},
                }
            ),
        },
        "Aggregated results, as the public results page shows them.",
    ),
}

_TOPIC_SUMMARY = {
    "id": ID,
    "slug": STR,
    "organisation": {**STR, "description": "The slug of the owning organisation."},
    "concerned_organisations": _array(STR),
    "status": {
        "type": "string",
        "enum": ["upcoming", "open", "closed", "published"],
        "description": "upcoming: public, opens at opens_at and takes nothing before that.",
    },
    "titles": _ref("LocalisedText"),
    "summaries": _ref("LocalisedText"),
    "opens_at": DATETIME,
    "closes_at": {
        **DATETIME,
        "description": "UTC, ISO 8601: the planned deadline, kept when closed early.",
    },
    "closed_at": {
        **_nullable(DATETIME),
        "description": "UTC, ISO 8601: when the organisation closed it before the deadline.",
    },
    "results_published_at": _nullable(DATETIME),
    "decision": _ref("Decision"),
    "counts": _ref("TopicCounts"),
    "url": URL,
    "html_url": URL,
}
SCHEMAS["TopicSummary"] = _object(_TOPIC_SUMMARY)
SCHEMAS["TopicList"] = _object(
    {"data": _array(_ref("TopicSummary")), "next_cursor": _nullable(STR), "next": _nullable(URL)}
)
SCHEMAS["Topic"] = _object(
    {
        **_TOPIC_SUMMARY,
        "bodies_html": {
            **_ref("LocalisedText"),
            "description": "The description: HTML reduced to a few safe tags.",
        },
        "settings": _object(
            {"allow_anonymous": BOOL, "premoderated": BOOL, "stances_enabled": BOOL}
        ),
        "parts": {
            **_array(
                _object(
                    {
                        "number": ID,
                        "title": _ref("LocalisedText"),
                        "bodies_html": {
                            **_ref("LocalisedText"),
                            "description": "The part's text: HTML reduced to a few safe tags.",
                        },
                        "html_url": URL,
                    }
                )
            ),
            "description": "A draft read part by part: its parts in order (empty for other "
            "topics). Comments on a part name its number.",
        },
        "map": {
            **_nullable(
                _object(
                    {
                        "area": _object(
                            {
                                "south": LATITUDE,
                                "west": LONGITUDE,
                                "north": LATITUDE,
                                "east": LONGITUDE,
                            }
                        ),
                        "places": _array(
                            _object(
                                {
                                    "id": ID,
                                    "names": _ref("LocalisedText"),
                                    "lat": LATITUDE,
                                    "lon": LONGITUDE,
                                }
                            )
                        ),
                    }
                )
            ),
            "description": "The area the topic's map shows and the named places residents "
            "can choose for a comment (WGS 84); null when the topic has no map.",
        },
        "poll": _array(_ref("PollQuestion")),
        "themes": _array(_ref("Theme")),
        "images": _array(_ref("File")),
        "attachments": _array(_ref("File")),
        "results": {"oneOf": [_ref("Outcome"), {"type": "null"}]},
        "comments_url": URL,
        "results_url": _nullable(URL),
    }
)

_RATE_HEADERS = {
    "X-RateLimit-Limit": {"schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"schema": {"type": "integer"}},
    "X-RateLimit-Reset": {"schema": {"type": "integer"}},
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _json_content(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(schema)}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "headers": _RATE_HEADERS, "content": _json_content("Error")}


RESPONSES = {
    "NotModified": {
        "description": "The client's copy (If-None-Match) is current.",
        "headers": {"ETag": {"schema": STR, "required": True}},
    },
    "BadRequest": _error("A parameter is invalid (limit, cursor, status, organisation)."),
    "NotFound": _error("No such object a visitor may see."),
    "TooManyRequests": {
        **_error("The rate limit per client address was exceeded."),
        "headers": {**_RATE_HEADERS, "Retry-After": {"schema": {"type": "integer"}}},
    },
}

PARAMETERS = {
    "Limit": {
        "name": "limit",
        "in": "query",
        "description": "Items per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    },
    "Cursor": {
        "name": "cursor",
        "in": "query",
        "description": "Where to continue: the next_cursor of the previous page, unchanged.",
        "schema": {"type": "string"},
    },
    "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "description": "The ETag of a copy the client has: 304 if it is still current.",
        "schema": {"type": "string"},
    },
    "TopicId": {
        "name": "topic_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
    },
    "OrganisationSlug": {
        "name": "slug",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9-]+$"},
    },
}


def _parameter(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _operation(
    operation_id: str,
    summary: str,
    schema: str,
    *,
    parameters: list[dict[str, Any]] = (),  # type: ignore[assignment]
    paged: bool = False,
    errors: tuple[str, ...] = ("NotFound",),
    description: str | None = None,
) -> dict[str, Any]:
    headers: dict[str, Any] = {
        "ETag": {"schema": STR, "required": True},
        "Cache-Control": {"schema": {"type": "string", "const": "public, max-age=60"}},
        **_RATE_HEADERS,
    }
    if paged:
        headers["Link"] = {
            "description": 'The next page, as rel="next" (only when there is one).',
            "schema": STR,
        }
    responses: dict[str, Any] = {
        "200": {"description": "OK", "headers": headers, "content": _json_content(schema)},
        "304": {"$ref": "#/components/responses/NotModified"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }
    for name, code in (("BadRequest", "400"), ("NotFound", "404")):
        if name in errors:
            responses[code] = {"$ref": f"#/components/responses/{name}"}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [*parameters, _parameter("IfNoneMatch")],
        "responses": responses,
    }
    if description:
        operation["description"] = description
    return {"get": operation}


PATHS = {
    "/organisations": _operation(
        "listOrganisations",
        "Municipalities and joint authorities on this service",
        "OrganisationList",
        errors=(),
    ),
    "/organisations/{slug}": _operation(
        "getOrganisation",
        "One organisation",
        "Organisation",
        parameters=[_parameter("OrganisationSlug")],
    ),
    "/topics": _operation(
        "listTopics",
        "Consultations a visitor can read, oldest first",
        "TopicList",
        paged=True,
        errors=("BadRequest",),
        parameters=[
            {
                "name": "status",
                "in": "query",
                "description": "upcoming (opens later), open, closed, published (results "
                "published), or all of them.",
                "schema": {
                    "type": "string",
                    "enum": ["upcoming", "open", "closed", "published", "all"],
                    "default": "all",
                },
            },
            {
                "name": "organisation",
                "in": "query",
                "description": "Topics of this organisation and topics that concern it.",
                "schema": {"type": "string"},
            },
            _parameter("Limit"),
            _parameter("Cursor"),
        ],
    ),
    "/topics/{topic_id}": _operation(
        "getTopic",
        "One consultation, with its texts in every language",
        "Topic",
        parameters=[_parameter("TopicId")],
    ),
    "/topics/{topic_id}/comments": _operation(
        "listComments",
        "The shown comments and replies of a consultation, oldest first",
        "CommentList",
        paged=True,
        errors=("BadRequest", "NotFound"),
        parameters=[_parameter("TopicId"), _parameter("Limit"), _parameter("Cursor")],
        description="Comments waiting for review, hidden by a moderator or deleted by "
        "their writers are never included.",
    ),
    "/topics/{topic_id}/results": _operation(
        "getResults",
        "Aggregated results, once the organisation has published them",
        "Results",
        parameters=[_parameter("TopicId")],
        description="404 with the error code results_not_published before publication.",
    ),
}


@functools.cache
def _document(base_path: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eRaati open data API",
            "version": VERSION,
            "description": (
                "Read-only open data of the consultations on this eRaati service: "
                "organisations, consultations (topics), their shown comments and, once "
                "published, their results. No personal data: writers appear as "
                "pseudonyms. Answers carry ETags (send If-None-Match for 304) and "
                "Cache-Control: public, max-age=60; lists continue with an opaque cursor "
                "(next_cursor, and a Link header); each client address has a rate limit. "
                'Errors are JSON: {"error": {"code": ..., "message": ...}}.'
            ),
        },
        "servers": [{"url": base_path}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "parameters": PARAMETERS,
        },
    }


def document(base_path: str = "/api/v1") -> dict[str, Any]:
    """The document with ``base_path`` as its server (a copy: callers may change it)."""
    return copy.deepcopy(_document(base_path))
