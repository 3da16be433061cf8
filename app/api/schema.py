"""Building blocks of the OpenAPI document, shared by every feature's part of it.

Each feature describes its own operations and schemas (``app/<feature>/openapi.py``) with
these helpers; :mod:`app.api.openapi` puts the parts together.
"""

from __future__ import annotations

import copy
from typing import Any

from app.api.bodies import Body
from app.api.responses import DEFAULT_PER_PAGE, MAX_PER_PAGE

JSON = "application/json"
#: What a read-only token may not do (app.services.token_rules.READ_METHODS is the rest).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DATE_TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer"}
PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(type_: str, **extra: Any) -> dict[str, Any]:
    return {"type": [type_, "null"], **extra}


def obj(properties: dict[str, Any], *, description: str | None = None) -> dict[str, Any]:
    """An object whose properties are all required."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def cursor_page_of(item: str) -> dict[str, Any]:
    """A page of a list that pages by cursor, newest first: its items and the address of
    the next page (:func:`app.api.responses.next_page`)."""
    return obj(
        {
            "items": {"type": "array", "items": ref(item)},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "next": nullable(
                "string",
                description="The address of the next page (the same filters and per_page, "
                "'after' the last item); null on the last page.",
            ),
        }
    )


ERROR = obj(
    {
        "error": {
            "type": "object",
            "required": ["status", "title", "detail"],
            "properties": {
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string", "description": "Why, in words for a person."},
                "fields": {
                    "type": "object",
                    "description": "400 and 422: messages per field (for a scorecard: "
                    "per criterion id, 'recommendation' and 'notes').",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "existing_id": {
                    "type": "integer",
                    "description": "409 on POST /candidates: the candidate with that e-mail; "
                    "on POST /promotions: the open packet.",
                },
                "current_version": {
                    "type": "integer",
                    "description": "409 for a stale version: the object's version now.",
                },
                "conflict": {
                    "type": "string",
                    "enum": ["stale", "rule"],
                    "description": "Every 409: 'stale' (the version sent is not the current "
                    "one, someone changed it meanwhile; title 'Changed meanwhile': reload and "
                    "send the change again) or 'rule' (the rules refuse it now and nothing "
                    "changed; title 'Not possible now'; the detail says which rule and what "
                    "to do).",
                },
            },
        }
    }
)


def error_with(**properties: Any) -> dict[str, Any]:
    """The error schema with more properties of ``error`` (what one feature's 409 adds)."""
    schema = copy.deepcopy(ERROR)
    schema["properties"]["error"]["properties"].update(properties)
    return schema


def error_response(description: str) -> dict[str, Any]:
    """An answer with the error schema, described for one operation."""
    return {"description": description, "content": {JSON: {"schema": ref("Error")}}}


RESPONSES = {
    "BadRequest": error_response(
        "The body is not a JSON object, has an unknown field or a value of the wrong JSON type."
    ),
    "Unauthorized": error_response(
        "No API token (nor a signed-in browser session), or a token that is not valid, has "
        "expired or was revoked; the detail says which."
    ),
    "Forbidden": error_response(
        "The caller's roles do not allow this, or the API token is read-only (scope 'read') "
        "and this operation writes."
    ),
    "NotFound": error_response("No such object, or the caller may not see it."),
    "Conflict": error_response(
        "The rules refuse the change now (title 'Not possible now', conflict 'rule'; the "
        "detail says which rule and what to do), or the version sent is stale (title "
        "'Changed meanwhile', conflict 'stale')."
    ),
    "Invalid": error_response("Some fields are not valid; 'fields' lists the messages per field."),
    "TooManyRequests": {
        **error_response(
            "Too many requests: a rate limit of the caller (the API token, else the signed-in "
            "user, else the source address) is reached; the detail names it."
        ),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    },
}
_CODES = {
    "BadRequest": "400",
    "Unauthorized": "401",
    "Forbidden": "403",
    "NotFound": "404",
    "Conflict": "409",
    "Invalid": "422",
    "TooManyRequests": "429",
}


def response_ref(name: str) -> dict[str, str]:
    """A shared answer (see RESPONSES) by name."""
    return {"$ref": f"#/components/responses/{name}"}


def with_refusals(method: str, operation: dict[str, Any]) -> dict[str, Any]:
    """``operation`` with the refusals every API call can meet: 429 (rate limits) always;
    401 unless it is public; 403 for a write, which a read-only token may not make."""
    result = copy.deepcopy(operation)
    responses = result["responses"]
    public = result.get("security") == []
    wanted = ["TooManyRequests"]
    if not public:
        wanted.append("Unauthorized")
        if method.upper() in WRITE_METHODS:
            wanted.append("Forbidden")
    for name in wanted:
        responses.setdefault(_CODES[name], response_ref(name))
    return result


def ok(schema: str, description: str = "OK", status: str = "200") -> dict[str, Any]:
    """A JSON answer of ``schema`` with this status."""
    return {status: {"description": description, "content": {JSON: {"schema": ref(schema)}}}}


def path_id(name: str, what: str) -> dict[str, Any]:
    """An integer id in the path."""
    return {"name": name, "in": "path", "required": True, "schema": ID, "description": what}


#: ``?per_page=`` of a list.
PER_PAGE = {
    "name": "per_page",
    "in": "query",
    "schema": {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_PER_PAGE,
        "default": DEFAULT_PER_PAGE,
    },
}
#: ``?after=`` and ``?per_page=`` of a list that pages by cursor (``?page=`` answers 422).
CURSOR_PAGE = [
    {
        "name": "after",
        "in": "query",
        "schema": {"type": "string", "pattern": "^[0-9]{20}-[0-9]{1,10}$"},
        "description": "Where the page starts: taken from the previous page's 'next' "
        "address, never built by hand (a damaged one answers 422).",
    },
    PER_PAGE,
]


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    ok: dict[str, Any],
    errors: tuple[str, ...],
    body: Body | None = None,
    parameters: list[dict[str, Any]] | None = None,
    description: str | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """One operation: ``ok`` answers, then the shared ``errors`` by name (see RESPONSES)."""
    result: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "responses": {
            **ok,
            **{_CODES[name]: response_ref(name) for name in errors},
        },
    }
    if description:
        result["description"] = description
    if parameters:
        result["parameters"] = parameters
    if body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": body.schema()}},
        }
    if public:
        result["security"] = []
    return result


__all__ = [
    "CURSOR_PAGE",
    "DATE_TIME",
    "ERROR",
    "ID",
    "JSON",
    "PDF",
    "PER_PAGE",
    "RESPONSES",
    "cursor_page_of",
    "error_response",
    "error_with",
    "nullable",
    "obj",
    "ok",
    "operation",
    "path_id",
    "ref",
    "response_ref",
    "with_refusals",
]
